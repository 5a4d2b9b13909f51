"""The exercise catalogue programs are built from: bodyweight moves, by the lowest level that
should do them (0 beginner, 1 intermediate, 2 advanced). A slug is stable: a video of the
library tagged with it is linked from every exercise of that slug."""

from __future__ import annotations

from typing import Any

EXERCISES: tuple[dict[str, Any], ...] = (
    {"slug": "bodyweight-squat", "name": "Bodyweight squat", "level": 0},
    {"slug": "incline-push-up", "name": "Incline push-up", "level": 0},
    {"slug": "glute-bridge", "name": "Glute bridge", "level": 0},
    {"slug": "bird-dog", "name": "Bird dog", "level": 0},
    {"slug": "reverse-lunge", "name": "Reverse lunge", "level": 0},
    {"slug": "dead-bug", "name": "Dead bug", "level": 0},
    {"slug": "superman", "name": "Superman", "level": 0},
    {"slug": "push-up", "name": "Push-up", "level": 1},
    {"slug": "split-squat", "name": "Split squat", "level": 1},
    {"slug": "mountain-climber", "name": "Mountain climber", "level": 1},
    {"slug": "single-leg-glute-bridge", "name": "Single-leg glute bridge", "level": 1},
    {"slug": "jump-squat", "name": "Jump squat", "level": 2},
    {"slug": "decline-push-up", "name": "Decline push-up", "level": 2},
    {"slug": "burpee", "name": "Burpee", "level": 2},
    {"slug": "pistol-squat-to-box", "name": "Pistol squat to a box", "level": 2},
)

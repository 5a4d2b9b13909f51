"""The built-in baseline fitness assessment, offered to every tenant under the id `baseline`.

Numbers score linearly from `zero_at` (0 points) to `full_at` (full points), clamped; a lower
`full_at` than `zero_at` means lower is better (a resting heart rate). See services/scoring.py.
"""

from __future__ import annotations

from typing import Any

BASELINE_ID = "baseline"

BASELINE: dict[str, Any] = {
    "id": BASELINE_ID,
    "title": "Baseline fitness assessment",
    "description": "Six questions on strength, endurance and activity, to size your first program.",
    "built_in": True,
    "questions": [
        {
            "id": "push_ups",
            "prompt": "How many push-ups can you do in a row (knees allowed)?",
            "type": "integer",
            "required": True,
            "weight": 3,
            "min": 0,
            "max": 200,
            "zero_at": 0,
            "full_at": 40,
        },
        {
            "id": "squats_in_60s",
            "prompt": "How many bodyweight squats can you do in 60 seconds?",
            "type": "integer",
            "required": True,
            "weight": 3,
            "min": 0,
            "max": 200,
            "zero_at": 0,
            "full_at": 50,
        },
        {
            "id": "plank_seconds",
            "prompt": "How long can you hold a plank, in seconds?",
            "type": "integer",
            "required": True,
            "weight": 2,
            "min": 0,
            "max": 1800,
            "zero_at": 0,
            "full_at": 120,
        },
        {
            "id": "resting_heart_rate",
            "prompt": "Your resting heart rate, in beats per minute, if you know it.",
            "type": "integer",
            "required": False,
            "weight": 1,
            "min": 30,
            "max": 220,
            "zero_at": 100,
            "full_at": 50,
        },
        {
            "id": "active_days",
            "prompt": "On how many days of a usual week are you active for 30 minutes or more?",
            "type": "choice",
            "required": True,
            "weight": 2,
            "choices": [
                {"value": "0", "label": "None", "points": 0},
                {"value": "1-2", "label": "One or two", "points": 40},
                {"value": "3-4", "label": "Three or four", "points": 75},
                {"value": "5-7", "label": "Five or more", "points": 100},
            ],
        },
        {
            "id": "jog_10_minutes",
            "prompt": "Can you jog for 10 minutes without stopping?",
            "type": "boolean",
            "required": True,
            "weight": 1,
            "true_points": 100,
            "false_points": 0,
        },
    ],
}

"""Workouts, ordered by when they started: plain tracked items (chalicelib.tracked), with no rule
of their own beyond their schemas. The template for a new domain of logged items."""

from __future__ import annotations

from typing import Any, NotRequired

from chalicelib.domains.workouts.store import WORKOUTS
from chalicelib.tracked import TimedMeta, TrackedService


class WorkoutItem(TimedMeta):
    """A stored workout, as the store keeps it and the service reads it."""

    started_at: str  # as given: a date, or a date-time with its offset
    duration_min: int
    type: str
    title: str
    exercises: list[dict[str, Any]]
    perceived_effort: NotRequired[int]
    calories: NotRequired[int]
    notes: NotRequired[str]


class WorkoutService(TrackedService[WorkoutItem]):
    kind = WORKOUTS
    moment = "started_at"

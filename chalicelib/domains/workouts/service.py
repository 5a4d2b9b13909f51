"""Workouts, ordered by when they started: plain tracked items (chalicelib.tracked), with no rule
of their own beyond their schemas. The template for a new domain of logged items."""

from __future__ import annotations

from chalicelib.domains.workouts.store import WORKOUTS, WorkoutItem
from chalicelib.tracked import TrackedService


class WorkoutService(TrackedService[WorkoutItem]):
    kind = WORKOUTS
    moment = "started_at"

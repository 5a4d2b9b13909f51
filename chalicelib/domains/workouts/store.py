"""Where workouts are stored: owned items of the user's partition (chalicelib.repositories.items),
under this sort-key prefix, ordered in the time index by when they happened."""

from typing import Any, NotRequired

from chalicelib.repositories.items import Kind, TimedMeta

WORKOUTS = Kind("workouts", "WORKOUT#", "workout")


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

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
    sport: NotRequired[str]
    distance_m: NotRequired[Any]  # Decimal, metres
    # From an activity file (chalicelib/domains/activities): its figures, and what the stream reads.
    moving_time_s: NotRequired[int]
    elapsed_time_s: NotRequired[int]
    elevation_gain_m: NotRequired[Any]
    elevation_loss_m: NotRequired[Any]
    avg_speed_mps: NotRequired[Any]
    max_speed_mps: NotRequired[Any]
    avg_heart_rate: NotRequired[int]
    max_heart_rate: NotRequired[int]
    avg_cadence: NotRequired[int]
    splits: NotRequired[list[dict[str, Any]]]
    source: NotRequired[dict[str, Any]]
    # Not shown: the file's SHA-256, its best efforts ({"5k": seconds}), whether its track is stored.
    file_sha256: NotRequired[str]
    best_efforts: NotRequired[dict[str, Any]]
    track: NotRequired[dict[str, Any]]

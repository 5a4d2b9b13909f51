"""What a person's preferences are until they set them (the schemas' load defaults too)."""

from __future__ import annotations

from typing import Any

DEFAULTS: dict[str, Any] = {
    "units": "metric",
    "weekly_workout_goal": 3,
    "timezone": "UTC",
    "week_starts_on": "monday",
    "notifications": {"email_reminders": False, "weekly_summary": False},
    # activity_ends_m: metres of a track's start and end hidden from anyone but its owner (0: none).
    "privacy": {"profile_visibility": "private", "activity_ends_m": 200},
}

"""The caller's preferences: defaults until the first PUT, then exactly what was put."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalicelib.clock import utc_now
from chalicelib.identity import Identity

DEFAULTS: dict[str, Any] = {
    "units": "metric",
    "weekly_workout_goal": 3,
    "timezone": "UTC",
    "week_starts_on": "monday",
    "notifications": {"email_reminders": False, "weekly_summary": False},
    "privacy": {"profile_visibility": "private"},
}


class PreferencesService:
    def __init__(self, preferences: Any, clock: Callable[[], str] = utc_now):
        self._preferences = preferences
        self._clock = clock

    def get(self, identity: Identity) -> dict[str, Any]:
        stored = self._preferences.get(identity)
        if stored is None:
            return {**DEFAULTS, "updated_at": None}
        return stored

    def put(self, identity: Identity, preferences: dict[str, Any]) -> dict[str, Any]:
        document = {**preferences, "updated_at": self._clock()}
        self._preferences.put(identity, document)
        return document

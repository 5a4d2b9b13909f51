"""The caller's preferences: defaults until the first PUT, then exactly what was put."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
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


CACHE_SECONDS = 30.0
CACHE_SIZE = 1024


class PreferencesService:
    def __init__(
        self, preferences: Any, clock: Callable[[], str] = utc_now, monotonic: Callable[[], float] = time.monotonic
    ):
        self._preferences = preferences
        self._clock = clock
        self._monotonic = monotonic
        self._recent: OrderedDict[str, tuple[float, dict[str, Any]]] = OrderedDict()
        self._lock = threading.Lock()

    def current(self, identity: Identity) -> dict[str, Any]:
        """Units and timezone for presenting data, cached briefly in this container so a weight
        answer stays one DynamoDB call. A change made through this container is seen at once;
        through another, within CACHE_SECONDS."""
        now = self._monotonic()
        with self._lock:
            hit = self._recent.get(identity.user_id)
            if hit and now - hit[0] < CACHE_SECONDS:
                return hit[1]
        return self.get(identity)

    def _remember(self, identity: Identity, preferences: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self._recent[identity.user_id] = (self._monotonic(), preferences)
            self._recent.move_to_end(identity.user_id)
            while len(self._recent) > CACHE_SIZE:
                self._recent.popitem(last=False)
        return preferences

    def get(self, identity: Identity) -> dict[str, Any]:
        stored = self._preferences.get(identity)
        return self._remember(identity, stored if stored is not None else {**DEFAULTS, "updated_at": None})

    def put(self, identity: Identity, preferences: dict[str, Any]) -> dict[str, Any]:
        document = {**preferences, "updated_at": self._clock()}
        self._preferences.put(identity, document)
        return self._remember(identity, document)

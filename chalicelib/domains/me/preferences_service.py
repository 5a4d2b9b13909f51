"""The caller's preferences: defaults until the first PUT, then exactly what was put."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from chalicelib.clock import utc_now
from chalicelib.domains.me.preferences_defaults import DEFAULTS
from chalicelib.identity import Identity
from chalicelib.timeutil import iso_utc, parse_iso_utc

if TYPE_CHECKING:
    from chalicelib.domains.email.public import EmailSchedule
    from chalicelib.domains.me.preferences_store import PreferencesStore

CACHE_SECONDS = 30.0
CACHE_SIZE = 1024


class PreferencesService:
    def __init__(
        self,
        preferences: PreferencesStore,
        schedule: Callable[[], EmailSchedule],
        clock: Callable[[], str] = utc_now,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        self._preferences = preferences
        self._schedule = schedule
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
        if stored is None:
            return self._remember(identity, {**DEFAULTS, "updated_at": None})
        # A document stored before a privacy setting existed takes that setting's default.
        privacy = {**DEFAULTS["privacy"], **(stored.get("privacy") or {})}
        return self._remember(identity, {**stored, "privacy": privacy})

    def put(self, identity: Identity, preferences: dict[str, Any]) -> dict[str, Any]:
        """The document and the e-mail schedule it implies, in one transaction."""
        now = self._clock()
        document = {**preferences, "updated_at": now}
        self._preferences.put(identity, document, self._schedule_actions(identity, document, now))
        return self._remember(identity, document)

    def _schedule_actions(self, identity: Identity, document: dict[str, Any], now: str) -> list[dict[str, Any]]:
        """Each kind of e-mail turned on gets its next send (from the verified address of the person
        turning it on); each turned off leaves the schedule."""
        # Imported here: a GET of the preferences, the most frequent first request, needs none of e-mail.
        from chalicelib.domains.email.public import KINDS, ScheduleEntry, next_send

        schedule = self._schedule()
        actions = []
        for kind in KINDS:
            if not (document["notifications"][kind] and identity.email):
                actions.append(schedule.delete_action(identity.user_id, kind))
                continue
            upcoming = next_send(kind, document["timezone"], document["week_starts_on"], parse_iso_utc(now))
            entry = ScheduleEntry(
                user_id=identity.user_id,
                kind=kind,
                email=identity.email,
                timezone=document["timezone"],
                week_starts_on=document["week_starts_on"],
                send_at=iso_utc(upcoming.at),
                local_date=upcoming.local_date.isoformat(),
            )
            actions.append(schedule.put_action(entry))
        return actions

    def reschedule(self, identity: Identity) -> int:
        """Writes the schedule entries saved preferences imply where none exists yet (preferences
        saved before e-mail was sent at all: devtools/backfill_email_schedule.py). Each only while
        the preferences are still the ones read, so a change meanwhile wins. Returns how many."""
        stored = self._preferences.get(identity)
        if stored is None or not stored.get("updated_at"):
            return 0
        unchanged = self._preferences.unchanged_check(identity, stored["updated_at"])
        actions = self._schedule_actions(identity, stored, self._clock())
        return sum(self._schedule().put_if_missing(action, unchanged) for action in actions if "Put" in action)

    def turn_off(self, user_id: str, kind: str) -> None:
        """One kind of e-mail off (an unsubscribe link): the preference and the schedule together."""
        self._preferences.turn_off(user_id, kind, self._clock(), self._schedule().delete_action(user_id, kind))
        with self._lock:
            self._recent.pop(user_id, None)

"""Workouts, ordered by when they started."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalicelib.collection import Collection, update_from
from chalicelib.domains.workouts.store import WORKOUTS
from chalicelib.errors import InvalidInput
from chalicelib.identity import Identity
from chalicelib.timeline import moment_fields, time_bounds, without_stored_fields

if TYPE_CHECKING:
    from chalicelib.domains.me.public import PreferencesService


def _present(item: dict[str, Any]) -> dict[str, Any]:
    return without_stored_fields(item)


class WorkoutService:
    def __init__(self, items: Collection, preferences: PreferencesService):
        self._items = items  # with their Idempotency-Keys and cursors
        self._preferences = preferences

    @staticmethod
    def build(body: dict[str, Any], meta: dict[str, Any], zone: str) -> dict[str, Any]:
        """The stored item for a validated body (a new one, or one being imported)."""
        item = {**{key: value for key, value in body.items() if key != "started_at" and value is not None}, **meta}
        item.update(moment_fields(WORKOUTS, "started_at", body["started_at"], zone, item["id"]))
        return item

    export_record = staticmethod(_present)

    def view(self, identity: Identity, item: dict[str, Any]) -> dict[str, Any]:
        """A stored item as the API answers it (for events about it)."""
        return _present(item)

    def create(self, identity: Identity, body: dict[str, Any], idempotency_key: str | None) -> dict[str, Any]:
        zone = self._preferences.current(identity)["timezone"]
        item = self.build(body, self._items.new_meta(), zone)
        return _present(self._items.create(identity, item, idempotency_key, body))

    def get(self, identity: Identity, item_id: str) -> dict[str, Any]:
        return _present(self._items.get(identity, item_id))

    def patch(
        self, identity: Identity, item_id: str, changes: dict[str, Any], expected_version: int | None
    ) -> dict[str, Any]:
        if not changes:
            raise InvalidInput("Name at least one field to change.", code="empty_patch")
        derived: dict[str, Any] = {}
        if "started_at" in changes:
            zone = self._preferences.current(identity)["timezone"]
            derived = moment_fields(WORKOUTS, "started_at", changes.pop("started_at"), zone, item_id)
        updated = self._items.update(identity, item_id, update_from(changes, derived), expected_version)
        return _present(updated)

    def delete(self, identity: Identity, item_id: str, expected_version: int | None) -> None:
        self._items.delete(identity, item_id, expected_version)

    def list(self, identity: Identity, query: dict[str, Any]) -> dict[str, Any]:
        zone = self._preferences.current(identity)["timezone"]
        bounds = time_bounds(WORKOUTS, query, zone)
        items, cursor = self._items.page(identity, "workouts", query, ascending=False, **bounds)
        return {"items": [_present(item) for item in items], "next_cursor": cursor}

"""Weight entries: kilograms kept exactly, shown in the caller's units, ordered by when measured."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalicelib.collection import Collection, update_from
from chalicelib.domains.weights.store import WEIGHTS
from chalicelib.errors import InvalidInput
from chalicelib.identity import Identity
from chalicelib.limits import MAX_KG, MIN_KG
from chalicelib.timeline import moment_fields, time_bounds, without_stored_fields
from chalicelib.units import canonical, display, to_kg

if TYPE_CHECKING:
    from chalicelib.domains.me.public import PreferencesService


def _kilograms(weight: dict[str, Any]) -> dict[str, Any]:
    kilograms = to_kg(weight["value"], weight["unit"])
    if not MIN_KG <= kilograms <= MAX_KG:
        raise InvalidInput(
            "That weight is not plausible.", details={"weight": [f"Must be between {MIN_KG} and {MAX_KG} kg."]}
        )
    return {"weight_kg": kilograms, "entered": {"value": weight["value"], "unit": weight["unit"]}}


class WeightService:
    def __init__(self, items: Collection, preferences: PreferencesService):
        self._items = items  # with their Idempotency-Keys and cursors
        self._preferences = preferences

    def _present(self, item: dict[str, Any], prefs: dict[str, Any]) -> dict[str, Any]:
        shown = without_stored_fields(item, "entered")
        shown["weight"] = display(item["weight_kg"], item.get("entered"), prefs["units"])
        shown["weight_kg"] = canonical(item["weight_kg"])
        return shown

    @staticmethod
    def build(body: dict[str, Any], meta: dict[str, Any], zone: str) -> dict[str, Any]:
        """The stored item for a validated body (a new one, or one being imported)."""
        rest = {key: value for key, value in body.items() if key not in ("measured_at", "weight") and value is not None}
        item = {**rest, **meta}
        item.update(moment_fields(WEIGHTS, "measured_at", body["measured_at"], zone, item["id"]))
        item.update(_kilograms(body["weight"]))
        return item

    @staticmethod
    def export_record(item: dict[str, Any]) -> dict[str, Any]:
        """The item as POST takes it (the weight as it was entered), with its id and times."""
        record = without_stored_fields(item, "entered", "weight_kg")
        record["weight"] = item.get("entered") or {"value": item["weight_kg"], "unit": "kg"}
        return record

    def view(self, identity: Identity, item: dict[str, Any]) -> dict[str, Any]:
        """A stored item as the API answers it (for events about it)."""
        return self._present(item, self._preferences.current(identity))

    def create(self, identity: Identity, body: dict[str, Any], idempotency_key: str | None) -> dict[str, Any]:
        prefs = self._preferences.current(identity)
        item = self.build(body, self._items.new_meta(), prefs["timezone"])
        return self._present(self._items.create(identity, item, idempotency_key, body), prefs)

    def get(self, identity: Identity, item_id: str) -> dict[str, Any]:
        return self._present(self._items.get(identity, item_id), self._preferences.current(identity))

    def patch(
        self, identity: Identity, item_id: str, changes: dict[str, Any], expected_version: int | None
    ) -> dict[str, Any]:
        if not changes:
            raise InvalidInput("Name at least one field to change.", code="empty_patch")
        prefs = self._preferences.current(identity)
        derived: dict[str, Any] = {}
        if "measured_at" in changes:
            derived.update(
                moment_fields(WEIGHTS, "measured_at", changes.pop("measured_at"), prefs["timezone"], item_id)
            )
        if "weight" in changes:
            derived.update(_kilograms(changes.pop("weight")))
        updated = self._items.update(identity, item_id, update_from(changes, derived), expected_version)
        return self._present(updated, prefs)

    def delete(self, identity: Identity, item_id: str, expected_version: int | None) -> None:
        self._items.delete(identity, item_id, expected_version)

    def list(self, identity: Identity, query: dict[str, Any]) -> dict[str, Any]:
        prefs = self._preferences.current(identity)
        bounds = time_bounds(WEIGHTS, query, prefs["timezone"])
        items, cursor = self._items.page(identity, "weights", query, ascending=False, **bounds)
        return {"items": [self._present(item, prefs) for item in items], "next_cursor": cursor}

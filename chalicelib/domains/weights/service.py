"""Weight entries: kilograms kept exactly, shown in the caller's units, ordered by when measured.
The rest is the common case of tracked items (chalicelib.tracked)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalicelib.domains.weights.store import WEIGHTS, WeightItem
from chalicelib.errors import InvalidInput
from chalicelib.limits import MAX_KG, MIN_KG
from chalicelib.timeline import without_stored_fields
from chalicelib.tracked import Preferences, TrackedService
from chalicelib.units import canonical, display, to_kg


def _kilograms(weight: dict[str, Any]) -> dict[str, Any]:
    kilograms = to_kg(weight["value"], weight["unit"])
    if not MIN_KG <= kilograms <= MAX_KG:
        raise InvalidInput(
            "That weight is not plausible.", details={"weight": [f"Must be between {MIN_KG} and {MAX_KG} kg."]}
        )
    return {"weight_kg": kilograms, "entered": {"value": weight["value"], "unit": weight["unit"]}}


class WeightService(TrackedService[WeightItem]):
    kind = WEIGHTS
    moment = "measured_at"

    @classmethod
    def derive(cls, given: dict[str, Any], zone: Callable[[], str], item_id: str) -> dict[str, Any]:
        derived = super().derive(given, zone, item_id)
        if "weight" in given:
            derived.update(_kilograms(given.pop("weight")))
        return derived

    @classmethod
    def present(cls, item: WeightItem, preferences: Preferences) -> dict[str, Any]:
        shown = without_stored_fields(dict(item), "entered")
        shown["weight"] = display(item["weight_kg"], item.get("entered"), preferences()["units"])
        shown["weight_kg"] = canonical(item["weight_kg"])
        return shown

    @classmethod
    def export_record(cls, item: WeightItem) -> dict[str, Any]:
        """The item as POST takes it (the weight as it was entered), with its id and times."""
        record = without_stored_fields(dict(item), "entered", "weight_kg")
        record["weight"] = item.get("entered") or {"value": item["weight_kg"], "unit": "kg"}
        return record

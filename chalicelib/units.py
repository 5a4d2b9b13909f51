"""Weights: stored canonically in kg, exactly (Decimal), shown in the caller's units."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

KG_PER_LB = Decimal("0.45359237")  # exact, by definition
UNITS = ("kg", "lb")
UNIT_FOR_SYSTEM = {"metric": "kg", "imperial": "lb"}
DISPLAY_PLACES = Decimal("0.01")


def to_kg(value: Decimal, unit: str) -> Decimal:
    return value if unit == "kg" else value * KG_PER_LB


def from_kg(kilograms: Decimal, unit: str) -> Decimal:
    return kilograms if unit == "kg" else kilograms / KG_PER_LB


def _plain(value: Decimal) -> Decimal:
    rounded = value.quantize(DISPLAY_PLACES, rounding=ROUND_HALF_UP)
    return rounded.normalize() if rounded != rounded.to_integral_value() else rounded.quantize(Decimal(1))


def display(kilograms: Decimal, entered: Mapping[str, Any] | None, system: str) -> dict[str, Any]:
    """The weight in the caller's units: what they typed if they typed it in those units
    (180.4 lb in, 180.4 lb out), else the conversion to two decimals."""
    unit = UNIT_FOR_SYSTEM[system]
    if entered and entered.get("unit") == unit:
        return {"value": Decimal(entered["value"]), "unit": unit}
    return {"value": _plain(from_kg(Decimal(kilograms), unit)), "unit": unit}


def canonical(kilograms: Decimal) -> Decimal:
    """The canonical kilograms as shown: three decimals."""
    return Decimal(kilograms).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP).normalize()

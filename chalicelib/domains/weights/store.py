"""Where weights are stored: owned items of the user's partition (chalicelib.repositories.items),
under this sort-key prefix, ordered in the time index by when they happened."""

from decimal import Decimal
from typing import NotRequired, TypedDict

from chalicelib.repositories.items import Kind, TimedMeta

WEIGHTS = Kind("weights", "WEIGHT#", "weight")


class Entered(TypedDict):
    value: Decimal
    unit: str  # "kg" or "lb"


class WeightItem(TimedMeta):
    """A stored weight: exact kilograms, and the weight as it was entered."""

    measured_at: str  # as given: a date, or a date-time with its offset
    weight_kg: Decimal
    entered: NotRequired[Entered]  # absent on items stored before it was kept
    body_fat_pct: NotRequired[Decimal]
    note: NotRequired[str]

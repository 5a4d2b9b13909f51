"""Items ordered in time (weights by measured_at, workouts by started_at): the ByTime index key
and the key bounds of a from/to range."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from chalicelib import clock
from chalicelib.errors import InvalidInput
from chalicelib.repositories.items import TIME_INDEX, Kind
from chalicelib.timeutil import given_text, instant, iso_utc, resolve_range

FUTURE_TOLERANCE = timedelta(days=1)


def time_sort_key(kind: Kind, at: str, item_id: str) -> str:
    return f"{kind.prefix}{at}#{item_id}"


def time_bounds(kind: Kind, query: dict[str, Any], zone: str) -> dict[str, Any]:
    """Key bounds on the ByTime index for the query's from/to (dates are whole local days)."""
    window = resolve_range(query.get("from_"), query.get("to"), zone)
    return {
        "index": TIME_INDEX,
        "lower": kind.prefix + (iso_utc(window.start) if window.start else ""),
        "upper": kind.prefix + (iso_utc(window.end) if window.end else "~"),
    }


# What moment_fields stores besides the moment as given: never shown, never exported.
STORED_FIELDS = ("at", "TSK")


def without_stored_fields(item: dict[str, Any], *more: str) -> dict[str, Any]:
    """An item without what moment_fields stored for the index (and `more` of the domain's own)."""
    return {key: value for key, value in item.items() if key not in STORED_FIELDS and key not in more}


def moment_fields(kind: Kind, name: str, value: date | datetime, zone: str, item_id: str) -> dict[str, Any]:
    """The moment as given, its UTC instant, and the index key that orders by it."""
    at = instant(value, zone)
    if at > clock.now() + FUTURE_TOLERANCE:
        raise InvalidInput("This is in the future.", details={name: ["Must not be in the future."]})
    at_text = iso_utc(at)
    return {name: given_text(value), "at": at_text, "TSK": time_sort_key(kind, at_text, item_id)}

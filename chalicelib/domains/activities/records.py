"""Personal bests (GET /me/records), kept current from the table's stream.

One item a person (`ACTIVITY#records`) holds, per record, its best few entries: {workout_id, value,
started_at}, best first, and whether that list holds every workout that has the figure
(`complete`). Each change of a workout removes its entries and adds its new figures, so a change
applied twice changes nothing, and the best stays exact while the list is not empty: every workout
outside it is worse than all of its entries. Only when every entry of an incomplete list is deleted
is the record unknown: then a background job (`activities.rebuild_records`) reads the person's
workouts again, a page at a time, and the list answers without that record meanwhile.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

KEEP = 5  # entries kept a record: deleting the best leaves the next four known
FASTEST = ("1k", "1mile", "5k", "10k", "half_marathon", "marathon")  # seconds, lower is better
LARGEST = ("longest_distance", "biggest_climb")  # metres, higher is better
NAMES = FASTEST + LARGEST


def candidates(workout: dict[str, Any] | None) -> dict[str, Decimal]:
    """The record values one stored workout holds."""
    if not workout:
        return {}
    found: dict[str, Decimal] = {}
    for name, seconds in (workout.get("best_efforts") or {}).items():
        if name in FASTEST and seconds is not None:
            found[name] = Decimal(str(seconds))
    if workout.get("distance_m"):
        found["longest_distance"] = Decimal(str(workout["distance_m"]))
    if workout.get("elevation_gain_m"):
        found["biggest_climb"] = Decimal(str(workout["elevation_gain_m"]))
    return found


def _rank(name: str, entry: dict[str, Any]) -> tuple[Decimal, str]:
    # Better first; ties: the earlier workout holds the record.
    sign = 1 if name in FASTEST else -1
    return sign * Decimal(str(entry["value"])), str(entry["started_at"])


def _ordered(name: str, entries: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(entries, key=lambda entry: _rank(name, entry))


def apply(records: dict[str, Any], workout_id: str, workout: dict[str, Any] | None) -> tuple[dict[str, Any], bool]:
    """The records after one workout's change (its new image, None when deleted), and whether a
    record became unknown (a rebuild is needed)."""
    values = candidates(workout)
    changed: dict[str, Any] = {}
    unknown = False
    for name in NAMES:
        held = records.get(name) or {"entries": [], "complete": True}
        entries = [entry for entry in held["entries"] if entry["workout_id"] != workout_id]
        complete = bool(held["complete"])
        if name in values and workout is not None:
            entry = {"workout_id": workout_id, "value": values[name], "started_at": str(workout["started_at"])}
            # An incomplete list knows only that every workout outside it ranks after its last
            # entry: a value ranking after that (a best edited worse, a new slower run) may rank
            # after unseen workouts too, so it stays outside, which keeps that true.
            if complete or (held["entries"] and _rank(name, entry) <= _rank(name, held["entries"][-1])):
                entries.append(entry)
        entries = _ordered(name, entries)
        if len(entries) > KEEP:
            entries, complete = entries[:KEEP], False
        if not entries and not complete:
            unknown = True
        changed[name] = {"entries": entries, "complete": complete}
    return changed, unknown


def rebuilt(workouts: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The records from every workout (the rebuild's pass)."""
    records: dict[str, Any] = {}
    for workout in workouts:
        records, _ = apply(records, str(workout["id"]), workout)
    return records


def shown(records: dict[str, Any]) -> list[dict[str, Any]]:
    """The records as GET /me/records lists them: each one's best."""
    items = []
    for name in NAMES:
        entries = (records.get(name) or {}).get("entries") or []
        if entries:
            best = entries[0]
            items.append(
                {
                    "name": name,
                    "value": best["value"],
                    "unit": "s" if name in FASTEST else "m",
                    "workout_id": best["workout_id"],
                    "started_at": best["started_at"],
                }
            )
    return items


def dumped(held: dict[str, Any]) -> dict[str, Any]:
    """Records as JSON carries them (a job's continuation): numbers as text."""
    return {
        name: {
            "entries": [{**entry, "value": str(entry["value"])} for entry in value["entries"]],
            "complete": value["complete"],
        }
        for name, value in held.items()
    }


def loaded(data: dict[str, Any]) -> dict[str, Any]:
    return {
        name: {
            "entries": [{**entry, "value": Decimal(str(entry["value"]))} for entry in value["entries"]],
            "complete": bool(value["complete"]),
        }
        for name, value in data.items()
    }

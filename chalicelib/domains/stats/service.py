"""The caller's summary over a range of local days: weight trend, workouts per ISO week and the
streak of weeks meeting their goal, and tasks. Everything in the caller's timezone and units.

Read from the person's running totals (store.py), never from their history: Queries of the
months the range spans (weights, workouts from the Monday of `from`'s week, tasks done), one of the
small per-month week counts for the streak's year before it, and one GetItem of the open-task
counts, whatever the size of the history. The totals are kept by the
table's stream (`on_stream`), a second or so behind the writes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from chalicelib import clock
from chalicelib.identity import Identity
from chalicelib.timeutil import iso_utc, local_date, local_midnight, parse_iso_utc, resolve_range
from chalicelib.units import UNIT_FOR_SYSTEM, display, from_kg

if TYPE_CHECKING:
    from chalicelib.domains.me.public import PreferencesService
    from chalicelib.domains.stats.store import RollupStore

DEFAULT_DAYS = 30
MOVING_AVERAGE_DAYS = 7
STREAK_WEEKS = 52


def _local_day(entry: dict[str, Any], zone: str) -> date:
    """A weight given as a date belongs to that date, whatever zone the user is in now."""
    given = entry.get("measured_at")  # kept in the totals only when it is a date
    return date.fromisoformat(given) if given and len(given) == 10 else local_date(parse_iso_utc(entry["at"]), zone)


def _iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _mean(values: list[Decimal]) -> Decimal:
    return sum(values, Decimal(0)) / len(values)


class StatsService:
    def __init__(self, rollups: RollupStore, preferences: PreferencesService, today: Any = None):
        self._rollups = rollups
        self._preferences = preferences
        self._now = today or clock.now

    def _between(self, identity: Identity, kind: str, lower: str, upper: str) -> list[dict[str, Any]]:
        """The entries of one kind whose moment is in [lower, upper] (UTC instants), oldest first."""
        entries = self._rollups.entries(identity.user_id, kind, lower[:7], upper[:7])
        return [entry for entry in entries if lower <= entry["at"] <= upper]

    def on_stream(self, changes: list[Any]) -> int:
        """Keeps the totals in step with a batch of the table's changes (any order of redelivery)."""
        return self._rollups.apply(changes)

    def rebuild(self, user_id: str) -> dict[str, int]:
        """Recounts a person's totals from their items: the repair when they drifted (reads the
        whole history: an operator's or a background job's work, never a request's)."""
        return self._rollups.rebuild(user_id)

    def summary(self, identity: Identity, query: dict[str, Any]) -> dict[str, Any]:
        prefs = self._preferences.current(identity)
        zone = prefs["timezone"]
        today = local_date(self._now(), zone)
        last = query.get("to") or today
        first = query.get("from_") or last - timedelta(days=DEFAULT_DAYS - 1)
        window = resolve_range(first, last, zone)
        assert window.start is not None and window.end is not None  # noqa: S101 (both ends given)
        lower, upper = iso_utc(window.start), iso_utc(window.end)
        return {
            "from_": first.isoformat(),
            "to": last.isoformat(),
            "timezone": zone,
            "units": prefs["units"],
            "weight": self._weight(identity, lower, upper, zone, prefs["units"]),
            "workouts": self._workout_stats(identity, lower, upper, zone, prefs["weekly_workout_goal"], last, today),
            "tasks": self._task_stats(identity, lower, upper, today),
        }

    def _weight(self, identity: Identity, lower: str, upper: str, zone: str, units: str) -> dict[str, Any]:
        entries = self._between(identity, "weights", lower, upper)
        if not entries:
            return {"entries": 0, "first": None, "last": None, "change": None, "min": None, "max": None, "series": []}
        unit = UNIT_FOR_SYSTEM[units]

        def shown(kilograms: Decimal) -> Decimal:
            return display(kilograms, None, units)["value"]

        daily: dict[date, list[Decimal]] = defaultdict(list)
        for entry in entries:
            daily[_local_day(entry, zone)].append(Decimal(entry["weight_kg"]))
        days = sorted(daily)
        day_means = {day: _mean(daily[day]) for day in days}
        series = []
        for day in days:
            recent = [day_means[d] for d in days if day - timedelta(days=MOVING_AVERAGE_DAYS - 1) <= d <= day]
            series.append(
                {"date": day.isoformat(), "weight": shown(day_means[day]), "moving_average_7d": shown(_mean(recent))}
            )
        kilograms = [Decimal(entry["weight_kg"]) for entry in entries]
        first, last = entries[0], entries[-1]
        change = from_kg(Decimal(last["weight_kg"]) - Decimal(first["weight_kg"]), unit)
        return {
            "entries": len(entries),
            "unit": unit,
            "first": {
                "date": days[0].isoformat(),
                "value": display(first["weight_kg"], first.get("entered"), units)["value"],
            },
            "last": {
                "date": days[-1].isoformat(),
                "value": display(last["weight_kg"], last.get("entered"), units)["value"],
            },
            "change": change.quantize(Decimal("0.01")),
            "min": shown(min(kilograms)),
            "max": shown(max(kilograms)),
            "series": series,
        }

    def _workout_stats(
        self, identity: Identity, lower: str, upper: str, zone: str, goal: int, last: date, today: date
    ) -> dict[str, Any]:
        # The streak looks back past `from` (up to a year before `to`): the workouts themselves from
        # the Monday of `from`'s week, and the weeks before from the small per-month week counts.
        first = local_date(parse_iso_utc(lower), zone)
        week_of_first = iso_utc(local_midnight(first - timedelta(days=first.weekday()), zone))
        recent = self._between(identity, "workouts", week_of_first, upper)
        entries = [entry for entry in recent if entry["at"] >= lower]
        weeks: dict[str, dict[str, int]] = defaultdict(lambda: {"count": 0, "minutes": 0})
        for entry in entries:
            week = weeks[_iso_week(local_date(parse_iso_utc(entry["at"]), zone))]
            week["count"] += 1
            week["minutes"] += int(entry["duration_min"])
        streak_weeks = Counter(_iso_week(local_date(parse_iso_utc(entry["at"]), zone)) for entry in recent)
        since = iso_utc(local_midnight(last - timedelta(weeks=STREAK_WEEKS), zone))
        if since < week_of_first:
            streak_weeks.update(self._weeks_before(identity, since, week_of_first, zone))
        return {
            "count": len(entries),
            "total_minutes": sum(int(entry["duration_min"]) for entry in entries),
            "by_type": dict(Counter(entry["type"] for entry in entries)),
            "per_week": [{"week": week, **totals} for week, totals in sorted(weeks.items())],
            "weekly_goal": goal,
            "current_streak_weeks": _streak(streak_weeks, goal, last, today),
        }

    def _weeks_before(self, identity: Identity, since: str, before: str, zone: str) -> Counter[str]:
        """Workouts per local ISO week, for the weeks from `since` to the one before `before` (whole
        weeks: `before` is a local Monday midnight)."""
        core, band = self._rollups.weeks(identity.user_id, since[:7], before[:7])
        week_of_before = _iso_week(local_date(parse_iso_utc(before), zone))
        counts: Counter[str] = Counter({week: n for week, n in core.items() if week < week_of_before})
        for moment in band:  # near a week's turn: in this zone's week
            week = _iso_week(local_date(parse_iso_utc(moment), zone))
            if week < week_of_before:
                counts[week] += 1
        return counts

    def _task_stats(self, identity: Identity, lower: str, upper: str, today: date) -> dict[str, Any]:
        still_open, due = self._rollups.open_tasks(identity.user_id)
        overdue = sum(count for day, count in due.items() if day < today.isoformat())
        finished = len(self._between(identity, "tasks", lower, upper))
        return {
            "open": still_open,
            "overdue": overdue,
            "done_in_range": finished,
            "completion_rate": round(finished / (finished + still_open), 4) if finished + still_open else None,
        }


def _streak(counts: Counter[str], goal: int, last: date, today: date) -> int:
    """Consecutive ISO weeks meeting the goal, counted back from the week of `to` (at most a
    year). The week still under way does not break a streak before it is over."""
    if goal <= 0:
        return 0
    streak, day = 0, last
    if last >= today and counts[_iso_week(last)] < goal:
        day -= timedelta(days=7)
    while counts[_iso_week(day)] >= goal and streak < STREAK_WEEKS:
        streak += 1
        day -= timedelta(days=7)
    return streak

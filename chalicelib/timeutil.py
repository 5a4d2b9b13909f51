"""Instants, local days and ranges. Stored instants are UTC, fixed-width ISO strings, so they
sort as strings in DynamoDB keys."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import NamedTuple

from chalicelib.errors import InvalidInput

MAX_RANGE_DAYS = 366


class GivenDate(date):
    """A date that remembers how it was written."""

    text: str


class GivenDateTime(datetime):
    """A date-time that remembers how it was written (its offset, its precision, Z or +00:00)."""

    text: str


def given_text(value: date | datetime) -> str:
    return getattr(value, "text", None) or value.isoformat()


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_iso_utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def zone_named(name: str) -> tzinfo:
    """An IANA zone. zoneinfo is imported on the first use: its import reads the interpreter's
    build configuration (sysconfig), a few ms a cold start that needs no zone need not pay."""
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def local_midnight(day: date, zone: str) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone_named(zone)).astimezone(UTC)


def local_noon(day: date, zone: str) -> datetime:
    """A day given without a time is anchored at its local noon: the same calendar day in the
    user's zone, whatever daylight saving does."""
    return datetime.combine(day, time(12), tzinfo=zone_named(zone)).astimezone(UTC)


def local_date(moment: datetime, zone: str) -> date:
    return moment.astimezone(zone_named(zone)).date()


def instant(value: date | datetime, zone: str) -> datetime:
    """A date-time with offset as it is; a date as that day's local noon."""
    return value if isinstance(value, datetime) else local_noon(value, zone)


def _span_days(start: date | datetime, end: date | datetime, lower: datetime, upper: datetime) -> float:
    """Local days count as days whatever daylight saving does to their length; instants are exact."""
    if not isinstance(start, datetime) and not isinstance(end, datetime):
        return (end - start).days + 1
    slack = timedelta(hours=1) if not isinstance(start, datetime) or not isinstance(end, datetime) else timedelta(0)
    return (upper - lower - slack - timedelta(milliseconds=1)) / timedelta(days=1)


class Range(NamedTuple):
    """[start, end) in UTC; either side may be open."""

    start: datetime | None
    end: datetime | None


def resolve_range(start: date | datetime | None, end: date | datetime | None, zone: str) -> Range:
    """`from` and `to` as the caller means them: a date is the whole local day (inclusive)."""
    lower = None if start is None else (start if isinstance(start, datetime) else local_midnight(start, zone))
    upper = None
    if end is not None:
        upper = (
            end + timedelta(milliseconds=1)
            if isinstance(end, datetime)
            else local_midnight(end + timedelta(days=1), zone)
        )
    if start is not None and end is not None and lower is not None and upper is not None:
        if lower >= upper:
            raise InvalidInput("`from` must not be after `to`.", code="invalid_range", details={"from": ["After to."]})
        if _span_days(start, end, lower, upper) > MAX_RANGE_DAYS:
            raise InvalidInput(
                f"A range covers at most {MAX_RANGE_DAYS} days.", code="range_too_long", details={"to": ["Too far."]}
            )
    return Range(lower, upper)

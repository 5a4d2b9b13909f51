"""The app's clock: every "now" in Stride comes from here.

Deployed, it is the system's UTC time. Tests move it (`travel_by`), so behaviour that depends on
today's date, weekday or hour is driven by the test, never by the calendar the suite runs on.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

_offset = timedelta(0)


def now() -> datetime:
    return datetime.now(UTC) + _offset


def utc_now() -> str:
    """RFC 3339, UTC, millisecond precision."""
    return now().isoformat(timespec="milliseconds").replace("+00:00", "Z")


def epoch() -> float:
    return now().timestamp()


def today() -> date:
    """Today in UTC (never the machine's local date)."""
    return now().date()


def offset() -> timedelta:
    return _offset


def set_offset(value: timedelta) -> None:
    """Moves the clock by `value` from the system's time: for tests and local tooling only."""
    global _offset  # one process-wide clock, like the system's
    _offset = value


@contextmanager
def travel_by(delta: timedelta) -> Iterator[None]:
    """The clock `delta` further on, until the block ends."""
    before = _offset
    set_offset(before + delta)
    try:
        yield
    finally:
        set_offset(before)


@contextmanager
def travel_to(moment: datetime) -> Iterator[None]:
    """The clock at `moment` (it keeps ticking from there), until the block ends."""
    with travel_by(moment - now()):
        yield

"""When a person's e-mails go out: in their morning, in their time zone, whatever daylight
saving does. Pure functions of the preferences and an instant."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import NamedTuple

from chalicelib.timeutil import zone_named

TASK_REMINDER = "email_reminders"
WEEKLY_SUMMARY = "weekly_summary"
KINDS = (TASK_REMINDER, WEEKLY_SUMMARY)
# Local clock times: the day's reminder before the day starts, the summary an hour later.
SEND_AT = {TASK_REMINDER: time(7), WEEKLY_SUMMARY: time(8)}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class SendTime(NamedTuple):
    at: datetime  # UTC
    local_date: date  # the person's day it belongs to: a send record's key


def _local_instant(day: date, at: time, zone: tzinfo) -> datetime:
    # fold=0 (PEP 495): a clock time a daylight-saving jump skips is read with the offset before
    # the jump, i.e. just after it; a clock time that happens twice, its first occurrence.
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def next_send(kind: str, zone_name: str, week_starts_on: str, after: datetime) -> SendTime:
    """The first send of `kind` strictly after `after`: daily for the task reminder, on the first
    day of the person's week for the summary (of the week that just ended)."""
    zone = zone_named(zone_name)
    day = after.astimezone(zone).date()
    for offset in range(9):  # a week and a day covers every case, a daylight-saving jump included
        candidate = day + timedelta(days=offset)
        if kind == WEEKLY_SUMMARY and WEEKDAYS[candidate.weekday()] != week_starts_on:
            continue
        moment = _local_instant(candidate, SEND_AT[kind], zone)
        if moment > after:
            return SendTime(moment, candidate)
    raise AssertionError("unreachable: a send time exists within nine days")

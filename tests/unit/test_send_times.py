"""When e-mails go out: the person's morning, whatever their zone and daylight saving do."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from chalicelib.domains.email import content as email_content
from chalicelib.domains.email.send_times import TASK_REMINDER, WEEKLY_SUMMARY, next_send


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


@pytest.mark.parametrize(
    ("zone", "after", "expected_utc", "local_day"),
    [
        ("UTC", "2026-11-22T06:59:59+00:00", "2026-11-22T07:00:00+00:00", "2026-11-22"),
        ("UTC", "2026-11-22T07:00:00+00:00", "2026-11-23T07:00:00+00:00", "2026-11-23"),  # strictly after
        # The morning clocks go forward in Paris (UTC+1 -> UTC+2): 07:00 local is 05:00 UTC.
        ("Europe/Paris", "2026-03-29T00:00:00+00:00", "2026-03-29T05:00:00+00:00", "2026-03-29"),
        ("Europe/Paris", "2026-03-28T07:00:00+00:00", "2026-03-29T05:00:00+00:00", "2026-03-29"),
        # And back (UTC+2 -> UTC+1): 06:00 UTC.
        ("Europe/Paris", "2026-10-25T00:00:00+00:00", "2026-10-25T06:00:00+00:00", "2026-10-25"),
        # Half- and quarter-hour zones keep their own 07:00.
        ("Asia/Kolkata", "2026-11-22T02:00:00+00:00", "2026-11-23T01:30:00+00:00", "2026-11-23"),
        ("Asia/Kathmandu", "2026-11-22T00:00:00+00:00", "2026-11-22T01:15:00+00:00", "2026-11-22"),
        # West of UTC, "tomorrow morning" can still be today's date in UTC.
        ("America/Los_Angeles", "2026-11-22T12:00:00+00:00", "2026-11-22T15:00:00+00:00", "2026-11-22"),
        # East of the date line, the local day is UTC's next.
        ("Pacific/Kiritimati", "2026-11-22T12:00:00+00:00", "2026-11-22T17:00:00+00:00", "2026-11-23"),
    ],
)
def test_the_daily_reminder_goes_at_seven_local(zone, after, expected_utc, local_day):
    upcoming = next_send(TASK_REMINDER, zone, "monday", at(after))
    assert upcoming.at == at(expected_utc)
    assert upcoming.local_date == date.fromisoformat(local_day)
    assert upcoming.at.astimezone(ZoneInfo(zone)).hour == 7


@pytest.mark.parametrize("week_starts_on", ["monday", "sunday", "saturday"])
def test_the_summary_goes_on_the_first_day_of_the_persons_week_at_eight(week_starts_on):
    upcoming = next_send(WEEKLY_SUMMARY, "America/New_York", week_starts_on, at("2026-11-22T20:00:00+00:00"))
    local = upcoming.at.astimezone(ZoneInfo("America/New_York"))
    assert local.strftime("%A").lower() == week_starts_on and local.hour == 8
    assert timedelta(0) < upcoming.at - at("2026-11-22T20:00:00+00:00") <= timedelta(days=7)


def test_a_clock_time_skipped_by_daylight_saving_goes_just_after_the_jump():
    # America/Santiago skips 00:00 -> 01:00; Stride never sends at midnight, but the rule holds for
    # any zone that ever jumps across 07:00 (Asia/Tehran's and others' history did).
    from chalicelib.domains.email.send_times import _local_instant

    moment = _local_instant(date(2026, 9, 6), datetime.min.time(), ZoneInfo("America/Santiago"))
    assert moment.astimezone(ZoneInfo("America/Santiago")).hour == 1


def test_a_reminder_with_nothing_due_is_not_written():
    assert email_content.task_reminder(date(2026, 1, 5), [], False, "https://x/u") is None


def test_the_reminder_separates_today_from_overdue_and_says_when_there_is_more():
    tasks = [{"title": "Swim", "due_date": "2026-01-05"}, {"title": "Physio", "due_date": "2026-01-02"}]
    subject, text = email_content.task_reminder(date(2026, 1, 5), tasks, True, "https://x/u?token=t")
    assert subject == "2+ tasks for today"
    assert "Due today:\n  - Swim" in text and "Overdue:\n  - Physio (due 2026-01-02)" in text
    assert "…and more" in text and text.endswith("https://x/u?token=t\n")


def test_the_summary_reads_the_stats_as_the_api_answers_them():
    summary = {
        "from_": "2026-01-05",
        "to": "2026-01-11",
        "workouts": {"count": 2, "total_minutes": 90, "weekly_goal": 3, "current_streak_weeks": 0},
        "weight": {"entries": 2, "unit": "lb", "last": {"value": Decimal("178.6")}, "change": Decimal("-1.40")},
        "tasks": {"done_in_range": 4, "open": 1, "overdue": 0},
    }
    subject, text = email_content.weekly_summary(summary, "https://x/u")
    assert subject == "Your week: 2 workouts"
    assert "Workouts: 2 (goal 3), 90 minutes" in text and "Weight: 178.6 lb (-1.4 lb)" in text
    assert "Tasks: 4 done, 1 open, 0 overdue" in text and "Streak" not in text

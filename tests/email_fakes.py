"""Fakes of what the e-mail run talks to, with the latency of the real calls injected: each
DynamoDB call the real store makes sleeps `dynamodb` seconds, each SES send `ses` seconds. For the
run's tests (tests/unit/test_email_run.py) and its benchmark (bench/email_run.py)."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from chalicelib.cursors import CursorCodec
from chalicelib.domains.email.send_times import TASK_REMINDER, WEEKLY_SUMMARY
from chalicelib.domains.email.service import ReminderService
from chalicelib.domains.email.store import ScheduleEntry
from chalicelib.repositories.dynamo import due_shard
from chalicelib.timeutil import iso_utc

PAGE = 1000  # entries a Query page returns (a page is 1 MB: a few thousand entries)


class Latency:
    def __init__(self, dynamodb: float = 0.0, ses: float = 0.0):
        self.dynamodb, self.ses = dynamodb, ses
        self.calls: Counter[str] = Counter()
        self._lock = threading.Lock()

    def call(self, name: str, count: int = 1) -> None:
        with self._lock:
            self.calls[name] += count
        time.sleep(self.dynamodb * count)


class FakeSchedule:
    """EmailSchedule's verbs over a dict, each as atomic as its DynamoDB call and as slow."""

    def __init__(self, latency: Latency):
        self._latency = latency
        self._lock = threading.Lock()
        self.entries: dict[tuple[str, str], ScheduleEntry] = {}
        self.records: dict[tuple[str, str, str], str] = {}

    def add(self, entry: ScheduleEntry) -> None:
        self.entries[(entry.user_id, entry.kind)] = entry

    def due(self, kind: str, shard: int, now: str) -> Any:
        found = sorted(
            (e for e in self.entries.values() if e.kind == kind and due_shard(e.user_id) == shard and e.send_at <= now),
            key=lambda e: (e.send_at, e.user_id),
        )
        for start in range(0, max(len(found), 1), PAGE):
            self._latency.call("Query")
            yield from found[start : start + PAGE]

    def _move(self, entry: ScheduleEntry, following: ScheduleEntry) -> bool:
        current = self.entries.get((entry.user_id, entry.kind))
        if current is None or current.send_at != entry.send_at:
            return False
        self.entries[(entry.user_id, entry.kind)] = following
        return True

    def advance(self, entry: ScheduleEntry, following: ScheduleEntry) -> bool:
        self._latency.call("TransactWriteItems")
        with self._lock:
            return self._move(entry, following)

    def claim(self, entry: ScheduleEntry, following: ScheduleEntry, record: dict[str, Any], expires_at: int) -> bool:
        self._latency.call("TransactWriteItems")
        key = (entry.user_id, entry.kind, entry.local_date)
        with self._lock:
            current = self.entries.get((entry.user_id, entry.kind))
            if key in self.records or current is None or current.send_at != entry.send_at:
                return False
            self.records[key] = "sending"
            self._move(entry, following)
            return True

    def mark_sent(self, entry: ScheduleEntry, message_id: str, sent_at: str) -> None:
        self._latency.call("UpdateItem")
        with self._lock:
            self.records[(entry.user_id, entry.kind, entry.local_date)] = "sent"

    def mark_rejected(self, entry: ScheduleEntry, reason: str) -> None:
        self._latency.call("UpdateItem")
        with self._lock:
            self.records[(entry.user_id, entry.kind, entry.local_date)] = "rejected"

    def release(self, entry: ScheduleEntry, following: ScheduleEntry) -> None:
        self._latency.call("TransactWriteItems")
        with self._lock:
            if self.records.get((entry.user_id, entry.kind, entry.local_date)) == "sending":
                del self.records[(entry.user_id, entry.kind, entry.local_date)]
                self._move(following, entry)


class FakeMailer:
    def __init__(self, latency: Latency):
        self._latency = latency
        self._lock = threading.Lock()
        self.sent: list[tuple[str, str]] = []

    def send(self, mail: Any) -> str:
        time.sleep(self._latency.ses)
        with self._lock:
            self.sent.append((mail.to, mail.subject))
            return f"message-{len(self.sent)}"


class FakeTasks:
    """A page of open tasks: the preferences' GetItem and one Query."""

    def __init__(self, latency: Latency):
        self._latency = latency

    def list(self, identity: Any, query: dict[str, Any]) -> dict[str, Any]:
        self._latency.call("GetItem+Query", 2)
        day = (query["due_before"] - timedelta(days=1)).isoformat()
        return {"items": [{"title": "Stretch", "due_date": day}], "next_cursor": None}


class FakeStats:
    """The week's summary read from the running totals: preferences, 3 Queries and a GetItem."""

    def __init__(self, latency: Latency):
        self._latency = latency

    def summary(self, identity: Any, query: dict[str, Any]) -> dict[str, Any]:
        self._latency.call("summary", 5)
        weight = {"entries": 0, "first": None, "last": None, "change": None, "min": None, "max": None, "series": []}
        return {
            "from_": query["from_"].isoformat(),
            "to": query["to"].isoformat(),
            "weight": weight,
            "workouts": {"count": 2, "total_minutes": 90, "weekly_goal": 3, "current_streak_weeks": 0},
            "tasks": {"open": 1, "overdue": 0, "done_in_range": 3},
        }


def service(latency: Latency) -> tuple[ReminderService, FakeSchedule, FakeMailer]:
    schedule, mailer = FakeSchedule(latency), FakeMailer(latency)
    codec = CursorCodec(b"k" * 32)
    made = ReminderService(
        schedule,  # type: ignore[arg-type]
        None,  # type: ignore[arg-type]
        mailer,  # type: ignore[arg-type]
        FakeTasks(latency),  # type: ignore[arg-type]
        FakeStats(latency),  # type: ignore[arg-type]
        lambda: codec,
        "https://api.stride.example",
    )
    return made, schedule, mailer


def people_due(schedule: FakeSchedule, count: int, at: datetime, weekly_every: int = 7) -> int:
    """`count` people whose morning reminder is due at `at`, one in `weekly_every` also their
    weekly summary; returns how many e-mails are due."""
    due = 0
    for number in range(count):
        user_id = f"user-{number:06d}"
        kinds = [TASK_REMINDER] + ([WEEKLY_SUMMARY] if number % weekly_every == 0 else [])
        for kind in kinds:
            schedule.add(
                ScheduleEntry(
                    user_id,
                    kind,
                    f"{user_id}@example.com",
                    "Europe/Paris",
                    "monday",
                    iso_utc(at),
                    (at + timedelta(hours=1)).date().isoformat(),
                )
            )
            due += 1
    return due

"""E-mail reminders and summaries: keeping the schedule in step with the preferences, the
scheduled run that sends what is due, and unsubscribing from a link.

A send is recorded before it goes out (a conditional put keyed by person, kind and local day,
in the same transaction that moves the person to their next send), so a retried or concurrent
run never sends the same e-mail twice. The price: if the process dies between that record and
SES taking the message, that one e-mail is lost rather than doubled; a run therefore stops
starting new people well before its time is up, and whoever it did not reach stays due for the
next run (every 15 minutes). A run serves RUN_WORKERS people at once (threads: each waits on
DynamoDB and SES), so 10,000 people due at once fit its 300 s.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from chalicelib import clock
from chalicelib.adapters.ses_mailer import Mail, MailRejected, MailUnavailable
from chalicelib.domains.email import content as email_content
from chalicelib.domains.email.send_times import KINDS, TASK_REMINDER, WEEKLY_SUMMARY, next_send
from chalicelib.domains.email.store import (
    SENT_RECORD_DAYS,
    ScheduleEntry,
)
from chalicelib.errors import InvalidInput
from chalicelib.identity import MEMBER, Identity, personal_tenant
from chalicelib.repositories.dynamo import DUE_SHARDS
from chalicelib.timeutil import iso_utc, parse_iso_utc

if TYPE_CHECKING:
    from chalicelib.adapters.ses_mailer import SesMailer
    from chalicelib.cursors import CursorCodec
    from chalicelib.domains.email.store import EmailSchedule
    from chalicelib.domains.me.public import PreferencesService
    from chalicelib.domains.stats.public import StatsService
    from chalicelib.domains.tasks.public import TaskService

log = logging.getLogger(__name__)

# A send found this late (the schedule did not run for hours) is skipped, not sent at night.
LATEST_SEND = timedelta(hours=6)
# One person's send takes well under a second; stop starting new ones with this much of the
# invocation left, so what is under way finishes before the run is cut off.
STOP_WITH_SECONDS_LEFT = 2.0
# People served at once by one run: 10,000 due at the same minute take ~40 s at 10 ms a DynamoDB call
# and 50 ms a send (bench/email_run.py), well within the run's 300 s.
RUN_WORKERS = 32
UNSUBSCRIBE_TOKEN_DAYS = 60
UNSUBSCRIBE_BINDING = "unsubscribe"
_BAD_TOKEN = "This unsubscribe link is not valid. Turn e-mails off in your preferences instead."  # noqa: S105


_SCHEDULE_FIELDS = ("kind", "email", "timezone", "week_starts_on", "send_at", "local_date")
_SENT_FIELDS = ("kind", "local_date", "to", "subject", "status", "message_id", "sent_at", "reason")


def export_schedule(item: dict[str, Any]) -> dict[str, Any]:
    return {name: item[name] for name in _SCHEDULE_FIELDS if name in item}


def export_sent(item: dict[str, Any]) -> dict[str, Any]:
    return {name: item[name] for name in _SENT_FIELDS if name in item}


@dataclass
class RunReport:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    rejected: int = 0
    finished: bool = True
    errors: list[str] = field(default_factory=list)

    def count(self, outcome: str, error: str | None = None) -> None:
        if outcome == "unfinished":  # left due for the next run
            self.finished = False
            return
        setattr(self, outcome, getattr(self, outcome) + 1)
        if error:
            self.errors.append(error)


def system_identity(user_id: str, email: str) -> Identity:
    """The person a scheduled send is for, as their own data is keyed (their personal tenant)."""
    return Identity(user_id=user_id, email=email, tenant_id=personal_tenant(user_id), role=MEMBER)


class ReminderService:
    def __init__(
        self,
        schedule: EmailSchedule,
        preferences: PreferencesService,
        mailer: SesMailer,
        tasks: TaskService,
        stats: StatsService,
        tokens: Callable[[], CursorCodec],
        public_api_url: str,
        epoch: Callable[[], float] = clock.epoch,
    ):
        self._schedule = schedule
        self._preferences = preferences
        self._mailer = mailer
        self._tasks = tasks
        self._stats = stats
        self._tokens = tokens
        self._public_api_url = public_api_url.rstrip("/")
        self._epoch = epoch

    # --- the scheduled run ----------------------------------------------------------------------
    def run(self, now: datetime, time_left: Callable[[], float], workers: int = RUN_WORKERS) -> RunReport:
        """Sends everything due at `now`, `workers` people at a time (each person's calls wait on
        DynamoDB and SES, not the CPU). Stops early, leaving the rest due for the next run, when
        less than STOP_WITH_SECONDS_LEFT of the invocation remain: what is under way finishes."""
        from concurrent.futures import ThreadPoolExecutor  # here: the API's cold start never needs it

        report = RunReport()
        stamp = iso_utc(now)
        lock = threading.Lock()
        # At most this many people read ahead of the workers: the schedule is read a page at a time.
        room = threading.BoundedSemaphore(2 * workers)

        def deliver(entry: ScheduleEntry) -> None:
            try:
                if time_left() < STOP_WITH_SECONDS_LEFT:
                    outcome, error = "unfinished", None
                else:
                    outcome, error = self._deliver(entry, now), None
            except Exception as exc:  # one person's failure must not stop everyone else's e-mail
                log.exception("e-mail to %s (%s) failed", entry.user_id, entry.kind)
                outcome, error = "failed", type(exc).__name__
            finally:
                room.release()
            with lock:
                report.count(outcome, error)

        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="email-run") as pool:
            for kind in KINDS:
                for shard in range(DUE_SHARDS):
                    for entry in self._schedule.due(kind, shard, stamp):
                        if time_left() < STOP_WITH_SECONDS_LEFT:
                            report.finished = False
                            return report
                        room.acquire()
                        pool.submit(deliver, entry)
        return report

    def _following(self, entry: ScheduleEntry, now: datetime) -> ScheduleEntry:
        after = max(now, parse_iso_utc(entry.send_at))
        upcoming = next_send(entry.kind, entry.timezone, entry.week_starts_on, after)
        return entry._replace(send_at=iso_utc(upcoming.at), local_date=upcoming.local_date.isoformat())

    def _deliver(self, entry: ScheduleEntry, now: datetime) -> str:
        """One person's e-mail: sent, skipped, rejected or failed (what the report counts)."""
        following = self._following(entry, now)
        if now - parse_iso_utc(entry.send_at) > LATEST_SEND:
            self._schedule.advance(entry, following)
            return "skipped"
        link = self.unsubscribe_url(entry.user_id, entry.kind)
        content = self._compose(entry, link)
        if content is None:
            self._schedule.advance(entry, following)
            return "skipped"
        subject, text = content
        record = {"kind": entry.kind, "local_date": entry.local_date, "to": entry.email, "subject": subject}
        expires_at = int(self._epoch()) + SENT_RECORD_DAYS * 86400
        if not self._schedule.claim(entry, following, record, expires_at):
            return "skipped"  # sent (or being sent) by another run
        try:
            message_id = self._mailer.send(Mail(entry.email, subject, text, link))
        except MailRejected as exc:
            self._schedule.mark_rejected(entry, str(exc))
            return "rejected"
        except MailUnavailable:
            self._schedule.release(entry, following)
            return "failed"
        self._schedule.mark_sent(entry, message_id, iso_utc(now))
        return "sent"

    def _compose(self, entry: ScheduleEntry, link: str) -> tuple[str, str] | None:
        identity = system_identity(entry.user_id, entry.email)
        day = date.fromisoformat(entry.local_date)
        if entry.kind == TASK_REMINDER:
            shown = email_content.SHOWN_TASKS
            page = self._tasks.list(identity, {"status": "open", "due_before": day + timedelta(days=1), "limit": shown})
            return email_content.task_reminder(day, page["items"], page["next_cursor"] is not None, link)
        assert entry.kind == WEEKLY_SUMMARY  # noqa: S101 (KINDS has two members)
        summary = self._stats.summary(identity, {"from_": day - timedelta(days=7), "to": day - timedelta(days=1)})
        return email_content.weekly_summary(summary, link)

    # --- unsubscribing --------------------------------------------------------------------------
    def unsubscribe_url(self, user_id: str, kind: str) -> str:
        expires = int(self._epoch()) + UNSUBSCRIBE_TOKEN_DAYS * 86400
        token = self._tokens().encode({"u": user_id, "k": kind, "x": expires}, UNSUBSCRIBE_BINDING)
        return f"{self._public_api_url}/unsubscribe?token={token}"

    def unsubscribe(self, token: str) -> dict[str, Any]:
        """Turns off the one preference the token names, without a sign-in."""
        user_id, kind = self.read_token(token)
        self._preferences.turn_off(user_id, kind)
        return {"unsubscribed": kind}

    def read_token(self, token: str) -> tuple[str, str]:
        """(user id, kind) of a valid, unexpired unsubscribe token."""
        try:
            claims = self._tokens().decode(token, UNSUBSCRIBE_BINDING)
        except InvalidInput as exc:
            raise InvalidInput(_BAD_TOKEN, code="invalid_unsubscribe_token") from exc
        user_id, kind, expires = claims.get("u"), claims.get("k"), claims.get("x")
        if not isinstance(user_id, str) or kind not in KINDS or not isinstance(expires, int):
            raise InvalidInput(_BAD_TOKEN, code="invalid_unsubscribe_token")
        if expires < self._epoch():
            raise InvalidInput(
                "This unsubscribe link has expired. Turn e-mails off in your preferences instead.",
                code="unsubscribe_token_expired",
            )
        return user_id, kind

"""Webhooks: a user registers up to five https URLs; every change of their weights, workouts and
tasks that one subscribes to is POSTed there, signed, from the table's stream.

A delivery is tried once as the stream record is handled. If it fails, it waits in the `Due`
index for its next attempt (BACKOFF_SECONDS after each one), which the minute schedule makes;
after MAX_ATTEMPTS it becomes a dead letter. A webhook failing for DISABLE_AFTER (no success
since its first failure) is disabled, and says why.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import logging
import secrets
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from chalicelib import clock, domains
from chalicelib.domains.webhooks.store import ACTIVE, DISABLED, due_bucket
from chalicelib.errors import Unprocessable
from chalicelib.failures import dependency_failure
from chalicelib.identity import Identity
from chalicelib.ids import new_id
from chalicelib.json_values import encode
from chalicelib.manifest import Events, import_named
from chalicelib.repositories.dynamo import DUE_SHARDS
from chalicelib.timeutil import iso_utc, parse_iso_utc

if TYPE_CHECKING:
    from chalicelib.adapters.webhook_sender import WebhookDelivery
    from chalicelib.domains.webhooks.store import WebhookStore

logger = logging.getLogger("stride.webhooks")

# Waits after attempt 1, 2, ...: attempts at 0, 1 m, 6 m, 36 m, 2 h 36, 8 h 36, 20 h 36, 32 h 36.
BACKOFF_SECONDS = (60, 300, 1800, 7200, 21600, 43200, 43200)
MAX_ATTEMPTS = len(BACKOFF_SECONDS) + 1
DISABLE_AFTER = timedelta(hours=24)
# A claimed last attempt comes back after this if its run died before recording the outcome.
LEASE_SECONDS = 600
# A stream invocation left with less than this sends nothing itself: the schedule does.
INLINE_BUDGET_MS = 8000
DEAD_LETTER_DAYS = 30
SIGNATURE_HEADER = "Stride-Signature"


def _now() -> datetime:
    return clock.now()


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The Stride-Signature header: HMAC-SHA256 over "<timestamp>.<body>" with the secret."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def event_id(stream_event_id: str, event_type: str) -> str:
    """Derived from the stream record: a batch delivered again carries the same ids."""
    return "evt_" + hashlib.sha256(f"{stream_event_id}:{event_type}".encode()).hexdigest()[:32]


@functools.cache
def kinds() -> dict[str, Events]:
    """Sort-key prefix of the items whose changes are events, to their manifest's events."""
    return {import_named(events.items).prefix: events for events in domains.events()}


def event_types(change: Any) -> list[str]:
    """What a change of an item means to a subscriber, as its domain's manifest declares the events;
    nothing for items that are not tracked data."""
    events = next((found for prefix, found in kinds().items() if change.sort_key.startswith(prefix)), None)
    if events is None or change.owner is None:
        return []
    kind = events.kind
    if change.name == "REMOVE":
        return [f"{kind}.deleted"]
    new = change.new or {}
    if change.name == "INSERT" and new.get("import_id"):
        return []  # an import is the user's own data coming back, not news (and may be 10,000 items)
    old = None if change.name == "INSERT" else change.old
    flagged = [extra.type for extra in events.extra if extra.turned_on(old, new)]
    if change.name == "INSERT":
        return [f"{kind}.created", *flagged]
    return flagged or [f"{kind}.updated"]


def _shown(webhook: dict[str, Any]) -> dict[str, Any]:
    """A webhook as its owner sees it: never the secret."""
    return {key: value for key, value in webhook.items() if key != "secret"}


export_webhook = _shown


def export_dead_letter(item: dict[str, Any]) -> dict[str, Any]:
    record = {key: value for key, value in item.items() if key not in ("body", "expires_at")}
    record["event"] = json.loads(item["body"]) if item.get("body") else None
    return record


def export_delivery(item: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in item.items() if key not in ("body", "DPK", "DSK")}


class WebhookService:
    def __init__(
        self,
        store: WebhookStore,
        delivery: WebhookDelivery,
        views: Callable[[str, str, dict[str, Any]], dict[str, Any]],
        parse: Callable[[dict[str, Any]], Any],
        clock: Callable[[], datetime] = _now,
    ):
        """`views(kind, user_id, item)` is the item as the API answers it; `parse` turns a stream
        record into a change (repositories.stream)."""
        self._store = store
        self._delivery = delivery
        self._views = views
        self._parse = parse
        self._clock = clock

    # The owner's routes

    def create(self, identity: Identity, body: dict[str, Any]) -> dict[str, Any]:
        self._check_url(body["url"])
        now = iso_utc(self._clock())
        webhook = {
            "id": new_id(),
            "url": body["url"],
            "events": list(body["events"]),
            "secret": "whsec_" + secrets.token_urlsafe(32),
            "status": ACTIVE,
            "created_at": now,
            "updated_at": now,
            "version": 1,
        }
        self._store.create(identity, webhook)
        return webhook

    def _check_url(self, url: str) -> None:
        from chalicelib.adapters.webhook_sender import UrlRefused

        try:
            self._delivery.check(url)
        except UrlRefused as refused:
            code = "url_unresolvable" if refused.unresolvable else "url_not_allowed"
            raise Unprocessable(refused.reason, code=code, details={"url": [refused.reason]}) from refused

    def list(self, identity: Identity) -> dict[str, Any]:
        return {"items": [_shown(item) for item in self._store.list(identity.user_id)], "next_cursor": None}

    def delete(self, identity: Identity, webhook_id: str) -> None:
        self._store.delete(identity, webhook_id)

    # The table's stream

    def on_stream(self, records: Iterable[dict[str, Any]], remaining_ms: Callable[[], int]) -> dict[str, Any]:
        """Handles a batch record by record. An AWS failure stops the batch at that record and
        reports it (Lambda retries from there; ids stay the same, so receivers can dedupe); any
        other error is that record's alone: logged, dead-lettered, and the batch goes on."""
        for record in records:
            try:
                self._on_record(record, remaining_ms)
            except Exception as exc:
                if dependency_failure(exc) is not None:
                    logger.warning(json.dumps({"message": "webhook_stream_retry", "error": type(exc).__name__}))
                    return {"batchItemFailures": [{"itemIdentifier": _sequence(record)}]}
                self._unhandled(record, exc)
        return {"batchItemFailures": []}

    def _on_record(self, record: dict[str, Any], remaining_ms: Callable[[], int]) -> None:
        change = self._parse(record)
        types = event_types(change)
        if not types:
            return
        webhooks = [hook for hook in self._store.list(change.owner) if hook.get("status") == ACTIVE]
        for event_type in types:
            subscribed = [hook for hook in webhooks if event_type in hook["events"]]
            if not subscribed:
                continue
            kind = event_type.split(".", 1)[0]
            item = change.old if event_type.endswith(".deleted") else change.new
            event = {
                "id": event_id(change.event_id, event_type),
                "type": event_type,
                "created_at": iso_utc(change.at),
                "data": self._views(kind, change.owner, item),
            }
            body = encode(event).decode()
            for hook in subscribed:
                self._first_attempt(change.owner, hook, event, body, remaining_ms)

    def _first_attempt(
        self, user_id: str, hook: dict[str, Any], event: dict[str, Any], body: str, remaining_ms: Callable[[], int]
    ) -> None:
        now = self._clock()
        delivery = {
            "id": f"{event['id']}.{hook['id']}",
            "webhook_id": hook["id"],
            "event_id": event["id"],
            "event_type": event["type"],
            "body": body,
            "created_at": iso_utc(now),
        }
        # No time left to wait for a receiver, or one already failing (a dead receiver must not slow
        # the stream for everyone else): the schedule sends it.
        if remaining_ms() < INLINE_BUDGET_MS or hook.get("failing_since"):
            self._store.schedule(user_id, {**delivery, "attempts": 0, **_slot(user_id, delivery["id"], now)}, None)
            return
        outcome = self._send(hook, delivery, 1)
        if outcome.delivered:
            if hook.get("failing_since"):
                self._store.record_success(user_id, hook["id"])
            return
        later = now + timedelta(seconds=BACKOFF_SECONDS[0])
        pending = {**delivery, "attempts": 1, "last_error": outcome.error, **_slot(user_id, delivery["id"], later)}
        if self._store.schedule(user_id, pending, {"at": iso_utc(now), "error": outcome.error}):
            self._disable_if_failing_too_long(user_id, hook["id"], hook.get("failing_since") or iso_utc(now), now)

    def _unhandled(self, record: dict[str, Any], exc: Exception) -> None:
        from chalicelib.repositories.stream import owner_of

        logger.error(
            json.dumps({"message": "webhook_record_failed", "error": type(exc).__name__, "sequence": _sequence(record)})
        )
        user_id = owner_of(record)
        if user_id is None:
            return
        now = self._clock()
        stream_id = str(record.get("eventID", new_id()))
        try:
            self._store.dead_letter(
                user_id,
                {
                    "id": event_id(stream_id, "unhandled"),
                    "event_id": None,
                    "event_type": None,
                    "attempts": 0,
                    "last_error": "The change could not be turned into an event (an error on our side).",
                    "failed_at": iso_utc(now),
                    "expires_at": int((now + timedelta(days=DEAD_LETTER_DAYS)).timestamp()),
                },
            )
            _log_dead_letter(None)
        except Exception:  # the record is logged above; the batch must go on
            logger.exception("webhook_dead_letter_failed")

    # The minute schedule

    def retry_due(self, remaining_ms: Callable[[], int]) -> int:
        """Makes every attempt due by now, oldest first in each shard; returns how many it made.
        What a run has no time for stays due for the next."""
        now = self._clock()
        made = 0
        for shard in range(DUE_SHARDS):
            for user_id, delivery in self._store.due(shard, iso_utc(now)):
                if remaining_ms() < INLINE_BUDGET_MS:
                    return made
                try:
                    made += self._retry(user_id, delivery, now)
                except Exception as exc:  # one delivery's trouble is not the others'
                    logger.error(json.dumps({"message": "webhook_retry_failed", "error": type(exc).__name__}))
        return made

    def _retry(self, user_id: str, delivery: dict[str, Any], now: datetime) -> int:
        attempts = int(delivery["attempts"])
        hook = self._store.get(user_id, delivery["webhook_id"])
        if hook is None:  # deleted: nobody to deliver to
            self._store.finish(user_id, delivery["id"])
            return 0
        if hook.get("status") == DISABLED or attempts >= MAX_ATTEMPTS:
            reason = "The webhook is disabled." if hook.get("status") == DISABLED else delivery.get("last_error")
            self._bury(user_id, delivery, _dead_letter(delivery, attempts, reason, now))
            return 0
        attempt = attempts + 1
        wait = BACKOFF_SECONDS[attempt - 1] if attempt < MAX_ATTEMPTS else LEASE_SECONDS
        if not self._store.claim(user_id, delivery["id"], attempts, _slot(user_id, delivery["id"], now, wait)):
            return 0  # another run took it
        outcome = self._send(hook, delivery, attempt)
        if outcome.delivered:
            self._store.finish(user_id, delivery["id"])
            if hook.get("failing_since"):
                self._store.record_success(user_id, hook["id"])
            return 1
        since = self._store.record_failure(user_id, hook["id"], iso_utc(now), outcome.error)
        if attempt >= MAX_ATTEMPTS:
            self._bury(user_id, delivery, _dead_letter(delivery, attempt, outcome.error, now))
        if since:
            self._disable_if_failing_too_long(user_id, hook["id"], since, now)
        return 1

    def _bury(self, user_id: str, delivery: dict[str, Any], letter: dict[str, Any]) -> None:
        self._store.bury(user_id, delivery["id"], letter)
        _log_dead_letter(delivery.get("webhook_id"))

    # Both

    def _send(self, hook: dict[str, Any], delivery: dict[str, Any], attempt: int) -> Any:
        body = delivery["body"].encode()
        timestamp = int(self._clock().timestamp())
        headers = {
            SIGNATURE_HEADER: sign(hook["secret"], timestamp, body),
            "Stride-Event-Id": delivery["event_id"],
            "Stride-Event-Type": delivery["event_type"],
            "Stride-Delivery-Attempt": str(attempt),
        }
        outcome = self._delivery.send(hook["url"], body, headers)
        logger.info(
            json.dumps(
                {
                    "message": "webhook_delivery",
                    "webhook_id": hook["id"],
                    "event_id": delivery["event_id"],
                    "attempt": attempt,
                    "delivered": outcome.delivered,
                    "status": outcome.status,
                    "error": outcome.error,
                }
            )
        )
        return outcome

    def _disable_if_failing_too_long(self, user_id: str, webhook_id: str, since: str, now: datetime) -> None:
        if parse_iso_utc(since) > now - DISABLE_AFTER:
            return
        reason = (
            f"Every delivery since {since} failed, for more than 24 hours. Deliveries stopped; "
            "delete this webhook and add it again once the receiver answers 2xx."
        )
        if self._store.disable(user_id, webhook_id, iso_utc(now - DISABLE_AFTER), iso_utc(now), reason):
            logger.warning(json.dumps({"message": "webhook_disabled", "webhook_id": webhook_id}))


def _slot(user_id: str, delivery_id: str, when: datetime, wait: int = 0) -> dict[str, Any]:
    """Where a delivery waits in the Due index for an attempt at `when` + `wait` seconds."""
    at = when + timedelta(seconds=wait)
    return {
        "next_attempt_at": iso_utc(at),
        "DPK": due_bucket(user_id),
        "DSK": f"{iso_utc(at)}#{user_id}#{delivery_id}",
    }


def _log_dead_letter(webhook_id: str | None) -> None:
    # The dashboard counts these lines (infra/stride.json, StrideDashboard).
    logger.warning(json.dumps({"message": "webhook_dead_lettered", "webhook_id": webhook_id}))


def _dead_letter(delivery: dict[str, Any], attempts: int, error: str | None, now: datetime) -> dict[str, Any]:
    return {
        "id": delivery["id"],
        "webhook_id": delivery["webhook_id"],
        "event_id": delivery["event_id"],
        "event_type": delivery["event_type"],
        "body": delivery["body"],
        "attempts": attempts,
        "last_error": error,
        "failed_at": iso_utc(now),
        "expires_at": int((now + timedelta(days=DEAD_LETTER_DAYS)).timestamp()),
    }


def _sequence(record: dict[str, Any]) -> str:
    return str(record.get("dynamodb", {}).get("SequenceNumber", ""))

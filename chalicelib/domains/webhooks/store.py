"""Webhooks, their pending deliveries and dead letters: all in the owner's personal partition, so
export finds them with the rest of the partition and account deletion removes them with it.

    WEBHOOK#<id>                 url, events, secret, status, failing_since, last_error, disabled_*
    WEBHOOKS                     count: how many webhooks the user has (at most MAX_WEBHOOKS)
    WEBHOOKDELIVERY#<delivery>   a delivery waiting for its next attempt, in the `Due` index
                                 (DPK = DUE#webhook#<shard of the owner>, DSK = <when>#<user>#<delivery>)
    WEBHOOKDEAD#<delivery>       a delivery that failed its last attempt (TTL: 30 days)

The limit holds under concurrency: a create is one transaction whose counter update is
conditional (`count < 5`), a delete decrements it in the same transaction that deletes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.errors import Conflict, NotFound
from chalicelib.identity import Identity
from chalicelib.ids import PATTERN as ID_PATTERN
from chalicelib.repositories.anchor import ACCOUNT, account_check, account_deleted, person_exists_check
from chalicelib.repositories.dynamo import (
    Labelled,
    due_shard,
    from_item,
    home_partition,
    put_new,
    query_all,
    query_items,
    run_transaction,
    to_item,
    to_value,
    transact,
    user_key,
)
from chalicelib.repositories.items import Kind

WEBHOOKS = Kind("webhooks", "WEBHOOK#", "webhook")
DELIVERIES = Kind("webhook_deliveries", "WEBHOOKDELIVERY#", "webhook delivery")
DEAD_LETTERS = Kind("webhook_dead_letters", "WEBHOOKDEAD#", "dead letter")
COUNTER_SORT_KEY = "WEBHOOKS"
MAX_WEBHOOKS = 5
DUE_INDEX = "Due"
DUE_PREFIX = "DUE#webhook#"
ACTIVE, DISABLED = "active", "disabled"
_ID = re.compile(ID_PATTERN)


def due_bucket(user_id: str) -> str:
    """The Due index partition a person's waiting deliveries sit in (their shard), sorted by the
    time of their next attempt: a run reads every shard up to now, however late it is."""
    return f"{DUE_PREFIX}{due_shard(user_id)}"


def _key(user_id: str, sort_key: str) -> dict[str, Any]:
    return {"PK": {"S": home_partition(user_id)}, "SK": {"S": sort_key}}


def _conditional_failed(exc: ClientError) -> bool:
    return exc.response["Error"]["Code"] == "ConditionalCheckFailedException"


class _Gone(Exception):
    """A delivery already stored, or its webhook or account gone meanwhile."""


class WebhookStore:
    def __init__(self, client: Any, table_name: str):
        self._client = client
        self._table = table_name

    # The owner's routes

    def create(self, identity: Identity, item: dict[str, Any]) -> None:
        """Puts a webhook if the user has fewer than MAX_WEBHOOKS, and the account still exists."""
        counter = {
            "Update": {
                "TableName": self._table,
                "Key": user_key(identity, COUNTER_SORT_KEY),
                "UpdateExpression": "ADD #count :one",
                "ConditionExpression": "attribute_not_exists(#count) OR #count < :max",
                "ExpressionAttributeNames": {"#count": "count"},
                "ExpressionAttributeValues": {":one": to_value(1), ":max": to_value(MAX_WEBHOOKS)},
            }
        }
        webhook = put_new(self._table, user_key(identity, WEBHOOKS.sort_key(item["id"])), item)
        run_transaction(
            self._client,
            [("counter", counter), ("webhook", webhook), account_check(self._table, identity)],
            {
                "counter": lambda: Conflict(
                    f"You have {MAX_WEBHOOKS} webhooks already: delete one first.",
                    code="webhook_limit",
                    details={"limit": MAX_WEBHOOKS},
                ),
                ACCOUNT: account_deleted,
            },
        )

    def list(self, user_id: str) -> list[dict[str, Any]]:
        """The user's webhooks, oldest first (ULIDs sort by time)."""
        params = {
            "TableName": self._table,
            "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
            "ExpressionAttributeValues": {
                ":pk": to_value(home_partition(user_id)),
                ":prefix": to_value(WEBHOOKS.prefix),
            },
        }
        return [from_item(raw) for raw in query_all(self._client, params)]

    def delete(self, identity: Identity, webhook_id: str) -> None:
        if not _ID.fullmatch(webhook_id):
            raise NotFound("No such webhook.")
        actions = [
            {
                "Delete": {
                    "TableName": self._table,
                    "Key": user_key(identity, WEBHOOKS.sort_key(webhook_id)),
                    "ConditionExpression": "attribute_exists(PK)",
                }
            },
            {
                "Update": {
                    "TableName": self._table,
                    "Key": user_key(identity, COUNTER_SORT_KEY),
                    "UpdateExpression": "ADD #count :minus_one",
                    "ExpressionAttributeNames": {"#count": "count"},
                    "ExpressionAttributeValues": {":minus_one": to_value(-1)},
                }
            },
        ]
        webhook, counter = actions
        run_transaction(
            self._client,
            [("webhook", webhook), ("counter", counter)],
            {"webhook": lambda: NotFound("No such webhook.")},
        )

    # Deliveries

    def get(self, user_id: str, webhook_id: str) -> dict[str, Any] | None:
        response = self._client.get_item(TableName=self._table, Key=_key(user_id, WEBHOOKS.sort_key(webhook_id)))
        return from_item(response["Item"]) if "Item" in response else None

    def schedule(self, user_id: str, delivery: dict[str, Any], failure: dict[str, Any] | None) -> bool:
        """Stores a delivery for a later attempt (unless the same delivery is stored already: a
        stream batch delivered twice) and, after a failed attempt, marks the webhook failing.
        False when the webhook or the account is gone meanwhile."""
        actions: list[Labelled] = [
            ("delivery", put_new(self._table, _key(user_id, DELIVERIES.sort_key(delivery["id"])), delivery)),
            (ACCOUNT, person_exists_check(self._table, user_id)),
        ]
        if failure is not None:
            actions.append(("webhook", {"Update": self._failure_update(user_id, delivery["webhook_id"], failure)}))
        gone = _Gone()
        try:
            run_transaction(self._client, actions, dict.fromkeys(("delivery", ACCOUNT, "webhook"), lambda: gone))
        except _Gone:
            return False
        return True

    def claim(self, user_id: str, delivery_id: str, attempts_seen: int, next_attempt: dict[str, Any]) -> bool:
        """Takes a due delivery for one attempt by moving it to its next slot first, on condition
        that nobody else did: two overlapping runs never send it twice, and a run that dies
        mid-attempt leaves it scheduled."""
        try:
            self._client.update_item(
                TableName=self._table,
                Key=_key(user_id, DELIVERIES.sort_key(delivery_id)),
                UpdateExpression="SET attempts = :next, DPK = :dpk, DSK = :dsk, next_attempt_at = :at",
                ConditionExpression="attempts = :seen",
                ExpressionAttributeValues={
                    ":next": to_value(attempts_seen + 1),
                    ":seen": to_value(attempts_seen),
                    ":dpk": to_value(next_attempt["DPK"]),
                    ":dsk": to_value(next_attempt["DSK"]),
                    ":at": to_value(next_attempt["next_attempt_at"]),
                },
            )
        except ClientError as exc:
            if _conditional_failed(exc):
                return False
            raise
        return True

    def finish(self, user_id: str, delivery_id: str) -> None:
        self._client.delete_item(TableName=self._table, Key=_key(user_id, DELIVERIES.sort_key(delivery_id)))

    def bury(self, user_id: str, delivery_id: str, dead_letter: dict[str, Any]) -> None:
        """Replaces a delivery by its dead letter, in one transaction."""
        transact(
            self._client,
            [
                {"Delete": {"TableName": self._table, "Key": _key(user_id, DELIVERIES.sort_key(delivery_id))}},
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": {**_key(user_id, DEAD_LETTERS.sort_key(delivery_id)), **to_item(dead_letter)},
                    }
                },
            ],
        )

    def dead_letter(self, user_id: str, dead_letter: dict[str, Any]) -> None:
        """A dead letter for an event that could not be handled at all (it never became a delivery)."""
        self._client.put_item(
            TableName=self._table,
            Item={**_key(user_id, DEAD_LETTERS.sort_key(dead_letter["id"])), **to_item(dead_letter)},
        )

    def due(self, shard: int, until: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """(owner's user id, delivery) of every delivery of one shard due by `until`, oldest first,
        a page (1 MB) per call: nothing due is ever left behind by a late or a missed run."""
        params: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": DUE_INDEX,
            "KeyConditionExpression": "DPK = :bucket AND DSK <= :until",
            "ExpressionAttributeValues": {":bucket": to_value(f"{DUE_PREFIX}{shard}"), ":until": to_value(until + "~")},
        }
        for raw in query_items(self._client, params):
            if raw["SK"]["S"].startswith(DELIVERIES.prefix):
                yield raw["PK"]["S"].rsplit("#USER#", 1)[1], from_item(raw)

    # The webhook's health

    def _failure_update(self, user_id: str, webhook_id: str, failure: dict[str, Any]) -> dict[str, Any]:
        return {
            "TableName": self._table,
            "Key": _key(user_id, WEBHOOKS.sort_key(webhook_id)),
            "UpdateExpression": "SET failing_since = if_not_exists(failing_since, :at), last_error = :error",
            "ConditionExpression": "attribute_exists(PK)",
            "ExpressionAttributeValues": {":at": to_value(failure["at"]), ":error": to_value(failure["error"])},
        }

    def record_failure(self, user_id: str, webhook_id: str, at: str, error: str) -> str | None:
        """Marks the webhook failing (from `at`, unless it was already); returns since when, or
        None if the webhook is gone."""
        try:
            response = self._client.update_item(
                **self._failure_update(user_id, webhook_id, {"at": at, "error": error}),
                ReturnValues="ALL_NEW",
            )
        except ClientError as exc:
            if _conditional_failed(exc):
                return None
            raise
        return str(from_item(response["Attributes"])["failing_since"])

    def record_success(self, user_id: str, webhook_id: str) -> None:
        """A delivery went through: the webhook is healthy again."""
        try:
            self._client.update_item(
                TableName=self._table,
                Key=_key(user_id, WEBHOOKS.sort_key(webhook_id)),
                UpdateExpression="REMOVE failing_since, last_error",
                ConditionExpression="attribute_exists(PK)",
            )
        except ClientError as exc:
            if not _conditional_failed(exc):
                raise

    def disable(self, user_id: str, webhook_id: str, failing_before: str, at: str, reason: str) -> bool:
        """Disables a webhook still active and failing since before `failing_before`: a success
        that cleared `failing_since` meanwhile wins."""
        try:
            self._client.update_item(
                TableName=self._table,
                Key=_key(user_id, WEBHOOKS.sort_key(webhook_id)),
                UpdateExpression="SET #status = :disabled, disabled_at = :at, disabled_reason = :reason, "
                "updated_at = :at ADD version :one",
                ConditionExpression="#status = :active AND failing_since <= :cutoff",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={
                    ":disabled": to_value(DISABLED),
                    ":active": to_value(ACTIVE),
                    ":cutoff": to_value(failing_before),
                    ":at": to_value(at),
                    ":reason": to_value(reason),
                    ":one": to_value(1),
                },
            )
        except ClientError as exc:
            if _conditional_failed(exc):
                return False
            raise
        return True

"""Shared DynamoDB plumbing: the key scheme and (de)serialization of items."""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from chalicelib.identity import Identity, personal_tenant

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()
KEY_ATTRIBUTES = ("PK", "SK")


def home_partition(user_id: str) -> str:
    return f"TENANT#{personal_tenant(user_id)}#USER#{user_id}"


DUE_SHARDS = 8


def due_shard(user_id: str) -> int:
    """Which of the `Due` index's shards a person's scheduled work sits in: a crowd due at the same
    instant spreads over DUE_SHARDS partitions instead of one hot one."""
    return int(hashlib.sha256(user_id.encode()).hexdigest(), 16) % DUE_SHARDS


def user_partition(identity: Identity) -> str:
    """Every item a person owns lives under their verified sub, in their own (personal) tenant,
    so a business they join or leave never moves or exposes it."""
    return home_partition(identity.user_id)


def user_key(identity: Identity, sort_key: str) -> dict[str, Any]:
    return {"PK": {"S": user_partition(identity)}, "SK": {"S": sort_key}}


def to_item(values: Mapping[str, Any]) -> dict[str, Any]:
    return {name: _serializer.serialize(value) for name, value in values.items() if value is not None}


def to_value(value: Any) -> dict[str, Any]:
    return _serializer.serialize(value)


def from_item(item: dict[str, Any]) -> dict[str, Any]:
    return {name: _deserializer.deserialize(value) for name, value in item.items() if name not in KEY_ATTRIBUTES}


class UpdateBuilder:
    """Accumulates SET/REMOVE clauses with placeholder names and values."""

    def __init__(self) -> None:
        self.sets: list[str] = []
        self.removes: list[str] = []
        self.names: dict[str, str] = {}
        self.values: dict[str, Any] = {}

    def path(self, *parts: str) -> str:
        placeholders = []
        for part in parts:
            placeholder = f"#n{len(self.names)}"
            self.names[placeholder] = part
            placeholders.append(placeholder)
        return ".".join(placeholders)

    def value(self, value: Any) -> str:
        placeholder = f":v{len(self.values)}"
        self.values[placeholder] = to_value(value)
        return placeholder

    def set(self, path: str, value: Any) -> None:
        self.sets.append(f"{path} = {self.value(value)}")

    def expression(self) -> str:
        clauses = [f"SET {', '.join(self.sets)}", "ADD #version :one"]
        if self.removes:
            clauses.append(f"REMOVE {', '.join(self.removes)}")
        return " ".join(clauses)

    def stamp(self, now: str) -> None:
        self.names["#version"] = "version"
        self.values[":one"] = to_value(1)
        self.set(self.path("updated_at"), now)
        created = self.path("created_at")
        self.sets.append(f"{created} = if_not_exists({created}, {self.value(now)})")


def cancellation_reasons(exc: Any) -> list[str]:
    """Per action of a cancelled TransactWriteItems, why: "ConditionalCheckFailed", "None", …"""
    return [reason.get("Code", "None") for reason in exc.response.get("CancellationReasons", [])]


CONDITION_FAILED = "ConditionalCheckFailed"
# An action of a transaction, named: ("account", <the account check>), ("post", <the Put>).
Labelled = tuple[str, dict[str, Any]]
# What a failed condition of the labelled action means: a domain error to raise, or None when the
# write is already done (a fresh id an earlier attempt of the same call wrote, its answer lost).
Refusal = Callable[[], Exception | None]


def failed_conditions(exc: Any, labels: Sequence[str]) -> set[str]:
    """The labels of a cancelled transaction's actions (given in their order) whose condition failed."""
    return {
        label for label, reason in zip(labels, cancellation_reasons(exc), strict=False) if reason == CONDITION_FAILED
    }


def run_transaction(client: Any, actions: Sequence[Labelled], refusals: Mapping[str, Refusal]) -> None:
    """The one way a transaction's failure becomes a domain error: by the name of the action whose
    condition failed, never by its position. When several failed, the first label of `refusals`
    (in its order) decides; a cancellation no label explains is re-raised as it came."""
    from botocore.exceptions import ClientError

    try:
        transact(client, [action for _, action in actions])
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "TransactionCanceledException":
            raise
        failed = failed_conditions(exc, [label for label, _ in actions])
        for label, refusal in refusals.items():
            if label in failed:
                error = refusal()
                if error is None:
                    return
                raise error from exc
        raise


def transact(client: Any, actions: list[dict[str, Any]], attempts: int = 6) -> None:
    """TransactWriteItems, retried while it only lost a race with another transaction on the same
    items (TransactionConflict): 50 people liking one post at once all count."""
    from botocore.exceptions import ClientError

    for attempt in range(attempts):
        try:
            client.transact_write_items(TransactItems=actions)
            return
        except ClientError as exc:
            reasons = cancellation_reasons(exc)
            conflict = (
                exc.response["Error"]["Code"] == "TransactionCanceledException" and "TransactionConflict" in reasons
            )
            if not conflict or attempt == attempts - 1:
                raise
            time.sleep(random.uniform(0, 0.02 * 2**attempt))  # noqa: S311 (jitter, not security)


BATCH_SIZE = 25  # BatchWriteItem's limit
MAX_BATCH_RETRIES = 8


def batch_delete(client: Any, table: str, keys: list[dict[str, Any]]) -> None:
    """Deletes the keys 25 at a time, retrying what DynamoDB leaves unprocessed, with backoff."""
    for start in range(0, len(keys), BATCH_SIZE):
        requests = [{"DeleteRequest": {"Key": key}} for key in keys[start : start + BATCH_SIZE]]
        for attempt in range(MAX_BATCH_RETRIES):
            response = client.batch_write_item(RequestItems={table: requests})
            requests = response.get("UnprocessedItems", {}).get(table, [])
            if not requests:
                break
            time.sleep(min(0.05 * 2**attempt, 1.0))  # throttled: back off, as DynamoDB asks
        if requests:
            raise RuntimeError(f"{len(requests)} items could not be deleted; the deletion can be retried")


def query_items(client: Any, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every item of a Query, page by page (each page one call, up to 1 MB), as it is read: a
    caller that stops early reads no further page."""
    params = dict(params)
    while True:
        response = client.query(**params)
        yield from response.get("Items", [])
        if "LastEvaluatedKey" not in response:
            return
        params["ExclusiveStartKey"] = response["LastEvaluatedKey"]


def query_all(client: Any, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Every page of a Query, as DynamoDB items."""
    return list(query_items(client, params))


def put_new(table: str, key: dict[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """A transaction action that puts an item which must not exist yet."""
    return {
        "Put": {
            "TableName": table,
            "Item": {**key, **to_item(values)},
            "ConditionExpression": "attribute_not_exists(PK)",
        }
    }

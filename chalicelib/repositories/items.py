"""Items a user owns, one kind at a time (weights, workouts, tasks), in the user's partition.

Every operation is one DynamoDB call. A create is one TransactWriteItems that also checks the
account still exists (its profile item: deleting an account deletes that first, so a token
still valid for a few minutes can write nothing) and, with an Idempotency-Key, records the key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NamedTuple, TypedDict

from botocore.exceptions import ClientError

from chalicelib.errors import NotFound, PreconditionFailed
from chalicelib.identity import Identity
from chalicelib.ids import PATTERN as ID_PATTERN
from chalicelib.repositories.anchor import ACCOUNT, account_check, account_deleted
from chalicelib.repositories.dynamo import (
    Labelled,
    UpdateBuilder,
    from_item,
    put_new,
    query_all,
    run_transaction,
    to_item,
    to_value,
    user_key,
    user_partition,
)
from chalicelib.repositories.idempotency import IdempotencyRecord, idempotency_sort_key

TIME_INDEX = "ByTime"  # sort key TSK: "<KIND>#<utc instant>#<id>"
OPEN_TASKS_INDEX = "OpenByDue"  # sort key OSK: due date (or "~"), open tasks only
INDEX_SORT_KEYS = {TIME_INDEX: "TSK", OPEN_TASKS_INDEX: "OSK"}
_ID = re.compile(ID_PATTERN)
# A filtered page (see OwnedItems.page): Queries made before a page holding something is
# answered, how much larger each is than the one before, and the largest Limit asked for.
FILTERED_QUERIES = 3
FILTERED_GROWTH = 4
FILTERED_MAX_LIMIT = 2_000


class Kind(NamedTuple):
    name: str  # the collection, plural: "weights" (its list and cursor scope, its export key)
    prefix: str  # sort key prefix, "WEIGHT#"
    singular: str  # one of them, as errors and paths name it: "weight" ("No such weight.", {weight_id})

    def sort_key(self, item_id: str) -> str:
        return f"{self.prefix}{item_id}"


class StoredMeta(TypedDict):
    """What every stored item carries (Collection.new_meta)."""

    id: str
    created_at: str
    updated_at: str
    version: int


class TimedMeta(StoredMeta):
    """An item ordered in time: its UTC instant and its key in the time index (timeline.moment_fields)."""

    at: str
    TSK: str


class StateChanged(Exception):
    """The item exists (at the expected version) but not in the state the update assumed."""


class IdempotencyKeyUsed(Exception):
    """The key was already used for this scope: the caller decides between replay and 422."""


class OwnedItems:
    def __init__(self, client: Any, table_name: str, kind: Kind):
        self._client = client
        self._table = table_name
        self.kind = kind

    def _key(self, identity: Identity, item_id: str) -> dict[str, Any]:
        if not _ID.fullmatch(item_id):
            raise NotFound(f"No such {self.kind.singular}.")  # not an id we make: it cannot exist
        return user_key(identity, self.kind.sort_key(item_id))

    def create(self, identity: Identity, item: Mapping[str, Any], record: IdempotencyRecord | None = None) -> None:
        transaction: list[Labelled] = [
            ("item", put_new(self._table, self._key(identity, item["id"]), item)),
            account_check(self._table, identity),
        ]
        if record is not None:
            transaction.append(
                (
                    "idempotency_key",
                    {
                        "Put": {
                            "TableName": self._table,
                            "Item": {
                                **user_key(identity, idempotency_sort_key(record.scope, record.key)),
                                **to_item(
                                    {
                                        "request_hash": record.request_hash,
                                        "response": record.response,
                                        "expires_at": record.expires_at,
                                    }
                                ),
                            },
                            # An expired key that TTL has not swept yet is free again.
                            "ConditionExpression": "attribute_not_exists(PK) OR expires_at < :now",
                            "ExpressionAttributeValues": {":now": to_value(record.now)},
                        }
                    },
                )
            )
        # A failed item condition: the id is ours, fresh and random, so only an earlier attempt of
        # this very call, whose answer was lost to a timeout before botocore retried, wrote it.
        run_transaction(
            self._client,
            transaction,
            {ACCOUNT: account_deleted, "idempotency_key": IdempotencyKeyUsed, "item": lambda: None},
        )

    def get(self, identity: Identity, item_id: str) -> dict[str, Any]:
        response = self._client.get_item(TableName=self._table, Key=self._key(identity, item_id))
        if "Item" not in response:
            raise NotFound(f"No such {self.kind.singular}.")
        return from_item(response["Item"])

    def update(
        self,
        identity: Identity,
        item_id: str,
        update: UpdateBuilder,
        expected_version: int | None,
        when: str | None = None,
    ) -> dict[str, Any]:
        """Changes exactly the paths in `update`; 404 if the item is gone, 412 on a stale version,
        StateChanged if `when` (a condition on the update's own names and values) does not hold."""
        condition, values = self._condition(expected_version)
        if when:
            condition = f"{condition} AND ({when})"
        try:
            response = self._client.update_item(
                TableName=self._table,
                Key=self._key(identity, item_id),
                UpdateExpression=update.expression(),
                ConditionExpression=condition,
                ExpressionAttributeNames={**update.names, "#version": "version"},
                ExpressionAttributeValues={**update.values, **values},
                ReturnValues="ALL_NEW",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as exc:
            raise self._condition_error(exc, expected_version) from exc
        return from_item(response["Attributes"])

    def delete(self, identity: Identity, item_id: str, expected_version: int | None) -> None:
        condition, values = self._condition(expected_version)
        params: dict[str, Any] = {
            "TableName": self._table,
            "Key": self._key(identity, item_id),
            "ConditionExpression": condition,
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }
        if values:
            params["ExpressionAttributeNames"] = {"#version": "version"}
            params["ExpressionAttributeValues"] = values
        try:
            self._client.delete_item(**params)
        except ClientError as exc:
            raise self._condition_error(exc, expected_version) from exc

    @staticmethod
    def _condition(expected_version: int | None) -> tuple[str, dict[str, Any]]:
        if expected_version is None:
            return "attribute_exists(PK)", {}
        return "attribute_exists(PK) AND #version = :expected", {":expected": to_value(expected_version)}

    def _condition_error(self, exc: ClientError, expected_version: int | None) -> Exception:
        if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
            return exc
        if expected_version is not None and exc.response.get("Item"):
            current = int(from_item(exc.response["Item"])["version"])
            if current != expected_version:
                return PreconditionFailed(
                    f"The item changed: its version is {current}, not {expected_version}.",
                    details={"version": current},
                )
        if exc.response.get("Item"):
            return StateChanged()
        return NotFound(f"No such {self.kind.singular}.")

    def _range_query(self, identity: Identity, index: str | None, lower: str, upper: str) -> dict[str, Any]:
        """The Query of the caller's items whose (index) sort key is in [lower, upper]."""
        params: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "PK = :pk AND #sort BETWEEN :lower AND :upper",
            "ExpressionAttributeNames": {"#sort": INDEX_SORT_KEYS[index] if index else "SK"},
            "ExpressionAttributeValues": {
                ":pk": to_value(user_partition(identity)),
                ":lower": to_value(lower),
                ":upper": to_value(upper),
            },
        }
        if index:
            params["IndexName"] = index
        return params

    def between(self, identity: Identity, index: str | None, lower: str, upper: str) -> list[dict[str, Any]]:
        """All items whose (index) sort key is in [lower, upper], oldest key first: for summaries
        whose range the caller already bounded."""
        return [from_item(raw) for raw in query_all(self._client, self._range_query(identity, index, lower, upper))]

    def happened_between(self, identity: Identity, lower: str, upper: str) -> list[dict[str, Any]]:
        """All items whose moment (a UTC instant, ISO text) is in [lower, upper], oldest first."""
        return self.between(identity, TIME_INDEX, self.kind.prefix + lower, self.kind.prefix + upper)

    def newest_first(self) -> dict[str, Any]:
        """Where a page of this kind's items, latest moment first, is read (for `page`)."""
        return {"index": TIME_INDEX, "lower": self.kind.prefix, "upper": f"{self.kind.prefix}~", "ascending": False}

    def page(
        self,
        identity: Identity,
        *,
        index: str | None,
        lower: str,
        upper: str,
        ascending: bool,
        limit: int,
        start: dict[str, Any] | None,
        filter_expression: str | None = None,
        filter_values: dict[str, Any] | None = None,
    ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        """Items whose (index) sort key is in [lower, upper], and where the next page starts.

        Unfiltered: one Query. With a filter, DynamoDB applies it after its Limit, so one Query may
        match nothing while more follow: the page keeps reading (`_filtered`) until it is full,
        the range ends, or it holds something and FILTERED_QUERIES have been made. It is never
        empty while a next page is offered."""
        sort_attribute = INDEX_SORT_KEYS[index] if index else "SK"
        params = self._range_query(identity, index, lower, upper)
        params["ExpressionAttributeValues"].update({name: to_value(v) for name, v in (filter_values or {}).items()})
        params["ScanIndexForward"] = ascending
        # One more than asked: when it comes back, there is a next page (and no empty last page).
        params["Limit"] = limit + 1
        if start:
            params["ExclusiveStartKey"] = {"PK": to_value(user_partition(identity)), **start}
        if filter_expression:
            params["FilterExpression"] = filter_expression
            raw, last = self._filtered(params, limit, sort_attribute)
        else:
            raw = self._client.query(**params).get("Items", [])
            last = _position(raw[limit - 1], sort_attribute) if len(raw) > limit else None
            raw = raw[:limit]
        return [from_item(item) for item in raw], last

    def _filtered(
        self, params: dict[str, Any], limit: int, sort_attribute: str
    ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        """Queries from params' start until `limit` + 1 items pass the filter (the page is full
        and one more shows a next page), the range ends, or the page holds something after
        FILTERED_QUERIES. Each Query evaluates FILTERED_GROWTH times more items than the one
        before (up to DynamoDB's 1 MB), so a page of sparse matches costs a few Queries, and an
        empty one at most one pass over the range."""
        found: list[dict[str, Any]] = []
        queries = 0
        while True:
            response = self._client.query(**params)
            queries += 1
            found += response.get("Items", [])
            evaluated = response.get("LastEvaluatedKey")
            if len(found) > limit:
                return found[:limit], _position(found[limit - 1], sort_attribute)
            if not evaluated:
                return found, None
            if found and queries >= FILTERED_QUERIES:
                # Where DynamoDB stopped evaluating: the next page does not read these again.
                return found, {name: value for name, value in evaluated.items() if name != "PK"}
            params["ExclusiveStartKey"] = evaluated
            params["Limit"] = min(params["Limit"] * FILTERED_GROWTH, FILTERED_MAX_LIMIT)


def _position(raw_item: dict[str, Any], sort_attribute: str) -> dict[str, Any]:
    """The key DynamoDB would have returned as LastEvaluatedKey, less the partition."""
    return {name: raw_item[name] for name in {"SK", sort_attribute}}

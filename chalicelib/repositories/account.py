"""The whole of one user's partition: for export, import and account deletion."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.errors import Unauthenticated
from chalicelib.identity import Identity
from chalicelib.repositories.dynamo import (
    batch_delete,
    from_item,
    put_new,
    query_all,
    to_value,
    transact,
    user_key,
    user_partition,
)
from chalicelib.repositories.profiles import ACCOUNT_DELETED, account_exists_check
from chalicelib.repositories.profiles import SORT_KEY as PROFILE_SORT_KEY

TRANSACTION_SIZE = 99  # TransactWriteItems takes 100 actions: 99 puts and the account check


class AccountStore:
    def __init__(self, client: Any, table_name: str):
        self._client = client
        self._table = table_name

    def _query(self, identity: Identity, **extra: Any) -> list[dict[str, Any]]:
        params: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "PK = :pk",
            "ExpressionAttributeValues": {":pk": to_value(user_partition(identity))},
            "ConsistentRead": True,
            **extra,
        }
        return query_all(self._client, params)

    def all_items(self, identity: Identity) -> list[tuple[str, dict[str, Any]]]:
        """(sort key, item) for everything in the user's partition, one page per call."""
        return [(raw["SK"]["S"], from_item(raw)) for raw in self._query(identity)]

    def sort_keys(self, identity: Identity, prefix: str) -> set[str]:
        raw = self._query(
            identity,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues={":pk": to_value(user_partition(identity)), ":prefix": to_value(prefix)},
            ProjectionExpression="SK",
        )
        return {item["SK"]["S"] for item in raw}

    def put_new(self, identity: Identity, items: list[tuple[str, dict[str, Any]]]) -> None:
        """Puts items that must not exist yet, in transactions that also check the account exists."""
        for start in range(0, len(items), TRANSACTION_SIZE):
            chunk = items[start : start + TRANSACTION_SIZE]
            actions = [put_new(self._table, user_key(identity, sort_key), item) for sort_key, item in chunk]
            try:
                transact(self._client, [*actions, account_exists_check(self._table, identity)])
            except ClientError as exc:
                if exc.response["Error"]["Code"] != "TransactionCanceledException":
                    raise
                reasons = [reason.get("Code") for reason in exc.response.get("CancellationReasons", [])]
                if reasons and reasons[-1] == "ConditionalCheckFailed":
                    raise Unauthenticated(ACCOUNT_DELETED, code="account_deleted") from exc
                # Another import wrote some of these meanwhile: put the rest.
                taken = {chunk[i][0] for i, code in enumerate(reasons[:-1]) if code == "ConditionalCheckFailed"}
                if not taken:
                    raise
                self.put_new(identity, [(key, item) for key, item in chunk if key not in taken])

    def delete_anchor(self, identity: Identity) -> None:
        """The profile: from then on no write of this account succeeds."""
        self._client.delete_item(TableName=self._table, Key=user_key(identity, PROFILE_SORT_KEY))

    def delete_prefixed(self, identity: Identity, prefixes: tuple[str, ...]) -> None:
        """Every item whose sort key starts with one of `prefixes` (one Query each)."""
        keys = [
            {"PK": raw["PK"], "SK": raw["SK"]}
            for prefix in prefixes
            for raw in self._query(
                identity,
                KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
                ExpressionAttributeValues={":pk": to_value(user_partition(identity)), ":prefix": to_value(prefix)},
                ProjectionExpression="PK, SK",
            )
        ]
        batch_delete(self._client, self._table, keys)

    def delete_everything(self, identity: Identity) -> int:
        """Every item left in the partition."""
        keys = [{"PK": raw["PK"], "SK": raw["SK"]} for raw in self._query(identity, ProjectionExpression="PK, SK")]
        batch_delete(self._client, self._table, keys)
        return len(keys)

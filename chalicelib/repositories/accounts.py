"""The list of accounts: one small item per account in one of ACCOUNT_SHARDS partitions, so the
periodic reconciliation lists every account with a Query a shard (never a Scan).

    PK = ACCOUNTS#<shard>    SK = USER#<sub>    user_id, created_at

Written with the profile at sign-up (the same transaction), deleted as the last step of the
account's erasure: while any of a person's data may remain, their entry does, so an erasure that
never finished is found again."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from chalicelib.repositories.dynamo import due_shard, from_item, put_new, query_items, to_value

ACCOUNT_SHARDS = 8
_PREFIX = "USER#"


def account_entry_key(user_id: str) -> dict[str, Any]:
    return {"PK": {"S": f"ACCOUNTS#{due_shard(user_id) % ACCOUNT_SHARDS}"}, "SK": {"S": f"{_PREFIX}{user_id}"}}


def account_entry_put(table: str, user_id: str, now: str) -> dict[str, Any]:
    """The transaction action that lists a new account (beside its profile's Put)."""
    action = put_new(table, account_entry_key(user_id), {"user_id": user_id, "created_at": now})
    # Put again by a retried sign-up: the entry is the same, so it may be there already.
    del action["Put"]["ConditionExpression"]
    return action


class AccountList:
    def __init__(self, client: Any, table_name: str):
        self._client = client
        self._table = table_name

    def entries(self) -> Iterator[dict[str, Any]]:
        """Every listed account ({user_id, created_at}), shard by shard, page by page."""
        for shard in range(ACCOUNT_SHARDS):
            params = {
                "TableName": self._table,
                "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
                "ExpressionAttributeValues": {":pk": to_value(f"ACCOUNTS#{shard}"), ":prefix": to_value(_PREFIX)},
            }
            for raw in query_items(self._client, params):
                yield from_item(raw)

    def ensure(self, user_id: str, created_at: str) -> bool:
        """Lists an account made before the list existed; False when it is listed already."""
        from botocore.exceptions import ClientError

        action = put_new(self._table, account_entry_key(user_id), {"user_id": user_id, "created_at": created_at})
        try:
            self._client.put_item(**action["Put"])
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def remove(self, user_id: str) -> None:
        self._client.delete_item(TableName=self._table, Key=account_entry_key(user_id))

"""Idempotency keys: what a POST answered the first time, kept 24 hours in the user's partition."""

from __future__ import annotations

from typing import Any, NamedTuple

from chalicelib.identity import Identity
from chalicelib.repositories.dynamo import from_item, user_key

TTL_SECONDS = 24 * 3600


class IdempotencyRecord(NamedTuple):
    scope: str
    key: str
    request_hash: str
    response: dict[str, Any]
    expires_at: int
    now: int


def idempotency_sort_key(scope: str, key: str) -> str:
    return f"IDEMPOTENCY#{scope}#{key}"


class IdempotencyStore:
    def __init__(self, client: Any, table_name: str):
        self._client = client
        self._table = table_name

    def get(self, identity: Identity, scope: str, key: str, now: int) -> dict[str, Any] | None:
        response = self._client.get_item(
            TableName=self._table, Key=user_key(identity, idempotency_sort_key(scope, key)), ConsistentRead=True
        )
        record = from_item(response["Item"]) if "Item" in response else None
        if record is None or record["expires_at"] < now:
            return None
        return record

"""Preferences: one item per user, written whole."""

from __future__ import annotations

from typing import Any

from chalicelib.identity import Identity
from chalicelib.repositories.dynamo import from_item, to_item, user_key

SORT_KEY = "PREFERENCES"


class PreferencesRepository:
    def __init__(self, client: Any, table_name: str):
        self._client = client
        self._table = table_name

    def get(self, identity: Identity) -> dict[str, Any] | None:
        response = self._client.get_item(TableName=self._table, Key=user_key(identity, SORT_KEY))
        item = response.get("Item")
        return from_item(item) if item else None

    def put(self, identity: Identity, preferences: dict[str, Any]) -> None:
        """One PutItem keyed by the caller: no read, no condition needed (last write wins)."""
        item = {**user_key(identity, SORT_KEY), **to_item(preferences)}
        self._client.put_item(TableName=self._table, Item=item)

"""Media items (uploads). Read here only to check that media may be referenced."""

from __future__ import annotations

from typing import Any

from chalicelib.identity import Identity
from chalicelib.repositories.dynamo import user_key

READY = "ready"


def media_sort_key(media_id: str) -> str:
    return f"MEDIA#{media_id}"


class MediaRepository:
    def __init__(self, client: Any, table_name: str):
        self._client = client
        self._table = table_name

    def is_ready(self, identity: Identity, media_id: str) -> bool:
        """True when the caller owns this media and its upload was confirmed."""
        response = self._client.get_item(
            TableName=self._table,
            Key=user_key(identity, media_sort_key(media_id)),
            ProjectionExpression="#status",
            ExpressionAttributeNames={"#status": "status"},
        )
        return response.get("Item", {}).get("status", {}).get("S") == READY

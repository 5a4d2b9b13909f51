"""Which videos of a tenant's library carry which tags: read to link a program's exercises to a
video (items `TENANT#<t>` / `VIDEO#<id>`, with `tags`, written by the video library)."""

from __future__ import annotations

from typing import Any

from chalicelib.domains.coaching.assessment_store import tenant_partition
from chalicelib.repositories.dynamo import from_item, to_value

MAX_VIDEOS = 200  # one Query; a library past this links the first (oldest) ones only


class LibraryVideos:
    def __init__(self, client: Any, table_name: str):
        self._client = client
        self._table = table_name

    def by_tag(self, tenant_id: str) -> dict[str, str]:
        """tag -> id of the first video (in key order) carrying it."""
        response = self._client.query(
            TableName=self._table,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues={":pk": to_value(tenant_partition(tenant_id)), ":prefix": to_value("VIDEO#")},
            ProjectionExpression="id, tags",
            Limit=MAX_VIDEOS,
        )
        found: dict[str, str] = {}
        for raw in response.get("Items", []):
            video = from_item(raw)
            tags = video.get("tags")
            if not isinstance(video.get("id"), str) or not isinstance(tags, (list, set)):
                continue
            for tag in tags:
                if isinstance(tag, str):
                    found.setdefault(tag, video["id"])
        return found

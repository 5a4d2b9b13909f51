"""A member's progress through the videos of their tenant: their own data, in their partition.

`VIDEOPROGRESS#<video id>`: tenant_id, video_id, position_s, completed, updated_at, and
`TSK = VIDEOPROGRESS#<updated_at>#<video id>` so the ByTime index lists it by recency.

The position only grows: the update is conditional on the stored position not being larger, so
a report that arrives late (a smaller position after a larger one) changes nothing, whatever
the order in which concurrent requests land.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.domains.videos.store import video_key
from chalicelib.errors import ACCOUNT_DELETED, NotFound, Unauthenticated
from chalicelib.identity import Identity
from chalicelib.repositories.anchor import ACCOUNT, account_check, account_deleted
from chalicelib.repositories.dynamo import (
    from_item,
    run_transaction,
    to_value,
    user_key,
)
from chalicelib.repositories.items import Kind

PROGRESS = Kind("video_progress", "VIDEOPROGRESS#", "video progress")
NO_VIDEO = "No such video."


class PositionBehind(Exception):
    """The stored position is larger than the one reported: nothing was written."""


class VideoProgressStore:
    def __init__(self, client: Any, table_name: str):
        self._client = client
        self._table = table_name

    def _key(self, identity: Identity, video_id: str) -> dict[str, Any]:
        return user_key(identity, PROGRESS.sort_key(video_id))

    def video_and_progress(
        self, identity: Identity, video_id: str
    ) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        """The video in the caller's tenant and the caller's progress on it: one BatchGetItem."""
        keys = [video_key(identity.tenant_id, video_id), self._key(identity, video_id)]
        found: dict[str, dict[str, Any]] = {}
        request: dict[str, Any] = {self._table: {"Keys": keys, "ConsistentRead": True}}
        while request:
            response = self._client.batch_get_item(RequestItems=request)
            for raw in response.get("Responses", {}).get(self._table, []):
                found[raw["PK"]["S"]] = from_item(raw)
            request = response.get("UnprocessedKeys") or {}
        return found.get(keys[0]["PK"]["S"]), found.get(keys[1]["PK"]["S"])

    def advance(self, identity: Identity, video_id: str, position_s: int, completed: bool, now: str) -> None:
        """Moves the position forward (never back), with the video still in the caller's tenant
        and the account still there: one transaction. `completed` true stays true."""
        values = {
            ":p": to_value(position_s),
            ":now": to_value(now),
            ":tsk": to_value(f"{PROGRESS.prefix}{now}#{video_id}"),
            ":tenant": to_value(identity.tenant_id),
            ":video": to_value(video_id),
            ":done": to_value(completed),
        }
        # A report without `completed` never clears it: it only sets false where nothing is yet.
        done = "completed = :done" if completed else "completed = if_not_exists(completed, :done)"
        update = {
            "Update": {
                "TableName": self._table,
                "Key": self._key(identity, video_id),
                "UpdateExpression": (
                    f"SET position_s = :p, {done}, updated_at = :now, TSK = :tsk,"
                    " tenant_id = :tenant, video_id = :video"
                ),
                "ConditionExpression": "attribute_not_exists(position_s) OR position_s <= :p",
                "ExpressionAttributeValues": values,
            }
        }
        video_exists = {
            "ConditionCheck": {
                "TableName": self._table,
                "Key": video_key(identity.tenant_id, video_id),
                "ConditionExpression": "attribute_exists(PK)",
            }
        }
        run_transaction(
            self._client,
            [("video", video_exists), account_check(self._table, identity), ("position", update)],
            {"video": lambda: NotFound(NO_VIDEO), ACCOUNT: account_deleted, "position": PositionBehind},
        )

    def get(self, identity: Identity, video_id: str) -> dict[str, Any] | None:
        response = self._client.get_item(TableName=self._table, Key=self._key(identity, video_id), ConsistentRead=True)
        return from_item(response["Item"]) if "Item" in response else None

    def mark_completed(self, identity: Identity, video_id: str, now: str) -> dict[str, Any]:
        """Sets completed on stored progress whose position is ahead of the report that said so."""
        try:
            response = self._client.update_item(
                TableName=self._table,
                Key=self._key(identity, video_id),
                UpdateExpression="SET completed = :true, updated_at = :now, TSK = :tsk",
                # Never creates progress: gone means the account was deleted meanwhile.
                ConditionExpression="attribute_exists(PK)",
                ExpressionAttributeValues={
                    ":true": to_value(True),
                    ":now": to_value(now),
                    ":tsk": to_value(f"{PROGRESS.prefix}{now}#{video_id}"),
                },
                ReturnValues="ALL_NEW",
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise Unauthenticated(ACCOUNT_DELETED, code="account_deleted") from exc
            raise
        return from_item(response["Attributes"])

"""A tenant's video library: the video items, a pointer item per tag, and the files.

A video is `TENANT#<t>` / `VIDEO#<id>` (a Query of that partition with begins_with VIDEO# lists
the library, and its `tags` attribute says what each video is about). Listing by tag is a
Query too: every tag of a video has a pointer item `TENANT#<t>#VIDEOTAG#<tag>` / `VIDEO#<id>`
holding a copy of the video, written in the same transaction as the video; an edit rewrites the
video and every pointer in one transaction (and deletes the pointers of tags it drops), so the
copies cannot drift. The file is copied to `tenants/<t>/videos/<id>`,
the tenant's, so it outlives the account of whoever uploaded it.
"""

from __future__ import annotations

from typing import Any

from chalicelib.domains.media.public import READY, STATE_TAG, claim_media
from chalicelib.errors import PreconditionFailed, Unprocessable
from chalicelib.identity import Identity
from chalicelib.repositories.anchor import ACCOUNT, account_check, account_deleted
from chalicelib.repositories.dynamo import (
    Labelled,
    from_item,
    put_new,
    run_transaction,
    to_item,
    to_value,
)

VIDEO_PREFIX = "VIDEO#"
VIDEO_TYPE = "video/mp4"


def library_partition(tenant_id: str) -> str:
    return f"TENANT#{tenant_id}"


def tag_partition(tenant_id: str, tag: str) -> str:
    return f"TENANT#{tenant_id}#VIDEOTAG#{tag}"


def video_key(tenant_id: str, video_id: str) -> dict[str, Any]:
    return {"PK": {"S": library_partition(tenant_id)}, "SK": {"S": f"{VIDEO_PREFIX}{video_id}"}}


def video_object_key(tenant_id: str, video_id: str) -> str:
    """The tenant's copy: no upload form addresses it, no account's deletion lists it."""
    return f"tenants/{tenant_id}/videos/{video_id}"


class VideoLibrary:
    def __init__(self, client: Any, table_name: str):
        self._client = client
        self._table = table_name

    def create(self, identity: Identity, video: dict[str, Any], media_id: str) -> None:
        """The video, its tag pointers, the uploader's media marked as used by it (still ready, an
        mp4, not used before), and the account check: one transaction."""
        tenant = identity.tenant_id
        actions: list[Labelled] = [
            ("video", put_new(self._table, video_key(tenant, video["id"]), video)),
            account_check(self._table, identity),
            (
                "media",
                claim_media(self._table, identity, media_id, ("video_id", video["id"]), ("content_type", VIDEO_TYPE)),
            ),
        ]
        for tag in video["tags"]:
            actions.append(("tag", put_new(self._table, self._pointer_key(tenant, tag, video["id"]), video)))
        run_transaction(
            self._client,
            actions,
            {
                # Our fresh id: an earlier attempt of this call (answer lost, retried) wrote it all.
                "video": lambda: None,
                ACCOUNT: account_deleted,
                "media": lambda: Unprocessable(
                    "That upload was used for another video meanwhile.", code="media_in_use"
                ),
            },
        )

    def _pointer_key(self, tenant_id: str, tag: str, video_id: str) -> dict[str, Any]:
        return {"PK": {"S": tag_partition(tenant_id, tag)}, "SK": {"S": f"{VIDEO_PREFIX}{video_id}"}}

    def replace(self, identity: Identity, old: dict[str, Any], new: dict[str, Any]) -> None:
        """The edited video and its pointers, if the video is still the version `old` was read
        at (a concurrent edit or deletion is a 412), while the caller's account exists."""
        tenant = identity.tenant_id
        put = {
            "Put": {
                "TableName": self._table,
                "Item": {**video_key(tenant, new["id"]), **to_item(new)},
                "ConditionExpression": "version = :read",
                "ExpressionAttributeValues": {":read": to_value(old["version"])},
            }
        }
        pointers: list[dict[str, Any]] = []
        for tag in new["tags"]:
            pointers.append(
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": {**self._pointer_key(tenant, tag, new["id"]), **to_item(new)},
                    }
                }
            )
        for tag in set(old["tags"]) - set(new["tags"]):
            pointers.append({"Delete": {"TableName": self._table, "Key": self._pointer_key(tenant, tag, new["id"])}})
        self._run_guarded(identity, put, pointers)

    def delete(self, identity: Identity, video: dict[str, Any]) -> None:
        """The video and its pointers, if it is still the version read, while the account exists."""
        tenant = identity.tenant_id
        delete = {
            "Delete": {
                "TableName": self._table,
                "Key": video_key(tenant, video["id"]),
                "ConditionExpression": "version = :read",
                "ExpressionAttributeValues": {":read": to_value(video["version"])},
            }
        }
        pointers = [
            {"Delete": {"TableName": self._table, "Key": self._pointer_key(tenant, tag, video["id"])}}
            for tag in video["tags"]
        ]
        self._run_guarded(identity, delete, pointers)

    def _run_guarded(self, identity: Identity, video: dict[str, Any], pointers: list[dict[str, Any]]) -> None:
        """The video's write (at the version read) and its tag pointers, while the account exists."""
        run_transaction(
            self._client,
            [("video", video), account_check(self._table, identity), *(("tag", pointer) for pointer in pointers)],
            {
                ACCOUNT: account_deleted,
                "video": lambda: PreconditionFailed("The video changed meanwhile; read it again."),
            },
        )

    def get(self, tenant_id: str, video_id: str) -> dict[str, Any] | None:
        response = self._client.get_item(TableName=self._table, Key=video_key(tenant_id, video_id))
        return from_item(response["Item"]) if "Item" in response else None

    def page(
        self, tenant_id: str, tag: str | None, limit: int, start: dict[str, Any] | None
    ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        """Newest first (ids are ULIDs): the library, or the pointers of one tag. One Query."""
        partition = tag_partition(tenant_id, tag) if tag else library_partition(tenant_id)
        params: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
            "ExpressionAttributeValues": {":pk": to_value(partition), ":prefix": to_value(VIDEO_PREFIX)},
            "ScanIndexForward": False,
            # One more than asked: when it comes back, there is a next page (and no empty last page).
            "Limit": limit + 1,
        }
        if start:
            params["ExclusiveStartKey"] = {"PK": to_value(partition), "SK": to_value(start["SK"])}
        raw = self._client.query(**params).get("Items", [])
        last = {"SK": raw[limit - 1]["SK"]["S"]} if len(raw) > limit else None
        return [from_item(item) for item in raw[:limit]], last


class VideoFiles:
    """The library's files in the media bucket."""

    def __init__(self, client: Any, bucket: str):
        self._client = client
        self._bucket = bucket

    def copy_in(self, source: str, target: str) -> None:
        """A server-side copy (CopyObject takes up to 5 GB; uploads are at most 200 MB)."""
        self._client.copy_object(
            Bucket=self._bucket,
            Key=target,
            CopySource={"Bucket": self._bucket, "Key": source},
            TaggingDirective="REPLACE",
            Tagging=f"{STATE_TAG}={READY}",
        )

    def delete(self, key: str) -> None:
        self._client.delete_object(Bucket=self._bucket, Key=key)

    def stream_url(self, key: str, seconds: int) -> str:
        return self._client.generate_presigned_url(
            "get_object", Params={"Bucket": self._bucket, "Key": key}, ExpiresIn=seconds
        )

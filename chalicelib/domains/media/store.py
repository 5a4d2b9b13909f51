"""Media: the item in the owner's partition (status pending -> ready) and the object in the
bucket under the owner's prefix. Uploads go straight from the client to S3 (pre-signed POST)."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.identity import Identity
from chalicelib.repositories.anchor import ACCOUNT, account_check, account_deleted
from chalicelib.repositories.dynamo import (
    from_item,
    put_new,
    run_transaction,
    to_value,
    user_key,
)
from chalicelib.repositories.items import Kind

READY, PENDING = "ready", "pending"
MEDIA = Kind("media", "MEDIA#", "media")
URL_SECONDS = 300
STATE_TAG = "stride-state"  # pending objects expire by a lifecycle rule on this tag


def media_sort_key(media_id: str) -> str:
    return f"MEDIA#{media_id}"


def object_key(identity: Identity, media_id: str) -> str:
    """Where checked media lives: no upload form can address it."""
    return f"users/{identity.home_tenant}/{identity.user_id}/media/{media_id}"


def upload_key(identity: Identity, media_id: str) -> str:
    """Where the client's upload lands (and may land again while the form is valid)."""
    return f"users/{identity.home_tenant}/{identity.user_id}/uploads/{media_id}"


def _tagging(state: str) -> str:
    return f"<Tagging><TagSet><Tag><Key>{STATE_TAG}</Key><Value>{state}</Value></Tag></TagSet></Tagging>"


def claim_media(
    table_name: str, identity: Identity, media_id: str, used_by: tuple[str, str], requires: tuple[str, str]
) -> dict[str, Any]:
    """The transaction action that marks the caller's media as used, once: `used_by` is the
    attribute and id of what uses it ("post_id", <post>), `requires` an attribute it must have
    ("purpose", "post"); the media must be ready and not used by anything of that kind yet."""
    (attribute, user), (required, value) = used_by, requires
    return {
        "Update": {
            "TableName": table_name,
            "Key": user_key(identity, media_sort_key(media_id)),
            "UpdateExpression": "SET #used = :user",
            "ConditionExpression": "#status = :ready AND #required = :required AND attribute_not_exists(#used)",
            "ExpressionAttributeNames": {"#status": "status", "#used": attribute, "#required": required},
            "ExpressionAttributeValues": {
                ":user": to_value(user),
                ":ready": to_value(READY),
                ":required": to_value(value),
            },
        }
    }


class MediaStore:
    def __init__(self, client: Any, table_name: str):
        self._client = client
        self._table = table_name

    def is_ready(self, identity: Identity, media_id: str, purpose: str | None = None) -> bool:
        """True when the caller owns this media and its upload was confirmed."""
        item = self.get(identity, media_id)
        return item is not None and item["status"] == READY and (purpose is None or item["purpose"] == purpose)

    def get(self, identity: Identity, media_id: str) -> dict[str, Any] | None:
        response = self._client.get_item(TableName=self._table, Key=user_key(identity, media_sort_key(media_id)))
        return from_item(response["Item"]) if "Item" in response else None

    def create(self, identity: Identity, media: dict[str, Any]) -> None:
        actions = [
            ("media", put_new(self._table, user_key(identity, media_sort_key(media["id"])), media)),
            account_check(self._table, identity),
        ]
        # A failed media condition: our fresh id, written by an earlier attempt of this call (answer lost).
        run_transaction(self._client, actions, {"media": lambda: None, ACCOUNT: account_deleted})

    def mark_ready(self, identity: Identity, media_id: str, now: str) -> dict[str, Any] | None:
        """pending -> ready, once; None if it was not pending any more."""
        try:
            response = self._client.update_item(
                TableName=self._table,
                Key=user_key(identity, media_sort_key(media_id)),
                UpdateExpression="SET #status = :ready, updated_at = :now REMOVE expires_at",
                ConditionExpression="#status = :pending",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={
                    ":ready": to_value(READY),
                    ":pending": to_value(PENDING),
                    ":now": to_value(now),
                },
                ReturnValues="ALL_NEW",
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return None
            raise
        return from_item(response["Attributes"])

    def delete(self, identity: Identity, media_id: str) -> None:
        self._client.delete_item(TableName=self._table, Key=user_key(identity, media_sort_key(media_id)))


class MediaFiles:
    def __init__(self, client: Any, bucket: str):
        self._client = client
        self._bucket = bucket

    def upload_form(self, key: str, content_type: str, max_bytes: int) -> dict[str, Any]:
        """A pre-signed POST whose policy fixes the key, the exact type, the size range and the tag."""
        tagging = _tagging(PENDING)
        return self._client.generate_presigned_post(
            Bucket=self._bucket,
            Key=key,
            Fields={"Content-Type": content_type, "tagging": tagging},
            Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_bytes], {"tagging": tagging}],
            ExpiresIn=URL_SECONDS,
        )

    def head(self, key: str) -> tuple[int, str, str] | None:
        """(size, ETag, Content-Type) of the object, or None when there is none."""
        try:
            response = self._client.head_object(Bucket=self._bucket, Key=key)
        except ClientError as exc:
            if exc.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        return int(response["ContentLength"]), response["ETag"], response.get("ContentType", "")

    def first_bytes(self, key: str, etag: str, count: int = 16) -> bytes | None:
        """The object's first bytes, if it is still the object that was measured."""
        try:
            response = self._client.get_object(Bucket=self._bucket, Key=key, Range=f"bytes=0-{count - 1}", IfMatch=etag)
        except ClientError as exc:
            if exc.response["Error"]["Code"] in ("PreconditionFailed", "412", "NoSuchKey"):
                return None
            raise
        return response["Body"].read()

    def promote(self, source: str, target: str, etag: str) -> bool:
        """Copies the checked upload where no upload form reaches, only if it is still the object
        that was checked (a second POST with the same form cannot swap it in), then removes it."""
        try:
            self._client.copy_object(
                Bucket=self._bucket,
                Key=target,
                CopySource={"Bucket": self._bucket, "Key": source},
                CopySourceIfMatch=etag,
                TaggingDirective="REPLACE",
                Tagging=f"{STATE_TAG}={READY}",
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] in ("PreconditionFailed", "412", "NoSuchKey"):
                return False
            raise
        self.delete([source])
        return True

    def delete(self, keys: list[str]) -> None:
        if keys:
            self._client.delete_objects(
                Bucket=self._bucket, Delete={"Objects": [{"Key": key} for key in keys], "Quiet": True}
            )

    def download_url(self, key: str) -> str:
        return self._client.generate_presigned_url(
            "get_object", Params={"Bucket": self._bucket, "Key": key}, ExpiresIn=URL_SECONDS
        )

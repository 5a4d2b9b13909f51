"""Export files in the media bucket, under the user's own prefix, fetched by pre-signed GET; and
the records of a large import, kept there for the worker that writes them."""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Iterable
from typing import Any

from chalicelib.identity import Identity

URL_SECONDS = 300
# An archive is built in memory up to this size, then in the function's /tmp.
ARCHIVE_IN_MEMORY_BYTES = 16 * 1024 * 1024


def user_prefix(identity: Identity) -> str:
    return f"users/{identity.home_tenant}/{identity.user_id}/"


class ExportFiles:
    def __init__(self, client: Any, bucket: str):
        self._client = client
        self._bucket = bucket

    def store(self, identity: Identity, name: str, body: bytes) -> str:
        """Puts the document and answers a pre-signed GET of it."""
        return self.link(self.put(identity, name, body))

    def put(self, identity: Identity, name: str, body: bytes) -> str:
        """Puts the document under the user's prefix; returns its key."""
        key = f"{user_prefix(identity)}exports/{name}.json"
        self._client.put_object(
            Bucket=self._bucket,
            Key=key,
            Body=body,
            ContentType="application/json",
            # The bucket's lifecycle rule expires objects with this tag after a day.
            Tagging="stride-purpose=export",
        )
        return key

    def put_archive(self, identity: Identity, name: str, entries: Iterable[tuple[str, bytes]]) -> tuple[str, int]:
        """A zip of these (path, bytes) beside the document (tracks' GPX files); its key and size.
        Written to a spooled file (memory up to ARCHIVE_IN_MEMORY_BYTES, then /tmp) and sent from it
        in one PUT (the same s3:PutObject the document needs): never the whole of it in memory."""
        key = f"{user_prefix(identity)}exports/{name}.zip"
        with tempfile.SpooledTemporaryFile(max_size=ARCHIVE_IN_MEMORY_BYTES) as spool:
            with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for path, body in entries:
                    archive.writestr(path, body)
            size = spool.tell()
            spool.seek(0)
            self._client.put_object(
                Bucket=self._bucket,
                Key=key,
                Body=spool,
                ContentLength=size,
                ContentType="application/zip",
                Tagging="stride-purpose=export",
            )
        return key, size

    def put_import(self, identity: Identity, import_id: str, body: bytes) -> str:
        """The records of an import queued for the worker; returns their key (expired after a day
        by the same lifecycle rule, deleted by the worker once it is done)."""
        key = f"{user_prefix(identity)}imports/{import_id}.json"
        self._client.put_object(
            Bucket=self._bucket,
            Key=key,
            Body=body,
            ContentType="application/json",
            Tagging="stride-purpose=export",
        )
        return key

    def read(self, key: str) -> bytes:
        body: bytes = self._client.get_object(Bucket=self._bucket, Key=key)["Body"].read()
        return body

    def link(self, key: str) -> str:
        return self._client.generate_presigned_url(
            "get_object", Params={"Bucket": self._bucket, "Key": key}, ExpiresIn=URL_SECONDS
        )

    def delete(self, key: str) -> None:
        self._client.delete_object(Bucket=self._bucket, Key=key)

    def delete_all(self, identity: Identity) -> None:
        """Every object under the user's prefix (exports now; media later)."""
        paginator = self._client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self._bucket, Prefix=user_prefix(identity)):
            objects = [{"Key": entry["Key"]} for entry in page.get("Contents", [])]
            if objects:
                self._client.delete_objects(Bucket=self._bucket, Delete={"Objects": objects, "Quiet": True})

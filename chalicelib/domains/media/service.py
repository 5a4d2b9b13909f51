"""Uploads straight to S3, checked before they can be used: the size and the file's own
signature, not the name or the type the client declared."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from chalicelib import clock
from chalicelib.clock import utc_now
from chalicelib.domains.media.store import PENDING, READY, URL_SECONDS, object_key, upload_key
from chalicelib.errors import InvalidInput, NotFound, PayloadTooLarge, Unprocessable
from chalicelib.identity import Identity
from chalicelib.ids import PATTERN as ID_PATTERN
from chalicelib.ids import new_id
from chalicelib.limits import MB, UPLOAD_LIMITS

if TYPE_CHECKING:
    from chalicelib.domains.media.store import MediaFiles, MediaStore
    from chalicelib.domains.social.public import PostStore

LIMITS = UPLOAD_LIMITS
PENDING_SECONDS = 24 * 3600
NO_MEDIA = "No such media."


def _xml(head: bytes) -> bool:
    return head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<")


def signature_matches(content_type: str, head: bytes) -> bool:
    """The first bytes of the file, as each format defines them."""
    checks: dict[str, Callable[[bytes], bool]] = {
        "image/png": lambda b: b.startswith(b"\x89PNG\r\n\x1a\n"),
        "image/jpeg": lambda b: b.startswith(b"\xff\xd8\xff"),
        "image/webp": lambda b: b[:4] == b"RIFF" and b[8:12] == b"WEBP",
        "video/mp4": lambda b: b[4:8] == b"ftyp",
        # Activity files: XML (after a byte-order mark or white space), or FIT's ".FIT" at byte 8.
        "application/gpx+xml": _xml,
        "application/vnd.garmin.tcx+xml": _xml,
        "application/vnd.ant.fit": lambda b: b[8:12] == b".FIT",
    }
    return checks[content_type](head)


def media_record(item: dict[str, Any]) -> dict[str, Any]:
    """How media appears in an export: what it is and where it is used, not the file itself."""
    return {
        key: item[key]
        for key in ("id", "purpose", "content_type", "size_bytes", "status", "created_at", "post_id", "video_id")
        if key in item
    }


def _view(item: dict[str, Any]) -> dict[str, Any]:
    return {key: item[key] for key in ("id", "purpose", "content_type", "size_bytes", "status", "created_at")}


class MediaService:
    def __init__(
        self,
        media: MediaStore,
        files: MediaFiles,
        attachments: PostStore,
        clock: Callable[[], str] = utc_now,
        epoch: Callable[[], float] = clock.epoch,
    ):
        self._media = media
        self._files = files
        self._attachments = attachments
        self._clock = clock
        self._epoch = epoch

    def start_upload(self, identity: Identity, body: dict[str, Any]) -> dict[str, Any]:
        limit, types = LIMITS[body["purpose"]]
        if body["content_type"] not in types:
            raise InvalidInput(
                f"A {body['purpose']} must be one of: {', '.join(types)}.",
                code="unsupported_media",
                details={"content_type": [f"One of {', '.join(types)}."]},
            )
        if body["size_bytes"] > limit:
            raise PayloadTooLarge(
                f"A {body['purpose']} is at most {limit // MB} MB.", details={"size_bytes": [f"At most {limit}."]}
            )
        media_id, now = new_id(), self._clock()
        key = upload_key(identity, media_id)
        self._media.create(
            identity,
            {
                "id": media_id,
                "purpose": body["purpose"],
                "content_type": body["content_type"],
                "size_bytes": body["size_bytes"],
                "status": PENDING,
                "upload_key": key,
                "key": object_key(identity, media_id),
                "created_at": now,
                "updated_at": now,
                "expires_at": int(self._epoch()) + PENDING_SECONDS,
            },
        )
        form = self._files.upload_form(key, body["content_type"], limit)
        return {
            "media_id": media_id,
            "upload": {"url": form["url"], "fields_": form["fields"]},
            "expires_in": URL_SECONDS,
        }

    def complete(self, identity: Identity, media_id: str) -> dict[str, Any]:
        item = self._owned(identity, media_id)
        if item["status"] == READY:
            return _view(item)
        limit, _ = LIMITS[item["purpose"]]
        measured = self._files.head(item["upload_key"])
        if measured is None:
            raise Unprocessable("Nothing was uploaded for this media yet.", code="upload_missing")
        size, etag, stored_type = measured
        problem = None
        if stored_type != item["content_type"]:
            # S3 holds the form to its Content-Type; moto does not, so Stride checks.
            problem = f"The file was stored as {stored_type or 'no type'}, not {item['content_type']}."
        elif size != item["size_bytes"] or size > limit:
            problem = f"The file has {size} bytes, not the {item['size_bytes']} declared (at most {limit})."
        else:
            head = self._files.first_bytes(item["upload_key"], etag)
            if head is None or not signature_matches(item["content_type"], head):
                problem = f"The file is not a {item['content_type']} file."
        if problem is None and not self._files.promote(item["upload_key"], item["key"], etag):
            problem = "The file changed while it was being checked."
        if problem:
            # Refused for good: the upload goes, and so does the media (a new upload starts over).
            self._files.delete([item["upload_key"]])
            self._media.delete(identity, media_id)
            raise Unprocessable(problem, code="upload_rejected")
        ready = self._media.mark_ready(identity, media_id, self._clock()) or self._owned(identity, media_id)
        return _view(ready)

    def download(self, identity: Identity, media_id: str) -> dict[str, Any]:
        """For the owner, or for anyone who can see the post it is attached to."""
        if not _valid(media_id):
            raise NotFound(NO_MEDIA)
        own = self._media.get(identity, media_id)
        if own is not None and own["status"] == READY:
            return {"url": self._files.download_url(own["key"]), "expires_in": URL_SECONDS}
        key = self._attachments.visible_attachment(identity, media_id)
        if key is None:
            raise NotFound(NO_MEDIA)
        return {"url": self._files.download_url(key), "expires_in": URL_SECONDS}

    def _owned(self, identity: Identity, media_id: str) -> dict[str, Any]:
        item = self._media.get(identity, media_id) if _valid(media_id) else None
        if item is None:
            raise NotFound(NO_MEDIA)
        return item


def _valid(media_id: str) -> bool:
    import re

    return re.fullmatch(ID_PATTERN, media_id) is not None

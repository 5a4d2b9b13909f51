"""The video library of a tenant: coaches and admins add videos from their confirmed mp4
uploads; every member lists them, reads them and streams them. An admin edits and deletes any
video of the library, a coach those they added.

A video belongs to the tenant, not to whoever added it: its file is copied out of the
uploader's space into the tenant's, so deleting the uploader's account leaves the library whole.
The uploader's media item stays theirs (marked with the video's id, so the same upload cannot
make a second video) until they delete it with their account.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from chalicelib.clock import utc_now
from chalicelib.cursors import Pages
from chalicelib.domains.media.public import READY
from chalicelib.domains.videos.store import VIDEO_TYPE, video_object_key
from chalicelib.errors import Forbidden, NotFound, PreconditionFailed, Unprocessable
from chalicelib.identity import ADMIN, Identity
from chalicelib.ids import PATTERN as ID_PATTERN
from chalicelib.ids import new_id

if TYPE_CHECKING:
    from chalicelib.adapters.cloudfront_links import CloudFrontLinks, UnavailableLinks
    from chalicelib.cursors import CursorCodec
    from chalicelib.domains.media.public import MediaStore
    from chalicelib.domains.videos.store import VideoFiles, VideoLibrary

    # Signed CloudFront URLs where the stage has a distribution, else pre-signed S3 GETs (or, for a
    # misconfigured distribution's key, a refusal kept for the container's life).
    VideoLinks = CloudFrontLinks | VideoFiles | UnavailableLinks

STREAM_SECONDS = 300
DEFAULT_LIMIT = 20
NO_VIDEO = "No such video."
_ID = re.compile(ID_PATTERN)
VIDEO_FIELDS = (
    "id",
    "title",
    "description",
    "tags",
    "duration_s",
    "content_type",
    "size_bytes",
    "created_by",
    "created_at",
    "updated_at",
    "version",
)


def _view(item: dict[str, Any]) -> dict[str, Any]:
    return {name: item[name] for name in VIDEO_FIELDS if name in item}


class VideoService:
    def __init__(
        self,
        library: VideoLibrary,
        media: MediaStore,
        files: VideoFiles,
        links: Callable[[], VideoLinks],
        cursors: Callable[[], CursorCodec],
        clock: Callable[[], str] = utc_now,
    ):
        self._library = library
        self._media = media
        self._files = files
        # Built on first use: the CloudFront signer reads its key from Secrets Manager.
        self._links = links
        self._cursors = cursors
        self._clock = clock

    def add(self, identity: Identity, body: dict[str, Any]) -> dict[str, Any]:
        media = self._check_upload(self._media.get(identity, body["media_id"]))
        video_id, now = new_id(), self._clock()
        key = video_object_key(identity.tenant_id, video_id)
        video = {
            "id": video_id,
            "title": body["title"],
            "description": body["description"],
            "tags": body["tags"],
            "duration_s": body["duration_s"],
            "content_type": media["content_type"],
            "size_bytes": media["size_bytes"],
            "key": key,
            "created_by": identity.user_id,
            "created_at": now,
            "updated_at": now,
            "version": 1,
        }
        # The copy first: a video item never points at a file that is not there. Every refusal
        # the item read can tell (not ready, not an mp4, already a video) came before it; one only
        # the transaction can tell (the upload used meanwhile, the account deleted) takes the copy
        # back, so a refused call leaves no object behind.
        self._files.copy_in(media["key"], key)
        try:
            self._library.create(identity, video, body["media_id"])
        except Exception:
            self._files.delete(key)
            raise
        return _view(video)

    @staticmethod
    def _check_upload(media: dict[str, Any] | None) -> dict[str, Any]:
        """The upload, if it is a completed mp4 of the caller's."""
        if media is None or media["status"] != READY:
            raise Unprocessable(
                "Give the id of an mp4 you uploaded and completed.",
                code="media_not_ready",
                details={"media_id": ["Not a completed upload of yours."]},
            )
        if media["content_type"] != VIDEO_TYPE:
            raise Unprocessable(
                f"A video must be {VIDEO_TYPE}, not {media['content_type']}.",
                code="not_a_video",
                details={"media_id": [f"Not a {VIDEO_TYPE} upload."]},
            )
        if media.get("video_id"):
            raise Unprocessable(
                "That upload is already a video of the library.",
                code="media_in_use",
                details={"media_id": [f"Already video {media['video_id']}."]},
            )
        return media

    def get(self, identity: Identity, video_id: str) -> dict[str, Any]:
        return _view(self._video(identity, video_id))

    def edit(
        self, identity: Identity, video_id: str, changes: dict[str, Any], expected_version: int | None
    ) -> dict[str, Any]:
        """Title, description and tags; the tag pointers follow in the same transaction."""
        video = self._editable(identity, video_id, expected_version)
        edited = {**video, **changes, "updated_at": self._clock(), "version": video["version"] + 1}
        self._library.replace(identity, video, edited)
        return _view(edited)

    def delete(self, identity: Identity, video_id: str, expected_version: int | None) -> None:
        """The video and its pointers, then its file (a file left by a failure there is
        unreferenced: no link can be made to it any more)."""
        video = self._editable(identity, video_id, expected_version)
        self._library.delete(identity, video)
        self._files.delete(video["key"])

    def _editable(self, identity: Identity, video_id: str, expected_version: int | None) -> dict[str, Any]:
        """The video, if the caller may change it: an admin (the router has checked the role
        against the member item), or the coach who added it."""
        video = self._video(identity, video_id)
        if identity.role != ADMIN and video["created_by"] != identity.user_id:
            raise Forbidden("A coach edits and deletes only the videos they added.", code="not_your_video")
        if expected_version is not None and expected_version != video["version"]:
            raise PreconditionFailed("The video changed meanwhile; read it again.")
        return video

    def stream(self, identity: Identity, video_id: str) -> dict[str, Any]:
        video = self._video(identity, video_id)
        return {"url": self._links().stream_url(video["key"], STREAM_SECONDS), "expires_in": STREAM_SECONDS}

    def list(self, identity: Identity, query: dict[str, Any]) -> dict[str, Any]:
        """One Query a page; the cursor is bound to this member, tenant and tag."""
        pages = Pages(self._cursors(), identity.user_id, identity.tenant_id, "videos", query)
        limit = query.get("limit", DEFAULT_LIMIT)
        items, last = self._library.page(identity.tenant_id, query.get("tag"), limit, pages.start)
        return {"items": [_view(item) for item in items], "next_cursor": pages.next_cursor(last)}

    def _video(self, identity: Identity, video_id: str) -> dict[str, Any]:
        # The key starts with the caller's tenant: another tenant's id finds nothing.
        video = self._library.get(identity.tenant_id, video_id) if _ID.fullmatch(video_id) else None
        if video is None:
            raise NotFound(NO_VIDEO)
        return video

"""How far a member got in each video of their tenant. Positions only move forward: players
report from several devices and retry, so a report can arrive after a later one; it is
answered with what is stored, not an error."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from chalicelib.clock import utc_now
from chalicelib.collection import Collection
from chalicelib.domains.videos.progress_store import NO_VIDEO, PositionBehind
from chalicelib.errors import InvalidInput, NotFound
from chalicelib.identity import Identity
from chalicelib.ids import PATTERN as ID_PATTERN

if TYPE_CHECKING:
    from chalicelib.cursors import CursorCodec
    from chalicelib.domains.videos.progress_store import VideoProgressStore
    from chalicelib.repositories.items import OwnedItems

_ID = re.compile(ID_PATTERN)
FIELDS = ("video_id", "tenant_id", "position_s", "completed", "updated_at")


def progress_record(item: dict[str, Any]) -> dict[str, Any]:
    """How progress appears in an export and in answers."""
    return {name: item.get(name) for name in FIELDS}


class VideoProgressService:
    def __init__(
        self,
        store: VideoProgressStore,
        listing: OwnedItems,
        cursors: Callable[[], CursorCodec],
        clock: Callable[[], str] = utc_now,
    ):
        self._store = store
        # Pages of the caller's progress through the shared collection paging (signed cursors).
        self._listing = Collection(listing, None, cursors, clock)
        self._clock = clock

    def report(self, identity: Identity, video_id: str, body: dict[str, Any]) -> dict[str, Any]:
        video, stored = self._video_and_progress(identity, video_id)
        position, completed = body["position_s"], body["completed"]
        if position > video["duration_s"]:
            raise InvalidInput(
                "The position is past the end of the video.",
                details={"position_s": [f"At most {video['duration_s']} (the video's duration_s)."]},
            )
        now = self._clock()
        try:
            self._store.advance(identity, video_id, position, completed, now)
        except PositionBehind:
            current = self._store.get(identity, video_id)
            if current is None:  # the account's data went between the two calls
                raise NotFound(NO_VIDEO) from None
            if completed and not current.get("completed"):
                current = self._store.mark_completed(identity, video_id, now)
            return progress_record(current)
        return {
            "video_id": video_id,
            "tenant_id": identity.tenant_id,
            "position_s": position,
            # Another device may have said so first; it stays so.
            "completed": completed or bool(stored and stored.get("completed")),
            "updated_at": now,
        }

    def get(self, identity: Identity, video_id: str) -> dict[str, Any]:
        _, stored = self._video_and_progress(identity, video_id)
        if stored is None:
            return {
                "video_id": video_id,
                "tenant_id": identity.tenant_id,
                "position_s": 0,
                "completed": False,
                "updated_at": None,
            }
        return progress_record(stored)

    def list(self, identity: Identity, query: dict[str, Any]) -> dict[str, Any]:
        """Most recently watched first, across every tenant the member has watched in."""
        items, cursor = self._listing.page(identity, "video-progress", query, **self._listing.items.newest_first())
        return {"items": [progress_record(item) for item in items], "next_cursor": cursor}

    def _video_and_progress(self, identity: Identity, video_id: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
        if not _ID.fullmatch(video_id):
            raise NotFound(NO_VIDEO)
        video, stored = self._store.video_and_progress(identity, video_id)
        if video is None:
            raise NotFound(NO_VIDEO)
        return video, stored

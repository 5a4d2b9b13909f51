"""The tracks in the person's export: each workout made from a file, as its full-resolution GPX
(`GET /workouts/{id}/gpx`'s content: the upload itself for a GPX, GPX 1.1 made from a TCX or FIT),
named by its date and title, in a zip beside the export's document (docs/activities.md)."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any

from chalicelib.domains.workouts.public import WORKOUTS
from chalicelib.identity import Identity

if TYPE_CHECKING:
    from chalicelib.domains.activities.store import TrackFiles

FOLDER = "tracks"
_UNSAFE = re.compile(r"[^a-z0-9]+")


def file_name(started_at: str, title: str) -> str:
    """`2026-01-05-morning-run`: the day it started (as the file gave it) and the title, in plain
    lower-case ASCII, safe in a zip on any system."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    slug = _UNSAFE.sub("-", plain).strip("-")[:60].strip("-") or "activity"
    return f"{started_at[:10]}-{slug}"


class TrackExport:
    """What the account's export job asks of activities: which workouts have a track (from the
    items it read anyway: no further read) and each track's bytes (one GET a track)."""

    name = FOLDER

    def __init__(self, tracks: TrackFiles):
        self._tracks = tracks

    def listed(self, identity: Identity, items: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
        """The export document's `tracks`: {workout_id, started_at, title, file} for every workout of
        these items with a track, each file named once (a second run of the same day and title
        gets `-2`)."""
        entries: list[dict[str, Any]] = []
        taken: set[str] = set()
        for sort_key, item in items:
            if not sort_key.startswith(WORKOUTS.prefix) or not item.get("track"):
                continue
            started_at, title = str(item.get("started_at", "")), str(item.get("title", ""))
            base = file_name(started_at, title)
            name, count = base, 1
            while name in taken:
                count += 1
                name = f"{base}-{count}"
            taken.add(name)
            entries.append(
                {"workout_id": item["id"], "started_at": started_at, "title": title, "file": f"{FOLDER}/{name}.gpx"}
            )
        return entries

    def read(self, identity: Identity, entry: dict[str, Any]) -> bytes | None:
        """The track's GPX, read from the caller's own prefix (None: gone since the items were read)."""
        return self._tracks.gpx(identity.user_id, str(entry["workout_id"]))

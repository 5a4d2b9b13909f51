"""Activity files become workouts: parsed and measured (act-core's parsing and measure modules,
imported on first use only), stored as a workout with the file's figures, the track in the bucket.

The upload is inline: a file of the inline limit is parsed, measured, simplified and stored within a
second (docs/activities.md gives the figures), so it answers 201 with the workout. The same file
twice answers 200 with the workout it became the first time.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from chalicelib.clock import utc_now
from chalicelib.domains.activities import records
from chalicelib.domains.activities.store import SameFile
from chalicelib.domains.workouts.public import WORKOUTS
from chalicelib.errors import Conflict, InvalidInput, NotFound, StrideError
from chalicelib.identity import Identity
from chalicelib.ids import PATTERN as ID_PATTERN
from chalicelib.timeline import moment_fields, without_stored_fields
from chalicelib.tracked import PreferencesSource

if TYPE_CHECKING:
    from chalicelib.collection import Collection
    from chalicelib.domains.activities.store import ActivityStore, RecordStore, TrackFiles
    from chalicelib.domains.media.public import MediaStore
    from chalicelib.jobs import JobQueue

MILE_M = 1609.344
# The sport a file names -> the workout's type (the types a manual workout has).
TYPE_OF_SPORT = {
    "running": "cardio",
    "cycling": "cardio",
    "walking": "cardio",
    "hiking": "cardio",
    "swimming": "cardio",
    "other": "other",
}
FIGURES = (
    "distance_m",
    "moving_time_s",
    "elapsed_time_s",
    "elevation_gain_m",
    "elevation_loss_m",
    "avg_speed_mps",
    "max_speed_mps",
    "avg_heart_rate",
    "max_heart_rate",
    "avg_cadence",
)
WHOLE = ("moving_time_s", "elapsed_time_s", "avg_heart_rate", "max_heart_rate", "avg_cadence")
MAX_DURATION_MIN = 1440
NO_WORKOUT = "No such workout."
PARSE_JOB = "activities.parse_upload"
_ID = re.compile(ID_PATTERN)


def _no_queue() -> JobQueue:
    raise RuntimeError("no jobs queue was given")


DEFAULT_HIDDEN_ENDS_M = 200  # the preference's default (chalicelib/domains/me/preferences_defaults.py)
NO_TRACK = "This workout has no track."


def stored_number(value: Any, places: int = 1) -> Decimal | int | None:
    """A measured float as DynamoDB keeps it: a Decimal of a few places."""
    if value is None:
        return None
    return Decimal(str(round(float(value), places)))


def _figures(measured: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in FIGURES:
        value = measured.get(name)
        if value is None:
            continue
        out[name] = round(float(value)) if name in WHOLE else stored_number(value, 2)
    return out


def _split(split: dict[str, Any]) -> dict[str, Any]:
    out = {
        "distance_m": stored_number(split["distance_m"], 1),
        "time_s": stored_number(split["time_s"], 1),
        "elevation_change_m": stored_number(split.get("elevation_change_m"), 1),
        "avg_heart_rate": None if split.get("avg_heart_rate") is None else round(float(split["avg_heart_rate"])),
    }
    return {key: value for key, value in out.items() if value is not None}


def duration_min(elapsed_s: float) -> int:
    minutes = max(1, round(elapsed_s / 60))
    if minutes > MAX_DURATION_MIN:
        raise InvalidInput("The activity lasts more than 24 hours: split it into days.", code="activity_too_long")
    return minutes


def geojson(points: Any) -> dict[str, Any]:
    """Points as a GeoJSON Feature: a LineString of [lon, lat, ele] with the matching times."""
    coordinates = []
    times = []
    for point in points:
        coordinate = [round(point.lon, 6), round(point.lat, 6)]
        if point.ele is not None:
            coordinate.append(round(point.ele, 1))
        coordinates.append(coordinate)
        times.append(point.time.isoformat().replace("+00:00", "Z") if point.time is not None else None)
    return {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": coordinates},
        "properties": {"times": times, "hidden_ends_m": 0},
    }


def without_ends(feature: dict[str, Any], metres: float) -> dict[str, Any]:
    """The track as anyone but its owner sees it: no point within `metres` of where it started or
    ended (the person's `privacy.activity_ends_m`; 0 shows all)."""
    from chalicelib.domains.activities.activity import TrackPoint
    from chalicelib.domains.activities.measure import distance_m

    coordinates = feature["geometry"]["coordinates"]
    times = feature["properties"]["times"]
    if metres <= 0 or not coordinates:
        return feature

    def point(coordinate: list[float]) -> TrackPoint:
        return TrackPoint(None, coordinate[1], coordinate[0], None, None, None)

    first, last = point(coordinates[0]), point(coordinates[-1])
    kept = [
        index
        for index, coordinate in enumerate(coordinates)
        if distance_m(first, point(coordinate)) > metres and distance_m(last, point(coordinate)) > metres
    ]
    return {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": [coordinates[index] for index in kept]},
        "properties": {"times": [times[index] for index in kept], "hidden_ends_m": metres},
    }


class ActivityService:
    def __init__(
        self,
        store: ActivityStore,
        tracks: TrackFiles,
        workouts: Collection,
        preferences: PreferencesSource,
        media: MediaStore | None = None,
        jobs: Callable[[], JobQueue] | None = None,
        now: Callable[[], str] = utc_now,
    ):
        self._store = store
        self._tracks = tracks
        self._workouts = workouts  # the workouts' collection: its ids, times and versions
        self._preferences = preferences
        self._media = media  # uploads to the bucket (POST /media/uploads, purpose activity)
        self._jobs = jobs or _no_queue
        self._now = now

    @staticmethod
    def _present(item: dict[str, Any]) -> dict[str, Any]:
        """A stored workout as GET /workouts/{id} shows it (its response schema picks the fields)."""
        return without_stored_fields(item)

    def upload(self, identity: Identity, media_type: str, data: bytes) -> tuple[dict[str, Any], bool]:
        """The workout a file becomes, and whether it is new (False: this file was uploaded before)."""
        # The parsers and their libraries: imported on the first upload, never by a cold GET.
        from chalicelib.domains.activities import gpx_out, measure, parsing, simplify

        sha256 = hashlib.sha256(data).hexdigest()
        existing, stale = self._existing(identity, sha256)
        if existing is not None:
            return existing, False
        activity = parsing.parse_activity(data, media_type)
        prefs = self._preferences.current(identity)
        split_m = MILE_M if prefs.get("units") == "imperial" else 1000.0
        measured = measure.measure(activity, split_m)
        workout = self._workout(activity, measured, measure.best_efforts(activity), sha256, prefs["timezone"])
        gpx = data if activity.format == "gpx" else gpx_out.to_gpx(activity)
        simplified = geojson(
            simplify.simplify(activity.points, simplify.DISPLAY_MAX_POINTS, simplify.DISPLAY_TOLERANCE_M)
        )
        source = None if activity.format == "gpx" else (activity.format, data)
        # The objects first, then the items: a failed write leaves at most unnamed objects under the
        # person's prefix (gone with the account), never a workout without its track.
        self._tracks.store(identity.user_id, workout["id"], gpx, simplified, source)
        try:
            self._store.create(identity, workout, sha256, stale=stale)
        except SameFile as same:
            self._tracks.delete(identity.user_id, workout["id"])
            found = self._store.workout(identity, same.workout_id)
            if found is None:  # deleted between the two reads: the client may simply send it again
                raise Conflict("The same file's workout was just deleted: send the file again.") from same
            return self._present(found), False
        except Exception:
            self._tracks.delete(identity.user_id, workout["id"])
            raise
        return self._present(workout), True

    def start_from_media(self, identity: Identity, document: Any) -> dict[str, Any]:
        """A file uploaded with POST /media/uploads (purpose `activity`): made a workout by a
        background job; the answer is the upload's state, polled at /workouts/files/{media_id}."""
        media_id = document.get("media_id") if isinstance(document, dict) else None
        if not isinstance(media_id, str) or set(document) != {"media_id"}:
            raise InvalidInput(
                'Send the file itself, or {"media_id": "<id>"} of a file uploaded with the purpose activity.',
                details={"media_id": ["Required: the id POST /media/uploads gave."]},
            )
        if (
            not _ID.fullmatch(media_id)
            or self._media is None
            or not self._media.is_ready(identity, media_id, purpose="activity")
        ):
            raise NotFound("No such media ready to be an activity (upload it with the purpose activity).")
        state, new = self._store.start_upload(identity, media_id, self._now())
        if new:
            self._jobs().submit(PARSE_JOB, {"user_id": identity.user_id, "media_id": media_id})
        return state

    def upload_state(self, identity: Identity, media_id: str) -> dict[str, Any]:
        found = self._store.upload(identity, media_id) if _ID.fullmatch(media_id) else None
        if found is None:
            raise NotFound("No such activity upload.")
        return found

    def parse_upload(self, args: dict[str, Any], remaining_seconds: Callable[[], float]) -> None:
        """The background job: the uploaded file becomes a workout (or the upload failed, with the
        error POST would have answered). Idempotent: a state already settled is left as it is."""
        from chalicelib.domains.media.public import object_key
        from chalicelib.identity import personal_tenant

        user_id, media_id = str(args["user_id"]), str(args["media_id"])
        identity = Identity(user_id=user_id, email="", tenant_id=personal_tenant(user_id), role="member")
        state = self._store.upload(identity, media_id)
        media = self._media.get(identity, media_id) if self._media is not None else None
        if state is None or state["status"] != "processing":
            return None
        data = self._tracks.read(object_key(identity, media_id)) if media is not None else None
        if media is None or data is None:
            outcome: dict[str, Any] = {
                "status": "failed",
                "error": {"code": "upload_missing", "message": "The file is gone."},
            }
        else:
            try:
                workout, _ = self.upload(identity, str(media["content_type"]), data)
                outcome = {"status": "done", "workout_id": workout["id"]}
            except StrideError as error:
                outcome = {"status": "failed", "error": {"code": error.code, "message": error.message}}
        self._store.finish_upload(identity, media_id, outcome, self._now())
        return None

    def _existing(self, identity: Identity, sha256: str) -> tuple[dict[str, Any] | None, str | None]:
        """The workout this file became, if it still exists; else, the id a file item names of a
        deleted workout (its release by the stream not done yet), which the new upload takes over."""
        named = self._store.file_workout(identity, sha256)
        if named is None:
            return None, None
        found = self._store.workout(identity, named)
        if found is None:
            return None, named
        return self._present(found), None

    def _workout(
        self, activity: Any, measured: dict[str, Any], efforts: dict[str, float], sha256: str, zone: str
    ) -> dict[str, Any]:
        from chalicelib.timeutil import parse_iso_utc

        sport = activity.sport if activity.sport in TYPE_OF_SPORT else "other"
        if not measured.get("started_at"):
            raise InvalidInput("The file's points carry no times.", code="invalid_activity_file")
        body = {
            "started_at": parse_iso_utc(str(measured["started_at"])),
            "duration_min": duration_min(float(measured.get("elapsed_time_s") or 0)),
            "type": TYPE_OF_SPORT[sport],
            "title": (activity.name or sport.capitalize())[:200],
            "exercises": [],
            "sport": sport,
            **_figures(measured),
            "splits": [_split(split) for split in measured.get("splits") or []],
            "source": {"format": activity.format, **({"device": activity.device[:200]} if activity.device else {})},
            "best_efforts": {name: stored_number(seconds, 1) for name, seconds in efforts.items()},
            "file_sha256": sha256,
            "track": {"points": len(activity.points)},
        }
        meta = self._workouts.new_meta()
        moment = moment_fields(WORKOUTS, "started_at", body.pop("started_at"), zone, meta["id"])
        return {**{key: value for key, value in body.items() if value is not None}, **meta, **moment}

    def _owned(self, identity: Identity, workout_id: str) -> dict[str, Any]:
        found = self._workouts.get(identity, workout_id)  # NotFound for another person's id
        if not found.get("track"):
            raise NotFound(NO_TRACK, code="no_track")
        return found

    def track(self, identity: Identity, workout_id: str) -> dict[str, Any]:
        """The simplified track; the owner sees all of it."""
        self._owned(identity, workout_id)
        simplified = self._tracks.simplified(identity.user_id, workout_id)
        if simplified is None:
            raise NotFound(NO_TRACK, code="no_track")
        return simplified

    def shared_track(self, owner: Identity, workout_id: str) -> dict[str, Any]:
        """The track as a view shared with someone else shows it (a coach, a business's feed):
        its ends hidden by the owner's `privacy.activity_ends_m`. No route shares a track yet
        (docs/activities.md): a view that does must answer this, never `track`."""
        feature = self.track(owner, workout_id)
        privacy = self._preferences.current(owner).get("privacy") or {}
        return without_ends(feature, float(privacy.get("activity_ends_m", DEFAULT_HIDDEN_ENDS_M)))

    def gpx(self, identity: Identity, workout_id: str) -> bytes:
        self._owned(identity, workout_id)
        data = self._tracks.gpx(identity.user_id, workout_id)
        if data is None:
            raise NotFound(NO_TRACK, code="no_track")
        return data


REBUILD_JOB = "activities.rebuild_records"
WORKOUT_PREFIX = WORKOUTS.prefix


class RecordsService:
    """Personal bests (chalicelib/domains/activities/records.py), kept from the table's stream;
    a deleted workout's track objects and file item go from there too."""

    def __init__(
        self,
        store: RecordStore,
        files: ActivityStore,
        tracks: TrackFiles,
        jobs: Callable[[], JobQueue],
        clock: Callable[[], str],
    ):
        self._store = store
        self._files = files
        self._tracks = tracks
        self._jobs = jobs
        self._clock = clock

    def current(self, identity: Identity) -> dict[str, Any]:
        held, _, updated_at = self._store.get(identity.user_id)
        return {"items": records.shown(held), "updated_at": updated_at}

    def on_stream(self, changes: Iterable[Any]) -> int:
        """Applies a batch of the table's changes (any redelivery): returns the workouts seen."""
        by_owner: dict[str, list[Any]] = {}
        for change in changes:
            if not change.sort_key.startswith(WORKOUT_PREFIX) or not change.owner:
                continue
            if records.candidates(change.new) or records.candidates(change.old) or (change.old or {}).get("track"):
                by_owner.setdefault(change.owner, []).append(change)
        for owner, owned in by_owner.items():
            self._apply(owner, owned)
            for change in owned:
                self._release(owner, change)
        return sum(len(owned) for owned in by_owner.values())

    def _apply(self, user_id: str, changes: list[Any]) -> None:
        for _ in range(5):  # a concurrent batch or rebuild wrote first: read again
            held, version, _ = self._store.get(user_id, consistent=True)
            unknown = False
            for change in changes:
                workout_id = change.sort_key[len(WORKOUT_PREFIX) :]
                held, lost = records.apply(held, workout_id, change.new)
                unknown = unknown or lost
            if self._store.put(user_id, held, version, self._clock()):
                if unknown:
                    self._jobs().submit(REBUILD_JOB, {"user_id": user_id})
                return
        raise RuntimeError("the records kept changing: the batch is retried")

    def _release(self, user_id: str, change: Any) -> None:
        """A deleted workout from a file: its track objects and its file item go."""
        old = change.old or {}
        if change.new is None and old.get("track"):
            workout_id = change.sort_key[len(WORKOUT_PREFIX) :]
            self._tracks.delete(user_id, workout_id)
            if old.get("file_sha256"):
                self._files.release_file(user_id, str(old["file_sha256"]), workout_id)

    def rebuild(self, args: dict[str, Any], remaining_seconds: Callable[[], float]) -> dict[str, Any] | None:
        """The background job: reads every workout of the person, a page at a time, and writes the
        records anew (a continuation carries what was read so far)."""
        user_id = str(args["user_id"])
        partial: dict[str, Any] = records.loaded(args.get("records") or {})
        start = args.get("start")
        _, version, _ = self._store.get(user_id, consistent=True)
        if "version" in args and int(args["version"]) != version:
            return {"user_id": user_id}  # changed while it was read: start again
        while True:
            page, start = self._store.workouts_page(user_id, start)
            for workout in page:
                partial, _ = records.apply(partial, str(workout["id"]), workout)
            if start is None:
                break
            if remaining_seconds() < 5:
                return {"user_id": user_id, "records": records.dumped(partial), "start": start, "version": version}
        if not self._store.put(user_id, partial, version, self._clock()):
            return {"user_id": user_id}
        return None

from __future__ import annotations

from typing import Any

from chalicelib import deps
from chalicelib.api.body import Payload
from chalicelib.api.router import Accepted, Answer, Document, Router
from chalicelib.identity import Identity

router = Router("activities")
_SCHEMAS = "chalicelib.domains.activities.schemas"


@router.route(
    "/workouts/files",
    "POST",
    summary=(
        "A workout from an activity file (GPX, TCX or FIT as the body): 201 new, 200 the same file again;"
        ' or {"media_id"} of an uploaded one: 202, poll the Location'
    ),
    raw_body=("application/gpx+xml", "application/vnd.garmin.tcx+xml", "application/vnd.ant.fit", "application/json"),
    raw_shapes=(
        ("application/json", f"{_SCHEMAS}:FILE_REFERENCE"),
        ("application/gpx+xml", f"{_SCHEMAS}:FILE_SHAPE"),
        ("application/vnd.garmin.tcx+xml", f"{_SCHEMAS}:FILE_SHAPE"),
        ("application/vnd.ant.fit", f"{_SCHEMAS}:FILE_SHAPE"),
    ),
    response="chalicelib.domains.workouts.schemas:Workout",
    status=201,
    also=(200,),  # the same file again: the workout it became the first time
    accepted=f"{_SCHEMAS}:ActivityUpload",
    errors=(400, 404, 409, 413, 415),
    budget={
        "dynamodb.GetItem": 1,
        "s3.PutObject": 2,
        "dynamodb.TransactWriteItems": 1,
    },
)
def upload_activity(identity: Identity, payload: Payload) -> Any:
    if payload.media_type == "application/json":
        state = deps.activities().start_from_media(identity, payload.document)
        return Accepted(state, f"/workouts/files/{state['id']}")
    workout, new = deps.activities().upload(identity, payload.media_type, payload.data)
    return workout if new else Answer(workout, 200)


@router.route(
    "/workouts/files/{media_id}",
    "GET",
    summary="An uploaded activity file being made a workout: processing, done (workout_id) or failed (error)",
    response=f"{_SCHEMAS}:ActivityUpload",
    errors=(404,),
    budget={"dynamodb.GetItem": 1},
)
def activity_upload(identity: Identity, media_id: str) -> dict[str, Any]:
    return deps.activities().upload_state(identity, media_id)


@router.route(
    "/workouts/{workout_id}/track",
    "GET",
    summary="The workout's route, simplified, as a GeoJSON Feature (LineString of [lon, lat, ele], with times)",
    response=f"{_SCHEMAS}:Track",
    errors=(404,),
    budget={"dynamodb.GetItem": 1, "s3.GetObject": 1},
)
def workout_track(identity: Identity, workout_id: str) -> dict[str, Any]:
    return deps.activities().track(identity, workout_id)


@router.route(
    "/workouts/{workout_id}/gpx",
    "GET",
    summary="The workout's full-resolution track as GPX (application/gpx+xml)",
    produces="application/gpx+xml",
    errors=(404,),
    budget={"dynamodb.GetItem": 1, "s3.GetObject": 1},
)
def workout_gpx(identity: Identity, workout_id: str) -> Document:
    return Document(deps.activities().gpx(identity, workout_id), "application/gpx+xml")


@router.route(
    "/me/records",
    "GET",
    summary="Personal bests across all workouts, each naming its workout",
    response=f"{_SCHEMAS}:PersonalRecords",
    budget={"dynamodb.GetItem": 1},
)
def personal_records(identity: Identity) -> dict[str, Any]:
    return deps.activity_records().current(identity)

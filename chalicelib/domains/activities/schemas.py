from __future__ import annotations

from marshmallow import fields, validate

from chalicelib.schemas.common import ResponseSchema

# The media types POST /workouts/files takes as its body (act-core's parsing.MEDIA_TYPES).
FILE_TYPES = ("application/gpx+xml", "application/vnd.garmin.tcx+xml", "application/vnd.ant.fit")
FILE_SHAPE = {"type": "string", "format": "binary", "description": "The activity file itself"}
RECORD_NAMES = (
    "1k",
    "1mile",
    "5k",
    "10k",
    "half_marathon",
    "marathon",
    "longest_distance",
    "biggest_climb",
)


class Geometry(ResponseSchema):
    type = fields.String(required=True, validate=validate.OneOf(("LineString",)))
    coordinates = fields.List(fields.List(fields.Float()), required=True)


class TrackProperties(ResponseSchema):
    times = fields.List(fields.String(allow_none=True), required=True)
    hidden_ends_m = fields.Float(required=True)


class Track(ResponseSchema):
    """A GeoJSON Feature (RFC 7946): the route as a LineString of [lon, lat, ele], simplified."""

    type = fields.String(required=True, validate=validate.OneOf(("Feature",)))
    geometry = fields.Nested(Geometry, required=True)
    properties = fields.Nested(TrackProperties, required=True)


class PersonalRecord(ResponseSchema):
    name = fields.String(required=True, validate=validate.OneOf(RECORD_NAMES))
    value = fields.Float(required=True, metadata={"description": "Seconds for a distance, metres otherwise"})
    unit = fields.String(required=True, validate=validate.OneOf(("s", "m")))
    workout_id = fields.String(required=True)
    started_at = fields.String(required=True)


class PersonalRecords(ResponseSchema):
    items = fields.List(fields.Nested(PersonalRecord), required=True)
    updated_at = fields.String(required=True, allow_none=True, metadata={"format": "date-time"})


FILE_REFERENCE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["media_id"],
    "properties": {"media_id": {"type": "string", "description": "From POST /media/uploads, purpose activity"}},
}


class UploadError(ResponseSchema):
    code = fields.String(required=True)
    message = fields.String(required=True)


class ActivityUpload(ResponseSchema):
    """A file uploaded to the bucket being made a workout in the background."""

    id = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(("processing", "done", "failed")))
    workout_id = fields.String()
    error = fields.Nested(UploadError)
    created_at = fields.String(required=True, metadata={"format": "date-time"})
    updated_at = fields.String(required=True, metadata={"format": "date-time"})

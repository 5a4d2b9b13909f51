from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validate, validates_schema

from chalicelib.schemas.common import AT_LEAST_ONE_FIELD, Moment, Number, ResponseSchema, StrictInteger, StrictSchema
from chalicelib.schemas.records import RecordMeta
from chalicelib.schemas.tracking import RangeQuery
from chalicelib.units import UNITS

TYPES = ("strength", "cardio", "hiit", "mobility", "sport", "other")
# What an activity file records (issue 28); a manual workout may name one too.
SPORTS = ("running", "cycling", "walking", "hiking", "swimming", "other")
SOURCE_FORMATS = ("gpx", "tcx", "fit")
MAX_DISTANCE_M = 2_000_000  # 2,000 km: beyond any day's ride
MAX_SPLITS = 2_000
EFFORTS = ("1k", "1mile", "5k", "10k", "half_marathon", "marathon")
MAX_EXERCISES = 50
MAX_SETS = 50


class Load(StrictSchema):
    value = Number(places=3, minimum=0, maximum=1200, required=True)
    unit = fields.String(required=True, validate=validate.OneOf(UNITS))


class SetInput(StrictSchema):
    OPENAPI_EXTRA = AT_LEAST_ONE_FIELD

    reps = StrictInteger(validate=validate.Range(min=0, max=1000))
    weight = fields.Nested(Load)
    duration_s = StrictInteger(validate=validate.Range(min=0, max=86_400))
    distance_m = Number(places=1, minimum=0, maximum=1_000_000)

    @validates_schema
    def not_empty(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not data:
            raise ValidationError("A set needs reps, weight, duration_s or distance_m.")


class ExerciseInput(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    sets = fields.List(fields.Nested(SetInput), validate=validate.Length(max=MAX_SETS), load_default=list)


_workout_fields: dict[str, Any] = {
    "exercises": lambda: fields.List(
        fields.Nested(ExerciseInput), validate=validate.Length(max=MAX_EXERCISES), load_default=list
    ),
    "perceived_effort": lambda: StrictInteger(validate=validate.Range(min=1, max=10), allow_none=True),
    "calories": lambda: StrictInteger(validate=validate.Range(min=0, max=20_000), allow_none=True),
    "notes": lambda: fields.String(validate=validate.Length(max=2000), allow_none=True),
    "sport": lambda: fields.String(validate=validate.OneOf(SPORTS), allow_none=True),
    "distance_m": lambda: Number(places=1, minimum=0, maximum=MAX_DISTANCE_M, allow_none=True),
}


class WorkoutInput(StrictSchema):
    started_at = Moment(required=True)
    duration_min = StrictInteger(required=True, validate=validate.Range(min=1, max=1440))
    type = fields.String(required=True, validate=validate.OneOf(TYPES))
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    exercises = _workout_fields["exercises"]()
    perceived_effort = _workout_fields["perceived_effort"]()
    calories = _workout_fields["calories"]()
    notes = _workout_fields["notes"]()
    sport = _workout_fields["sport"]()
    distance_m = _workout_fields["distance_m"]()


class WorkoutPatch(StrictSchema):
    OPENAPI_EXTRA = AT_LEAST_ONE_FIELD

    started_at = Moment()
    duration_min = StrictInteger(validate=validate.Range(min=1, max=1440))
    type = fields.String(validate=validate.OneOf(TYPES))
    title = fields.String(validate=validate.Length(min=1, max=200))
    exercises = fields.List(fields.Nested(ExerciseInput), validate=validate.Length(max=MAX_EXERCISES))
    perceived_effort = _workout_fields["perceived_effort"]()
    calories = _workout_fields["calories"]()
    notes = _workout_fields["notes"]()
    sport = _workout_fields["sport"]()
    distance_m = _workout_fields["distance_m"]()


class WorkoutsQuery(RangeQuery):
    pass


class LoadOut(ResponseSchema):
    value = fields.Float(required=True)
    unit = fields.String(required=True)


class SetOut(ResponseSchema):
    reps = fields.Integer()
    weight = fields.Nested(LoadOut)
    duration_s = fields.Integer()
    distance_m = fields.Float()


class ExerciseOut(ResponseSchema):
    name = fields.String(required=True)
    sets = fields.List(fields.Nested(SetOut), required=True)


class SplitOut(ResponseSchema):
    distance_m = fields.Float(required=True)
    time_s = fields.Float(required=True)
    elevation_change_m = fields.Float(allow_none=True)
    avg_heart_rate = fields.Integer(allow_none=True)


class SourceOut(ResponseSchema):
    format = fields.String(required=True, validate=validate.OneOf(SOURCE_FORMATS))
    device = fields.String(allow_none=True)


class Workout(ResponseSchema):
    id = fields.String(required=True)
    started_at = fields.String(required=True)
    duration_min = fields.Integer(required=True)
    type = fields.String(required=True, validate=validate.OneOf(TYPES))
    title = fields.String(required=True)
    exercises = fields.List(fields.Nested(ExerciseOut), required=True)
    perceived_effort = fields.Integer()
    calories = fields.Integer()
    notes = fields.String()
    # From an activity file (POST /workouts/files); distance_m and sport may be given by hand too.
    sport = fields.String(validate=validate.OneOf(SPORTS))
    distance_m = fields.Float()
    moving_time_s = fields.Integer()
    elapsed_time_s = fields.Integer()
    elevation_gain_m = fields.Float()
    elevation_loss_m = fields.Float()
    avg_speed_mps = fields.Float()
    max_speed_mps = fields.Float()
    avg_heart_rate = fields.Integer()
    max_heart_rate = fields.Integer()
    avg_cadence = fields.Integer()
    splits = fields.List(fields.Nested(SplitOut))
    source = fields.Nested(SourceOut)
    created_at = fields.String(required=True, metadata={"format": "date-time"})
    updated_at = fields.String(required=True, metadata={"format": "date-time"})
    version = fields.Integer(required=True)


class WorkoutPage(ResponseSchema):
    items = fields.List(fields.Nested(Workout), required=True)
    next_cursor = fields.String(required=True, allow_none=True)


class SplitRecord(StrictSchema):
    distance_m = Number(places=3, minimum=0, maximum=MAX_DISTANCE_M, required=True)
    time_s = Number(places=3, minimum=0, maximum=10**7, required=True)
    elevation_change_m = Number(places=3, minimum=-10_000, maximum=10_000, allow_none=True)
    avg_heart_rate = StrictInteger(validate=validate.Range(min=0, max=300), allow_none=True)


class SourceRecord(StrictSchema):
    format = fields.String(required=True, validate=validate.OneOf(SOURCE_FORMATS))
    device = fields.String(validate=validate.Length(max=200), allow_none=True)


# Fastest seconds over each standard distance, by its name (`5k`: not a Python name, so built from
# a dict); any other key is refused, as the document says.
BestEfforts = StrictSchema.from_dict(
    {name: Number(places=3, minimum=0, maximum=10**7) for name in EFFORTS}, name="BestEfforts"
)


def _seconds() -> Any:
    return StrictInteger(validate=validate.Range(min=0, max=10**7), allow_none=True)


def _figure(maximum: float) -> Any:
    return Number(places=3, minimum=0, maximum=maximum, allow_none=True)


def _rate() -> Any:
    return StrictInteger(validate=validate.Range(min=0, max=300), allow_none=True)


class WorkoutRecord(RecordMeta, WorkoutInput):
    """A workout as the export has it: with an activity file's figures, which an import keeps
    (the track itself travels beside it, as GPX: docs/activities.md)."""

    distance_m = Number(places=3, minimum=0, maximum=MAX_DISTANCE_M, allow_none=True)
    moving_time_s = _seconds()
    elapsed_time_s = _seconds()
    elevation_gain_m = _figure(20_000)
    elevation_loss_m = _figure(20_000)
    avg_speed_mps = _figure(1_000)
    max_speed_mps = _figure(1_000)
    avg_heart_rate = _rate()
    max_heart_rate = _rate()
    avg_cadence = _rate()
    splits = fields.List(fields.Nested(SplitRecord), validate=validate.Length(max=MAX_SPLITS), allow_none=True)
    source = fields.Nested(SourceRecord, allow_none=True)
    # Fastest seconds over the standard distances the file covers: what personal records are made of.
    best_efforts = fields.Nested(BestEfforts, allow_none=True)

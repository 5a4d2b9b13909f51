from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validate, validates_schema

from chalicelib.schemas.common import AT_LEAST_ONE_FIELD, Moment, Number, ResponseSchema, StrictInteger, StrictSchema
from chalicelib.schemas.records import RecordMeta
from chalicelib.schemas.tracking import RangeQuery
from chalicelib.units import UNITS

TYPES = ("strength", "cardio", "hiit", "mobility", "sport", "other")
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
    created_at = fields.String(required=True, metadata={"format": "date-time"})
    updated_at = fields.String(required=True, metadata={"format": "date-time"})
    version = fields.Integer(required=True)


class WorkoutPage(ResponseSchema):
    items = fields.List(fields.Nested(Workout), required=True)
    next_cursor = fields.String(required=True, allow_none=True)


class WorkoutRecord(RecordMeta, WorkoutInput):
    pass

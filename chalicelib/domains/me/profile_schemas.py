"""Profile bodies. In a PATCH, null removes a field; in a PUT, an absent or null field is removed."""

from __future__ import annotations

from datetime import date
from typing import Any

from marshmallow import ValidationError, fields, validate

from chalicelib import clock
from chalicelib.schemas.common import (
    AT_LEAST_ONE_FIELD,
    Moment,
    Number,
    ResponseSchema,
    StrictInteger,
    StrictSchema,
    WholeMatch,
)

SEXES = ("female", "male", "intersex", "prefer_not_to_say")
EARLIEST_BIRTH_DATE = date(1900, 1, 1)


def _validate_birth_date(value: date) -> None:
    if not EARLIEST_BIRTH_DATE < value < clock.today():
        raise ValidationError("Must be a date after 1900-01-01 and in the past.")


class Goals(StrictSchema):
    target_weight_kg = Number(places=2, minimum=20, maximum=500, allow_none=True)
    target_body_fat_pct = Number(places=1, minimum=2, maximum=75, allow_none=True)
    weekly_workouts = StrictInteger(validate=validate.Range(min=0, max=14), allow_none=True)
    daily_steps = StrictInteger(validate=validate.Range(min=0, max=100_000), allow_none=True)


class ProfileInput(StrictSchema):
    display_name = fields.String(validate=validate.Length(min=1, max=80), allow_none=True)
    birth_date = Moment(
        date_only=True,
        validate=_validate_birth_date,
        allow_none=True,
        metadata={"description": "A date after 1900-01-01 and in the past"},
    )
    sex = fields.String(validate=validate.OneOf(SEXES), allow_none=True)
    height_cm = Number(places=1, minimum=50, maximum=272, allow_none=True)
    bio = fields.String(validate=validate.Length(max=1000), allow_none=True)
    goals = fields.Nested(Goals, allow_none=True)
    avatar_media_id = fields.String(
        validate=WholeMatch(r"^[A-Za-z0-9_-]{1,64}$", error="Not a valid media id."), allow_none=True
    )


class ProfilePatch(ProfileInput):
    OPENAPI_EXTRA = AT_LEAST_ONE_FIELD


def to_storage(fields_in: dict[str, Any]) -> dict[str, Any]:
    """Dates are stored as ISO strings; everything else as loaded."""
    stored = dict(fields_in)
    if isinstance(stored.get("birth_date"), date):
        stored["birth_date"] = stored["birth_date"].isoformat()
    return stored


class GoalsOut(ResponseSchema):
    target_weight_kg = Number(places=2, minimum=20, maximum=500)
    target_body_fat_pct = Number(places=1, minimum=2, maximum=75)
    weekly_workouts = fields.Integer()
    daily_steps = fields.Integer()


class Profile(ResponseSchema):
    id = fields.String(required=True)
    display_name = fields.String()
    birth_date = fields.String(metadata={"format": "date"})
    sex = fields.String(validate=validate.OneOf(SEXES))
    height_cm = Number(places=1, minimum=50, maximum=272)
    bio = fields.String()
    goals = fields.Nested(GoalsOut, required=True)
    avatar_media_id = fields.String()
    created_at = fields.String(required=True, metadata={"format": "date-time"})
    updated_at = fields.String(required=True, metadata={"format": "date-time"})
    version = fields.Integer(required=True)

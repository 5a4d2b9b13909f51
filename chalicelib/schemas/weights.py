from __future__ import annotations

from marshmallow import fields, validate

from chalicelib.schemas.common import Moment, Number, ResponseSchema, StrictSchema
from chalicelib.schemas.tracking import RangeQuery

UNITS = ("kg", "lb")


class WeightValue(StrictSchema):
    # Broad here; the plausible range (20-500 kg) is checked after conversion to kg.
    value = Number(places=3, minimum=1, maximum=1200, required=True)
    unit = fields.String(required=True, validate=validate.OneOf(UNITS))


class WeightInput(StrictSchema):
    measured_at = Moment(required=True)
    weight = fields.Nested(WeightValue, required=True)
    body_fat_pct = Number(places=1, minimum=2, maximum=75, allow_none=True)
    note = fields.String(validate=validate.Length(max=500), allow_none=True)


class WeightPatch(StrictSchema):
    measured_at = Moment()
    weight = fields.Nested(WeightValue)
    body_fat_pct = Number(places=1, minimum=2, maximum=75, allow_none=True)
    note = fields.String(validate=validate.Length(max=500), allow_none=True)


class WeightsQuery(RangeQuery):
    pass


class WeightShown(ResponseSchema):
    value = fields.Float(required=True)
    unit = fields.String(required=True, validate=validate.OneOf(UNITS))


class Weight(ResponseSchema):
    id = fields.String(required=True)
    measured_at = fields.String(required=True, metadata={"description": "As given: a date, or a date-time with offset"})
    weight = fields.Nested(WeightShown, required=True, metadata={"description": "In the caller's preferred units"})
    weight_kg = fields.Float(required=True, metadata={"description": "Canonical kilograms"})
    body_fat_pct = fields.Float()
    note = fields.String()
    created_at = fields.String(required=True, metadata={"format": "date-time"})
    updated_at = fields.String(required=True, metadata={"format": "date-time"})
    version = fields.Integer(required=True)


class WeightPage(ResponseSchema):
    items = fields.List(fields.Nested(Weight), required=True)
    next_cursor = fields.String(required=True, allow_none=True)

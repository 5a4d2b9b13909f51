from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from marshmallow import fields, validate

from chalicelib.limits import MAX_KG, MIN_KG
from chalicelib.schemas.common import AT_LEAST_ONE_FIELD, Moment, Number, ResponseSchema, StrictSchema
from chalicelib.schemas.records import RecordMeta
from chalicelib.schemas.tracking import RangeQuery
from chalicelib.units import KG_PER_LB, UNITS

WEIGHT_PLACES = 3


def _plausible_in(unit: str) -> dict[str, float]:
    """The weights (at most three decimals) that convert into MIN_KG..MAX_KG."""
    low, high = (MIN_KG, MAX_KG) if unit == "kg" else (MIN_KG / KG_PER_LB, MAX_KG / KG_PER_LB)
    step = Decimal(1).scaleb(-WEIGHT_PLACES)
    return {
        "minimum": float(low.quantize(step, rounding=ROUND_CEILING)),
        "maximum": float(high.quantize(step, rounding=ROUND_FLOOR)),
    }


class WeightValue(StrictSchema):
    # Broad here; the plausible range (20-500 kg) is checked after conversion to kg.
    value = Number(places=WEIGHT_PLACES, minimum=1, maximum=1200, required=True)
    unit = fields.String(required=True, validate=validate.OneOf(UNITS))

    OPENAPI_EXTRA = {
        "oneOf": [
            {"properties": {"unit": {"const": unit}, "value": _plausible_in(unit)}, "required": ["unit", "value"]}
            for unit in UNITS
        ]
    }


class WeightInput(StrictSchema):
    measured_at = Moment(required=True)
    weight = fields.Nested(WeightValue, required=True)
    body_fat_pct = Number(places=1, minimum=2, maximum=75, allow_none=True)
    note = fields.String(validate=validate.Length(max=500), allow_none=True)


class WeightPatch(StrictSchema):
    OPENAPI_EXTRA = AT_LEAST_ONE_FIELD

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


class WeightRecord(RecordMeta, WeightInput):
    pass

from __future__ import annotations

from marshmallow import fields

from chalicelib.schemas.common import ResponseSchema


class Health(ResponseSchema):
    status = fields.String(required=True)

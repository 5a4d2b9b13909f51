"""What every exported record carries besides what POST takes: its id, times and version."""

from __future__ import annotations

from marshmallow import fields, validate

from chalicelib.ids import PATTERN as ID_PATTERN
from chalicelib.schemas.common import Moment, StrictInteger, StrictSchema, WholeMatch


class RecordMeta(StrictSchema):
    id = fields.String(required=True, validate=WholeMatch(ID_PATTERN, error="Not a Stride id."))
    created_at = Moment()
    updated_at = Moment()
    # A count of edits: JavaScript's largest exact integer is far beyond any, and within what the
    # API parses at all (fewer than 10**31, which make fuzz found a version past).
    version = StrictInteger(validate=validate.Range(min=1, max=2**53 - 1))

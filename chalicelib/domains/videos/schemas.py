"""The video library of a tenant, and each member's progress through its videos."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validate, validates, validates_schema

from chalicelib.ids import PATTERN as ID_PATTERN
from chalicelib.schemas.common import ResponseSchema, StrictBoolean, StrictInteger, StrictSchema, WholeMatch
from chalicelib.schemas.tracking import PageQuery

MAX_TAGS = 10
TAG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
MAX_DURATION_S = 24 * 3600
_tag = fields.String(
    validate=[
        validate.Length(min=1, max=32),
        WholeMatch(TAG_PATTERN, error="A tag is a lower-case slug: letters, digits and single hyphens."),
    ]
)


class VideoInput(StrictSchema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    description = fields.String(validate=validate.Length(max=5000), load_default="")
    tags = fields.List(_tag, validate=validate.Length(max=MAX_TAGS), load_default=list)
    duration_s = StrictInteger(required=True, validate=validate.Range(min=1, max=MAX_DURATION_S))
    media_id = fields.String(required=True, validate=WholeMatch(ID_PATTERN, error="Not a media id."))

    @validates("tags")
    def distinct(self, tags: list[str], **kwargs: Any) -> None:
        if len(set(tags)) != len(tags):
            raise ValidationError("Each tag once.")


class VideoPatch(StrictSchema):
    """What an edit may change: the file, its length and who added it stay."""

    title = fields.String(validate=validate.Length(min=1, max=200))
    description = fields.String(validate=validate.Length(max=5000))
    tags = fields.List(_tag, validate=validate.Length(max=MAX_TAGS))

    @validates("tags")
    def distinct(self, tags: list[str], **kwargs: Any) -> None:
        if len(set(tags)) != len(tags):
            raise ValidationError("Each tag once.")

    @validates_schema
    def changes_something(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not data:
            raise ValidationError("Give at least one of title, description, tags.")


class Video(ResponseSchema):
    id = fields.String(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    tags = fields.List(fields.String(), required=True)
    duration_s = fields.Integer(required=True)
    content_type = fields.String(required=True)
    size_bytes = fields.Integer(required=True)
    created_by = fields.String(required=True)
    created_at = fields.String(required=True, metadata={"format": "date-time"})
    updated_at = fields.String(required=True, metadata={"format": "date-time"})
    version = fields.Integer(required=True)


class VideoPage(ResponseSchema):
    items = fields.List(fields.Nested(Video), required=True)
    next_cursor = fields.String(required=True, allow_none=True)


class VideoQuery(PageQuery):
    tag = fields.String(validate=[validate.Length(min=1, max=32), WholeMatch(TAG_PATTERN, error="Not a tag.")])


class VideoStream(ResponseSchema):
    url = fields.String(required=True)
    expires_in = fields.Integer(required=True)


class ProgressInput(StrictSchema):
    # Whole seconds into the video; checked against the video's duration_s by the service.
    position_s = StrictInteger(required=True, validate=validate.Range(min=0, max=MAX_DURATION_S))
    completed = StrictBoolean(load_default=False)


class Progress(ResponseSchema):
    video_id = fields.String(required=True)
    tenant_id = fields.String(required=True)
    position_s = fields.Integer(required=True)
    completed = fields.Boolean(required=True)
    # null until the member first reports a position.
    updated_at = fields.String(required=True, allow_none=True, metadata={"format": "date-time"})


class ProgressPage(ResponseSchema):
    items = fields.List(fields.Nested(Progress), required=True)
    next_cursor = fields.String(required=True, allow_none=True)


class ProgressQuery(PageQuery):
    pass

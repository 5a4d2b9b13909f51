from __future__ import annotations

from marshmallow import fields, validate

from chalicelib.ids import PATTERN as ID_PATTERN
from chalicelib.limits import UPLOAD_LIMITS as LIMITS
from chalicelib.schemas.common import AT_LEAST_ONE_FIELD, ResponseSchema, StrictInteger, StrictSchema, WholeMatch
from chalicelib.schemas.tracking import PageQuery

VISIBILITIES = ("tenant", "private")
MAX_MEDIA = 4


class PostInput(StrictSchema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    media_ids = fields.List(
        fields.String(validate=WholeMatch(ID_PATTERN, error="Not a media id.")),
        validate=validate.Length(max=MAX_MEDIA),
        load_default=list,
        metadata={"uniqueItems": True, "description": "Ready `post` images of yours"},
    )
    visibility = fields.String(validate=validate.OneOf(VISIBILITIES), load_default="tenant")


class PostPatch(StrictSchema):
    OPENAPI_EXTRA = AT_LEAST_ONE_FIELD

    text = fields.String(validate=validate.Length(min=1, max=2000))
    visibility = fields.String(validate=validate.OneOf(VISIBILITIES))


class Post(ResponseSchema):
    id = fields.String(required=True)
    author_id = fields.String(required=True)
    author_name = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "The profile's display name as it is now (null: no profile, a deleted account)"},
    )
    text = fields.String(required=True)
    media_ids = fields.List(fields.String(), required=True)
    visibility = fields.String(required=True, validate=validate.OneOf(VISIBILITIES))
    like_count = fields.Integer(required=True)
    comment_count = fields.Integer(required=True)
    liked_by_me = fields.Boolean(required=True)
    personal = fields.Boolean(
        required=True,
        metadata={
            "description": (
                "Your own post from your personal space, made before you founded or joined this business: "
                "shown in your feed only, and read-only from the business (its likes and comments stay there)"
            )
        },
    )
    created_at = fields.String(required=True, metadata={"format": "date-time"})
    updated_at = fields.String(required=True, metadata={"format": "date-time"})
    version = fields.Integer(required=True)


class PostPage(ResponseSchema):
    items = fields.List(fields.Nested(Post), required=True)
    next_cursor = fields.String(required=True, allow_none=True)


class Like(ResponseSchema):
    user_id = fields.String(required=True)
    name = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "The profile's display name as it is now (null: no profile, a deleted account)"},
    )
    created_at = fields.String(required=True, metadata={"format": "date-time"})


class LikePage(ResponseSchema):
    items = fields.List(fields.Nested(Like), required=True)
    next_cursor = fields.String(required=True, allow_none=True)


class CommentInput(StrictSchema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=1000))


class CommentPatch(StrictSchema):
    """The comment's new text: the same rules as writing it."""

    text = fields.String(required=True, validate=validate.Length(min=1, max=1000))


class Comment(ResponseSchema):
    id = fields.String(required=True)
    post_id = fields.String(required=True)
    author_id = fields.String(required=True)
    author_name = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "The profile's display name as it is now (null: no profile, a deleted account)"},
    )
    text = fields.String(required=True)
    created_at = fields.String(required=True, metadata={"format": "date-time"})
    edited_at = fields.String(
        required=True,
        allow_none=True,
        metadata={"format": "date-time", "description": "When its author last changed the text (null: never)"},
    )
    version = fields.Integer(
        required=True, metadata={"description": "Goes up with each edit; send it as If-Match to edit"}
    )


class CommentPage(ResponseSchema):
    items = fields.List(fields.Nested(Comment), required=True)
    next_cursor = fields.String(required=True, allow_none=True)


class FeedQuery(PageQuery):
    pass


class UploadInput(StrictSchema):
    purpose = fields.String(required=True, validate=validate.OneOf(tuple(LIMITS)))
    content_type = fields.String(required=True, validate=validate.Length(min=1, max=100))
    size_bytes = StrictInteger(required=True, validate=validate.Range(min=1, max=10**12))

    # The service checks the type (400 `unsupported_media`) and the size (413) the purpose allows.
    OPENAPI_EXTRA = {
        "oneOf": [
            {
                "properties": {
                    "purpose": {"const": purpose},
                    "content_type": {"enum": list(types)},
                    "size_bytes": {"maximum": limit},
                },
                "required": ["purpose", "content_type", "size_bytes"],
            }
            for purpose, (limit, types) in LIMITS.items()
        ]
    }


class UploadForm(ResponseSchema):
    url = fields.String(required=True)
    fields_ = fields.Dict(keys=fields.String(), values=fields.String(), required=True, data_key="fields")


class Upload(ResponseSchema):
    media_id = fields.String(required=True)
    upload = fields.Nested(UploadForm, required=True)
    expires_in = fields.Integer(required=True)


class Media(ResponseSchema):
    id = fields.String(required=True)
    purpose = fields.String(required=True)
    content_type = fields.String(required=True)
    size_bytes = fields.Integer(required=True)
    status = fields.String(required=True)
    created_at = fields.String(required=True, metadata={"format": "date-time"})


class MediaLink(ResponseSchema):
    url = fields.String(required=True)
    expires_in = fields.Integer(required=True)

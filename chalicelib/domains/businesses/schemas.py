from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validate, validates_schema

from chalicelib.identity import ROLES
from chalicelib.schemas.common import Email, ResponseSchema, StrictBoolean, StrictSchema, WholeMatch
from chalicelib.schemas.tracking import PageQuery

# One line, not blank, no space at either end: a name goes into e-mail subjects (invitations),
# where a line break is refused, so no control or line-separator characters. Spelled out rather
# than \s: Python's and JSON Schema's (ECMA) differ on a few characters.
NAME_PATTERN = (
    r"^[^\u0000-\u0020\u007f\u0085\u2028\u2029]"
    r"(?:[^\u0000-\u001f\u007f\u0085\u2028\u2029]*[^\u0000-\u0020\u007f\u0085\u2028\u2029])?$"
)
_name = [
    validate.Length(min=1, max=120),
    WholeMatch(NAME_PATTERN, error="Must be one line, with no control characters and no space at either end."),
]
_id = validate.Length(min=1, max=64)
_role = validate.OneOf(ROLES)


class BusinessInput(StrictSchema):
    name = fields.String(required=True, validate=_name)
    # A location of a chain: only an admin of the chain may add one, naming its first admin.
    parent_business_id = fields.String(validate=_id)
    admin_email = Email()

    OPENAPI_EXTRA = {
        "dependentRequired": {"parent_business_id": ["admin_email"], "admin_email": ["parent_business_id"]}
    }

    @validates_schema
    def location_names_its_admin(self, data: dict[str, Any], **kwargs: Any) -> None:
        if bool(data.get("parent_business_id")) != bool(data.get("admin_email")):
            raise ValidationError(
                "A location names its first admin: give parent_business_id and admin_email together.",
                field_name="admin_email",
            )


class Business(ResponseSchema):
    id = fields.String(required=True)
    name = fields.String(required=True)
    parent_business_id = fields.String(required=True, allow_none=True)
    created_at = fields.String(required=True)


class InviteInput(StrictSchema):
    email = Email(required=True)
    role = fields.String(required=True, validate=_role)
    # E-mail the invitation (a link to the web app's join screen with the code) as well.
    send_email = StrictBoolean(load_default=False)


EMAIL_STATUSES = ("sent", "suppressed", "rejected", "failed", "not_requested", "not_configured")


class Invite(ResponseSchema):
    id = fields.String(required=True)
    # Whether it was e-mailed: sent; suppressed (the address bounced or complained: no mail goes
    # to it); rejected or failed (SES refused it, or did not answer); not_requested; not_configured.
    email_status = fields.String(required=True, validate=validate.OneOf(EMAIL_STATUSES))
    code = fields.String(required=True)
    business_id = fields.String(required=True)
    email = fields.String(required=True)
    role = fields.String(required=True)
    expires_at = fields.String(required=True)


class CreatedBusiness(ResponseSchema):
    business = fields.Nested(Business, required=True)
    # The caller's role in it (a chain admin adding a location stays where they are: null).
    role = fields.String(required=True, allow_none=True)
    # For a location: the invitation its first admin accepts.
    admin_invite = fields.Nested(Invite, required=True, allow_none=True)
    message = fields.String(required=True)


class Member(ResponseSchema):
    user_id = fields.String(required=True)
    name = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "The profile's display name as it is now (null: no profile)"},
    )
    email = fields.String(required=True)
    role = fields.String(required=True)
    joined_at = fields.String(required=True)


class MemberPage(ResponseSchema):
    items = fields.List(fields.Nested(Member), required=True)
    next_cursor = fields.String(required=True, allow_none=True)


class MemberQuery(PageQuery):
    pass


class InviteQuery(PageQuery):
    pass


class PendingInvite(ResponseSchema):
    id = fields.String(required=True)
    email = fields.String(required=True)
    role = fields.String(required=True)
    invited_by = fields.String(required=True)
    created_at = fields.String(required=True, metadata={"format": "date-time"})
    expires_at = fields.String(required=True, metadata={"format": "date-time"})


class PendingInvitePage(ResponseSchema):
    items = fields.List(fields.Nested(PendingInvite), required=True)
    next_cursor = fields.String(required=True, allow_none=True)


class RoleInput(StrictSchema):
    role = fields.String(required=True, validate=_role)


class Membership(ResponseSchema):
    business_id = fields.String(required=True)
    role = fields.String(required=True)
    message = fields.String(required=True)

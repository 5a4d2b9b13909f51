from __future__ import annotations

from marshmallow import fields, validate

from chalicelib.domains.email.send_times import KINDS
from chalicelib.schemas.common import ResponseSchema, StrictSchema


class UnsubscribeQuery(StrictSchema):
    token = fields.String(
        required=True,
        validate=validate.Length(min=1, max=512),
        metadata={"description": "The signed token from the e-mail's link"},
    )


class Unsubscribed(ResponseSchema):
    unsubscribed = fields.String(
        required=True,
        validate=validate.OneOf(KINDS),
        metadata={"description": "The preference now off: notifications.email_reminders or .weekly_summary"},
    )


# RFC 8058: the mail provider POSTs this form to the List-Unsubscribe address.
ONE_CLICK_BODY = {"type": "string", "description": "List-Unsubscribe=One-Click", "maxLength": 1024}

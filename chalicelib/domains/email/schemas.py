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
# A form, so a generated client sends it as one (a bare string left clients no field to send). The
# route reads no field of it: the signed token in the URL decides.
ONE_CLICK_BODY = {
    "type": "object",
    "description": "The form RFC 8058 has mail providers send: List-Unsubscribe=One-Click.",
    "properties": {"List-Unsubscribe": {"type": "string", "enum": ["One-Click"]}},
}

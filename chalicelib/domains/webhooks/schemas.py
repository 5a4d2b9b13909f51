from __future__ import annotations

import re
from typing import Any

from marshmallow import ValidationError, fields, validate, validates

from chalicelib import config, domains
from chalicelib.schemas.common import ResponseSchema, StrictSchema

# What a webhook can subscribe to: <kind>.<what happened>, as the installed domains declare them.
EVENT_TYPES = domains.event_types()
MAX_URL_LENGTH = 2048
STATUSES = ("active", "disabled")


# Control characters and every kind of space, spelled out: `\s` differs between Python and the
# ECMA regex of JSON Schema (U+0085 is a space to one and not the other), so neither is used.
_NOT_IN_URL = r"\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
# https, a host (no user name or password), then an optional path and query; no fragment.
URL_PATTERN = rf"^https://[^{_NOT_IN_URL}@/?#\\]+(?:[/?][^{_NOT_IN_URL}#]*)?$"
_URL = re.compile(URL_PATTERN.replace("$", r"\Z"))
# Stage local only: the end-to-end tests' receiver on the machine.
_LOCAL_URL = re.compile(rf"^http://127\.0\.0\.1(?::[0-9]{{1,5}})?(?:[/?][^{_NOT_IN_URL}#]*)?\Z")


def _validate_url(url: str) -> None:
    if _URL.match(url) or (_LOCAL_URL.match(url) and config.settings().is_local):
        return
    raise ValidationError("Use an https URL with a host, no user name or password and no #fragment.")


class WebhookInput(StrictSchema):
    url = fields.String(
        required=True,
        validate=[validate.Length(min=1, max=MAX_URL_LENGTH), _validate_url],
        metadata={
            "description": "https only; its host must resolve to public addresses only (else 422)",
            "pattern": URL_PATTERN,
        },
    )
    events = fields.List(
        fields.String(validate=validate.OneOf(EVENT_TYPES)),
        required=True,
        validate=validate.Length(min=1, max=len(EVENT_TYPES)),
        metadata={"uniqueItems": True},
    )

    @validates("events")
    def _unique(self, value: list[str], **_: Any) -> None:
        if len(set(value)) != len(value):
            raise ValidationError("Name each event once.")


class Webhook(ResponseSchema):
    id = fields.String(required=True)
    url = fields.String(required=True)
    events = fields.List(fields.String(validate=validate.OneOf(EVENT_TYPES)), required=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    failing_since = fields.String(
        allow_none=True, metadata={"format": "date-time", "description": "First failure since the last success"}
    )
    last_error = fields.String(allow_none=True, metadata={"description": "Why the last delivery failed"})
    disabled_at = fields.String(allow_none=True, metadata={"format": "date-time"})
    disabled_reason = fields.String(allow_none=True, metadata={"description": "Why deliveries stopped"})
    created_at = fields.String(required=True, metadata={"format": "date-time"})
    updated_at = fields.String(required=True, metadata={"format": "date-time"})
    version = fields.Integer(required=True)


class WebhookCreated(Webhook):
    secret = fields.String(
        required=True, metadata={"description": "Signs every delivery (HMAC-SHA256). Shown this once only."}
    )


class WebhookPage(ResponseSchema):
    items = fields.List(fields.Nested(Webhook), required=True)
    next_cursor = fields.String(required=True, allow_none=True, metadata={"description": "Always null: at most 5"})

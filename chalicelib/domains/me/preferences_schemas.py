"""Preferences. A PUT replaces the whole document; a field left out takes its default."""

from __future__ import annotations

from marshmallow import fields, validate

from chalicelib.domains.me.preferences_defaults import DEFAULTS
from chalicelib.schemas.common import ResponseSchema, StrictBoolean, StrictInteger, StrictSchema, TimeZone

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class Notifications(StrictSchema):
    email_reminders = StrictBoolean(load_default=False)
    weekly_summary = StrictBoolean(load_default=False)


VISIBILITIES = ("private", "tenant")
MAX_HIDDEN_ENDS_M = 2_000


class Privacy(StrictSchema):
    profile_visibility = fields.String(validate=validate.OneOf(VISIBILITIES), load_default="private")
    activity_ends_m = StrictInteger(
        validate=validate.Range(min=0, max=MAX_HIDDEN_ENDS_M), load_default=DEFAULTS["privacy"]["activity_ends_m"]
    )


class PreferencesInput(StrictSchema):
    units = fields.String(validate=validate.OneOf(("metric", "imperial")), load_default=DEFAULTS["units"])
    weekly_workout_goal = StrictInteger(
        validate=validate.Range(min=0, max=14), load_default=DEFAULTS["weekly_workout_goal"]
    )
    timezone = TimeZone(load_default=DEFAULTS["timezone"])
    week_starts_on = fields.String(validate=validate.OneOf(WEEKDAYS), load_default=DEFAULTS["week_starts_on"])
    notifications = fields.Nested(Notifications, load_default=lambda: dict(DEFAULTS["notifications"]))
    privacy = fields.Nested(Privacy, load_default=lambda: dict(DEFAULTS["privacy"]))


class NotificationsOut(ResponseSchema):
    email_reminders = fields.Boolean(required=True)
    weekly_summary = fields.Boolean(required=True)


class PrivacyOut(ResponseSchema):
    profile_visibility = fields.String(required=True, validate=validate.OneOf(VISIBILITIES))
    activity_ends_m = fields.Integer(required=True)


class Preferences(ResponseSchema):
    units = fields.String(required=True, validate=validate.OneOf(("metric", "imperial")))
    weekly_workout_goal = fields.Integer(required=True)
    timezone = fields.String(required=True)
    week_starts_on = fields.String(required=True, validate=validate.OneOf(WEEKDAYS))
    notifications = fields.Nested(NotificationsOut, required=True)
    privacy = fields.Nested(PrivacyOut, required=True)
    updated_at = fields.String(required=True, allow_none=True, metadata={"format": "date-time"})

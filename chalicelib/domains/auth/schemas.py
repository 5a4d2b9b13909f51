from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

from chalicelib.policy import JSON_SCHEMA as PASSWORD_POLICY
from chalicelib.policy import MAX_LENGTH
from chalicelib.schemas.common import Email, ResponseSchema, StrictSchema, TimeZone, WholeMatch

_password: dict[str, Any] = {"required": True, "validate": validate.Length(min=1, max=MAX_LENGTH)}
# A new password must meet the policy (the service refuses it with 400 `weak_password`).
_new_password: dict[str, Any] = {**_password, "metadata": PASSWORD_POLICY}
_code: dict[str, Any] = {"required": True, "validate": WholeMatch(r"\A\S{1,64}\Z", error="Not a valid code.")}


class SignupRequest(StrictSchema):
    email = Email(required=True)
    password = fields.String(**_new_password)
    name = fields.String(required=True, validate=validate.Length(min=1, max=80))
    # Joins the inviting business with the invited role (the e-mail must be the invited one).
    invite_code = fields.String(validate=WholeMatch(r"^[A-Za-z0-9_-]{16,64}$", error="Not a valid code."))
    # The person's zone from the start (a browser's Intl zone): GET /me/preferences answers it.
    timezone = TimeZone()


class SignupResult(ResponseSchema):
    user_id = fields.String(required=True)
    confirmed = fields.Boolean(required=True)


class ConfirmRequest(StrictSchema):
    email = Email(required=True)
    code = fields.String(**_code)


class ConfirmResult(ResponseSchema):
    confirmed = fields.Boolean(required=True)


class LoginRequest(StrictSchema):
    email = Email(required=True)
    password = fields.String(**_password)


class Tokens(ResponseSchema):
    id_token = fields.String(required=True)
    access_token = fields.String(required=True)
    refresh_token = fields.String(required=True)
    expires_in = fields.Integer(required=True)
    token_type = fields.String(required=True)


class LoginResult(ResponseSchema):
    """Tokens, or (for an account with TOTP on) the challenge POST /auth/login/mfa completes."""

    id_token = fields.String(required=True, allow_none=True)
    access_token = fields.String(required=True, allow_none=True)
    refresh_token = fields.String(required=True, allow_none=True)
    expires_in = fields.Integer(required=True, allow_none=True)
    token_type = fields.String(required=True, allow_none=True)
    # SOFTWARE_TOKEN_MFA when a code is needed; the session goes back with it.
    challenge_name = fields.String(required=True, allow_none=True)
    session = fields.String(required=True, allow_none=True)


_totp_code: dict[str, Any] = {"required": True, "validate": WholeMatch(r"^[0-9]{6}$", error="Not a six-digit code.")}
# The access token from sign-in: Cognito's MFA settings are the user's own, changed with it.
_access_token: dict[str, Any] = {"required": True, "validate": validate.Length(min=1, max=4096)}


class MfaLoginRequest(StrictSchema):
    email = Email(required=True)
    # As Cognito bounds a session.
    session = fields.String(required=True, validate=validate.Length(min=20, max=2048))
    code = fields.String(**_totp_code)


class TotpStartRequest(StrictSchema):
    access_token = fields.String(**_access_token)


class TotpEnrolment(ResponseSchema):
    secret = fields.String(required=True)
    # For an authenticator app's QR code.
    otpauth_uri = fields.String(required=True)


class TotpCodeRequest(StrictSchema):
    """Confirms a new secret with `code`, one of its codes. While TOTP is on already, the new
    secret replaces the enrolled one only with fresh proof: `password` and `current_code`, a code
    of the enrolled secret (400 `step_up_required` without them)."""

    access_token = fields.String(**_access_token)
    code = fields.String(**_totp_code)
    password = fields.String(validate=validate.Length(min=1, max=MAX_LENGTH))
    current_code = fields.String(validate=WholeMatch(r"^[0-9]{6}$", error="Not a six-digit code."))


class TotpOffRequest(StrictSchema):
    """Fresh proof that the owner is here: the password and a code of the enrolled secret."""

    access_token = fields.String(**_access_token)
    code = fields.String(**_totp_code)
    password = fields.String(**_password)


class TotpState(ResponseSchema):
    enabled = fields.Boolean(required=True)


class RefreshRequest(StrictSchema):
    refresh_token = fields.String(required=True, validate=validate.Length(min=1, max=4096))


class Claims(ResponseSchema):
    # null for an account that has no tenant yet (one made straight in Cognito).
    tenant_id = fields.String(required=True, allow_none=True)
    role = fields.String(required=True, allow_none=True)
    parent_business_id = fields.String(required=True, allow_none=True)


class RefreshedTokens(ResponseSchema):
    id_token = fields.String(required=True)
    access_token = fields.String(required=True)
    expires_in = fields.Integer(required=True)
    token_type = fields.String(required=True)
    # The new token's tenant and role: changes of role or business take effect here.
    claims = fields.Nested(Claims, required=True)


class ForgotPasswordRequest(StrictSchema):
    email = Email(required=True)


class ResetPasswordRequest(StrictSchema):
    email = Email(required=True)
    code = fields.String(**_code)
    new_password = fields.String(**_new_password)


class Me(ResponseSchema):
    user_id = fields.String(required=True)
    email = fields.String(required=True)
    tenant_id = fields.String(required=True)
    role = fields.String(required=True)
    parent_business_id = fields.String(required=True, allow_none=True)

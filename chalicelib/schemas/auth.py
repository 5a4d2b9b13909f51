from __future__ import annotations

from marshmallow import fields, validate

from chalicelib.policy import JSON_SCHEMA as PASSWORD_POLICY
from chalicelib.policy import MAX_LENGTH
from chalicelib.schemas.common import Email, ResponseSchema, StrictSchema, WholeMatch

_password = {"required": True, "validate": validate.Length(min=1, max=MAX_LENGTH)}
# A new password must meet the policy (the service refuses it with 400 `weak_password`).
_new_password = {**_password, "metadata": PASSWORD_POLICY}
_code = {"required": True, "validate": WholeMatch(r"\A\S{1,64}\Z", error="Not a valid code.")}


class SignupRequest(StrictSchema):
    email = Email(required=True)
    password = fields.String(**_new_password)
    name = fields.String(required=True, validate=validate.Length(min=1, max=80))
    # Joins the inviting business with the invited role (the e-mail must be the invited one).
    invite_code = fields.String(validate=WholeMatch(r"^[A-Za-z0-9_-]{16,64}$", error="Not a valid code."))


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


class RefreshRequest(StrictSchema):
    refresh_token = fields.String(required=True, validate=validate.Length(min=1, max=4096))


class Claims(ResponseSchema):
    tenant_id = fields.String(required=True)
    role = fields.String(required=True)
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

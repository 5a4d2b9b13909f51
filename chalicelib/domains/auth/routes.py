from __future__ import annotations

from typing import Any

from chalicelib import deps
from chalicelib.api.router import Router
from chalicelib.identity import Identity

router = Router("auth")
COGNITO = "cognito-idp"


@router.route(
    "/auth/signup",
    "POST",
    summary=(
        "Create an account (a personal tenant, role member; with invite_code, in the inviting business; "
        "with timezone, its preferences in that zone)"
    ),
    public=True,
    request="chalicelib.domains.auth.schemas:SignupRequest",
    response="chalicelib.domains.auth.schemas:SignupResult",
    status=201,
    errors=(400, 404, 409, 429),
    # The profile and the entry in the account list (for the reconciliation) in one transaction.
    budget={f"{COGNITO}.SignUp": 1, f"{COGNITO}.AdminUpdateUserAttributes": 1, "dynamodb.TransactWriteItems": 1},
)
def sign_up(body: dict[str, Any]) -> dict[str, Any]:
    return deps.auth().sign_up(
        body["email"], body["password"], body["name"], body.get("invite_code"), timezone=body.get("timezone")
    )


@router.route(
    "/auth/confirm",
    "POST",
    summary="Confirm an e-mail address with the code sent to it",
    public=True,
    request="chalicelib.domains.auth.schemas:ConfirmRequest",
    response="chalicelib.domains.auth.schemas:ConfirmResult",
    errors=(400, 409, 429),
    budget={f"{COGNITO}.ConfirmSignUp": 1},
)
def confirm_sign_up(body: dict[str, Any]) -> dict[str, Any]:
    # Named as Cognito's ConfirmSignUp: `confirm` made generated clients name a type ConfirmResult twice.
    return deps.auth().confirm(body["email"], body["code"])


@router.route(
    "/auth/login",
    "POST",
    summary="Sign in with e-mail and password: the tokens, or a TOTP challenge (POST /auth/login/mfa completes it)",
    public=True,
    request="chalicelib.domains.auth.schemas:LoginRequest",
    response="chalicelib.domains.auth.schemas:LoginResult",
    errors=(400, 401, 403, 429),
    budget={f"{COGNITO}.InitiateAuth": 1},
)
def log_in(body: dict[str, Any]) -> dict[str, Any]:
    return deps.auth().log_in(body["email"], body["password"])


@router.route(
    "/auth/login/mfa",
    "POST",
    summary=(
        "Complete a sign-in's TOTP challenge with a code from the authenticator app "
        "(a wrong one: 422, the challenge stays open)"
    ),
    public=True,
    request="chalicelib.domains.auth.schemas:MfaLoginRequest",
    response="chalicelib.domains.auth.schemas:Tokens",
    errors=(400, 401, 422, 429),
    budget={f"{COGNITO}.RespondToAuthChallenge": 1},
)
def log_in_with_code(body: dict[str, Any]) -> dict[str, Any]:
    return deps.auth().log_in_with_code(body["email"], body["session"], body["code"])


@router.route(
    "/auth/mfa/totp",
    "POST",
    summary="Start enrolling TOTP: a new secret and its otpauth:// URI (on once POST /auth/mfa/totp/verify confirms)",
    request="chalicelib.domains.auth.schemas:TotpStartRequest",
    response="chalicelib.domains.auth.schemas:TotpEnrolment",
    errors=(400, 401, 403, 429),
    budget={f"{COGNITO}.AssociateSoftwareToken": 1},
)
def start_totp(identity: Identity, body: dict[str, Any]) -> dict[str, Any]:
    return deps.auth().start_totp(identity, body["access_token"])


@router.route(
    "/auth/mfa",
    "GET",
    summary="Whether two-step sign-in (TOTP) is on for the caller",
    response="chalicelib.domains.auth.schemas:TotpState",
    errors=(401, 429),
    budget={f"{COGNITO}.AdminGetUser": 1},
)
def totp_state(identity: Identity) -> dict[str, Any]:
    return deps.auth().totp_state(identity)


@router.route(
    "/auth/mfa/totp/verify",
    "POST",
    summary=(
        "Confirm TOTP with a code from the new secret: sign-ins then ask for a code. While TOTP is on, "
        "replacing the secret also needs the password and a code of the enrolled one (422 invalid_mfa_code, "
        "invalid_password: the session stays good)"
    ),
    request="chalicelib.domains.auth.schemas:TotpCodeRequest",
    response="chalicelib.domains.auth.schemas:TotpState",
    errors=(400, 401, 403, 422, 429),
    # The membership read: a staff member's item records two-step sign-in (one UpdateItem more then).
    budget={
        f"{COGNITO}.AdminGetUser": 1,
        f"{COGNITO}.VerifySoftwareToken": 1,
        f"{COGNITO}.SetUserMFAPreference": 1,
        "dynamodb.GetItem": 1,
    },
)
def confirm_totp(identity: Identity, body: dict[str, Any]) -> dict[str, Any]:
    return deps.auth().confirm_totp(
        identity, body["access_token"], body["code"], body.get("password"), body.get("current_code")
    )


@router.route(
    "/auth/mfa/totp",
    "DELETE",
    summary=(
        "Turn TOTP off with fresh proof: the password and a code of the enrolled secret, checked by a "
        "new sign-in (422 invalid_mfa_code, invalid_password: the session stays good)"
    ),
    request="chalicelib.domains.auth.schemas:TotpOffRequest",
    response="chalicelib.domains.auth.schemas:TotpState",
    errors=(400, 401, 403, 422, 429),
    budget={
        f"{COGNITO}.InitiateAuth": 1,
        f"{COGNITO}.RespondToAuthChallenge": 1,
        f"{COGNITO}.SetUserMFAPreference": 1,
        f"{COGNITO}.RevokeToken": 1,
        "dynamodb.GetItem": 1,
    },
)
def disable_totp(identity: Identity, body: dict[str, Any]) -> dict[str, Any]:
    return deps.auth().disable_totp(identity, body["access_token"], body["code"], body["password"])


@router.route(
    "/auth/refresh",
    "POST",
    summary="Exchange a refresh token for new id and access tokens",
    public=True,
    request="chalicelib.domains.auth.schemas:RefreshRequest",
    response="chalicelib.domains.auth.schemas:RefreshedTokens",
    errors=(400, 401, 429),
    budget={f"{COGNITO}.InitiateAuth": 1},
)
def refresh(body: dict[str, Any]) -> dict[str, Any]:
    return deps.auth().refresh(body["refresh_token"])


@router.route(
    "/auth/logout",
    "POST",
    summary=(
        "Sign out: revokes the refresh token (and the access tokens issued from it), so a copy kept in a "
        "browser stops working; an unknown or already revoked token answers 204 too"
    ),
    public=True,
    request="chalicelib.domains.auth.schemas:RefreshRequest",
    status=204,
    errors=(400, 429),
    budget={f"{COGNITO}.RevokeToken": 1},
)
def logout(body: dict[str, Any]) -> None:
    deps.auth().sign_out(body["refresh_token"])


@router.route(
    "/auth/forgot-password",
    "POST",
    summary="Send a password reset code (same answer whether or not the account exists)",
    public=True,
    request="chalicelib.domains.auth.schemas:ForgotPasswordRequest",
    response="chalicelib.schemas.common:Message",
    status=202,
    errors=(400, 429),
    budget={f"{COGNITO}.ForgotPassword": 1},
)
def forgot_password(body: dict[str, Any]) -> dict[str, Any]:
    return deps.auth().forgot_password(body["email"])


@router.route(
    "/auth/reset-password",
    "POST",
    summary="Set a new password with the reset code",
    public=True,
    request="chalicelib.domains.auth.schemas:ResetPasswordRequest",
    response="chalicelib.schemas.common:Message",
    errors=(400, 429),
    budget={f"{COGNITO}.ConfirmForgotPassword": 1},
)
def reset_password(body: dict[str, Any]) -> dict[str, Any]:
    return deps.auth().reset_password(body["email"], body["code"], body["new_password"])

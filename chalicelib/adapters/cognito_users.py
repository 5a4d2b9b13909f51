"""Cognito user pool access. Cognito's error codes become domain errors here."""

from __future__ import annotations

from typing import Any, NamedTuple

from botocore.exceptions import ClientError

from chalicelib.errors import (
    Conflict,
    DependencyFailed,
    Forbidden,
    InvalidInput,
    StrideError,
    TooManyRequests,
    Unauthenticated,
    Unprocessable,
)
from chalicelib.identity import PARENT_CLAIM, ROLE_CLAIM, TENANT_CLAIM
from chalicelib.policy import MESSAGE as PASSWORD_POLICY

BAD_CREDENTIALS = "The e-mail or password is incorrect."
BAD_CODE = "The code is invalid or has expired."


def _weak_password(_: str) -> StrideError:
    return InvalidInput(PASSWORD_POLICY, code="weak_password", details={"password": [PASSWORD_POLICY]})


def _too_many(_: str) -> StrideError:
    error = TooManyRequests("Too many attempts. Wait a moment and try again.")
    error.retry_after = 30
    return error


def _refused(message: str) -> StrideError:
    return InvalidInput("The identity service refused these details.", details={"cognito": [message]})


MFA_CHALLENGE = "SOFTWARE_TOKEN_MFA"
_TOKEN_FIELDS = ("id_token", "access_token", "refresh_token", "expires_in", "token_type")


def _bad_mfa_code(_: str) -> StrideError:
    # 422, not 401: the session (or the sign-in's challenge) is still valid, and a client that
    # signs out on 401 must not sign a person out for a typo.
    return Unprocessable(
        "The code is wrong, expired or was used already.",
        code="invalid_mfa_code",
        details={"code": ["The code is wrong, expired or was used already."]},
    )


def _session_over(message: str) -> StrideError:
    if "attempts exceeded" in message.lower():
        return _too_many(message)
    return Unauthenticated(
        "The session or access token is invalid, expired or revoked; sign in again.", code="invalid_session"
    )


_MFA_ERRORS = {
    "CodeMismatchException": _bad_mfa_code,
    "ExpiredCodeException": _bad_mfa_code,
    "EnableSoftwareTokenMFAException": _bad_mfa_code,
    "NotAuthorizedException": _session_over,
    "UserNotFoundException": lambda _: Unauthenticated("Sign in again.", code="invalid_session"),
}

_COMMON = {
    "InvalidPasswordException": _weak_password,
    "InvalidParameterException": _refused,
    "TooManyRequestsException": _too_many,
    "LimitExceededException": _too_many,
    "TooManyFailedAttemptsException": _too_many,
}


def _translate(exc: ClientError, specific: dict[str, Any]) -> StrideError:
    code = exc.response["Error"]["Code"]
    factory = specific.get(code) or _COMMON.get(code)
    if factory is None:
        return DependencyFailed("The identity service could not complete the request.")
    return factory(exc.response["Error"].get("Message", ""))


def _tokens(result: dict[str, Any]) -> dict[str, Any]:
    return {
        "id_token": result["IdToken"],
        "access_token": result["AccessToken"],
        "refresh_token": result.get("RefreshToken"),
        "expires_in": result["ExpiresIn"],
        "token_type": result.get("TokenType", "Bearer"),
    }


class Account(NamedTuple):
    email: str
    totp_on: bool
    sub: str


# RevokeToken's answers for a token that names no sign-in of this app client.
_NOTHING_TO_REVOKE = frozenset({"UnauthorizedException", "UnsupportedTokenTypeException"})


class CognitoUsers:
    def __init__(self, client: Any, user_pool_id: str, client_id: str):
        self._client = client
        self._pool = user_pool_id
        self._client_id = client_id

    @property
    def pool_id(self) -> str:
        return self._pool

    def sign_up(self, email: str, password: str, name: str) -> tuple[str, bool]:
        try:
            response = self._client.sign_up(
                ClientId=self._client_id,
                Username=email,
                Password=password,
                UserAttributes=[{"Name": "email", "Value": email}, {"Name": "name", "Value": name}],
            )
        except ClientError as exc:
            raise _translate(
                exc,
                {
                    "UsernameExistsException": lambda _: Conflict(
                        "An account with this e-mail already exists.", code="email_taken"
                    ),
                },
            ) from exc
        return response["UserSub"], bool(response.get("UserConfirmed"))

    def assign_tenant(
        self,
        user_id: str,
        tenant_id: str,
        role: str,
        parent_business_id: str | None = None,
        *,
        missing_ok: bool = False,
    ) -> None:
        """Server-side only: the app client cannot write these attributes. A parent of "" clears it.
        With `missing_ok`, a user deleted from the pool is no error (nothing is left to change)."""
        attributes = [{"Name": TENANT_CLAIM, "Value": tenant_id}, {"Name": ROLE_CLAIM, "Value": role}]
        if parent_business_id is not None:
            attributes.append({"Name": PARENT_CLAIM, "Value": parent_business_id})
        try:
            self._client.admin_update_user_attributes(
                UserPoolId=self._pool, Username=user_id, UserAttributes=attributes
            )
        except ClientError as exc:
            if missing_ok and exc.response["Error"]["Code"] == "UserNotFoundException":
                return
            raise _translate(exc, {}) from exc

    def exists(self, user_id: str) -> bool:
        """Whether the pool still has the user (by sub)."""
        try:
            self._client.admin_get_user(UserPoolId=self._pool, Username=user_id)
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "UserNotFoundException":
                return False
            raise _translate(exc, {}) from exc
        return True

    def every_sub(self) -> set[str]:
        """The sub of every user of the pool: ListUsers, 60 a page (one call a page)."""
        subs: set[str] = set()
        paginator = self._client.get_paginator("list_users")
        try:
            for page in paginator.paginate(
                UserPoolId=self._pool, AttributesToGet=["sub"], PaginationConfig={"PageSize": 60}
            ):
                for user in page.get("Users", []):
                    subs.update(a["Value"] for a in user.get("Attributes", []) if a["Name"] == "sub")
        except ClientError as exc:
            raise _translate(exc, {}) from exc
        return subs

    def subs_with_email(self, email: str) -> list[str]:
        """The sub of the user (normally one) whose address is `email`: one ListUsers call."""
        quoted = email.replace("\\", "\\\\").replace('"', '\\"')
        try:
            page = self._client.list_users(
                UserPoolId=self._pool, AttributesToGet=["sub"], Filter=f'email = "{quoted}"', Limit=10
            )
        except ClientError as exc:
            raise _translate(exc, {}) from exc
        return [a["Value"] for user in page.get("Users", []) for a in user.get("Attributes", []) if a["Name"] == "sub"]

    def sign_out_everywhere(self, user_id: str) -> None:
        """Revokes every refresh token (and access token) the user holds."""
        try:
            self._client.admin_user_global_sign_out(UserPoolId=self._pool, Username=user_id)
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "UserNotFoundException":
                raise _translate(exc, {}) from exc

    def delete(self, user_id: str) -> None:
        try:
            self._client.admin_delete_user(UserPoolId=self._pool, Username=user_id)
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "UserNotFoundException":
                raise _translate(exc, {}) from exc

    def confirm(self, email: str, code: str) -> None:
        try:
            self._client.confirm_sign_up(ClientId=self._client_id, Username=email, ConfirmationCode=code)
        except ClientError as exc:
            raise _translate(
                exc,
                {
                    "CodeMismatchException": lambda _: InvalidInput(BAD_CODE, code="invalid_code"),
                    "ExpiredCodeException": lambda _: InvalidInput(BAD_CODE, code="invalid_code"),
                    "UserNotFoundException": lambda _: InvalidInput(BAD_CODE, code="invalid_code"),
                    "NotAuthorizedException": lambda _: Conflict(
                        "This account is already confirmed.", code="already_confirmed"
                    ),
                },
            ) from exc

    def login(self, email: str, password: str) -> dict[str, Any]:
        try:
            response = self._client.initiate_auth(
                ClientId=self._client_id,
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": email, "PASSWORD": password},
            )
        except ClientError as exc:
            raise _translate(
                exc,
                {
                    "NotAuthorizedException": lambda message: (
                        _too_many(message)
                        if "attempts exceeded" in message.lower()
                        else Unauthenticated(BAD_CREDENTIALS, code="invalid_credentials")
                    ),
                    "UserNotFoundException": lambda _: Unauthenticated(BAD_CREDENTIALS, code="invalid_credentials"),
                    "UserNotConfirmedException": lambda _: Forbidden(
                        "Confirm your e-mail address before signing in.", code="user_not_confirmed"
                    ),
                    "PasswordResetRequiredException": lambda _: Forbidden(
                        "Reset your password before signing in.", code="password_reset_required"
                    ),
                },
            ) from exc
        if response.get("ChallengeName") == MFA_CHALLENGE:
            return {**dict.fromkeys(_TOKEN_FIELDS), "challenge_name": MFA_CHALLENGE, "session": response["Session"]}
        if "AuthenticationResult" not in response:
            # A new-password challenge: only for accounts an administrator made, not offered here.
            raise Forbidden(
                f"Sign-in needs the {response.get('ChallengeName', 'unknown')} challenge, which this API does not "
                "support yet.",
                code="challenge_required",
            )
        return {**_tokens(response["AuthenticationResult"]), "challenge_name": None, "session": None}

    def answer_mfa(self, email: str, session: str, code: str) -> dict[str, Any]:
        try:
            response = self._client.respond_to_auth_challenge(
                ClientId=self._client_id,
                ChallengeName=MFA_CHALLENGE,
                Session=session,
                ChallengeResponses={"USERNAME": email, "SOFTWARE_TOKEN_MFA_CODE": code},
            )
        except ClientError as exc:
            raise _translate(exc, _MFA_ERRORS) from exc
        return _tokens(response["AuthenticationResult"])

    def start_totp(self, access_token: str) -> str:
        """A new TOTP secret for the token's user, used once a code from it is verified."""
        try:
            return self._client.associate_software_token(AccessToken=access_token)["SecretCode"]
        except ClientError as exc:
            raise _translate(exc, _MFA_ERRORS) from exc

    def check_totp(self, access_token: str, code: str) -> None:
        """Verifies a code against the secret being enrolled, or the enrolled one."""
        try:
            response = self._client.verify_software_token(
                AccessToken=access_token, UserCode=code, FriendlyDeviceName="Stride"
            )
        except ClientError as exc:
            raise _translate(exc, _MFA_ERRORS) from exc
        if response.get("Status") != "SUCCESS":
            raise _bad_mfa_code("")

    def totp_enabled(self, user_id: str) -> bool:
        """Whether sign-ins of the user ask for a TOTP code (read server-side, by the user's id)."""
        try:
            user = self._client.admin_get_user(UserPoolId=self._pool, Username=user_id)
        except ClientError as exc:
            raise _translate(exc, _MFA_ERRORS) from exc
        return "SOFTWARE_TOKEN_MFA" in (user.get("UserMFASettingList") or [])

    def account(self, user_id: str) -> Account | None:
        """The e-mail, whether TOTP is on and the sub of an account (named by its sub or user name);
        None if it is gone."""
        try:
            user = self._client.admin_get_user(UserPoolId=self._pool, Username=user_id)
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "UserNotFoundException":
                return None
            raise _translate(exc, {}) from exc
        attributes = {item["Name"]: item["Value"] for item in user.get("UserAttributes") or []}
        return Account(
            attributes.get("email", ""),
            "SOFTWARE_TOKEN_MFA" in (user.get("UserMFASettingList") or []),
            attributes.get("sub", user_id),
        )

    def revoke(self, refresh_token: str) -> None:
        """Ends a sign-in: its refresh token and the access tokens issued from it stop working."""
        try:
            self._client.revoke_token(Token=refresh_token, ClientId=self._client_id)
        except ClientError as exc:
            if exc.response["Error"]["Code"] in _NOTHING_TO_REVOKE:
                return  # not a refresh token of this app client (an id or access token, another
                # client's, or made up): no sign-in of its to end, as for one already revoked
            raise _translate(exc, {}) from exc

    def set_totp(self, access_token: str, enabled: bool) -> None:
        try:
            self._client.set_user_mfa_preference(
                AccessToken=access_token, SoftwareTokenMfaSettings={"Enabled": enabled, "PreferredMfa": enabled}
            )
        except ClientError as exc:
            raise _translate(exc, _MFA_ERRORS) from exc

    def refresh(self, refresh_token: str) -> dict[str, Any]:
        try:
            response = self._client.initiate_auth(
                ClientId=self._client_id,
                AuthFlow="REFRESH_TOKEN_AUTH",
                AuthParameters={"REFRESH_TOKEN": refresh_token},
            )
        except ClientError as exc:
            raise _translate(
                exc,
                {
                    "NotAuthorizedException": lambda _: Unauthenticated(
                        "The refresh token is invalid, expired or revoked.", code="invalid_refresh_token"
                    ),
                    "UserNotFoundException": lambda _: Unauthenticated(
                        "The refresh token is invalid, expired or revoked.", code="invalid_refresh_token"
                    ),
                },
            ) from exc
        return _tokens(response["AuthenticationResult"])

    def forgot_password(self, email: str) -> None:
        """Sends a reset code. Says nothing about whether the account exists."""
        try:
            self._client.forgot_password(ClientId=self._client_id, Username=email)
        except ClientError as exc:
            silent = {"UserNotFoundException", "InvalidParameterException", "NotAuthorizedException"}
            if exc.response["Error"]["Code"] not in silent:
                raise _translate(exc, {}) from exc

    def reset_password(self, email: str, code: str, new_password: str) -> None:
        try:
            self._client.confirm_forgot_password(
                ClientId=self._client_id, Username=email, ConfirmationCode=code, Password=new_password
            )
        except ClientError as exc:
            invalid_code = {
                name: (lambda _: InvalidInput(BAD_CODE, code="invalid_code"))
                for name in ("CodeMismatchException", "ExpiredCodeException", "UserNotFoundException")
            }
            raise _translate(exc, invalid_code) from exc

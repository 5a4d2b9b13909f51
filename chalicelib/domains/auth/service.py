"""Sign-up, confirmation, sign-in and password recovery."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from chalicelib.clock import utc_now
from chalicelib.domains.businesses.public import invite_hash
from chalicelib.errors import Conflict, Forbidden, InvalidInput, Unauthenticated, Unprocessable
from chalicelib.identity import (
    MEMBER,
    ROLE_CLAIM,
    TENANT_CLAIM,
    Identity,
    personal_tenant,
    tenancy_claims,
    token_subject,
)
from chalicelib.policy import MESSAGE as PASSWORD_POLICY
from chalicelib.policy import password_problems

if TYPE_CHECKING:
    from chalicelib.adapters.cognito_users import CognitoUsers
    from chalicelib.domains.businesses.public import BusinessService
    from chalicelib.domains.me.public import ProfileStore

TOTP_ISSUER = "Stride"


def _check_password(password: str, field: str) -> None:
    problems = password_problems(password)
    if problems:
        raise InvalidInput(PASSWORD_POLICY, code="weak_password", details={field: [f"Missing: {', '.join(problems)}."]})


def _display_name(name: str, email: str) -> str:
    """An account made in Cognito may have no name: its e-mail's local part stands in."""
    return (name if name.strip() else email.partition("@")[0] or "Stride athlete")[:80]


STEP_UP_NEEDED = "Two-step sign-in is on: give the account's password and a code from the authenticator app."


def _step_up_fields(password: str | None, code: str | None) -> tuple[str, str]:
    missing = {name: [STEP_UP_NEEDED] for name, value in (("password", password), ("current_code", code)) if not value}
    if missing or password is None or code is None:
        raise InvalidInput(STEP_UP_NEEDED, code="step_up_required", details=missing)
    return password, code


def _check_owner(identity: Identity, access_token: str) -> None:
    """The access token must be the caller's own (Cognito verifies it when it is used)."""
    if token_subject(access_token) != identity.user_id:
        raise Forbidden("The access token is not the signed-in user's.", code="access_token_mismatch")


class AuthService:
    def __init__(
        self,
        users: CognitoUsers,
        profiles: ProfileStore,
        businesses: BusinessService,
        clock: Callable[[], str] = utc_now,
    ):
        self._users = users
        self._profiles = profiles
        self._businesses = businesses
        self._clock = clock

    def sign_up(
        self, email: str, password: str, name: str, invite_code: str | None = None, *, timezone: str | None = None
    ) -> dict[str, Any]:
        """Creates the account, its personal tenant and its profile, or none of them; with an
        invitation, the account joins that business with that role; with a time zone, its
        preferences start in that zone (saved with the profile)."""
        _check_password(password, "password")
        # Checked before the account exists: a bad code leaves nothing behind.
        invitation = (
            (invite_hash(invite_code), self._businesses.valid_invite(invite_code, email)) if invite_code else None
        )
        user_id, confirmed = self._users.sign_up(email, password, name)
        try:
            self._settle(user_id, email, name, invitation, timezone=timezone)
        except Exception:
            # An account without its tenant could sign in but never be served: undo it.
            self._users.delete(user_id)
            raise
        return {"user_id": user_id, "confirmed": confirmed}

    def hold_invite(self, email: str, invite_code: str) -> None:
        """A sign-up made straight in Cognito names an invitation: refused if it cannot be used,
        kept for the account's confirmation otherwise."""
        self._businesses.hold_invite(invite_code, email)

    def provision(
        self,
        user_id: str,
        email: str,
        name: str,
        invite_code: str | None = None,
        *,
        held_invite: bool = False,
        timezone: str | None = None,
    ) -> dict[str, Any]:
        """What `sign_up` gives an account, for one made straight in Cognito (Amplify, the Hosted
        UI, an administrator): called by the Cognito trigger, again safely. With `held_invite`, an
        invitation its sign-up named is used; `timezone` is its `zoneinfo` attribute, if valid.
        Returns the tenancy claims the account now has; the account stays whatever happens (only
        what this call made is undone)."""
        invitation: tuple[str, Any] | None
        if invite_code:
            invitation = (invite_hash(invite_code), self._businesses.valid_invite(invite_code, email))
        else:
            invitation = self._businesses.held_invite(email) if held_invite else None
        identity = self._settle(user_id, email, name, invitation, retried=True, timezone=timezone)
        return {TENANT_CLAIM: identity.tenant_id, ROLE_CLAIM: identity.role}

    def _settle(
        self,
        user_id: str,
        email: str,
        name: str,
        invitation: tuple[str, dict[str, Any]] | None,
        retried: bool = False,
        timezone: str | None = None,
    ) -> Identity:
        """The personal tenant (or the invitation's business), role and profile of a new account."""
        identity = Identity(user_id=user_id, email=email, tenant_id=personal_tenant(user_id), role=MEMBER)
        if invitation is None:
            self._users.assign_tenant(user_id, identity.tenant_id, identity.role)
        try:
            self._profiles.create(
                identity, {"display_name": _display_name(name, email)}, self._clock(), timezone=timezone
            )
        except Conflict:
            if not retried:
                raise
            # A trigger run again (Cognito retries, or sign-in repairs what confirmation began).
            made_here = False
        else:
            made_here = True
        if invitation is None:
            return identity
        hashed, invite = invitation
        try:
            self._businesses.join_hashed(user_id, email, hashed, invite)
        except Exception:
            if made_here:
                self._profiles.delete(identity)
            raise
        return Identity(user_id=user_id, email=email, tenant_id=invite["business_id"], role=invite["role"])

    def confirm(self, email: str, code: str) -> dict[str, Any]:
        self._users.confirm(email, code)
        return {"confirmed": True}

    def log_in(self, email: str, password: str) -> dict[str, Any]:
        return self._users.login(email, password)

    def log_in_with_code(self, email: str, session: str, code: str) -> dict[str, Any]:
        """Completes the TOTP challenge a sign-in answered with."""
        return self._users.answer_mfa(email, session, code)

    def start_totp(self, identity: Identity, access_token: str) -> dict[str, Any]:
        _check_owner(identity, access_token)
        secret = self._users.start_totp(access_token)
        label = quote(f"{TOTP_ISSUER}:{identity.email}")
        return {"secret": secret, "otpauth_uri": f"otpauth://totp/{label}?secret={secret}&issuer={TOTP_ISSUER}"}

    def totp_state(self, identity: Identity) -> dict[str, Any]:
        return {"enabled": self._users.totp_enabled(identity.user_id)}

    def confirm_totp(
        self,
        identity: Identity,
        access_token: str,
        code: str,
        password: str | None = None,
        current_code: str | None = None,
    ) -> dict[str, Any]:
        """Turns TOTP on once a code from the new secret is right: sign-ins then ask for one.
        While TOTP is on already, the new secret replaces the enrolled one only with fresh proof
        (the password and a code of the enrolled secret): a stolen session alone cannot."""
        _check_owner(identity, access_token)
        already_on = self._users.totp_enabled(identity.user_id)
        fresh = None
        if already_on:
            fresh = self._step_up(identity, *_step_up_fields(password, current_code), field="current_code")
        try:
            self._users.check_totp(access_token, code)
            if not already_on:
                self._users.set_totp(access_token, enabled=True)
        finally:
            if fresh:
                self._users.revoke(fresh[0]["refresh_token"])
        # Staff rights follow two-step sign-in (written after Cognito says it is on; again when it
        # was on already, which heals a write that failed before).
        self._businesses.two_step_changed(identity.user_id, True)
        return {"enabled": True}

    def disable_totp(self, identity: Identity, access_token: str, code: str, password: str) -> dict[str, Any]:
        """Turns TOTP off with fresh proof: a sign-in with the password, answered with a code of
        the enrolled secret (never one being enrolled). A stolen session alone cannot."""
        _check_owner(identity, access_token)
        tokens, challenged = self._step_up(identity, password, code)
        try:
            # Staff rights go first: were Cognito then to fail, TOTP stays on and confirming it
            # again (POST /auth/mfa/totp/verify) gives them back; never rights without two steps.
            self._businesses.two_step_changed(identity.user_id, False)
            if challenged:
                self._users.set_totp(tokens["access_token"], enabled=False)
        finally:
            self._users.revoke(tokens["refresh_token"])
        return {"enabled": False}

    def _step_up(
        self, identity: Identity, password: str, code: str, field: str = "code"
    ) -> tuple[dict[str, Any], bool]:
        """A fresh sign-in of the caller through Cognito: the tokens, and whether it asked for a
        code (it does when TOTP is on; the code is checked against the enrolled secret there).
        A wrong password or code is 422: the caller's session is still good."""
        try:
            signed = self._users.login(identity.email, password)
        except Unauthenticated as exc:
            raise Unprocessable(
                "The password is incorrect.", code="invalid_password", details={"password": ["Incorrect."]}
            ) from exc
        if signed.get("challenge_name"):
            try:
                tokens, challenged = self._users.answer_mfa(identity.email, signed["session"], code), True
            except Unprocessable as exc:
                exc.details = {field: exc.details.get("code", [exc.message])}
                raise
        else:
            tokens, challenged = signed, False
        if token_subject(tokens["access_token"]) != identity.user_id:
            self._users.revoke(tokens["refresh_token"])
            raise Forbidden("The password is not the signed-in user's.", code="access_token_mismatch")
        return tokens, challenged

    def refresh(self, refresh_token: str) -> dict[str, Any]:
        tokens = self._users.refresh(refresh_token)
        tokens.pop("refresh_token", None)
        # A role or business changed since sign-in shows here first.
        return {**tokens, "claims": tenancy_claims(tokens["id_token"])}

    def sign_out(self, refresh_token: str) -> None:
        """Ends the sign-in the refresh token belongs to, wherever a copy of it is kept."""
        self._users.revoke(refresh_token)

    def forgot_password(self, email: str) -> dict[str, Any]:
        self._users.forgot_password(email)
        return {"message": "If an account exists for this e-mail, a reset code has been sent to it."}

    def reset_password(self, email: str, code: str, new_password: str) -> dict[str, Any]:
        _check_password(new_password, "new_password")
        self._users.reset_password(email, code, new_password)
        return {"message": "The password has been reset. Sign in with the new password."}

"""Sign-up, confirmation, sign-in and password recovery."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalicelib.clock import utc_now
from chalicelib.errors import InvalidInput
from chalicelib.identity import MEMBER, Identity, personal_tenant, tenancy_claims
from chalicelib.policy import MESSAGE as PASSWORD_POLICY
from chalicelib.policy import password_problems


def _check_password(password: str, field: str) -> None:
    problems = password_problems(password)
    if problems:
        raise InvalidInput(PASSWORD_POLICY, code="weak_password", details={field: [f"Missing: {', '.join(problems)}."]})


class AuthService:
    def __init__(self, users: Any, profiles: Any, businesses: Any, clock: Callable[[], str] = utc_now):
        self._users = users
        self._profiles = profiles
        self._businesses = businesses
        self._clock = clock

    def sign_up(self, email: str, password: str, name: str, invite_code: str | None = None) -> dict[str, Any]:
        """Creates the account, its personal tenant and its profile, or none of them; with an
        invitation, the account joins that business with that role."""
        _check_password(password, "password")
        # Checked before the account exists: a bad code leaves nothing behind.
        invite = self._businesses.valid_invite(invite_code, email) if invite_code else None
        user_id, confirmed = self._users.sign_up(email, password, name)
        identity = Identity(user_id=user_id, email=email, tenant_id=personal_tenant(user_id), role=MEMBER)
        profile_made = False
        try:
            if invite is None:
                self._users.assign_tenant(user_id, identity.tenant_id, identity.role)
            self._profiles.create(identity, {"display_name": name}, self._clock())
            profile_made = True
            if invite is not None:
                self._businesses.join(user_id, email, invite_code, invite)
        except Exception:
            # An account without its tenant could sign in but never be served: undo it.
            if profile_made:
                self._profiles.delete(identity)
            self._users.delete(user_id)
            raise
        return {"user_id": user_id, "confirmed": confirmed}

    def confirm(self, email: str, code: str) -> dict[str, Any]:
        self._users.confirm(email, code)
        return {"confirmed": True}

    def log_in(self, email: str, password: str) -> dict[str, Any]:
        return self._users.login(email, password)

    def refresh(self, refresh_token: str) -> dict[str, Any]:
        tokens = self._users.refresh(refresh_token)
        tokens.pop("refresh_token", None)
        # A role or business changed since sign-in shows here first.
        return {**tokens, "claims": tenancy_claims(tokens["id_token"])}

    def forgot_password(self, email: str) -> dict[str, Any]:
        self._users.forgot_password(email)
        return {"message": "If an account exists for this e-mail, a reset code has been sent to it."}

    def reset_password(self, email: str, code: str, new_password: str) -> dict[str, Any]:
        _check_password(new_password, "new_password")
        self._users.reset_password(email, code, new_password)
        return {"message": "The password has been reset. Sign in with the new password."}

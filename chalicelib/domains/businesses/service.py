"""Businesses (the tenants of gyms and coaches): founding one, inviting people, roles, removal.

Tenant and role are Cognito attributes only the server writes; the table holds the invariants
(one business a person, at least one admin, an invitation used once). Every change is made in
the table first, then in Cognito; if Cognito fails, the table change is undone and the caller
gets a 503, so the two do not disagree. Tokens carry the new claims from their next refresh.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from chalicelib.adapters.ses_mailer import SUPPRESSED, Mail, MailRejected, MailUnavailable
from chalicelib.clock import utc_now
from chalicelib.cursors import Pages
from chalicelib.errors import Conflict, Forbidden, NotFound
from chalicelib.identity import ADMIN, COACH, MEMBER, Identity, personal_tenant
from chalicelib.ids import PATTERN as ID_PATTERN
from chalicelib.ids import new_id
from chalicelib.timeutil import iso_utc, parse_iso_utc

if TYPE_CHECKING:
    from chalicelib.adapters.cognito_users import CognitoUsers
    from chalicelib.cursors import CursorCodec
    from chalicelib.domains.businesses.store import BusinessStore

INVITE_DAYS = 7
USER_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")
AT_NEXT_REFRESH = "Takes effect in your tokens at their next refresh (POST /auth/refresh)."
# Staff (who act on other people's data) must sign in with two steps; members need not.
STAFF_ROLES = (ADMIN, COACH)
MFA_REQUIRED = (
    "Staff of a business must use two-step sign-in: enrol an authenticator app with POST /auth/mfa/totp, "
    "then confirm it with POST /auth/mfa/totp/verify (in the web app: Your data, Two-step sign-in). "
    "Your staff rights return at once."
)


def invite_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _no_invite() -> NotFound:
    return NotFound("No such invitation for you, or it has expired.")


class BusinessService:
    def __init__(
        self,
        store: BusinessStore,
        users: CognitoUsers,
        cursors: Callable[[], CursorCodec],
        clock: Callable[[], str] = utc_now,
        *,
        mail: Callable[[Mail], str] | None = None,
        web_origin: str = "",
    ):
        """`mail` sends an invitation by e-mail (SES, refusing suppressed addresses); its link
        opens the web app at `web_origin`. Without either, invitations are not e-mailed."""
        self._store = store
        self._users = users
        self._cursors = cursors
        self._clock = clock
        self._mail = mail
        self._web_origin = web_origin.rstrip("/")

    # Founding

    def create(self, identity: Identity, body: dict[str, Any]) -> dict[str, Any]:
        if body.get("parent_business_id"):
            return self._create_location(identity, body)
        if identity.business_id:
            raise Conflict("You already belong to a business; leave it first.", code="already_in_business")
        now = self._clock()
        business = {"id": new_id(), "name": body["name"], "parent_business_id": None, "created_at": now}
        founder = {
            "user_id": identity.user_id,
            "email": identity.email,
            "role": ADMIN,
            "joined_at": now,
            # Founding is allowed without two-step sign-in; staff routes then wait for it.
            "two_step": self._users.totp_enabled(identity.user_id),
        }
        self._store.create({**business, "created_by": identity.user_id}, founder)
        try:
            self._users.assign_tenant(identity.user_id, business["id"], ADMIN, parent_business_id="")
        except Exception:
            self._store.delete_unjoined(business["id"], identity.user_id)
            raise
        return {"business": business, "role": ADMIN, "admin_invite": None, "message": AT_NEXT_REFRESH}

    def _create_location(self, identity: Identity, body: dict[str, Any]) -> dict[str, Any]:
        parent = body["parent_business_id"]
        if parent != identity.business_id:
            raise NotFound("No such business.")
        if identity.role != ADMIN:
            raise Forbidden("Only an admin of the chain adds a location.", code="role_required")
        self.require_role(identity, (ADMIN,))  # a staff right: the member item, two-step sign-in
        now = self._clock()
        business = {"id": new_id(), "name": body["name"], "parent_business_id": parent, "created_at": now}
        code, invite = self._new_invite(identity, business, body["admin_email"], ADMIN)
        self._store.create_location(
            {**business, "created_by": identity.user_id}, invite_hash(code), invite, identity.user_id
        )
        return {
            "business": business,
            "role": None,
            "admin_invite": _shown_invite(code, invite),
            "message": "The location's first admin joins with this invitation.",
        }

    def get(self, identity: Identity, business_id: str) -> dict[str, Any]:
        business = self._store.get(business_id)
        if business is None:
            raise NotFound("No such business.")
        return {"parent_business_id": None, **business}  # a top-level business stores none

    # Invitations

    def _new_invite(
        self, identity: Identity, business: dict[str, Any], email: str, role: str
    ) -> tuple[str, dict[str, Any]]:
        now = self._clock()
        expires = parse_iso_utc(now) + timedelta(days=INVITE_DAYS)
        invite = {
            "id": new_id(),
            "created_at": now,
            "business_id": business["id"],
            "parent_business_id": business.get("parent_business_id"),
            "email": email,
            "role": role,
            "invited_by": identity.user_id,
            "expires": iso_utc(expires),
            # The table's TTL attribute: DynamoDB removes the invitation some time after it lapses.
            "expires_at": int(expires.timestamp()),
        }
        return secrets.token_urlsafe(24), invite

    def invite(self, identity: Identity, business_id: str, body: dict[str, Any]) -> dict[str, Any]:
        # The route admits only the business's own admins, whose claims name its parent.
        business = {"id": business_id, "parent_business_id": identity.parent_business_id}
        code, invite = self._new_invite(identity, business, body["email"], body["role"])
        hashed = invite_hash(code)
        self._store.put_invite(hashed, invite, identity.user_id, _pending_entry(invite, hashed))
        status = self._send_invite(business_id, code, invite) if body.get("send_email") else "not_requested"
        return _shown_invite(code, invite, status)

    def _send_invite(self, business_id: str, code: str, invite: dict[str, Any]) -> str:
        """E-mails the invitation: a link to the web app's join screen with the code. The
        invitation stands whatever happens here; the answer says whether the mail went."""
        if self._mail is None or not self._web_origin:
            return "not_configured"
        business = self._store.get(business_id)
        name = business["name"] if business else "a business"
        link = f"{self._web_origin}/business?invite={quote(code, safe='')}"
        text = (
            f"You are invited to join {name} on Stride as a {invite['role']}.\n\n"
            f"Open this link, sign in (or create your account with this e-mail address) and accept:\n{link}\n\n"
            f"The invitation works once, for this address, until {invite['expires'][:10]}.\n"
            "If you did not expect it, ignore this e-mail.\n"
        )
        try:
            self._mail(Mail(to=invite["email"], subject=f"You are invited to {name} on Stride", text=text))
        except MailRejected as exc:
            return "suppressed" if str(exc) == SUPPRESSED else "rejected"
        except MailUnavailable:
            return "failed"
        return "sent"

    def pending_invites(self, identity: Identity, business_id: str, query: dict[str, Any]) -> dict[str, Any]:
        pages = Pages(self._cursors(), identity.user_id, business_id, "invites", query)
        now_epoch = int(parse_iso_utc(self._clock()).timestamp())
        items, last = self._store.pending_invites(business_id, query["limit"], pages.start, now_epoch)
        return {"items": [_shown_pending(item) for item in items], "next_cursor": pages.next_cursor(last)}

    def revoke_invite(self, identity: Identity, business_id: str, invite_id: str) -> None:
        """Deletes a pending invitation: its code stops working at once. Used, revoked or
        unknown (or another business's): not found."""
        well_formed = re.fullmatch(ID_PATTERN, invite_id) is not None
        pending = self._store.get_pending_invite(business_id, invite_id) if well_formed else None
        if pending is None:
            raise NotFound("No such pending invitation.")
        self._store.revoke_invite(business_id, invite_id, pending["invite_hash"], identity.user_id)

    def valid_invite(self, code: str, email: str) -> dict[str, Any]:
        """The invitation behind a code, if it can still be used by this e-mail address."""
        return self._usable_invite(invite_hash(code), email)

    def hold_invite(self, code: str, email: str) -> None:
        """Checks the invitation a sign-up made straight in Cognito names, and keeps it (its hash)
        for the confirmation that comes later: Cognito passes sign-up's metadata to pre sign-up only."""
        invite = self.valid_invite(code, email)
        self._store.hold_invite(email, invite_hash(code), invite["expires_at"])

    def held_invite(self, email: str) -> tuple[str, dict[str, Any]] | None:
        """The invitation a sign-up held for this e-mail address, if any: (its hash, it)."""
        hashed = self._store.held_invite(email)
        return None if hashed is None else (hashed, self._usable_invite(hashed, email))

    def _usable_invite(self, hashed: str, email: str) -> dict[str, Any]:
        invite = self._store.get_invite(hashed)
        if invite is None or invite["expires"] <= self._clock():
            raise _no_invite()
        if invite.get("used_by") and invite["email"] == email:
            raise Conflict("This invitation has been used.", code="invite_used")
        if invite["email"] != email:
            raise _no_invite()  # not confirmed to anyone but the invited person
        return invite

    def accept(self, identity: Identity, code: str) -> dict[str, Any]:
        """Joins with an invitation sent to the caller's address, once they have proved they
        receive mail there (a changed address is unverified until its code comes back)."""
        if not identity.email_verified:
            raise Forbidden(
                "Verify your e-mail address before accepting an invitation to it.", code="email_not_verified"
            )
        if identity.business_id:
            raise Conflict("You already belong to a business; leave it first.", code="already_in_business")
        # Lower-cased as invitations name addresses: the pool takes BOB@ and bob@ as one person.
        email = identity.email.lower()
        invite = self.valid_invite(code, email)
        self.join(identity.user_id, email, code, invite, two_step=self._users.totp_enabled(identity.user_id))
        return {"business_id": invite["business_id"], "role": invite["role"], "message": AT_NEXT_REFRESH}

    def join(self, user_id: str, email: str, code: str, invite: dict[str, Any], *, two_step: bool = False) -> None:
        """Uses the invitation and gives the person the business and role, or neither."""
        self.join_hashed(user_id, email, invite_hash(code), invite, two_step=two_step)

    def join_hashed(
        self, user_id: str, email: str, hashed: str, invite: dict[str, Any], *, two_step: bool = False
    ) -> None:
        """`two_step`: whether the person's sign-ins ask for a TOTP code now (Cognito's state; a
        person confirming their sign-up has none yet)."""
        member = {
            "business_id": invite["business_id"],
            "user_id": user_id,
            "email": email,
            "role": invite["role"],
            "joined_at": self._clock(),
            "two_step": two_step,
        }
        now_epoch = int(parse_iso_utc(self._clock()).timestamp())
        self._store.accept(hashed, member, now_epoch, invite.get("id"))
        try:
            parent = invite.get("parent_business_id") or ""
            self._users.assign_tenant(user_id, invite["business_id"], invite["role"], parent_business_id=parent)
        except Exception:
            self._store.release(hashed, member, _pending_entry(invite, hashed) if invite.get("id") else None)
            raise

    # Members

    def members(self, identity: Identity, business_id: str, query: dict[str, Any]) -> dict[str, Any]:
        pages = Pages(self._cursors(), identity.user_id, business_id, "members", query)
        items, last = self._store.members_page(business_id, query["limit"], pages.start)
        # Read at answer time for the whole page: a name changed a moment ago shows at once.
        names = self._store.names([item["user_id"] for item in items])
        named = [{**item, "name": names.get(item["user_id"])} for item in items]
        return {"items": named, "next_cursor": pages.next_cursor(last)}

    def require_role(self, identity: Identity, roles: tuple[str, ...]) -> None:
        """The caller's member item, read now, still gives them their token's role, one of
        `roles`: a token minted before a demotion or a removal (valid up to 15 minutes) keeps no
        staff authority, and a route may trust `identity.role` after this check."""
        member = self._store.get_member(identity.tenant_id, identity.user_id)
        if member is None or member.get("role") != identity.role or identity.role not in roles:
            raise Forbidden(
                f"You no longer hold the role {' or '.join(roles)} here; refresh your tokens.", code="role_required"
            )
        if identity.role in STAFF_ROLES and not member.get("two_step"):
            if "two_step" not in member and self._legacy_two_step(identity):
                return
            raise Forbidden(MFA_REQUIRED, code="mfa_required", details={"enrol": ["POST /auth/mfa/totp"]})

    def _legacy_two_step(self, identity: Identity) -> bool:
        """A member item from before staff needed two steps has no flag: Cognito says, once, and the
        answer is kept on the item (so an enrolled admin is not locked out by the release, and no
        request after this one asks Cognito)."""
        enabled = self._users.totp_enabled(identity.user_id)
        self._store.record_two_step(identity.tenant_id, identity.user_id, enabled)
        return enabled

    def two_step_changed(self, user_id: str, enabled: bool) -> None:
        """Two-step sign-in turned on or off for the person (through Stride's routes, or seen in
        Cognito's own events): their staff rights follow it."""
        self._store.set_two_step(user_id, enabled)

    def _member(self, business_id: str, user_id: str) -> dict[str, Any]:
        if not USER_ID.fullmatch(user_id):  # not a sub: a key DynamoDB would refuse, and no one
            raise NotFound("No such member of this business.")
        member = self._store.get_member(business_id, user_id)
        if member is None:
            raise NotFound("No such member of this business.")
        return member

    def change_role(self, identity: Identity, business_id: str, user_id: str, role: str) -> dict[str, Any]:
        member = self._member(business_id, user_id)
        if user_id == identity.user_id and member["role"] != ADMIN:
            raise Forbidden("You are no longer an admin of this business; refresh your tokens.", code="role_required")
        # Also when the role is already stored: a retry after a failed Cognito call heals, and
        # the write's conditions make sure the member is still there before Cognito is told.
        self._store.set_role(business_id, user_id, member["role"], role, identity.user_id)
        try:
            self._users.assign_tenant(user_id, business_id, role, parent_business_id=identity.parent_business_id or "")
        except Exception:
            if member["role"] != role:
                self._store.set_role(business_id, user_id, role, member["role"], user_id)
            raise
        return {**member, "role": role, "name": self._store.names([user_id]).get(user_id)}

    def remove(self, identity: Identity, business_id: str, user_id: str) -> None:
        """Out of the business; the person keeps their account and everything of their own. A
        member whose account was deleted through Cognito (its erasure not yet run) is removed too:
        the pool has nobody left to tell."""
        member = self._member(business_id, user_id)
        self._store.remove(business_id, user_id, member["role"], identity.user_id)
        try:
            self._users.assign_tenant(user_id, personal_tenant(user_id), MEMBER, parent_business_id="", missing_ok=True)
        except Exception:
            self._store.restore(member, business_id)
            raise

    # Account export and deletion

    def leave_for_deletion(self, identity: Identity) -> None:
        """Before an account is deleted: out of its business (refused for the last admin, before
        anything is deleted)."""
        membership = self._store.membership(identity.user_id)
        if membership is not None:
            self._store.remove(membership["business_id"], identity.user_id, membership["role"], None)

    def leave_for_erasure(self, identity: Identity) -> None:
        """The erasure of an account already gone from Cognito: out of its business whatever its
        role (the person cannot be asked to hand the business over any more; its admin count
        drops, to 0 for a last admin)."""
        membership = self._store.membership(identity.user_id)
        if membership is not None:
            self._store.remove(
                membership["business_id"], identity.user_id, membership["role"], None, last_admin_may_leave=True
            )

    def every_tenant(self, identity: Identity) -> list[Identity]:
        """The person as they were in every tenant they wrote in: the one they act in, their own,
        and every business they ever joined (left ones included: what they wrote there is theirs)."""
        tenants = {identity.tenant_id, identity.home_tenant, *self._store.tenancies(identity.user_id)}
        return [identity._replace(tenant_id=tenant) for tenant in sorted(tenants)]


def _pending_entry(invite: dict[str, Any], hashed: str) -> dict[str, Any]:
    """The invitation as the business's list of pending ones keeps it (never the code)."""
    names = ("id", "email", "role", "invited_by", "expires", "expires_at", "created_at")
    return {**{name: invite[name] for name in names}, "invite_hash": hashed}


def _shown_pending(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": item["id"],
        "email": item["email"],
        "role": item["role"],
        "invited_by": item["invited_by"],
        "created_at": item["created_at"],
        "expires_at": item["expires"],
    }


def _shown_invite(code: str, invite: dict[str, Any], email_status: str = "not_requested") -> dict[str, Any]:
    return {
        "id": invite["id"],
        "email_status": email_status,
        "code": code,
        "business_id": invite["business_id"],
        "email": invite["email"],
        "role": invite["role"],
        "expires_at": invite["expires"],
    }

"""Businesses as a client makes them: found one, invite, accept, refresh to the new claims. Staff
(admins, coaches) enrol two-step sign-in as they must before their staff routes answer."""

from __future__ import annotations

import time
from typing import Any

from tests import mfa


def refresh(api: Any, user: Any) -> dict[str, Any]:
    """The user's tokens after a role or business change; returns the new claims."""
    answer = api.post("/auth/refresh", {"refresh_token": user.refresh_token})
    assert answer.status == 200, answer.body
    user.id_token = answer.body["id_token"]
    return answer.body["claims"]


def enrol_staff(api: Any, person: Any) -> None:
    """Two-step sign-in on, through Stride's routes, as staff must have it."""
    mfa.enrol(api, person, time.time())


def found_business(api: Any, user: Any, name: str = "Riverside Gym", *, enrol: bool = True) -> str:
    """The user founds a business and (unless `enrol` is False) turns two-step sign-in on."""
    answer = api.post("/businesses", {"name": name}, token=user.token)
    assert answer.status == 201, answer.body
    if enrol:
        mfa.enrol(api, user, time.time())
    refresh(api, user)
    return answer.body["business"]["id"]


def invite(api: Any, admin: Any, business_id: str, email: str, role: str = "member") -> str:
    answer = api.post(f"/businesses/{business_id}/invites", {"email": email, "role": role}, token=admin.token)
    assert answer.status == 201, answer.body
    return answer.body["code"]


def join(api: Any, users: Any, admin: Any, business_id: str, role: str = "member", *, enrol: bool = True) -> Any:
    """A new person, invited by the admin with this role, who accepted and refreshed (staff with
    two-step sign-in on, unless `enrol` is False)."""
    person = users.create()
    code = invite(api, admin, business_id, person.email, role)
    answer = api.post(f"/invites/{code}/accept", token=person.token)
    assert answer.status == 200, answer.body
    if enrol and role != "member":
        mfa.enrol(api, person, time.time())
    refresh(api, person)
    return person

"""Businesses as a client makes them: found one, invite, accept, refresh to the new claims."""

from __future__ import annotations

from typing import Any


def refresh(api: Any, user: Any) -> dict[str, Any]:
    """The user's tokens after a role or business change; returns the new claims."""
    answer = api.post("/auth/refresh", {"refresh_token": user.refresh_token})
    assert answer.status == 200, answer.body
    user.id_token = answer.body["id_token"]
    return answer.body["claims"]


def found_business(api: Any, user: Any, name: str = "Riverside Gym") -> str:
    answer = api.post("/businesses", {"name": name}, token=user.token)
    assert answer.status == 201, answer.body
    refresh(api, user)
    return answer.body["business"]["id"]


def invite(api: Any, admin: Any, business_id: str, email: str, role: str = "member") -> str:
    answer = api.post(f"/businesses/{business_id}/invites", {"email": email, "role": role}, token=admin.token)
    assert answer.status == 201, answer.body
    return answer.body["code"]


def join(api: Any, users: Any, admin: Any, business_id: str, role: str = "member") -> Any:
    """A new person, invited by the admin with this role, who accepted and refreshed."""
    person = users.create()
    code = invite(api, admin, business_id, person.email, role)
    answer = api.post(f"/invites/{code}/accept", token=person.token)
    assert answer.status == 200, answer.body
    refresh(api, person)
    return person

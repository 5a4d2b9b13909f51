"""Invitations by e-mail in the browser: an admin e-mails one, sees it pending and revokes another;
the invited person, signed out, follows the e-mail's link, signs in, finds the code filled in on
the join screen, and joins."""

from __future__ import annotations

import urllib.parse
from typing import Any

import pytest

from tests.e2e.browser import check_screen, expect, go
from tests.e2e.staff import enrol_staff

pytestmark = pytest.mark.e2e


def _found(admin: Any, stack: Any, name: str) -> None:
    go(admin, "Business", "Business")
    admin.get_by_label("Business name").fill(name)
    admin.get_by_role("button", name="Found business").click()
    expect()(admin.get_by_role("heading", name=name)).to_be_visible()
    enrol_staff(stack, admin.access_token, admin.token)
    admin.reload()
    expect()(admin.get_by_role("heading", name="Pending invitations")).to_be_visible()


def _invite(admin: Any, address: str, role: str = "member", send: bool = True) -> None:
    form = admin.get_by_role("form", name="Invite someone")
    form.get_by_label("E-mail", exact=True).fill(address)
    form.get_by_label("Role").select_option(role)
    checkbox = form.get_by_role("checkbox", name="Send them a link to join, to that address")
    expect()(checkbox).to_be_checked()  # on by default
    if not send:
        checkbox.uncheck()
    form.get_by_role("button", name="Create invitation").click()


def test_an_emailed_invitation_brings_the_person_to_the_join_screen_with_the_code(person, stack):
    admin = person()
    _found(admin, stack, "Canal Gym")
    member = person()

    _invite(admin, member.email, "coach")
    expect()(admin.get_by_text(f"Invitation e-mailed to {member.email}")).to_be_visible()
    code = admin.get_by_test_id("shown-once").inner_text()
    pending = admin.get_by_test_id("pending-invites")
    expect()(pending.get_by_role("row").filter(has_text=member.email)).to_contain_text("coach")

    _invite(admin, "not-coming@example.com", send=False)
    expect()(admin.get_by_text("Invitation e-mailed to")).to_have_count(0)
    expect()(pending.get_by_role("row")).to_have_count(3)  # the header and two invitations
    check_screen(admin, "business-invitations")
    admin.get_by_role("button", name="Revoke the invitation for not-coming@example.com").click()
    expect()(pending.get_by_role("row").filter(has_text="not-coming@example.com")).to_have_count(0)
    listed = stack.call("GET", f"/businesses/{_business_id(stack, admin)}/invites", token=_fresh(stack, admin)).body
    assert [item["email"] for item in listed["items"]] == [member.email]

    [mail] = stack.call("GET", f"/dev/outbox?to={urllib.parse.quote(member.email)}").body["messages"]
    assert mail["subject"] == "You are invited to Canal Gym on Stride"
    [link] = [word for word in mail["text"].split() if word.startswith("http")]
    assert link == f"{stack.web}/business?invite={code}"

    member.get_by_role("button", name="Sign out").click()
    expect()(member.get_by_role("heading", name="Sign in to Stride")).to_be_visible()
    member.goto(link)
    expect()(member.get_by_role("heading", name="Sign in to Stride")).to_be_visible()
    from tests.e2e.test_journey import PASSWORD

    member.get_by_label("E-mail").fill(member.email)
    member.get_by_label("Password", exact=True).fill(PASSWORD)
    member.get_by_role("button", name="Sign in", exact=True).click()
    expect()(member.get_by_role("heading", name="Business", exact=True)).to_be_visible()
    expect()(member.get_by_label("Invitation code")).to_have_value(code)
    check_screen(member, "business-join-from-link")
    member.get_by_role("button", name="Join business").click()
    expect()(member.get_by_role("heading", name="Canal Gym")).to_be_visible()

    admin.reload()
    expect()(admin.get_by_text("No invitation is waiting for an answer.")).to_be_visible()
    assert member.problems == [] and admin.problems == []


def _fresh(stack: Any, page: Any) -> str:
    refreshed = stack.call("POST", "/auth/refresh", {"refresh_token": page.refresh_token})
    assert refreshed.status == 200, refreshed.body
    return refreshed.body["id_token"]


def _business_id(stack: Any, page: Any) -> str:
    return stack.call("GET", "/me", token=_fresh(stack, page)).body["tenant_id"]

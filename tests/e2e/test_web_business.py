"""The business portal in the browser, with two people on two browser contexts: an admin who
founds a business and invites, and the member who joins with the code."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.browser import check_screen, expect, go, submit_baseline
from tests.e2e.staff import enrol_staff

pytestmark = pytest.mark.e2e


def _fresh_token(stack, page: Any) -> str:
    """The id token with the tenant and role the person has now (claims change at a refresh)."""
    refreshed = stack.call("POST", "/auth/refresh", {"refresh_token": page.refresh_token})
    assert refreshed.status == 200, refreshed.body
    return refreshed.body["id_token"]


def test_an_admin_founds_invites_and_manages_a_member_who_joins_with_the_code(person, stack):
    admin = person(permissions=("clipboard-read", "clipboard-write"))
    go(admin, "Business", "Business")
    check_screen(admin, "business-personal")
    admin.get_by_label("Business name").fill("Harbour Gym")
    admin.get_by_role("button", name="Found business").click()
    expect()(admin.get_by_role("heading", name="Harbour Gym")).to_be_visible()
    expect()(admin.get_by_test_id("my-role")).to_have_text("admin")
    # Staff sign in with two steps: the portal says so until the admin turns it on.
    expect()(admin.get_by_role("alert")).to_contain_text("must use two-step sign-in")
    enrol_staff(stack, admin.access_token, admin.token)
    admin.reload()
    expect()(admin.get_by_role("heading", name="Members")).to_be_visible()
    expect()(admin.get_by_role("alert")).to_have_count(0)

    # The invitation's code is shown once, with a button that copies it.
    invite = admin.get_by_role("form", name="Invite someone")
    member = person()
    invite.get_by_label("E-mail").fill(member.email)
    invite.get_by_label("Role").select_option("member")
    invite.get_by_role("button", name="Create invitation").click()
    code = admin.get_by_test_id("shown-once").inner_text()
    admin.get_by_role("button", name="Copy").click()
    expect()(admin.get_by_role("button", name="Copied")).to_be_visible()
    assert admin.evaluate("navigator.clipboard.readText()") == code

    # The member joins with the code; a member sees no member list and no admin control.
    go(member, "Business", "Business")
    member.get_by_label("Invitation code").fill("not-the-code")
    member.get_by_role("button", name="Join business").click()
    expect()(member.get_by_role("alert")).to_contain_text("No such invitation")
    member.get_by_label("Invitation code").fill(code)
    member.get_by_role("button", name="Join business").click()
    expect()(member.get_by_role("heading", name="Harbour Gym")).to_be_visible()
    expect()(member.get_by_test_id("my-role")).to_have_text("member")
    expect()(member.get_by_role("heading", name="Members")).to_have_count(0)
    expect()(member.get_by_role("button", name="Remove")).to_have_count(0)
    check_screen(member, "business-member")

    # The admin sees them, a page at a time (one a page here: the page asks for 20, the route
    # below asks the API for 1), and what they share: nothing, then their assessment once shared.
    members = f"{stack.api}/businesses/*/members?*"
    admin.route(members, lambda route: route.continue_(url=route.request.url.replace("limit=20", "limit=1")))
    admin.reload()
    expect()(admin.get_by_test_id("member")).to_have_count(1)
    admin.get_by_role("button", name="Load more members").click()
    expect()(admin.get_by_test_id("member")).to_have_count(2)
    expect()(admin.get_by_role("button", name="Load more members")).to_have_count(0)
    admin.unroute(members)
    row = admin.get_by_test_id("member").filter(has_text=member.email)
    expect()(row).to_be_visible()
    row.get_by_role("button", name=f"Shared by {member.email}").click()
    expect()(admin.get_by_test_id("not-shared")).to_be_visible()
    member_token = _fresh_token(stack, member)
    assert stack.call("PUT", "/me/sharing", {"coach_access": True}, token=member_token).status == 200
    submitted = submit_baseline(stack, member_token)
    row.get_by_role("button", name=f"Shared by {member.email}").click()
    expect()(admin.get_by_test_id("shared-items")).to_contain_text(f"score {submitted['score']}")
    check_screen(admin, "business-admin")

    # Made a coach, the member sees the members and what they share, and no admin control.
    row.get_by_label(f"Role of {member.email}").select_option("coach")
    row.get_by_role("button", name=f"Save role of {member.email}").click()
    expect()(row.get_by_text("Role saved.")).to_be_visible()
    enrol_staff(stack, member.access_token, member.token)  # a coach signs in with two steps
    member.reload()  # the new role is in the tokens from their next refresh
    expect()(member.get_by_test_id("my-role")).to_have_text("coach")
    expect()(member.get_by_test_id("member")).to_have_count(2)
    expect()(member.get_by_role("button", name=re.compile("^(Save role|Remove)"))).to_have_count(0)
    expect()(member.get_by_role("form", name="Invite someone")).to_have_count(0)
    member.get_by_role("button", name=f"Shared by {admin.email}").click()
    expect()(member.get_by_test_id("not-shared")).to_be_visible()
    check_screen(member, "business-coach")

    # Promoted to admin, the member demotes the founder, whose page (stale now) shows the 403.
    row.get_by_label(f"Role of {member.email}").select_option("admin")
    row.get_by_role("button", name=f"Save role of {member.email}").click()
    expect()(row.get_by_text("Role saved.")).to_be_visible()
    demoted = stack.call(
        "PATCH",
        f"/businesses/{_business_id(stack, admin)}/members/{admin.user_id}",
        {"role": "member"},
        token=_fresh_token(stack, member),
    )
    assert demoted.status == 200, demoted.body
    row.get_by_role("button", name=f"Remove {member.email}").click()
    row.get_by_role("button", name=f"Yes, remove {member.email}").click()
    expect()(admin.get_by_role("alert")).to_contain_text("no longer hold the role admin")
    expect()(row).to_be_visible()
    assert admin.problems == [] and member.problems == []


def _business_id(stack, page: Any) -> str:
    return stack.call("GET", "/me", token=_fresh_token(stack, page)).body["tenant_id"]

"""A gym over real HTTP: founded, staffed by invitation, roles changed; claims follow at refresh."""

from tests.e2e.staff import enrol_staff
from tests.e2e.test_journey import _new_user
from tests.e2e.test_social import _refreshed


def test_a_gym_is_founded_staffed_and_reorganised(stack):
    _, _, owner_login = _new_user(stack)
    business = stack.call("POST", "/businesses", {"name": "Harbour Gym"}, token=owner_login["id_token"]).body[
        "business"
    ]
    enrol_staff(stack, owner_login["access_token"], owner_login["id_token"])  # staff sign in with two steps
    owner = _refreshed(stack, owner_login, business["id"])
    coach_email, coach_id, coach_login = _new_user(stack)
    code = stack.call(
        "POST", f"/businesses/{business['id']}/invites", {"email": coach_email, "role": "coach"}, token=owner
    ).body["code"]
    assert stack.call("POST", f"/invites/{code}/accept", token=coach_login["id_token"]).status == 200
    coach = _refreshed(stack, coach_login, business["id"])
    unenrolled = stack.call("GET", f"/businesses/{business['id']}/members", token=coach)
    assert unenrolled.status == 403 and unenrolled.body["error"]["code"] == "mfa_required", unenrolled.body
    enrol_staff(stack, coach_login["access_token"], coach_login["id_token"])

    members = stack.call("GET", f"/businesses/{business['id']}/members", token=coach)
    assert members.status == 200 and {m["role"] for m in members.body["items"]} == {"admin", "coach"}
    refused = stack.call(
        "POST", f"/businesses/{business['id']}/invites", {"email": "x@example.com", "role": "member"}, token=coach
    )
    assert refused.status == 403 and refused.body["error"]["code"] == "role_required"

    demoted = stack.call("PATCH", f"/businesses/{business['id']}/members/{coach_id}", {"role": "member"}, token=owner)
    assert demoted.status == 200, demoted.body
    # The coach's token in hand keeps its claims until refreshed, but not the authority: staff
    # routes check the member item (issue 15: member lists included).
    stale = stack.call("GET", f"/businesses/{business['id']}/members", token=coach)
    assert stale.status == 403 and stale.body["error"]["code"] == "role_required"
    refreshed = stack.call("POST", "/auth/refresh", {"refresh_token": coach_login["refresh_token"]}).body
    assert refreshed["claims"]["role"] == "member"
    assert stack.call("GET", f"/businesses/{business['id']}/members", token=refreshed["id_token"]).status == 403

"""Staff (admins and coaches) must sign in with two steps: every route declared with `roles=` refuses
a staff member whose sign-ins ask for no TOTP code, 403 `mfa_required` naming POST /auth/mfa/totp,
and answers once they enrol; members are not asked. Stride keeps the flag on the member item (the
staff check's one GetItem), written by its own MFA routes and by the sign-in notices handler from
Cognito's state when the change went straight through Cognito's API. The walk is generated from
the route declarations."""

from __future__ import annotations

import time
from typing import Any

import pytest

from chalicelib.domains import routers
from devtools.totp import code_at
from tests import mfa
from tests.businesses import enrol_staff, found_business, invite, join, refresh
from tests.catalog import CATALOG, WEIGHT
from tests.conftest import LOCAL_TABLE, PASSWORD

SPECS = {(spec.method, spec.path): spec for router in routers() for spec, _ in router.routes}
STAFF_ROUTES = sorted(route for route, spec in SPECS.items() if spec.roles)
# Where the staff rights come back: never behind the check itself.
OPEN_TO_THE_UNENROLLED = [("POST", "/auth/mfa/totp"), ("POST", "/auth/mfa/totp/verify"), ("GET", "/auth/mfa")]


def _member_key(api: Any, user: Any) -> dict[str, Any]:
    tenant_id = api.get("/me", token=user.token).body["tenant_id"]
    return {"PK": {"S": f"TENANT#{tenant_id}"}, "SK": {"S": f"MEMBER#{user.user_id}"}}


def _set_flag(api: Any, local_aws: Any, user: Any, on: bool) -> None:
    """The member item as a staff member who has (not) enrolled has it."""
    local_aws.client("dynamodb").update_item(
        TableName=LOCAL_TABLE,
        Key=_member_key(api, user),
        UpdateExpression="SET two_step = :on",
        ExpressionAttributeValues={":on": {"BOOL": on}},
    )


def _flag(api: Any, local_aws: Any, user: Any) -> Any:
    item = local_aws.client("dynamodb").get_item(TableName=LOCAL_TABLE, Key=_member_key(api, user), ConsistentRead=True)
    return item["Item"].get("two_step", {}).get("BOOL")


def _members(api: Any, user: Any, business_id: str) -> Any:
    return api.get(f"/businesses/{business_id}/members", token=user.token)


def _refused_for_two_step(answer: Any) -> bool:
    return answer.status == 403 and answer.body["error"]["code"] == "mfa_required"


def test_the_walk_covers_the_staff_routes():
    assert len(STAFF_ROUTES) >= 12
    assert {path for _, path in STAFF_ROUTES} >= {"/assessments", "/videos", "/businesses/{business_id}/members"}
    assert not set(OPEN_TO_THE_UNENROLLED) & set(STAFF_ROUTES)


@pytest.mark.parametrize("route", STAFF_ROUTES, ids=lambda route: f"{route[0]} {route[1]}")
def test_every_staff_route_waits_for_two_step_sign_in(api, users, user, local_aws, route):
    request = CATALOG[route](api, users, user)
    _set_flag(api, local_aws, user, False)

    refused = request.send(api, user.token)

    assert _refused_for_two_step(refused), refused.body
    assert "POST /auth/mfa/totp" in refused.body["error"]["message"]
    _set_flag(api, local_aws, user, True)
    assert request.send(api, user.token).status < 400


def test_a_founder_is_admin_at_once_and_enrols_through_the_open_mfa_routes(api, user, local_aws):
    answer = api.post("/businesses", {"name": "Harbour Gym"}, token=user.token)
    assert answer.status == 201, answer.body  # founding needs no second step
    business_id = answer.body["business"]["id"]
    refresh(api, user)
    assert _refused_for_two_step(_members(api, user, business_id))
    assert api.get(f"/businesses/{business_id}", token=user.token).status == 200  # not a staff route

    assert api.get("/auth/mfa", token=user.token).body == {"enabled": False}
    enrol_staff(api, user)

    assert _flag(api, local_aws, user) is True
    assert _members(api, user, business_id).status == 200


def test_turning_two_step_off_through_stride_takes_the_staff_rights_away(api, user, local_aws):
    now = time.time()
    business_id = found_business(api, user, enrol=False)
    secret = mfa.enrol(api, user, now)
    assert _members(api, user, business_id).status == 200

    body = {"access_token": user.access_token, "code": mfa.next_code(secret, now), "password": PASSWORD}
    assert api.request("DELETE", "/auth/mfa/totp", body, token=user.token).status == 200

    assert _flag(api, local_aws, user) is False
    assert _refused_for_two_step(_members(api, user, business_id))


def test_a_change_made_straight_through_cognito_moves_the_staff_rights_too(api, user, local_aws):
    """Amplify's updateMFAPreference, or an operator's AdminSetUserMFAPreference: Stride's routes
    never see it; the sign-in notices handler reads Cognito's state from the CloudTrail event."""
    business_id = found_business(api, user, enrol=False)
    cognito = local_aws.client("cognito-idp")
    secret = cognito.associate_software_token(AccessToken=user.access_token)["SecretCode"]
    cognito.verify_software_token(AccessToken=user.access_token, UserCode=code_at(secret, time.time()))
    cognito.set_user_mfa_preference(
        AccessToken=user.access_token, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    assert local_aws.cognito.cloudtrail_delivered()
    assert _members(api, user, business_id).status == 200

    cognito.set_user_mfa_preference(AccessToken=user.access_token, SoftwareTokenMfaSettings={"Enabled": False})
    assert local_aws.cognito.cloudtrail_delivered()

    assert _refused_for_two_step(_members(api, user, business_id))


def test_someone_with_two_step_on_already_is_staff_as_soon_as_they_join(api, users, user):
    business_id = found_business(api, user)
    coach = users.create()
    enrol_staff(api, coach)  # before joining: the member item reads Cognito's state
    code = invite(api, user, business_id, coach.email, "coach")
    assert api.post(f"/invites/{code}/accept", token=coach.token).status == 200
    refresh(api, coach)

    assert _members(api, coach, business_id).status == 200


def test_a_coach_without_two_step_is_refused_until_they_enrol(api, users, user):
    business_id = found_business(api, user)
    coach = join(api, users, user, business_id, "coach", enrol=False)
    assert _refused_for_two_step(_members(api, coach, business_id))

    enrol_staff(api, coach)

    assert _members(api, coach, business_id).status == 200


def test_members_are_not_asked_for_a_second_step(api, users, user, local_aws):
    business_id = found_business(api, user)
    member = join(api, users, user, business_id)

    assert _flag(api, local_aws, member) is False
    assert api.post("/weights", WEIGHT, token=member.token).status == 201
    assert api.get(f"/businesses/{business_id}", token=member.token).status == 200
    assert api.put("/me/sharing", {"coach_access": True}, token=member.token).status == 200
    # A member is refused a staff route for their role, not for two-step sign-in.
    refused = _members(api, member, business_id)
    assert refused.status == 403 and refused.body["error"]["code"] == "role_required"


def test_a_chain_admin_without_two_step_adds_no_location(api, user):
    chain = found_business(api, user, enrol=False)
    body = {"name": "North", "parent_business_id": chain, "admin_email": "manager@example.com"}

    assert _refused_for_two_step(api.post("/businesses", body, token=user.token))
    enrol_staff(api, user)
    assert api.post("/businesses", body, token=user.token).status == 201


@pytest.mark.parametrize("enrolled", [True, False])
def test_a_member_item_from_before_the_rule_asks_cognito_once(api, user, local_aws, calls, enrolled):
    """Staff who joined before two-step sign-in was required have no flag: the first staff request
    reads Cognito and keeps the answer, so an enrolled admin is not locked out by the release."""
    business_id = found_business(api, user, enrol=enrolled)
    local_aws.client("dynamodb").update_item(
        TableName=LOCAL_TABLE, Key=_member_key(api, user), UpdateExpression="REMOVE two_step"
    )

    calls.clear()
    first = _members(api, user, business_id)
    assert calls.calls.count("cognito-idp.AdminGetUser") == 1
    assert _flag(api, local_aws, user) is enrolled
    calls.clear()
    again = _members(api, user, business_id)

    assert "cognito-idp.AdminGetUser" not in calls.calls
    for answer in (first, again):
        assert answer.status == 200 if enrolled else _refused_for_two_step(answer), answer.body

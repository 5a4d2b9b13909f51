"""Staff authority outlives no demotion or removal: every route declared with `roles=`, sent
with a token minted before its caller lost the role, is refused 403 `role_required` and changes
nothing. The walk is generated from the route table."""

import pytest

from chalicelib.domains import routers
from tests.catalog import CATALOG
from tests.conftest import LOCAL_TABLE

SPECS = {(spec.method, spec.path): spec for router in routers() for spec, _ in router.routes}
STAFF_ROUTES = sorted(route for route, spec in SPECS.items() if spec.roles)


def _lose_role(api, users, local_aws, user, change):
    """What another admin's role change or removal leaves in the table; the token is untouched."""
    tenant_id = api.get("/me", token=user.token).body["tenant_id"]
    if change == "demoted":
        users.join(tenant_id, user, "member")
    else:
        key = {"PK": {"S": f"TENANT#{tenant_id}"}, "SK": {"S": f"MEMBER#{user.user_id}"}}
        local_aws.client("dynamodb").delete_item(TableName=LOCAL_TABLE, Key=key)


def test_the_walk_covers_the_staff_routes():
    assert {path for _, path in STAFF_ROUTES} >= {"/assessments", "/videos", "/businesses/{business_id}/members"}


@pytest.mark.parametrize("change", ["demoted", "removed"])
@pytest.mark.parametrize("route", STAFF_ROUTES, ids=lambda route: f"{route[0]} {route[1]}")
def test_a_token_from_before_losing_the_role_is_refused(api, users, user, local_aws, route, change):
    request = CATALOG[route](api, users, user)
    _lose_role(api, users, local_aws, user, change)

    answer = request.send(api, user.token)

    assert answer.status == 403, answer.body
    assert answer.body["error"]["code"] == "role_required"


def test_a_demoted_admins_assessment_is_not_added(api, users, user, local_aws):
    request = CATALOG[("POST", "/assessments")](api, users, user)
    _lose_role(api, users, local_aws, user, "demoted")
    assert request.send(api, user.token).status == 403
    assert [item["id"] for item in api.get("/assessments", token=user.token).body["items"]] == ["baseline"]


def test_an_admin_demoted_to_coach_keeps_no_admin_authority(api, users, user):
    request = CATALOG[("POST", "/assessments")](api, users, user)
    tenant_id = api.get("/me", token=user.token).body["tenant_id"]
    users.join(tenant_id, user, "coach")  # the item says coach, the token still says admin
    answer = request.send(api, user.token)
    assert answer.status == 403 and answer.body["error"]["code"] == "role_required"

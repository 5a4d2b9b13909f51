"""Function-level authorization, generated from the route table: every route that names roles
or a business is called by a member, a coach and an admin of the caller's business (allowed
roles get through, others get 403) and by each role of another business (404).

The typical request of each route comes from tests.catalog, prepared for a user whose business
it addresses; a route added later with `roles=` or `business_param=` is walked here unchanged."""

import os

import pytest

from chalicelib.domains import routers
from chalicelib.identity import ROLES
from tests.businesses import found_business, refresh
from tests.catalog import CATALOG

SPECS = {(spec.method, spec.path): spec for router in routers() for spec, _ in router.routes}
GUARDED = sorted(route for route, spec in SPECS.items() if spec.roles or spec.business_param)


def as_role(local_aws, api, users, tenant_id, role):
    """A member of the tenant with the role, as the server makes one: the claims and, in a
    business, the member item (admin changes check it too)."""
    person = users.create()
    local_aws.client("cognito-idp").admin_update_user_attributes(
        UserPoolId=os.environ["USER_POOL_ID"],
        Username=person.email,
        UserAttributes=[{"Name": "custom:tenant_id", "Value": tenant_id}, {"Name": "custom:role", "Value": role}],
    )
    users.join(tenant_id, person, role)
    refresh(api, person)
    return person


def _route_id(route):
    return f"{route[0]} {route[1]}"


def test_the_business_routes_are_guarded():
    assert {path for _, path in GUARDED} >= {
        "/businesses/{business_id}",
        "/businesses/{business_id}/invites",
        "/businesses/{business_id}/members",
        "/businesses/{business_id}/members/{user_id}",
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", GUARDED, ids=_route_id)
def test_each_role_of_the_business_gets_what_the_route_allows(api, users, user, local_aws, route, role):
    request = CATALOG[route](api, users, user)
    tenant_id = api.get("/me", token=user.token).body["tenant_id"]
    caller = as_role(local_aws, api, users, tenant_id, role)

    answer = request.send(api, caller.token)

    spec = SPECS[route]
    if not spec.roles or role in spec.roles:
        # Let through; what follows is the route's own business (a body naming the preparer's
        # upload, say, is theirs to refuse with a 422, another coach's video a 403 `not_your_video`).
        assert answer.status < 500, answer.body
        assert answer.status != 403 or answer.body["error"]["code"] != "role_required", answer.body
    else:
        assert answer.status == 403, answer.body
        assert answer.body["error"]["code"] == "role_required"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", sorted(route for route in GUARDED if SPECS[route].business_param), ids=_route_id)
def test_any_role_of_another_business_finds_nothing(api, users, user, other_user, local_aws, route, role):
    request = CATALOG[route](api, users, user)
    caller = as_role(local_aws, api, users, found_business(api, other_user), role)

    answer = request.send(api, caller.token)

    assert answer.status == 404, answer.body
    assert answer.body["error"]["code"] == "not_found"

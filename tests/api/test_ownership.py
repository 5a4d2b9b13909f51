"""Ownership: every route that addresses something a user owns, sent with another user's token,
answers 404 (or, for a list, leaves the item out) and changes nothing.

The walk is generated from tests.catalog, which must cover the app's route table: a route added
later is walked without touching this file."""

import pytest

from chalicelib.domains import routers
from chalicelib.domains.tasks.public import TASKS
from chalicelib.domains.weights.public import WEIGHTS
from chalicelib.domains.workouts.public import WORKOUTS
from tests.catalog import CATALOG, item_path

TRACKED = (WEIGHTS, WORKOUTS, TASKS)

SPECS = {(spec.method, spec.path): spec for router in routers() for spec, _ in router.routes}
ADDRESSED = sorted(route for route in SPECS if "{" in route[1])
# Public routes carry no token: there is no other user to send them as.
WALKED = sorted(route for route in CATALOG if not (route in SPECS and SPECS[route].public))


def _route_id(route):
    return f"{route[0]} {route[1]}"


def _item_path(request):
    """Where the owner reads the item the request addressed."""
    if request.readback:
        return request.readback
    if request.path.rstrip("/").endswith(request.owned_id):
        return request.path
    return f"{request.path.rstrip('/')}/{request.owned_id}"


def _snapshot(api, user, request):
    answer = api.get(_item_path(request), token=user.token)
    assert answer.status == 200, answer.body
    body = answer.body
    # What changes by itself between two reads: when an export was made, a link's signature.
    return {key: value for key, value in body.items() if key not in ("exported_at", "url")}


def test_the_walk_covers_the_route_table():
    assert set(SPECS) <= set(CATALOG)


@pytest.mark.parametrize("route", ADDRESSED, ids=_route_id)
def test_every_route_with_a_path_parameter_addresses_an_owned_item(api, users, user, route):
    request = CATALOG[route](api, users, user)
    assert request.owned_id, f"{_route_id(route)} has a path parameter but its catalog request owns nothing"
    assert request.owned_id in request.path or user.user_id in request.path


@pytest.mark.parametrize("route", WALKED, ids=_route_id)
def test_another_user_cannot_reach_or_change_what_a_user_owns(api, users, user, other_user, route):
    request = CATALOG[route](api, users, user)
    if request.owned_id is None:
        pytest.skip("addresses nothing a user owns")
    before = _snapshot(api, user, request)
    if SPECS.get(route) and SPECS[route].roles:
        # Staff of their own tenant: the role lets them through, the address must not.
        users.grant(other_user, role=SPECS[route].roles[0])

    answer = request.send(api, other_user.token)

    if answer.status == 200 and "items" in (answer.body or {}):
        assert route[0] == "GET", "only a list may answer another user with 200"
        assert request.owned_id not in [item.get("id") for item in answer.body["items"]]
    else:
        assert answer.status == 404, answer.body
        assert answer.body["error"]["code"] == "not_found"
    assert _snapshot(api, user, request) == before


@pytest.mark.parametrize("kind", TRACKED, ids=lambda kind: kind.name)
@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_a_version_on_another_users_item_is_404_not_412(api, users, user, other_user, kind, method):
    # A 412 would confirm the item exists and reveal its version.
    owned = CATALOG[(method, item_path(kind))](api, users, user)
    for if_match in ("1", "99"):
        headers = {**owned.headers, "If-Match": if_match}
        answer = api.request(method, owned.path, owned.body, token=other_user.token, headers=headers)
        assert answer.status == 404, answer.body
    assert api.get(owned.path, token=user.token).body["version"] == 1


@pytest.mark.parametrize("kind", TRACKED, ids=lambda kind: kind.name)
def test_a_refused_patch_creates_nothing_for_the_other_user(api, users, user, other_user, kind):
    # An UpdateItem upserts unless told not to: the other user's partition must stay empty.
    collection = kind.name
    owned = CATALOG[("PATCH", item_path(kind))](api, users, user)
    assert owned.send(api, other_user.token).status == 404
    assert api.get(owned.path, token=other_user.token).status == 404
    assert api.get(f"/{collection}", token=other_user.token).body == {"items": [], "next_cursor": None}

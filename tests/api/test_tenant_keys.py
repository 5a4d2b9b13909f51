"""Defence in depth for tenant isolation, without IAM's help (see docs/data-model.md, "Why not
dynamodb:LeadingKeys"): every route, prepared by one person (B, in their own business) and sent
with another person's token (A, staff of another tenant where the route wants a role), touches
no DynamoDB key of B's partitions. Every key and key value the app sends to DynamoDB is recorded
(a botocore hook on the client), so a store building a key from a path parameter or a body
instead of the verified claims fails here, whatever the route answers."""

import threading

import pytest

from chalicelib import deps
from chalicelib.domains import routers
from tests.catalog import CATALOG
from tests.conftest import CLOUDTRAIL_THREAD

SPECS = {(spec.method, spec.path): spec for router in routers() for spec, _ in router.routes}
WALKED = sorted(route for route, spec in SPECS.items() if not spec.public)


class KeysTouched:
    """Every string the app passes to DynamoDB that names a tenant's partition."""

    def __init__(self):
        self.values: list[tuple[str, str]] = []

    def record(self, params, model, **_):
        if threading.current_thread().name == CLOUDTRAIL_THREAD:
            return  # the sign-in notices, handling an earlier request's CloudTrail event on their own
        for value in _strings(params):
            if value.startswith("TENANT#"):
                self.values.append((model.name, value))


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for inner in value.values():
            yield from _strings(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _strings(inner)


@pytest.fixture
def touched(api):
    recorder = KeysTouched()
    events = deps.aws_client("dynamodb").meta.events
    events.register("before-parameter-build.dynamodb", recorder.record)
    yield recorder
    events.unregister("before-parameter-build.dynamodb", recorder.record)


def test_the_recorder_sees_the_callers_own_partition(api, user, touched):
    assert api.get("/weights", token=user.token).status == 200
    assert any(value.startswith(f"TENANT#personal-{user.user_id}#USER#") for _, value in touched.values)


@pytest.mark.parametrize("route", WALKED, ids=lambda route: f"{route[0]} {route[1]}")
def test_a_request_of_one_tenant_touches_no_key_of_another(api, users, user, other_user, touched, route):
    owner, caller = user, other_user
    request = CATALOG[route](api, users, owner)
    owner_tenant = api.get("/me", token=owner.token).body["tenant_id"]
    partitions = {f"TENANT#personal-{owner.user_id}", f"TENANT#{owner_tenant}"}
    if SPECS[route].roles:
        users.grant(caller, role=SPECS[route].roles[0])  # staff of their own tenant
    touched.values.clear()

    answer = request.send(api, caller.token)

    assert answer.status < 500, answer.body
    leaked = [(operation, value) for operation, value in touched.values if value.startswith(tuple(partitions))]
    assert leaked == [], f"{route}: a request of another tenant touched {leaked}"

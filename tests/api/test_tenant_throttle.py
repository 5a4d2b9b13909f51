"""Per-tenant request budgets: one atomic counter a tenant, 429 with Retry-After past it."""

import threading

import pytest

from chalicelib import deps
from chalicelib.errors import TooManyRequests
from chalicelib.repositories.throttle import TenantThrottle
from tests.businesses import found_business, join

TABLE = "stride-local"


class Clock:
    def __init__(self, now=1_800_000_000.0):
        self.now = now

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def throttle(local_aws, clock, monkeypatch):
    limiter = TenantThrottle(local_aws.client("dynamodb"), TABLE, 3, clock)
    monkeypatch.setattr(deps, "tenant_throttle", lambda: limiter)
    return limiter


def test_a_tenant_past_its_budget_gets_429_with_retry_after_and_others_do_not(
    api, users, user, other_user, throttle, clock
):
    business_id = found_business(api, user)
    colleague = join(api, users, user, business_id)
    clock.now += 5 * 60 + 45  # a later minute (setting up counted in this one), 15 s before it turns

    answers = [api.get("/me/profile", token=token).status for token in (user.token, colleague.token, user.token)]
    refused = api.get("/me/profile", token=colleague.token)

    assert answers == [200, 200, 200]
    assert refused.status == 429, refused.body
    assert refused.body["error"]["code"] == "tenant_rate_limited"
    assert refused.headers["Retry-After"] == "15"
    # Another tenant has a budget of its own.
    assert api.get("/me/profile", token=other_user.token).status == 200
    # The next minute starts afresh.
    clock.now += 15
    assert api.get("/me/profile", token=colleague.token).status == 200


def test_an_operator_sets_a_tenants_own_budget(api, user, throttle):
    throttle.set_limit(f"personal-{user.user_id}", 5)

    statuses = [api.get("/me/profile", token=user.token).status for _ in range(6)]

    assert statuses == [200] * 5 + [429]


def test_public_routes_are_not_counted_against_a_tenant(api, user, throttle):
    for _ in range(5):
        assert api.get("/health").status == 200
    assert api.get("/me/profile", token=user.token).status == 200


def test_concurrent_requests_never_exceed_the_budget(local_aws, clock):
    limiter = TenantThrottle(local_aws.client("dynamodb"), TABLE, 10, clock)
    admitted, refused = [], []

    def request():
        try:
            limiter.admit("tenant-under-load")
            admitted.append(1)
        except TooManyRequests:
            refused.append(1)

    threads = [threading.Thread(target=request) for _ in range(25)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert (len(admitted), len(refused)) == (10, 15)


def test_the_first_request_of_a_minute_starts_its_window_even_when_racing(local_aws, clock):
    limiter = TenantThrottle(local_aws.client("dynamodb"), TABLE, 100, clock)
    limiter.admit("tenant-racing")
    clock.now += 60
    threads = [threading.Thread(target=limiter.admit, args=("tenant-racing",)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    item = local_aws.client("dynamodb").get_item(
        TableName=TABLE, Key={"PK": {"S": "TENANT#tenant-racing"}, "SK": {"S": "RATE"}}
    )["Item"]
    assert item["requests"]["N"] == "8"

"""Per-tenant request budgets: containers lease slices of a tenant's minute with one conditional
write each; never more than the budget a minute, 429 with Retry-After past it."""

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


class CountingClient:
    """The DynamoDB client, counting the writes the throttle makes."""

    def __init__(self, client):
        self._client = client
        self.writes = 0
        self._lock = threading.Lock()

    def update_item(self, **request):
        with self._lock:
            self.writes += 1
        return self._client.update_item(**request)


def containers(local_aws, count, budget, clock):
    client = CountingClient(local_aws.client("dynamodb"))
    return client, [TenantThrottle(client, TABLE, budget, clock) for _ in range(count)]


def admitted(throttle, tenant_id):
    try:
        throttle.admit(tenant_id)
    except TooManyRequests:
        return 0
    return 1


def test_concurrent_requests_never_exceed_the_budget(local_aws, clock):
    limiter = TenantThrottle(local_aws.client("dynamodb"), TABLE, 10, clock)
    results = []

    def request():
        results.append(admitted(limiter, "tenant-under-load"))

    threads = [threading.Thread(target=request) for _ in range(25)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert (sum(results), len(results) - sum(results)) == (10, 15)


def test_several_containers_under_threads_never_over_admit_and_use_the_budget(local_aws, clock):
    """Four containers, three threads each, together offering twice the budget for three minutes:
    at each step every thread sends one request at once, then the clock moves on."""
    budget, minutes, steps_per_minute = 40, 3, 7
    _, throttles = containers(local_aws, 4, budget, clock)
    first_minute = int(clock.now // 60) + 1
    clock.now = first_minute * 60 - 30 / steps_per_minute  # each step in the middle of its slot
    step = threading.Barrier(12, action=lambda: setattr(clock, "now", clock.now + 60 / steps_per_minute))
    by_minute: dict[int, int] = {}
    lock = threading.Lock()

    def serve(throttle):
        for _ in range(minutes * steps_per_minute):
            step.wait()
            minute = int(clock.now // 60)
            if admitted(throttle, "tenant-crowded"):
                with lock:
                    by_minute[minute] = by_minute.get(minute, 0) + 1

    threads = [threading.Thread(target=serve, args=(throttle,)) for throttle in throttles * 3]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(by_minute) == [first_minute + minute for minute in range(minutes)]
    for count in by_minute.values():
        assert 0.9 * budget <= count <= budget, by_minute


@pytest.mark.parametrize("offered", [0.6, 1.5])
def test_a_steady_load_costs_at_most_one_write_per_20_requests(local_aws, clock, offered):
    """Four containers take turns at a steady rate: the default budget's tenant, five minutes."""
    budget, minutes = 1000, 5
    client, throttles = containers(local_aws, 4, budget, clock)
    per_minute = int(budget * offered)
    clock.now = (clock.now // 60 + 1) * 60
    by_minute: dict[int, int] = {}
    for number in range(per_minute * minutes):
        clock.now += 60 / per_minute
        minute = int(clock.now // 60)
        by_minute[minute] = by_minute.get(minute, 0) + admitted(throttles[number % 4], f"tenant-steady-{offered}")

    served = sum(by_minute.values())
    assert client.writes / served <= 1 / 20, (client.writes, served)
    for count in by_minute.values():
        assert min(per_minute, 0.9 * budget) <= count <= budget, by_minute


def test_a_quiet_container_does_not_strand_the_minute(local_aws, clock):
    """A container that was busy and went idle keeps little: another one gets what is left."""
    budget = 200
    _, (busy, quiet) = containers(local_aws, 2, budget, clock)
    clock.now = (clock.now // 60 + 1) * 60
    for _ in range(100):
        clock.now += 0.1
        busy.admit("tenant-shifting")
    # The traffic moves to the other container for the rest of the minute.
    served = sum(admitted(quiet, "tenant-shifting") for _ in range(budget))

    # Nothing is lost but the busy one's last slice, at most a quarter of the budget (10 s of its
    # traffic, at most half of what was left when it leased).
    held = busy._slices["tenant-shifting"].left
    assert served + held == budget - 100 and held <= budget // 4, (served, held)
    # Back after being idle, it gives what it held back in the write of its next lease: the rest of
    # the minute is the quiet one's.
    clock.now += 25
    assert admitted(busy, "tenant-shifting") == 1
    assert sum(admitted(quiet, "tenant-shifting") for _ in range(budget)) == held - 1


def test_the_first_lease_of_a_minute_starts_its_window_even_when_racing(local_aws, clock):
    _, throttles = containers(local_aws, 8, 100, clock)
    throttles[0].admit("tenant-racing")
    clock.now += 60
    results = []
    threads = [
        threading.Thread(target=lambda throttle=throttle: results.append(admitted(throttle, "tenant-racing")))
        for throttle in throttles
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    item = local_aws.client("dynamodb").get_item(
        TableName=TABLE, Key={"PK": {"S": "TENANT#tenant-racing"}, "SK": {"S": "RATE"}}
    )["Item"]
    assert results == [1] * 8
    assert item["window"]["N"] == str(int(clock.now // 60))
    # Each container leased the smallest slice (one request: a new container has no traffic to size
    # it by): none was counted twice.
    assert item["requests"]["N"] == str(8 * 1)

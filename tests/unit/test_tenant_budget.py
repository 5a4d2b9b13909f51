import pytest

from chalicelib.config import ConfigurationError, load
from chalicelib.repositories.throttle import Slice

BASE = {
    "STAGE": "prod",
    "AWS_DEFAULT_REGION": "us-east-1",
    "TABLE_NAME": "t",
    "MEDIA_BUCKET": "b",
    "USER_POOL_ID": "p",
    "APP_CLIENT_IDS": "c",
}


@pytest.mark.parametrize(("value", "budget"), [(None, 1000), ("250", 250), ("off", None), ("OFF ", None)])
def test_a_stage_sets_or_switches_off_the_tenant_budget(value, budget):
    environ = dict(BASE, **({"TENANT_REQUESTS_PER_MINUTE": value} if value is not None else {}))
    assert load(environ).tenant_requests_per_minute == budget


@pytest.mark.parametrize("value", ["0", "-5"])
def test_a_budget_must_be_positive(value):
    with pytest.raises(ConfigurationError):
        load(dict(BASE, TENANT_REQUESTS_PER_MINUTE=value))


def a_slice(limit, served=0, seconds=1.0, unleased=None):
    held = Slice(limit, served=served, leased_at=100.0, unleased=unleased)
    return held.bounded(held.wanted(100.0 + seconds))


def test_a_slice_lasts_ten_seconds_at_the_rate_the_container_served_its_last_one():
    assert a_slice(1000, served=30, seconds=10) == 30
    assert a_slice(1000, served=60, seconds=10) == 60


def test_a_quiet_container_leases_a_fortieth_of_the_budget_and_a_busy_one_at_most_a_quarter():
    assert a_slice(1000) == 25
    assert a_slice(1000, served=1, seconds=30) == 25
    assert a_slice(1000, served=900, seconds=1) == 250
    assert a_slice(3) == 1


def test_near_the_end_of_the_minute_a_slice_is_at_most_half_of_what_is_left():
    assert a_slice(1000, served=60, seconds=10, unleased=40) == 20
    assert a_slice(1000, served=60, seconds=10, unleased=1) == 1

import pytest

from chalicelib.config import ConfigurationError, load

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

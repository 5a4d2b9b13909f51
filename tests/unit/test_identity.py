import pytest

from chalicelib.config import ConfigurationError, Settings, load
from chalicelib.errors import Forbidden, Unauthenticated
from chalicelib.identity import LocalTokenVerifier, bearer_token, identity_from_claims
from tests import tokens


def _settings(stage="prod", jwks_url=None):
    return Settings(
        stage=stage,
        region="us-east-1",
        table_name="t",
        media_bucket="b",
        user_pool_id="us-east-1_pool",
        app_client_ids=("client-a", "client-b"),
        jwks_url=jwks_url,
        log_level="INFO",
    )


def _claims(**overrides):
    return tokens.claims_for("us-east-1_pool", "client-a", **overrides)


def test_claims_become_an_identity():
    identity = identity_from_claims(_claims(), _settings())
    assert identity.user_id == "11111111-2222-3333-4444-555555555555"
    assert identity.tenant_id.startswith("personal-")
    assert identity.role == "member"


def test_any_configured_client_is_accepted():
    assert identity_from_claims(_claims(aud="client-b"), _settings()).role == "member"


@pytest.mark.parametrize(
    "overrides",
    [{"sub": None}, {"sub": ""}, {"token_use": "access"}, {"token_use": None}, {"aud": "client-c"}, {"aud": None}],
)
def test_claims_without_sub_or_not_an_id_token_of_our_clients_are_refused(overrides):
    with pytest.raises(Unauthenticated):
        identity_from_claims(_claims(**overrides), _settings())


@pytest.mark.parametrize("overrides", [{"custom:tenant_id": None}, {"custom:role": "superuser"}, {"custom:role": None}])
def test_an_account_without_tenant_or_known_role_is_forbidden(overrides):
    with pytest.raises(Forbidden):
        identity_from_claims(_claims(**overrides), _settings())


@pytest.mark.parametrize("header", [None, "", "garbage", "Bearer ", "Bearer a.b", "a.b.c.d"])
def test_a_header_that_is_not_a_jwt_is_refused(header):
    with pytest.raises(Unauthenticated):
        bearer_token(header)


def test_bearer_prefix_is_optional():
    assert bearer_token("Bearer a.b.c") == bearer_token("bearer a.b.c") == bearer_token("a.b.c") == "a.b.c"


@pytest.mark.parametrize("stage", ["dev", "staging", "prod", "LOCAL"])
def test_local_verification_refuses_to_exist_outside_stage_local(stage):
    with pytest.raises(RuntimeError):
        LocalTokenVerifier(_settings(stage=stage, jwks_url="http://127.0.0.1:1/jwks.json"))


class CountingJwks:
    def __init__(self):
        self.fetches = 0

    def __call__(self, url):
        self.fetches += 1
        return {"keys": [tokens.MOTO_PUBLIC_JWK]}


def test_keys_are_fetched_once_and_cached():
    jwks = CountingJwks()
    verifier = LocalTokenVerifier(_settings(stage="local", jwks_url="http://jwks"), fetch=jwks)
    for _ in range(3):
        assert verifier.verify(tokens.sign(_claims()))["sub"]
    assert jwks.fetches == 1


def test_an_unknown_kid_refetches_once_then_refuses():
    jwks = CountingJwks()
    verifier = LocalTokenVerifier(_settings(stage="local", jwks_url="http://jwks"), fetch=jwks)
    verifier.verify(tokens.sign(_claims()))
    verifier._last_fetch = 0.0  # as if the refetch interval had passed
    with pytest.raises(Unauthenticated):
        verifier.verify(tokens.sign(_claims(), kid="rotated"))
    assert jwks.fetches == 2
    with pytest.raises(Unauthenticated):
        verifier.verify(tokens.sign(_claims(), kid="rotated"))
    assert jwks.fetches == 2  # within the interval: no request per forged kid


def test_an_unreachable_key_endpoint_is_a_401_not_a_crash():
    def unreachable(url):
        raise OSError("connection refused")

    verifier = LocalTokenVerifier(_settings(stage="local", jwks_url="http://jwks"), fetch=unreachable)
    with pytest.raises(Unauthenticated):
        verifier.verify(tokens.sign(_claims()))


def test_settings_name_the_missing_variable():
    with pytest.raises(ConfigurationError, match="TABLE_NAME"):
        load(
            {
                "STAGE": "dev",
                "AWS_DEFAULT_REGION": "us-east-1",
                "APP_CLIENT_IDS": "a",
                "USER_POOL_ID": "p",
                "MEDIA_BUCKET": "b",
            }
        )


def test_settings_read_every_client_id():
    settings = load(
        {
            "STAGE": "dev",
            "AWS_REGION": "eu-west-1",
            "APP_CLIENT_IDS": "a, b",
            "USER_POOL_ID": "p",
            "MEDIA_BUCKET": "b",
            "TABLE_NAME": "t",
        }
    )
    assert settings.app_client_ids == ("a", "b")
    assert settings.issuer == "https://cognito-idp.eu-west-1.amazonaws.com/p"


class DeployedRequest:
    """What API Gateway's Cognito authorizer hands the Lambda: verified claims in the context."""

    def __init__(self, claims):
        self.headers = {}
        self.context = {"authorizer": {"claims": claims}}


def _no_local_verification(token):
    raise AssertionError("a deployed stage trusts the authorizer's claims and verifies no token itself")


def test_deployed_stages_take_identity_from_the_authorizers_claims():
    from chalicelib.api.router import resolve_identity

    identity = resolve_identity(DeployedRequest(_claims()), _no_local_verification, _settings(stage="prod"))
    assert identity.user_id == _claims()["sub"]


@pytest.mark.parametrize(
    "claims",
    [{}, _claims(sub=None), _claims(token_use="access"), _claims(aud="someone-elses-client")],
    ids=["no_claims", "no_sub", "access_token", "other_audience"],
)
def test_deployed_stages_refuse_claims_the_authorizer_lets_through(claims):
    from chalicelib.api.router import resolve_identity

    with pytest.raises(Unauthenticated):
        resolve_identity(DeployedRequest(claims), _no_local_verification, _settings(stage="prod"))


def test_there_is_no_scan_anywhere_in_the_lambda_code():
    from tests.conftest import ROOT

    for path in (ROOT / "chalicelib").rglob("*.py"):
        text = path.read_text()
        assert ".scan(" not in text and '"Scan"' not in text, path


def test_the_key_address_must_be_http():
    from chalicelib.identity import fetch_json

    with pytest.raises(ValueError):
        fetch_json("file:///etc/passwd")

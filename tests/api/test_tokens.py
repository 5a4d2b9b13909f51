"""Defense in depth: only a verified id token of this pool and app client gets through."""

import os

import pytest

from chalicelib.domains import routers
from tests import tokens


def _bad_tokens(user):
    return tokens.bad_tokens(os.environ["USER_POOL_ID"], os.environ["APP_CLIENT_IDS"], user.access_token, user.id_token)


def test_bearer_prefix_is_accepted(api, user):
    assert api.get("/me", token=f"Bearer {user.token}").status == 200


PROTECTED = sorted((spec.method, spec.path) for router in routers() for spec, _ in router.routes if not spec.public)


@pytest.mark.parametrize("route", PROTECTED, ids=lambda route: f"{route[0]} {route[1]}")
def test_every_protected_route_refuses_a_missing_or_forged_token(api, calls, route):
    method, path = route
    concrete = path.replace("{", "").replace("}", "").replace("_id", "") if "{" in path else path
    forged = tokens.unsigned(tokens.claims_for(os.environ["USER_POOL_ID"], os.environ["APP_CLIENT_IDS"]))
    for token in (None, forged):
        calls.clear()
        answer = api.request(method, concrete, {} if method in ("POST", "PUT", "PATCH") else None, token=token)
        assert answer.status == 401, (route, answer.body)
        assert answer.body["error"]["code"] == "unauthorized"
        assert calls.calls == []


@pytest.mark.parametrize(
    "kind",
    [
        "alg_none",
        "hs256_with_public_key",
        "expired",
        "other_issuer",
        "other_audience",
        "access_token",
        "tampered_payload",
        "unknown_kid",
    ],
)
def test_a_bad_token_is_401_and_reaches_no_service(api, user, calls, kind):
    token = _bad_tokens(user)[kind]
    calls.clear()
    answer = api.get("/me/profile", token=token)
    assert answer.status == 401, kind
    assert answer.body["error"]["code"] == "unauthorized"
    assert calls.calls == []


def test_a_valid_token_without_tenant_claims_is_403(api, calls):
    claims = tokens.claims_for(os.environ["USER_POOL_ID"], os.environ["APP_CLIENT_IDS"])
    claims.pop("custom:tenant_id")
    answer = api.get("/me/profile", token=tokens.sign(claims))
    assert answer.status == 403
    assert answer.body["error"]["code"] == "account_not_provisioned"
    assert calls.calls == []


def test_a_token_signed_with_the_pools_key_is_accepted_so_the_forgeries_above_are_real(api, user):
    # Sanity check of the forging helper: a correctly signed token is accepted.
    claims = tokens.claims_for(os.environ["USER_POOL_ID"], os.environ["APP_CLIENT_IDS"])
    answer = api.get("/me", token=tokens.sign(claims))
    assert answer.status == 200
    assert answer.body["user_id"] == claims["sub"] != user.user_id

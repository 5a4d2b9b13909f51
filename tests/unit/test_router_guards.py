"""The router's checks use what app.py hands it (chalicelib.api.router.Guards), not deps: fakes
stand in for the token verifier, the tenant's budget, the role check and the account check, and
each is seen doing its part of every non-public route."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib import config
from chalicelib.api import context, router
from chalicelib.errors import Forbidden, NotFound, TooManyRequests

CLAIMS = {
    "sub": "11111111-2222-3333-4444-555555555555",
    "token_use": "id",
    "aud": "client-a",
    "email": "someone@example.com",
    "custom:tenant_id": "business-1",
    "custom:role": "coach",
}
ENVIRONMENT = {
    "TABLE_NAME": "t",
    "MEDIA_BUCKET": "b",
    "USER_POOL_ID": "us-east-1_pool",
    "APP_CLIENT_IDS": "client-a",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@pytest.fixture(params=["prod", "local"])
def stage(request, monkeypatch):
    """The settings of a deployed stage (claims from the authorizer) or of stage local (the router
    verifies the token itself, with the verifier it was given)."""
    for name, value in {**ENVIRONMENT, "STAGE": request.param}.items():
        monkeypatch.setenv(name, value)
    config.settings.cache_clear()
    identity = context.identity.set(None)  # as the middleware does around each request
    yield request.param
    context.identity.reset(identity)
    config.settings.cache_clear()


class Request:
    def __init__(self, method: str = "GET"):
        self.method = method
        self.headers = {"authorization": "Bearer head.claims.signature"}
        self.context = {"authorizer": {"claims": CLAIMS}}
        self.query_params = None
        self.raw_body = b""


class App:
    def __init__(self, request: Request):
        self.current_request = request


class FakeGuards:
    """Records what the router asked; refuses what a test tells it to."""

    def __init__(self, *, over_budget: bool = False, role_held: bool = True, account_exists: bool = True):
        self.calls: list[tuple[str, Any]] = []
        self._over_budget, self._role_held, self._account_exists = over_budget, role_held, account_exists

    def verify_token(self, token: str) -> dict[str, Any]:
        self.calls.append(("verify_token", token))
        return CLAIMS

    def admit(self, identity: Any) -> None:
        self.calls.append(("admit", identity.tenant_id))
        if self._over_budget:
            raise TooManyRequests("Over budget.")

    def require_role(self, identity: Any, roles: tuple[str, ...]) -> None:
        self.calls.append(("require_role", roles))
        if not self._role_held:
            raise Forbidden("Demoted.", code="role_required")

    def account_exists(self, identity: Any) -> bool:
        self.calls.append(("account_exists", identity.user_id))
        return self._account_exists

    def handed(self) -> router.Guards:
        return router.Guards(self.verify_token, self.admit, self.require_role, self.account_exists)


def spec(method: str = "GET", roles: tuple[str, ...] = (), public: bool = False) -> router.RouteSpec:
    return router.RouteSpec(
        "/things", method, "view", "A thing.", "things", public, None, None, 200, (), {}, roles=roles
    )


def answer(guards: FakeGuards, route: router.RouteSpec, view: Any, method: str = "GET") -> Any:
    handle = router._handler(App(Request(method)), route, view, guards.handed())  # type: ignore[arg-type]
    return handle()


def _seen(identity):
    return {"user": identity.user_id}


def _verified(stage):
    """The token is verified by the given verifier in stage local only."""
    return [("verify_token", "head.claims.signature")] if stage == "local" else []


def test_a_signed_in_route_counts_against_the_tenants_budget_through_the_guard(stage):
    guards = FakeGuards()
    response = answer(guards, spec(), lambda identity: _seen(identity))
    assert response.status_code == 200 and response.body == {"user": CLAIMS["sub"]}
    assert guards.calls == [*_verified(stage), ("admit", "business-1")]


def test_a_tenant_over_its_budget_is_refused_before_the_view(stage):
    guards = FakeGuards(over_budget=True)
    response = answer(guards, spec(), lambda identity: pytest.fail("the view ran"))
    assert response.status_code == 429
    assert response.body["error"]["code"] == "too_many_requests"


def test_a_staff_route_asks_the_role_check_it_was_given(stage):
    guards = FakeGuards()
    response = answer(guards, spec(roles=("coach", "admin")), lambda identity: _seen(identity))
    assert response.status_code == 200
    assert guards.calls[-1] == ("require_role", ("coach", "admin"))


def test_a_role_the_member_item_no_longer_gives_is_forbidden_before_the_view(stage):
    guards = FakeGuards(role_held=False)
    response = answer(guards, spec(roles=("coach",)), lambda identity: pytest.fail("the view ran"))
    assert response.status_code == 403
    assert response.body["error"]["code"] == "role_required"


def test_a_write_refused_after_the_account_was_deleted_is_account_deleted(stage):
    def refused(identity):
        raise NotFound("No such thing.")

    guards = FakeGuards(account_exists=False)
    response = answer(guards, spec("POST"), refused, "POST")
    assert response.status_code == 401
    assert response.body["error"]["code"] == "account_deleted"
    assert guards.calls[-1] == ("account_exists", CLAIMS["sub"])


def test_a_refused_write_of_an_existing_account_keeps_its_refusal(stage):
    def refused(identity):
        raise NotFound("No such thing.")

    guards = FakeGuards()
    response = answer(guards, spec("POST"), refused, "POST")
    assert response.status_code == 404
    assert guards.calls[-1] == ("account_exists", CLAIMS["sub"])


def test_a_refused_read_does_not_ask_whether_the_account_exists(stage):
    def refused(identity):
        raise NotFound("No such thing.")

    guards = FakeGuards(account_exists=False)
    assert answer(guards, spec(), refused).status_code == 404
    assert not [call for call in guards.calls if call[0] == "account_exists"]


def test_a_public_route_calls_no_guard(stage):
    guards = FakeGuards()
    assert answer(guards, spec(public=True), lambda: {"ok": True}).status_code == 200
    assert guards.calls == []


def test_an_answer_of_a_declared_other_status_is_sent_and_an_undeclared_one_is_a_bug(stage):
    declared = spec()._replace(status=201, also=(200,))
    assert answer(FakeGuards(), declared, lambda identity: router.Answer(_seen(identity), 200)).status_code == 200
    with pytest.raises(RuntimeError, match="not declared"):
        answer(FakeGuards(), spec(), lambda identity: router.Answer(_seen(identity), 203))

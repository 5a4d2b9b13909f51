"""Every route's AWS calls on a typical request equal the budget declared beside it.

A route added without a typical request here fails `test_every_route_has_a_typical_request`,
so no route escapes the count.
"""

from collections import Counter

import pytest

from chalicelib.routes import ROUTERS
from tests.conftest import PASSWORD

SPECS = {(spec.method, spec.path): spec for router in ROUTERS for spec, _ in router.routes}


def _signup(api, users, user):
    return api.post("/auth/signup", {"email": users.new_email(), "password": PASSWORD, "name": "A"})


def _forgot(api, users, user):
    return api.post("/auth/forgot-password", {"email": user.email})


def _reset(api, users, user):
    code = users.reset_code(user.email)
    return lambda: api.post("/auth/reset-password", {"email": user.email, "code": code, "new_password": PASSWORD})


TYPICAL = {
    ("GET", "/health"): lambda api, users, user: api.get("/health"),
    ("GET", "/openapi.json"): lambda api, users, user: api.get("/openapi.json"),
    ("POST", "/auth/signup"): _signup,
    ("POST", "/auth/confirm"): lambda api, users, user: api.post("/auth/confirm", {"email": user.email, "code": "1"}),
    ("POST", "/auth/login"): lambda api, users, user: api.post(
        "/auth/login", {"email": user.email, "password": PASSWORD}
    ),
    ("POST", "/auth/refresh"): lambda api, users, user: api.post(
        "/auth/refresh", {"refresh_token": user.refresh_token}
    ),
    ("POST", "/auth/forgot-password"): _forgot,
    ("GET", "/me"): lambda api, users, user: api.get("/me", token=user.token),
    ("GET", "/me/profile"): lambda api, users, user: api.get("/me/profile", token=user.token),
    ("PUT", "/me/profile"): lambda api, users, user: api.put("/me/profile", {"display_name": "A"}, token=user.token),
    ("PATCH", "/me/profile"): lambda api, users, user: api.patch("/me/profile", {"bio": "B"}, token=user.token),
    ("GET", "/me/preferences"): lambda api, users, user: api.get("/me/preferences", token=user.token),
    ("PUT", "/me/preferences"): lambda api, users, user: api.put(
        "/me/preferences", {"units": "imperial"}, token=user.token
    ),
}
# Routes whose request needs a step before it (not counted) return the counted request as a callable.
PREPARED = {("POST", "/auth/reset-password"): _reset}


def test_every_route_has_a_typical_request():
    assert set(SPECS) == set(TYPICAL) | set(PREPARED)


@pytest.mark.parametrize("route", sorted(SPECS), ids=lambda route: f"{route[0]} {route[1]}")
def test_a_typical_request_stays_within_its_budget(api, users, user, calls, route):
    if route in PREPARED:
        counted = PREPARED[route](api, users, user)
        calls.clear()
        answer = counted()
    else:
        calls.clear()
        answer = TYPICAL[route](api, users, user)
    assert answer is None or answer.status < 400, answer
    assert Counter(calls.calls) == Counter(SPECS[route].budget)

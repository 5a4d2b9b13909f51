"""Every route's AWS calls on a typical request equal the budget declared beside it, and no
route ever scans (the recorder fails the test on a Scan)."""

from collections import Counter

import pytest

from chalicelib.domains import routers
from tests.catalog import CATALOG

SPECS = {(spec.method, spec.path): spec for router in routers() for spec, _ in router.routes}


def test_every_route_has_a_typical_request():
    missing = sorted(set(SPECS) - set(CATALOG))
    assert not missing, f"add a typical request for each of these routes to tests/catalog.py: {missing}"
    gone = sorted(set(CATALOG) - set(SPECS))
    assert not gone, f"tests/catalog.py has requests for routes the app no longer declares: {gone}"


@pytest.mark.parametrize("route", sorted(SPECS), ids=lambda route: f"{route[0]} {route[1]}")
def test_a_typical_request_stays_within_its_budget(api, users, user, calls, route):
    # Warm: the first request of a container reads the caller's preferences once (cached after).
    api.get("/me/preferences", token=user.token)
    request = CATALOG[route](api, users, user)
    calls.clear()
    answer = request.send(api, user.token)
    assert answer.status < 400, answer
    assert Counter(calls.calls) == Counter(SPECS[route].budget)

"""The route table (chalicelib/route_table.json): current with the declarations, and a stale entry
is refused on the route's first call rather than served with another route's rules."""

from __future__ import annotations

import pytest
from chalice import Chalice

from chalicelib.api import router
from devtools import route_table


def _unused(*args):
    raise AssertionError("registering routes calls none of the guards")


UNUSED = router.Guards(_unused, _unused, _unused, _unused)


def test_every_declared_route_is_registered_once_from_the_table():
    app = Chalice("routes")
    router.register_routes(app, authorizer=None, guards=UNUSED)
    registered = {(method, path) for path, entries in app.routes.items() for method in entries}
    assert registered == {(entry[0], entry[1]) for entry in route_table.build()}, (
        "chalicelib/route_table.json is stale: run `make openapi`"
    )
    assert len(registered) == len(route_table.build())


@pytest.mark.parametrize(
    "entry",
    [
        ["GET", "/me/profile", "chalicelib.domains.me.routes:get_preferences", False, []],  # another route's view
        ["GET", "/me/preferences", "chalicelib.domains.me.routes:get_preferences", True, []],  # public by mistake
        ["GET", "/me/preferences", "chalicelib.domains.me.routes:renamed_since", False, []],  # a view gone
    ],
)
def test_a_stale_entry_is_refused_on_its_first_call(entry):
    handle = router._declared_on_first_call(Chalice("stale"), entry, UNUSED)
    with pytest.raises(RuntimeError, match="make openapi"):
        handle()

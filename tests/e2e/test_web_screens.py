"""The screens that came before the journeys' own (sign-in and its siblings, dashboard, feed,
profile): axe-core finds nothing serious or critical on each, at desktop and phone widths, and
each is photographed at both (build/screenshots/)."""

from __future__ import annotations

import pytest

from tests.e2e.browser import check_screen, expect, go

pytestmark = pytest.mark.e2e

PUBLIC = {
    "/signin": "Sign in to Stride",
    "/signup": "Create your Stride account",
    "/confirm": "Confirm your e-mail",
    "/forgot": "Forgot your password?",
    "/reset": "Choose a new password",
}


def test_every_screen_passes_axe_at_both_widths(person, browser, stack):
    visitor = browser.new_context(base_url=stack.web)
    try:
        page = visitor.new_page()
        for path, heading in PUBLIC.items():
            page.goto(path)
            expect()(page.get_by_role("heading", level=1)).to_have_text(heading)
            check_screen(page, path.strip("/"))
    finally:
        visitor.close()

    user = person()
    check_screen(user, "dashboard-empty")
    for link, heading, name in (("Feed", "Feed", "feed"), ("Profile", "Profile and preferences", "profile")):
        go(user, link, heading)
        check_screen(user, name)
    assert user.problems == []

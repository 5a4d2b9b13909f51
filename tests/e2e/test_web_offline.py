"""Installable and resilient: the manifest, and a service worker that keeps the app shell (this
origin's page and assets, never the API's answers or tokens), so a reload offline shows the app
and its offline state, and the session comes back with the connection."""

from __future__ import annotations

import json
import urllib.request

import pytest

from tests.e2e.browser import check_screen, expect, wait_until

pytestmark = pytest.mark.e2e

KEPT = """async () => {
  const names = await caches.keys();
  const kept = [];
  for (const name of names) for (const request of await (await caches.open(name)).keys()) kept.push(request.url);
  return kept;
}"""


def test_a_reload_offline_shows_the_kept_app_and_the_session_resumes_online(person, stack):
    user = person()
    with urllib.request.urlopen(f"{stack.web}/manifest.webmanifest", timeout=5) as response:
        assert response.headers["Content-Type"] == "application/manifest+json"
        manifest = json.loads(response.read())
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone" and manifest["icons"]
    wait_until(user, "navigator.serviceWorker.controller !== null")

    kept = user.evaluate(KEPT)
    assert f"{stack.web}/" in kept and any("/assets/" in url for url in kept), kept
    assert all(url.startswith(stack.web) for url in kept), "nothing from the API or the bucket"
    assert not any(token in json.dumps(kept) for token in ("auth", "eyJ")), kept

    user.context.set_offline(True)
    user.reload()
    expect()(user.get_by_test_id("offline")).to_be_visible()
    expect()(user.get_by_role("heading", name="Sign in to Stride")).to_be_visible()
    check_screen(user, "offline")

    user.context.set_offline(False)
    expect()(user.get_by_role("heading", name="Your dashboard")).to_be_visible()
    expect()(user.get_by_test_id("offline")).to_have_count(0)
    assert user.problems == []


# What Chromium can do to a page its service worker served while the connection is down
# (crbug.com/678075, and Debian's Chromium under DevTools' offline emulation): navigator.onLine
# says true, and no "online" or "offline" event ever comes. The page must find out by itself.
BROWSER_SAYS_ONLINE = """
Object.defineProperty(Navigator.prototype, "onLine", { get: () => true, configurable: true });
for (const type of ["online", "offline"]) {
  window.addEventListener(type, (event) => event.stopImmediatePropagation(), true);
}
"""


def test_a_reload_that_cannot_reach_the_api_says_so_though_the_browser_claims_online(person, stack):
    user = person()
    wait_until(user, "navigator.serviceWorker.controller !== null")
    user.add_init_script(BROWSER_SAYS_ONLINE)
    user.context.set_offline(True)
    user.reload()
    assert user.evaluate("navigator.onLine") is True
    banner = user.get_by_test_id("offline")
    expect()(banner).to_be_visible()
    expect()(banner).to_contain_text("Stride cannot be reached right now.")
    expect()(user.get_by_role("heading", name="Sign in to Stride")).to_be_visible()

    user.context.set_offline(False)  # no event tells the page: its own probe finds the API again
    expect()(user.get_by_role("heading", name="Your dashboard")).to_be_visible()
    expect()(banner).to_have_count(0)
    assert user.problems == []


def test_a_screen_never_opened_online_opens_offline_from_the_kept_chunks(person, stack):
    """Screens are chunks loaded on demand (web/src/lazyScreen.tsx): the service worker keeps them
    all when it installs, not only the ones opened so far."""
    user = person()
    wait_until(user, "navigator.serviceWorker.controller !== null")
    kept = user.evaluate(KEPT)
    assert any("/assets/programs-" in url for url in kept), kept
    user.context.set_offline(True)
    user.get_by_role("navigation", name="Main").get_by_role("link", name="Programs").click()
    expect()(user.get_by_role("heading", name="Programs", level=1)).to_be_visible()
    expect()(user.get_by_text("could not be loaded")).to_have_count(0)
    user.context.set_offline(False)

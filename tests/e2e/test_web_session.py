"""Signed in like other apps: a new tab and a middle-click open signed in, a sign-out in one tab
signs out every tab (and revokes the refresh token), and "Stay signed in" (only then) keeps the
session across a browser restart.
A restart is a new browser context given what the browser keeps on disk (Playwright's storage
state: cookies and localStorage, never sessionStorage), with no tab of the old one open."""

from __future__ import annotations

import time
from typing import Any

from tests.e2e.browser import DESKTOP, TIMEOUT_MS, check_screen, expect

REFRESH_KEY = "stride.refresh_token"


def _device_token(page: Any) -> Any:
    return page.evaluate(f"() => window.localStorage.getItem('{REFRESH_KEY}')")


def _restarted(browser: Any, stack: Any, page: Any) -> Any:
    """The browser closed and opened again: what it kept on disk, none of its tabs."""
    state = page.context.storage_state()
    page.context.close()
    context = browser.new_context(viewport=DESKTOP, base_url=stack.web, storage_state=state)
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def _sign_in(page: Any, email: str, stay: bool) -> None:
    from tests.e2e.test_journey import PASSWORD

    page.goto("/signin")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    if stay:
        page.get_by_role("checkbox", name="Stay signed in").check()
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect()(page.get_by_role("heading", name="Your dashboard")).to_be_visible()


def test_a_new_tab_and_a_middle_click_open_signed_in_and_a_sign_out_reaches_every_tab(person):
    first = person()
    context = first.context
    assert _device_token(first) is None  # not asked to stay: nothing kept past the browser

    second = context.new_page()
    second.goto("/")
    expect()(second.get_by_role("heading", name="Your dashboard")).to_be_visible()

    with context.expect_page() as opened:
        first.get_by_role("navigation", name="Main").get_by_role("link", name="Programs").click(button="middle")
    third = opened.value
    expect()(third.get_by_role("heading", name="Programs", exact=True)).to_be_visible()

    second.get_by_role("button", name="Sign out").click()
    for page in (first, second, third):
        expect()(page.get_by_role("heading", name="Sign in to Stride")).to_be_visible()
    expect()(first.get_by_text("You are signed out.")).to_be_visible()
    assert [page.evaluate(f"() => window.sessionStorage.getItem('{REFRESH_KEY}')") for page in (first, third)] == [
        None,
        None,
    ]
    fourth = context.new_page()
    fourth.goto("/")
    expect()(fourth.get_by_role("heading", name="Sign in to Stride")).to_be_visible()
    assert first.problems == []


def test_a_sign_in_in_one_tab_signs_in_the_tab_left_on_the_sign_in_screen(person):
    first = person()
    waiting = first.context.new_page()
    waiting.goto("/")
    expect()(waiting.get_by_role("heading", name="Your dashboard")).to_be_visible()
    first.get_by_role("button", name="Sign out").click()
    expect()(waiting.get_by_role("heading", name="Sign in to Stride")).to_be_visible()
    _sign_in(first, first.email, stay=False)
    expect()(waiting.get_by_role("heading", name="Your dashboard")).to_be_visible()


def test_only_stay_signed_in_survives_a_browser_restart(browser, stack, person):
    page = person()
    email = page.email
    page.get_by_role("button", name="Sign out").click()
    expect()(page.get_by_role("heading", name="Sign in to Stride")).to_be_visible()
    page.goto("/signin")
    expect()(page.get_by_role("checkbox", name="Stay signed in")).not_to_be_checked()
    check_screen(page, "signin-stay")

    _sign_in(page, email, stay=False)
    page = _restarted(browser, stack, page)
    page.goto("/")
    expect()(page.get_by_role("heading", name="Sign in to Stride")).to_be_visible()

    _sign_in(page, email, stay=True)
    assert _device_token(page)
    page = _restarted(browser, stack, page)
    page.goto("/")
    expect()(page.get_by_role("heading", name="Your dashboard")).to_be_visible()

    kept = _device_token(page)
    page.get_by_role("button", name="Sign out").click()  # forgets the device's copy too
    expect()(page.get_by_role("heading", name="Sign in to Stride")).to_be_visible()
    assert _device_token(page) is None
    # And revokes it: a copy taken before the sign-out works no more.
    deadline = time.monotonic() + 10
    while stack.call("POST", "/auth/refresh", {"refresh_token": kept}).status != 401:
        assert time.monotonic() < deadline, "the signed-out refresh token still works"
        time.sleep(0.2)
    page = _restarted(browser, stack, page)
    page.goto("/")
    expect()(page.get_by_role("heading", name="Sign in to Stride")).to_be_visible()

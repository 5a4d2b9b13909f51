"""The web client in a real headless Chromium (Debian's, driven by Playwright's library; no
browser is downloaded) against the local stack: the page `make run` serves, talking to its API.

Skipped, with the reason in pytest's summary, when /usr/bin/chromium, Playwright or node/npm
(to build web/) are missing (the `browser` fixture, tests/e2e/browser.py). Screenshots land in
build/screenshots/.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from tests.e2e.browser import DESKTOP, PHONE, SCREENSHOTS, TIMEOUT_MS
from tests.e2e.test_journey import PASSWORD, _new_user

pytestmark = pytest.mark.e2e

# Text against its background, as the browser renders it: WCAG's contrast ratio, 4.5:1 minimum.
LOW_CONTRAST_JS = """() => {
  const parse = (c) => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(',').map(Number); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
  const lum = ({r, g, b}) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const background = (el) => { for (let e = el; e; e = e.parentElement) {
    const c = parse(getComputedStyle(e).backgroundColor); if (c && c.a > 0.9) return c; }
    return {r: 255, g: 255, b: 255}; };
  const low = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!node.textContent.trim() || el.closest('svg, .visually-hidden, option, .skip-link')) continue;
    if (!el.getBoundingClientRect().width) continue;
    const fg = lum(parse(getComputedStyle(el).color)), bg = lum(background(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    if (ratio < 4.5) low.push(`${node.textContent.trim().slice(0, 40)}: ${ratio.toFixed(2)}`);
  }
  return low;
}"""


@pytest.fixture
def page(browser, stack) -> Iterator[Any]:
    context = browser.new_context(viewport=DESKTOP, base_url=stack.web)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.problems = problems
    yield page
    context.close()


def _expect():
    from playwright.sync_api import expect

    return expect


def _sign_in_with_the_keyboard(page: Any, email: str, password: str) -> None:
    """Sign-in by keyboard alone: focus the e-mail field, Tab to the password, Enter submits."""
    expect = _expect()
    expect(page.get_by_role("heading", name="Sign in to Stride")).to_be_visible()
    email_field = page.get_by_label("E-mail")
    email_field.fill("")
    email_field.focus()
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none", "no visible focus"
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Your dashboard")).to_be_visible()


def _log_weight(page: Any, value: str, day: date) -> None:
    form = page.get_by_role("form", name="Log weight")
    form.get_by_label("Weight", exact=True).fill(value)
    form.get_by_label("Date").fill(day.isoformat())
    form.get_by_role("button", name="Log weight").click()


def _storage(page: Any) -> dict[str, Any]:
    return page.evaluate(
        "() => ({local: Object.fromEntries(Object.entries(localStorage)),"
        " session: Object.fromEntries(Object.entries(sessionStorage))})"
    )


def test_a_new_user_signs_up_confirms_logs_and_sees_the_trend_and_goal(page, stack):
    expect = _expect()
    email = f"web-{uuid.uuid4().hex[:10]}@example.com"
    today = datetime.now(UTC).date()  # the browser's zone, which the sign-up sends (UTC in this context)

    response = page.goto("/signup")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and f"connect-src 'self' {stack.api}" in csp

    page.get_by_label("Name").fill("Web Athlete")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()

    # The confirm screen, for real: moto checks no code (real Cognito e-mails one and checks it).
    expect(page.get_by_role("heading", name="Confirm your e-mail")).to_be_visible()
    expect(page.get_by_label("E-mail")).to_have_value(email)
    page.get_by_label("Confirmation code").fill("123456")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Your account is confirmed")).to_be_visible()
    page.get_by_role("link", name="Sign in").click()
    _sign_in_with_the_keyboard(page, email, PASSWORD)

    expect(page.get_by_test_id("chart-empty")).to_be_visible()
    expect(page.get_by_test_id("weekly-goal")).to_have_text("0 of 3 workouts")

    for number, (value, day) in enumerate(
        [("82.4", today - timedelta(days=2)), ("81.9", today - timedelta(days=1)), ("81.5", today)], start=1
    ):
        _log_weight(page, value, day)
        expect(page.get_by_test_id("weight-point")).to_have_count(number)

    average = page.get_by_test_id("moving-average").get_attribute("points")
    assert len(average.split()) == 3, average

    workout = page.get_by_role("form", name="Log a workout")
    workout.get_by_label("Title").fill("Morning run")
    workout.get_by_label("Type").select_option("cardio")
    workout.get_by_label("Minutes").fill("30")
    workout.get_by_role("button", name="Log workout").click()
    expect(page.get_by_test_id("weekly-goal")).to_have_text("1 of 3 workouts")

    # The chart shows what /stats/summary says, in the user's units.
    token = stack.call("POST", "/auth/login", {"email": email, "password": PASSWORD}).body["id_token"]
    series = stack.call("GET", "/stats/summary", token=token).body["weight"]["series"]
    page.get_by_text("Show the numbers").click()
    rows = page.locator(".chart-table tbody tr")
    expect(rows).to_have_count(3)
    shown = [rows.nth(index).locator("td").all_inner_texts() for index in range(3)]
    assert shown == [[p["date"], str(p["weight"]), str(p["moving_average_7d"])] for p in series]
    expect(page.get_by_role("columnheader", name="Weight (kg)")).to_be_visible()

    storage = _storage(page)
    # Not asked to stay signed in: no token on the device, only the marker that a tab may be
    # signed in (so a new tab asks the open ones for the session; web/src/session.ts).
    assert storage["local"] == {"stride.session_open": "1"}, "no token goes to localStorage"
    assert set(storage["session"]) <= {"stride.refresh_token", "stride.pending_email"}
    assert all("eyJ" not in value for value in storage["session"].values()), "no JWT (id/access) in storage"

    assert page.evaluate(LOW_CONTRAST_JS) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "dashboard-desktop.png", full_page=True)
    page.set_viewport_size(PHONE)
    expect(page.get_by_test_id("weight-chart")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"
    assert page.evaluate(LOW_CONTRAST_JS) == []
    page.screenshot(path=SCREENSHOTS / "dashboard-phone.png", full_page=True)
    assert page.problems == []


def test_the_api_field_errors_are_shown_beside_their_fields(page, stack):
    expect = _expect()
    email, _, _ = _new_user(stack)
    page.goto("/")
    _sign_in_with_the_keyboard(page, email, PASSWORD)
    form = page.get_by_role("form", name="Log weight")

    # The client checks what the API checks, before any request.
    posted: list[str] = []
    page.on("request", lambda request: request.method == "POST" and "/weights" in request.url and posted.append(1))
    _log_weight(page, "5000", datetime.now(UTC).date())
    expect(form.locator("[data-error-for=value]")).to_have_text("Enter a weight from 20 to 500 kg.")
    expect(form.get_by_label("Weight", exact=True)).to_be_focused()
    assert posted == []

    # What the API refuses, it names: the field error appears beside the field it names. (The
    # request is altered on its way, since the client would not send it.)
    def too_heavy(route: Any) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        body = json.loads(route.request.post_data or "{}")
        body["weight"] = {"value": 5000, "unit": "kg"}
        route.continue_(post_data=json.dumps(body))

    page.route("**/weights", too_heavy)
    _log_weight(page, "80", datetime.now(UTC).date())
    error = form.locator("[data-error-for=value]")
    expect(error).to_be_visible()
    expect(error).not_to_have_text("Enter a weight from 20 to 500 kg.")
    weight_field = form.get_by_label("Weight", exact=True)
    expect(weight_field).to_have_attribute("aria-invalid", "true")
    assert error.get_attribute("id") in weight_field.get_attribute("aria-describedby")
    page.unroute("**/weights")

    # The API's 409 for an e-mail that already has an account, beside the e-mail address.
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Name").fill("Twice")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator("[data-error-for=email]")).to_contain_text("already exists")


def test_a_401_signs_the_user_out(page, stack):
    expect = _expect()
    email, _, login = _new_user(stack)
    page.goto("/")
    _sign_in_with_the_keyboard(page, email, PASSWORD)
    assert "stride.refresh_token" in _storage(page)["session"]

    # Elsewhere, the account is deleted: every session is signed out, the page's token refused.
    assert stack.call("DELETE", "/me", token=login["id_token"]).status == 202
    tasks = page.get_by_role("form", name="Add a task")
    tasks.get_by_label("Task").fill("Stretch")
    tasks.get_by_role("button", name="Add task").click()

    expect(page.get_by_role("heading", name="Sign in to Stride")).to_be_visible()
    expect(page.get_by_text("This account no longer exists.")).to_be_visible()
    assert page.url.endswith("/signin")
    assert "stride.refresh_token" not in _storage(page)["session"]


def test_the_feed_takes_a_post_and_a_like_and_a_reload_keeps_the_session(page, stack):
    expect = _expect()
    email, _, _ = _new_user(stack)
    page.goto("/")
    _sign_in_with_the_keyboard(page, email, PASSWORD)
    page.get_by_role("link", name="Feed").click()
    expect(page.get_by_role("heading", name="Feed")).to_be_visible()
    page.get_by_label("Post", exact=True).fill("First 5k done")
    page.get_by_role("button", name="Post", exact=True).click()
    post = page.get_by_test_id("post").filter(has_text="First 5k done")
    like = post.get_by_role("button", name="Like this post")
    expect(like).to_have_attribute("aria-pressed", "false")
    like.focus()
    # The page shows the like at once; the reload below must not cancel the request that saves it.
    with page.expect_response(
        lambda response: response.request.method == "PUT" and response.url.endswith("/like")
    ) as saved:
        page.keyboard.press("Enter")
    assert saved.value.status == 204, saved.value.status
    expect(post.get_by_role("button", name="Liked this post")).to_have_attribute("aria-pressed", "true")
    expect(post.get_by_test_id("like-count")).to_have_text("1")

    # A reload loses the in-memory tokens; the tab's refresh token brings the session back, and
    # the like is the API's, not the page's.
    page.reload()
    expect(page.get_by_role("heading", name="Feed")).to_be_visible()
    expect(post.get_by_test_id("like-count")).to_have_text("1")
    expect(post.get_by_role("button", name="Liked this post")).to_have_attribute("aria-pressed", "true")
    assert page.problems == []


def test_units_follow_the_preferences_and_tokens_are_refreshed_before_they_expire(page, stack):
    expect = _expect()
    email, _, login = _new_user(stack)
    today = datetime.now(UTC).date().isoformat()
    weight = {"measured_at": today, "weight": {"value": 80, "unit": "kg"}}
    assert stack.call("POST", "/weights", weight, token=login["id_token"]).status == 201
    page.clock.install()  # the page's timers and Date, moved forward below
    page.goto("/")
    _sign_in_with_the_keyboard(page, email, PASSWORD)

    page.get_by_role("link", name="Profile").click()
    preferences = page.get_by_role("region", name="Preferences")
    preferences.get_by_label("Units").select_option("imperial")
    preferences.get_by_label("Workouts per week (goal)").fill("15")
    preferences.get_by_role("button", name="Save preferences").click()
    goal_error = preferences.locator("[data-error-for=weekly_workout_goal]")
    expect(goal_error).to_have_text("Enter a whole number from 0 to 14.")
    preferences.get_by_label("Workouts per week (goal)").fill("4")
    preferences.get_by_role("button", name="Save preferences").click()
    expect(preferences.get_by_text("Preferences saved.")).to_be_visible()

    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_test_id("weekly-goal")).to_have_text("0 of 4 workouts")
    page.get_by_text("Show the numbers").click()
    expect(page.get_by_role("columnheader", name="Weight (lb)")).to_be_visible()
    expect(page.locator(".chart-table tbody td").nth(1)).to_have_text("176.37")  # 80 kg in lb, as the API says

    # The page asks for a new id token a minute before the one it has expires (expires_in: 15
    # minutes on Cognito as the template sets it up; moto says an hour).
    lifetime = login["expires_in"]
    with page.expect_request(lambda request: request.url.endswith("/auth/refresh")) as refresh:
        page.clock.fast_forward((lifetime - 55) * 1000)
    assert refresh.value.response().status == 200
    assert "stride.refresh_token" in _storage(page)["session"] and _storage(page)["local"] == {
        "stride.session_open": "1"
    }
    page.get_by_role("link", name="Feed").click()
    expect(page.get_by_role("heading", name="Feed")).to_be_visible()

"""What the browser journeys share: Chromium (Debian's, driven by Playwright's library), a page
per person, sign-in, and the per-screen checks (axe-core, contrast, screenshots at desktop and
phone widths). tests/e2e/conftest.py offers the fixtures `browser` and `person` to every module."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

CHROMIUM = Path(os.environ.get("STRIDE_CHROMIUM", "/usr/bin/chromium"))
# The browser the whole suite last passed with (Debian's package, driven by playwright==1.65.2 of
# requirements-dev.txt). Another version may behave otherwise: .ci/run prints both.
KNOWN_GOOD_CHROMIUM = "Chromium 156.0.8078.114"
# As root in a closed network: no sandbox, and nothing that calls Google's hosts.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "build" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 20_000  # moto answers one request at a time; a busy 2-core machine is slow
# axe-core from web/'s own node_modules (a devDependency): nothing is fetched from a CDN.
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")


def chromium_version() -> str:
    """What `chromium --version` says ("Chromium 156.0.8078.114"), or why there is none."""
    if not CHROMIUM.exists():
        return f"none ({CHROMIUM} is not installed)"
    import subprocess

    result = subprocess.run([str(CHROMIUM), "--version"], capture_output=True, text=True, timeout=30, check=False)
    return " ".join(result.stdout.split()[:2]) or f"unknown ({result.stderr.strip()[:200]})"


def describe_browser() -> str:
    version = chromium_version()
    known = "the version" if version == KNOWN_GOOD_CHROMIUM else "not the version"
    return f"browser: {version}; {known} the suite is known to pass with ({KNOWN_GOOD_CHROMIUM})"


@pytest.fixture(scope="module")
def browser(request) -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests skipped: {CHROMIUM} is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        pytest.skip("browser tests skipped: the playwright package is not installed (requirements-dev.txt)")
    stack = request.getfixturevalue("stack")  # only once there is a browser to point at it
    if stack.web is None:
        pytest.skip(f"browser tests skipped: the web app is not served ({stack.web_skipped})")
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def person(browser, stack) -> Iterator[Callable[[], Any]]:
    """`person()`: a new account, signed in, on its own browser context (a second call, a second
    person): the page, with `.email`, `.user_id`, `.token` and `.refresh_token` (for API set-up calls)
    and `.problems` (script errors, which a journey expects to stay empty)."""
    from tests.e2e.test_journey import _new_user  # it imports this package's conftest, which imports this

    contexts: list[Any] = []

    def new_person(permissions: tuple[str, ...] = ()) -> Any:
        context = browser.new_context(viewport=DESKTOP, base_url=stack.web, permissions=list(permissions))
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.problems = []
        # The browser logs each 4xx answer as an error; the journeys provoke some, and check
        # what the page shows instead.
        page.on(
            "console",
            lambda message: (
                message.type == "error"
                and not message.text.startswith("Failed to load resource")
                and page.problems.append(message.text)
            ),
        )
        page.on("pageerror", lambda error: page.problems.append(str(error)))
        page.email, page.user_id, login = _new_user(stack)
        page.token, page.refresh_token = login["id_token"], login["refresh_token"]
        page.access_token = login["access_token"]  # for Stride's MFA routes (staff enrol two-step sign-in)
        sign_in(page, page.email)
        return page

    yield new_person
    for context in contexts:
        context.close()


def expect() -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect


def sign_in(page: Any, email: str, password: str = "") -> None:
    from tests.e2e.test_journey import PASSWORD

    page.goto("/signin")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password or PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect()(page.get_by_role("heading", name="Your dashboard")).to_be_visible()


def go(page: Any, link: str, heading: str) -> None:
    """Follows a link of the main navigation to the screen with this heading."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name=link).click()
    expect()(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()


def accessibility_violations(page: Any) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now (injected through the
    DevTools protocol, which the page's CSP does not govern)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text())
    found = page.evaluate("async () => (await window.axe.run(document)).violations")
    return [
        f"{violation['id']} ({violation['impact']}): {[node['target'] for node in violation['nodes']][:3]}"
        for violation in found
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def check_screen(page: Any, name: str) -> None:
    """Every screen: no serious or critical axe finding, no sideways scrolling on a phone, and a
    screenshot at desktop and phone widths (build/screenshots/NAME-desktop.png, NAME-phone.png)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    found = accessibility_violations(page)
    assert found == [], f"{name}: {found}"
    page.screenshot(path=SCREENSHOTS / f"{name}-desktop.png", full_page=True)
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], f"{name}: sideways scrolling"
    found = accessibility_violations(page)
    assert found == [], f"{name} (phone): {found}"
    page.screenshot(path=SCREENSHOTS / f"{name}-phone.png", full_page=True)
    page.set_viewport_size(size)


def submit_baseline(stack: Any, token: str) -> dict[str, Any]:
    """Answers the built-in assessment through the API (the form has its own journey): the result."""
    [baseline] = [item for item in stack.call("GET", "/assessments", token=token).body["items"] if item["built_in"]]
    answers = {question["id"]: _an_answer(question) for question in baseline["questions"] if question["required"]}
    submitted = stack.call("POST", f"/assessments/{baseline['id']}/submissions", {"answers": answers}, token=token)
    assert submitted.status == 201, submitted.body
    return submitted.body


def _an_answer(question: dict[str, Any]) -> Any:
    if question["type"] == "choice":
        return question["choices"][0]["value"]
    if question["type"] == "boolean":
        return True
    return question.get("min", 1)


def wait_until(page: Any, condition: str, timeout_s: float = TIMEOUT_MS / 1000) -> None:
    """Polls a JavaScript expression until it is true. Not page.wait_for_function: its polling
    evaluates the expression with eval inside the page, which the page's CSP (rightly) refuses."""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(condition):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout_s} s: {condition}")
        time.sleep(0.1)

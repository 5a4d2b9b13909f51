"""Your data in the browser: export (downloaded), import of a weights CSV (the 400's per-record
errors shown, then a good file), e-mail preferences, webhooks (the secret shown once),
two-step sign-in with a QR code made in the page, and deleting the account after a confirmation."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import struct
from datetime import timedelta

import pytest

from chalicelib import clock
from tests.e2e.browser import DESKTOP, TIMEOUT_MS, check_screen, expect, go
from tests.e2e.test_journey import PASSWORD

pytestmark = pytest.mark.e2e


def _totp(secret: str, steps_ahead: int = 0) -> str:
    """RFC 6238's code for now (30 s steps, SHA-1, 6 digits), as an authenticator app shows it."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(clock.epoch()) // 30 + steps_ahead), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def _csv(*rows: str) -> dict:
    return {"name": "weights.csv", "mimeType": "text/csv", "buffer": "\n".join(["date,weight,unit", *rows]).encode()}


def test_export_import_emails_webhooks_two_step_sign_in_and_deleting_the_account(person, stack):
    user = person()
    go(user, "Your data", "Your data")

    # The export, downloaded as a file.
    user.get_by_role("button", name="Prepare my export").click()
    with user.expect_download() as download:
        user.get_by_test_id("export-link").click()
    exported = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert exported["account"]["email"] == user.email and exported["schema_version"] == 1

    # A CSV with a bad row: the API's per-record error, by row, and nothing imported; then a good one.
    today = clock.today()
    days = [(today - timedelta(days=n)).isoformat() for n in (2, 1)]
    upload = user.get_by_label("File to import")
    upload.set_input_files(_csv(f"{days[0]},81.5,kg", "2026-02-30,81,kg", f"{days[1]},heavy,kg"))
    errors = user.get_by_test_id("import-errors")
    expect()(errors).to_contain_text("Row 3")
    expect()(errors).to_contain_text("Row 4")  # every bad row, not only the first
    assert stack.call("GET", "/weights", token=user.token).body["items"] == []
    upload.set_input_files(_csv(f"{days[0]},81.5,kg", f"{days[1]},81.1,kg"))
    expect()(user.get_by_test_id("import-result")).to_have_text("Imported 2 weights; skipped nothing already here.")

    # E-mail preferences.
    user.get_by_label("Reminders for tasks that are due").check()
    user.get_by_role("button", name="Save e-mail preferences").click()
    expect()(user.get_by_text("E-mail preferences saved.")).to_be_visible()
    assert stack.call("GET", "/me/preferences", token=user.token).body["notifications"]["email_reminders"] is True

    # A webhook: the signing secret shown once; then deleted.
    hooks = user.get_by_role("form", name="Add a webhook")
    hooks.get_by_label("URL").fill("http://127.0.0.1:9/stride")
    hooks.get_by_label("workout.created").uncheck()
    hooks.get_by_role("button", name="Add webhook").click()
    expect()(hooks.get_by_text("Choose at least one event.")).to_be_visible()
    hooks.get_by_label("weight.created").check()
    hooks.get_by_role("button", name="Add webhook").click()
    secret = user.get_by_test_id("shown-once")
    expect()(secret).to_have_text(re.compile(r"\S{16,}"))
    expect()(user.get_by_test_id("webhook")).to_have_count(1)
    check_screen(user, "data")
    user.get_by_role("button", name="Delete the webhook to http://127.0.0.1:9/stride").click()
    expect()(user.get_by_test_id("webhook")).to_have_count(0)

    # Two-step sign-in: the card says whether it is on; the QR code is drawn in the page from the
    # otpauth:// URI; a code confirms it.
    status = user.get_by_test_id("mfa-status")
    expect()(status).to_have_text("Two-step sign-in is off.")
    user.get_by_role("button", name="Set up two-step sign-in").click()
    expect()(user.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    key = user.get_by_test_id("totp-secret").inner_text()
    confirm = user.get_by_role("form", name="Confirm two-step sign-in")
    confirm.get_by_label("Code from the new app").fill("12345")
    confirm.get_by_role("button", name="Turn on").click()
    expect()(confirm.locator("[data-error-for=code]")).to_contain_text("Enter the 6-digit code")
    confirm.get_by_label("Code from the new app").fill(_totp(key))
    confirm.get_by_role("button", name="Turn on").click()
    expect()(status).to_contain_text("Two-step sign-in is on")
    login = stack.call("POST", "/auth/login", {"email": user.email, "password": PASSWORD}).body
    assert login.get("challenge_name") == "SOFTWARE_TOKEN_MFA", login

    # Signing in on another device (a new tab of this browser is signed in already: one session
    # across tabs): a wrong code stays on the code screen, beside the field; after five the
    # sign-in's session is over (the sixth try is told so) and the screen starts again from the password.
    device = user.context.browser.new_context(viewport=DESKTOP, base_url=stack.web)
    device.set_default_timeout(TIMEOUT_MS)
    tab = device.new_page()
    tab.goto("/signin")
    tab.get_by_label("E-mail").fill(user.email)
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    expect()(tab.get_by_role("heading", name="Two-step sign-in")).to_be_visible()
    wrong = f"{(int(_totp(key, 1)) + 1) % 1_000_000:06d}"
    for _ in range(6):
        expect()(tab.get_by_role("heading", name="Two-step sign-in")).to_be_visible()
        tab.get_by_label("Code").fill(wrong)
        tab.get_by_role("button", name="Sign in").click()
        expect()(tab.get_by_role("button", name="Sign in")).to_be_enabled()
    expect()(tab.get_by_role("heading", name="Sign in to Stride")).to_be_visible()
    expect()(tab.get_by_text("That sign-in has ended")).to_be_visible()
    device.close()

    # Turning it off needs the password and a current code; a wrong code is an error beside the
    # field (422), never a sign-out.
    user.get_by_text("Turn two-step sign-in off").click()
    off = user.get_by_role("form", name="Turn two-step sign-in off")
    off.get_by_label("Your password").fill(PASSWORD)
    off.get_by_label("Current code from the app").fill(wrong)
    off.get_by_role("button", name="Turn off").click()
    expect()(off.locator("[data-error-for=code]")).to_contain_text("The code is wrong")
    expect()(user.get_by_role("heading", name="Your data")).to_be_visible()
    expect()(status).to_contain_text("Two-step sign-in is on")
    user.wait_for_timeout(1500)  # that sixth wrong code in a row locked codes out for a second
    off.get_by_label("Current code from the app").fill(_totp(key, 1))
    off.get_by_role("button", name="Turn off").click()
    expect()(status).to_have_text("Two-step sign-in is off.")
    assert stack.call("GET", "/auth/mfa", token=user.token).body == {"enabled": False}

    # Deleting the account: a confirmation naming what goes, then signed out.
    user.get_by_role("button", name="Delete my account…").click()
    expect()(user.get_by_test_id("what-goes")).to_contain_text("your weights, workouts and tasks")
    expect()(user.get_by_role("button", name="Delete my account", exact=True)).to_have_count(0)
    user.get_by_label("I understand that this cannot be undone").check()
    user.get_by_role("button", name="Delete my account", exact=True).click()
    expect()(user.get_by_role("heading", name="Sign in to Stride")).to_be_visible()
    expect()(user.get_by_text("Your account and its data are deleted.")).to_be_visible()
    assert stack.call("POST", "/auth/login", {"email": user.email, "password": PASSWORD}).status in (400, 401)
    assert user.problems == []

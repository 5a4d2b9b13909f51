"""A new account lives in its person's zone from the start: POST /auth/signup takes `timezone`,
and an account made straight in Cognito (Amplify) carries the standard `zoneinfo` attribute."""

from __future__ import annotations

import pytest

from tests.api.test_cognito_native import client_id, cognito, sign_in, sign_up  # noqa: F401
from tests.conftest import PASSWORD


def signed_up_with(api, users, **extra):
    email = users.new_email()
    body = {"email": email, "password": PASSWORD, "name": "Nia York", **extra}
    answer = api.post("/auth/signup", body)
    assert answer.status == 201, answer.body
    assert api.post("/auth/confirm", {"email": email, "code": "123456"}).status == 200
    return users.log_in(email, PASSWORD, answer.body["user_id"])


def test_the_zone_given_at_sign_up_is_the_preferences_zone(api, users, calls):
    calls.clear()
    person = signed_up_with(api, users, timezone="America/New_York")
    # Saved with the profile: still one transaction.
    assert calls.calls.count("dynamodb.TransactWriteItems") == 1
    preferences = api.get("/me/preferences", token=person.token).body
    assert preferences["timezone"] == "America/New_York"
    assert preferences["units"] == "metric" and preferences["notifications"]["email_reminders"] is False
    assert preferences["updated_at"] is not None


def test_without_a_zone_the_account_starts_in_utc(api, users):
    person = signed_up_with(api, users)
    preferences = api.get("/me/preferences", token=person.token).body
    assert preferences["timezone"] == "UTC" and preferences["updated_at"] is None


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "EST+5", 5, "america/new_york"])
def test_an_unknown_zone_is_a_400_and_no_account(api, users, zone):
    email = users.new_email()
    answer = api.post("/auth/signup", {"email": email, "password": PASSWORD, "name": "X", "timezone": zone})
    assert answer.status == 400, answer.body
    assert "timezone" in answer.body["error"]["details"]
    assert api.post("/auth/login", {"email": email, "password": PASSWORD}).status == 401


def test_an_amplify_sign_up_with_zoneinfo_starts_in_that_zone(api, users, cognito):  # noqa: F811
    email = users.new_email()
    sign_up(cognito, email, more=[{"Name": "zoneinfo", "Value": "Europe/Berlin"}])
    cognito.confirm_sign_up(ClientId=client_id(), Username=email, ConfirmationCode="123456")
    token = sign_in(cognito, email)["IdToken"]
    assert api.get("/me/preferences", token=token).body["timezone"] == "Europe/Berlin"


def test_an_amplify_sign_up_with_a_zoneinfo_stride_does_not_know_starts_in_utc(api, users, cognito):  # noqa: F811
    email = users.new_email()
    sign_up(cognito, email, more=[{"Name": "zoneinfo", "Value": "Somewhere/Else"}])
    cognito.confirm_sign_up(ClientId=client_id(), Username=email, ConfirmationCode="123456")
    token = sign_in(cognito, email)["IdToken"]
    assert api.get("/me/preferences", token=token).body["timezone"] == "UTC"
    assert api.get("/me/profile", token=token).status == 200  # the account is settled all the same

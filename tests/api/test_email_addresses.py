"""Addresses the user pool accepts are accepted by the auth routes, long top-level domains included;
resetting the password of an address no account has answers as a wrong code does."""

from __future__ import annotations

import uuid

import pytest

from tests.conftest import PASSWORD


@pytest.mark.parametrize("domain", ["example.photography", "example.international", "mail.example.travelersinsurance"])
def test_an_address_with_a_long_top_level_domain_signs_up_logs_in_and_resets(api, users, domain):
    email = f"long-{uuid.uuid4().hex[:10]}@{domain}"
    signed_up = api.post("/auth/signup", {"email": email, "password": PASSWORD, "name": "Long Domain"})
    assert signed_up.status == 201, signed_up.body
    assert api.post("/auth/confirm", {"email": email, "code": "123456"}).status == 200
    login = api.post("/auth/login", {"email": email, "password": PASSWORD})
    assert login.status == 200, login.body
    assert api.get("/me", token=login.body["id_token"]).body["email"] == email
    assert api.post("/auth/forgot-password", {"email": email}).status == 202


def test_resetting_the_password_of_an_unknown_address_is_a_wrong_code(api, users):
    """As Cognito answers with PreventUserExistenceErrors: nothing says whether the account exists."""
    unknown = api.post(
        "/auth/reset-password", {"email": users.new_email(), "code": "123456", "new_password": "Brand-new-pass-42"}
    )
    assert unknown.status == 400 and unknown.body["error"]["code"] == "invalid_code", unknown.body
    person = users.create()
    users.reset_code(person.email)
    known = api.post(
        "/auth/reset-password",
        {"email": person.email, "code": "moto-confirmation-code:000000", "new_password": "Brand-new-pass-42"},
    )
    assert (known.status, known.body["error"]) == (unknown.status, {**unknown.body["error"]})

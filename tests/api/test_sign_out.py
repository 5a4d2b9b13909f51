"""Signing out revokes the refresh token: a copy a browser kept ("stay signed in") stops working,
and so does every tab's, while other sign-ins of the same person go on."""

import pytest

from tests.conftest import PASSWORD


def test_a_revoked_refresh_token_no_longer_refreshes_and_other_sign_ins_go_on(api, user):
    second = api.post("/auth/login", {"email": user.email, "password": PASSWORD}).body
    answer = api.post("/auth/logout", {"refresh_token": second["refresh_token"]})
    assert answer.status == 204, answer.body
    refused = api.post("/auth/refresh", {"refresh_token": second["refresh_token"]})
    assert refused.status == 401 and refused.body["error"]["code"] == "invalid_refresh_token"
    assert api.post("/auth/refresh", {"refresh_token": user.refresh_token}).status == 200  # another sign-in


def test_signing_out_twice_or_with_an_unknown_token_is_204(api, user):
    login = api.post("/auth/login", {"email": user.email, "password": PASSWORD}).body
    assert api.post("/auth/logout", {"refresh_token": login["refresh_token"]}).status == 204
    assert api.post("/auth/logout", {"refresh_token": login["refresh_token"]}).status == 204
    assert api.post("/auth/logout", {"refresh_token": "not-a-refresh-token"}).status == 204


@pytest.mark.parametrize(
    "body", [{}, {"refresh_token": ""}, {"refresh_token": 5}, {"refresh_token": "x" * 4097}, {"x": 1}]
)
def test_a_malformed_sign_out_is_400(api, body):
    answer = api.post("/auth/logout", body)
    assert answer.status == 400, answer.body

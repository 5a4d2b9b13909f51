"""TOTP over REST: enrol, sign in through the challenge, turn off; codes computed from the secret
(RFC 6238), checked by the local Cognito on a clock the test drives."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

import pytest

from devtools.totp import code_at
from tests import mfa

START = 1_800_000_000.0  # any instant: the codes are computed for the clock set here


@pytest.fixture
def now(local_aws: Any) -> Any:
    saved = local_aws.cognito.clock
    local_aws.cognito.clock = lambda: START
    yield START
    local_aws.cognito.clock = saved


def body(user: Any, code: str) -> dict[str, str]:
    return {"access_token": user.access_token, "code": code}


def off(user: Any, code: str, password: str | None = None) -> dict[str, str]:
    return {**body(user, code), "password": password or user.password}


def wrong(code: str) -> str:
    return str((int(code) + 1) % 10**6).zfill(6)


def signs_in_with(api: Any, user: Any, code: str) -> int:
    answer = api.post("/auth/login/mfa", {"email": user.email, "session": mfa.challenge(api, user), "code": code})
    return answer.status


def test_enrolment_gives_a_secret_and_its_otpauth_uri(api, user, now):
    answer = api.post("/auth/mfa/totp", {"access_token": user.access_token}, token=user.token)
    assert answer.status == 200
    secret, uri = answer.body["secret"], urlparse(answer.body["otpauth_uri"])
    assert (uri.scheme, uri.netloc) == ("otpauth", "totp")
    assert unquote(uri.path) == f"/Stride:{user.email}"
    assert parse_qs(uri.query) == {"secret": [secret], "issuer": ["Stride"]}


def test_a_sign_in_with_totp_on_answers_a_challenge_that_a_code_completes(api, user, now):
    secret = mfa.enrol(api, user, now)
    login = api.post("/auth/login", {"email": user.email, "password": user.password})
    assert login.status == 200
    assert login.body["challenge_name"] == "SOFTWARE_TOKEN_MFA"
    assert login.body["id_token"] is None and login.body["refresh_token"] is None
    answer = api.post(
        "/auth/login/mfa", {"email": user.email, "session": login.body["session"], "code": mfa.next_code(secret, now)}
    )
    assert answer.status == 200, answer.body
    assert api.get("/me", token=answer.body["id_token"]).body["user_id"] == user.user_id


def test_a_wrong_code_does_not_turn_totp_on_and_is_422_not_a_sign_out(api, user, now):
    secret = mfa.start(api, user)
    answer = api.post("/auth/mfa/totp/verify", body(user, code_at(secret, now + 300)), token=user.token)
    assert answer.status == 422
    assert answer.body["error"]["code"] == "invalid_mfa_code"
    assert answer.body["error"]["details"] == {"code": ["The code is wrong, expired or was used already."]}
    assert api.get("/me", token=user.token).status == 200  # the session is still good
    login = api.post("/auth/login", {"email": user.email, "password": user.password})
    assert login.body["challenge_name"] is None and login.body["id_token"]


def test_a_wrong_or_reused_code_at_sign_in_is_422_and_a_fresh_one_still_works(api, user, now):
    secret = mfa.enrol(api, user, now)
    session = mfa.challenge(api, user)
    wrong = str((int(mfa.next_code(secret, now)) + 1) % 10**6).zfill(6)
    for code in (wrong, code_at(secret, now)):  # the second was used to enrol
        answer = api.post("/auth/login/mfa", {"email": user.email, "session": session, "code": code})
        assert answer.status == 422, code
        assert answer.body["error"]["code"] == "invalid_mfa_code"
    answer = api.post("/auth/login/mfa", {"email": user.email, "session": session, "code": mfa.next_code(secret, now)})
    assert answer.status == 200
    # Used once: the same code cannot sign in again.
    again = api.post(
        "/auth/login/mfa",
        {"email": user.email, "session": mfa.challenge(api, user), "code": mfa.next_code(secret, now)},
    )
    assert again.status == 422


def test_a_session_that_is_not_a_challenges_is_401(api, user, now):
    mfa.enrol(api, user, now)
    answer = api.post("/auth/login/mfa", {"email": user.email, "session": "made-up-session-" * 3, "code": "123456"})
    assert answer.status == 401
    assert answer.body["error"]["code"] == "invalid_session"


def test_a_challenge_completes_only_for_the_account_that_signed_in(api, user, other_user, now):
    secret = mfa.enrol(api, user, now)
    session = mfa.challenge(api, user)
    answer = api.post(
        "/auth/login/mfa", {"email": other_user.email, "session": session, "code": mfa.next_code(secret, now)}
    )
    assert answer.status == 401
    assert answer.body["error"]["code"] == "invalid_session"


def test_totp_is_turned_off_with_the_password_and_a_fresh_code_only(api, user, now):
    secret = mfa.enrol(api, user, now)
    refused = api.request("DELETE", "/auth/mfa/totp", off(user, code_at(secret, now)), token=user.token)
    assert refused.status == 422  # the enrolment's code, used already
    assert refused.body["error"]["code"] == "invalid_mfa_code"
    assert mfa.challenge(api, user)
    answer = api.request("DELETE", "/auth/mfa/totp", off(user, mfa.next_code(secret, now)), token=user.token)
    assert answer.status == 200
    assert answer.body == {"enabled": False}
    login = api.post("/auth/login", {"email": user.email, "password": user.password})
    assert login.body["id_token"] and login.body["challenge_name"] is None


def test_another_users_access_token_is_refused(api, user, other_user, now):
    answer = api.post("/auth/mfa/totp", {"access_token": other_user.access_token}, token=user.token)
    assert answer.status == 403
    assert answer.body["error"]["code"] == "access_token_mismatch"


def test_a_session_shorter_than_cognitos_is_400(api, user):
    answer = api.post("/auth/login/mfa", {"email": user.email, "session": "short", "code": "123456"})
    assert answer.status == 400


@pytest.mark.parametrize("code", ["12345", "1234567", "abcdef", ""])
def test_a_code_that_is_not_six_digits_is_400(api, user, code):
    answer = api.post("/auth/mfa/totp/verify", body(user, code), token=user.token)
    assert answer.status == 400


def test_the_mfa_routes_need_a_signed_in_caller(api, user):
    answer = api.post("/auth/mfa/totp", {"access_token": user.access_token})
    assert answer.status == 401


# Issue 25, finding 1: whoever holds a person's tokens cannot take over their two-step sign-in.


def test_the_mfa_state_says_whether_totp_is_on(api, user, now):
    assert api.get("/auth/mfa", token=user.token).body == {"enabled": False}
    mfa.enrol(api, user, now)
    assert api.get("/auth/mfa", token=user.token).body == {"enabled": True}
    assert api.get("/auth/mfa").status == 401


def test_a_stolen_session_cannot_replace_the_enrolled_secret(api, user, now):
    owners = mfa.enrol(api, user, now)
    thiefs = mfa.start(api, user)  # the thief holds the access token, not the password or the phone
    answer = api.post("/auth/mfa/totp/verify", body(user, mfa.next_code(thiefs, now)), token=user.token)
    assert answer.status == 400
    assert answer.body["error"]["code"] == "step_up_required"
    assert set(answer.body["error"]["details"]) == {"password", "current_code"}
    assert signs_in_with(api, user, mfa.next_code(thiefs, now)) == 422
    assert signs_in_with(api, user, mfa.next_code(owners, now)) == 200


def test_a_wrong_password_or_current_code_does_not_replace_the_secret(api, user, now):
    owners = mfa.enrol(api, user, now)
    new = mfa.start(api, user)
    proof = {"password": "Not-The-Password-1", "current_code": mfa.next_code(owners, now)}
    answer = api.post("/auth/mfa/totp/verify", {**body(user, mfa.next_code(new, now)), **proof}, token=user.token)
    assert (answer.status, answer.body["error"]["code"]) == (422, "invalid_password")
    proof = {"password": user.password, "current_code": mfa.next_code(new, now)}  # the new secret's code is not proof
    answer = api.post("/auth/mfa/totp/verify", {**body(user, mfa.next_code(new, now)), **proof}, token=user.token)
    assert (answer.status, answer.body["error"]["code"]) == (422, "invalid_mfa_code")
    assert list(answer.body["error"]["details"]) == ["current_code"]
    assert api.get("/me", token=user.token).status == 200
    assert signs_in_with(api, user, mfa.next_code(owners, now)) == 200


def test_the_owner_replaces_the_secret_with_the_password_and_a_current_code(api, user, now, local_aws):
    owners = mfa.enrol(api, user, now)
    new = mfa.start(api, user)
    proof = {"password": user.password, "current_code": mfa.next_code(owners, now)}
    answer = api.post("/auth/mfa/totp/verify", {**body(user, mfa.next_code(new, now)), **proof}, token=user.token)
    assert answer.status == 200, answer.body
    assert answer.body == {"enabled": True}
    local_aws.cognito.clock = lambda: now + 60  # both secrets have codes not used yet
    assert signs_in_with(api, user, code_at(owners, now + 60)) == 422
    assert signs_in_with(api, user, code_at(new, now + 60)) == 200


def test_a_code_of_a_secret_being_enrolled_cannot_turn_totp_off(api, user, now):
    mfa.enrol(api, user, now)
    thiefs = mfa.start(api, user)
    answer = api.request("DELETE", "/auth/mfa/totp", off(user, mfa.next_code(thiefs, now)), token=user.token)
    assert (answer.status, answer.body["error"]["code"]) == (422, "invalid_mfa_code")
    assert api.get("/auth/mfa", token=user.token).body == {"enabled": True}


def test_turning_totp_off_needs_the_password(api, user, now):
    secret = mfa.enrol(api, user, now)
    missing = api.request("DELETE", "/auth/mfa/totp", body(user, mfa.next_code(secret, now)), token=user.token)
    assert missing.status == 400
    assert "password" in missing.body["error"]["details"]
    refused = api.request(
        "DELETE", "/auth/mfa/totp", off(user, mfa.next_code(secret, now), "Not-The-Password-1"), token=user.token
    )
    assert (refused.status, refused.body["error"]["code"]) == (422, "invalid_password")
    assert api.get("/auth/mfa", token=user.token).body == {"enabled": True}


def test_a_sign_in_session_ends_after_five_wrong_codes(api, user, now):
    secret = mfa.enrol(api, user, now)
    session = mfa.challenge(api, user)
    right = mfa.next_code(secret, now)
    for _ in range(5):
        answer = api.post("/auth/login/mfa", {"email": user.email, "session": session, "code": wrong(right)})
        assert answer.status == 422
    answer = api.post("/auth/login/mfa", {"email": user.email, "session": session, "code": right})
    assert (answer.status, answer.body["error"]["code"]) == (401, "invalid_session")


def test_a_sign_in_session_lasts_three_minutes(api, user, now, local_aws):
    secret = mfa.enrol(api, user, now)
    session = mfa.challenge(api, user)
    local_aws.cognito.clock = lambda: now + 181
    answer = api.post("/auth/login/mfa", {"email": user.email, "session": session, "code": code_at(secret, now + 181)})
    assert (answer.status, answer.body["error"]["code"]) == (401, "invalid_session")


def test_a_persons_wrong_codes_across_sessions_lock_codes_out(api, user, now, local_aws):
    secret = mfa.enrol(api, user, now)
    right = mfa.next_code(secret, now)
    for _ in range(3):  # three sessions, two wrong codes each: no session ran out, the person did
        session = mfa.challenge(api, user)
        for _ in range(2):
            api.post("/auth/login/mfa", {"email": user.email, "session": session, "code": wrong(right)})
    locked = api.post("/auth/login/mfa", {"email": user.email, "session": mfa.challenge(api, user), "code": right})
    assert (locked.status, locked.body["error"]["code"]) == (429, "too_many_requests")
    local_aws.cognito.clock = lambda: now + 2  # the lockout (1 s after the sixth) is over; the code still valid
    assert signs_in_with(api, user, right) == 200


def test_turning_off_what_is_off_needs_the_password_and_changes_nothing(api, user, now):
    answer = api.request("DELETE", "/auth/mfa/totp", off(user, "123456"), token=user.token)
    assert (answer.status, answer.body) == (200, {"enabled": False})
    refused = api.request("DELETE", "/auth/mfa/totp", off(user, "123456", "Not-The-Password-1"), token=user.token)
    assert (refused.status, refused.body["error"]["code"]) == (422, "invalid_password")
    assert api.get("/auth/mfa", token=user.token).body == {"enabled": False}


def test_wrong_codes_while_enrolling_count_towards_the_lockout_too(api, user, now, local_aws):
    secret = mfa.start(api, user)
    right = mfa.next_code(secret, now)
    for _ in range(6):
        assert api.post("/auth/mfa/totp/verify", body(user, wrong(right)), token=user.token).status == 422
    locked = api.post("/auth/mfa/totp/verify", body(user, right), token=user.token)
    assert (locked.status, locked.body["error"]["code"]) == (429, "too_many_requests")
    assert api.get("/me", token=user.token).status == 200  # locked out of codes, not signed out
    local_aws.cognito.clock = lambda: now + 2
    assert api.post("/auth/mfa/totp/verify", body(user, right), token=user.token).status == 200


def test_after_a_sign_in_ran_out_of_codes_the_owner_still_turns_two_step_off(api, user, now, local_aws):
    secret = mfa.enrol(api, user, now)
    right = mfa.next_code(secret, now)
    session = mfa.challenge(api, user)
    for _ in range(5):
        api.post("/auth/login/mfa", {"email": user.email, "session": session, "code": wrong(right)})
    over = api.post("/auth/login/mfa", {"email": user.email, "session": session, "code": wrong(right)})
    assert over.status == 401
    refused = api.request("DELETE", "/auth/mfa/totp", off(user, wrong(right)), token=user.token)
    assert refused.status == 422
    local_aws.cognito.clock = lambda: now + 0.5  # the sixth wrong code in a row locked codes out for a second
    locked = api.request("DELETE", "/auth/mfa/totp", off(user, right), token=user.token)
    assert locked.status == 429
    local_aws.cognito.clock = lambda: now + 1
    answer = api.request("DELETE", "/auth/mfa/totp", off(user, right), token=user.token)
    assert answer.status == 200, answer.body


def live_refresh_tokens(local_aws: Any, user: Any) -> int:
    """Refresh tokens of the user that still work, read from the local Cognito's state."""
    from moto.cognitoidp.models import cognitoidp_backends
    from moto.core import DEFAULT_ACCOUNT_ID

    from devtools.local_aws import REGION

    pools = cognitoidp_backends[DEFAULT_ACCOUNT_ID][REGION].user_pools.values()
    return sum(
        1
        for pool in pools
        for owner in pool.refresh_tokens.values()
        if owner and pool._get_user(owner[1]) is not None and pool._get_user(owner[1]).id == user.user_id
    )


def test_the_sign_in_that_proves_it_is_the_owner_leaves_no_session_behind(api, user, now, local_aws):
    secret = mfa.enrol(api, user, now)
    before = live_refresh_tokens(local_aws, user)
    answer = api.request("DELETE", "/auth/mfa/totp", off(user, mfa.next_code(secret, now)), token=user.token)
    assert answer.status == 200
    assert live_refresh_tokens(local_aws, user) == before

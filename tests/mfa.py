"""TOTP as a client enrols it: codes computed from the secret with RFC 6238 (devtools/totp.py)."""

from __future__ import annotations

from typing import Any

from devtools.totp import STEP_SECONDS, code_at


def start(api: Any, user: Any) -> str:
    answer = api.post("/auth/mfa/totp", {"access_token": user.access_token}, token=user.token)
    assert answer.status == 200, answer.body
    return answer.body["secret"]


def enrol(api: Any, user: Any, now: float) -> str:
    """TOTP on for the user, confirmed with the code of `now`; returns the secret."""
    secret = start(api, user)
    answer = api.post(
        "/auth/mfa/totp/verify", {"access_token": user.access_token, "code": code_at(secret, now)}, token=user.token
    )
    assert answer.status == 200, answer.body
    return secret


def next_code(secret: str, now: float, steps: int = 1) -> str:
    return code_at(secret, now + steps * STEP_SECONDS)


def challenge(api: Any, user: Any) -> str:
    """Signs in and returns the session of the TOTP challenge."""
    answer = api.post("/auth/login", {"email": user.email, "password": user.password})
    assert answer.status == 200, answer.body
    assert answer.body["challenge_name"] == "SOFTWARE_TOKEN_MFA", answer.body
    return answer.body["session"]

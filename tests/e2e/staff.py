"""Staff (admins, coaches) turn two-step sign-in on before their staff routes answer: enrolled over
real HTTP through Stride's MFA routes, with codes computed from the secret (RFC 6238)."""

from __future__ import annotations

import time
from typing import Any

from devtools.totp import code_at


def enrol_staff(stack: Any, access_token: str, id_token: str) -> None:
    started = stack.call("POST", "/auth/mfa/totp", {"access_token": access_token}, token=id_token)
    assert started.status == 200, started.body
    code = code_at(started.body["secret"], time.time())
    confirmed = stack.call(
        "POST", "/auth/mfa/totp/verify", {"access_token": access_token, "code": code}, token=id_token
    )
    assert confirmed.status == 200, confirmed.body

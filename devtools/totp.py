"""TOTP (RFC 6238: HMAC-SHA1, 30-second steps, six digits), as authenticator apps and Cognito
compute it. The local Cognito checks codes with it; tests compute codes with it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct

STEP_SECONDS = 30
DIGITS = 6
# Steps either side of now a code may come from (clock drift, a code typed as it turned over).
DRIFT_STEPS = 1


def _key(secret: str) -> bytes:
    return base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))


def code_for_step(secret: str, step: int) -> str:
    digest = hmac.new(_key(secret), struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 10**DIGITS:0{DIGITS}d}"


def code_at(secret: str, epoch_seconds: float) -> str:
    return code_for_step(secret, int(epoch_seconds // STEP_SECONDS))


def matching_step(secret: str, code: str, epoch_seconds: float) -> int | None:
    """The step the code belongs to, if it is valid now; None otherwise."""
    now = int(epoch_seconds // STEP_SECONDS)
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if hmac.compare_digest(code_for_step(secret, step), code):
            return step
    return None

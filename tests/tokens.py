"""Forged and foreign tokens, signed with the key moto publishes in its own source."""

from __future__ import annotations

import base64
import gzip
import hashlib
import hmac
import json
import time
from importlib import resources
from typing import Any

import jwt
from jwt.algorithms import RSAAlgorithm


def _moto_jwk(name: str) -> dict[str, Any]:
    packed = resources.files("moto.cognitoidp").joinpath(f"resources/{name}.gz").read_bytes()
    return json.loads(gzip.decompress(packed))


MOTO_PRIVATE_KEY = RSAAlgorithm.from_jwk(json.dumps(_moto_jwk("jwks-private.json")))
MOTO_PUBLIC_JWK = _moto_jwk("jwks-public.json")["keys"][0]


def claims_for(pool_id: str, client_id: str, **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "iss": f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}",
        "sub": "11111111-2222-3333-4444-555555555555",
        "aud": client_id,
        "token_use": "id",
        "iat": now,
        "auth_time": now,
        "exp": now + 900,
        "email": "forged@example.com",
        "custom:tenant_id": "personal-11111111-2222-3333-4444-555555555555",
        "custom:role": "member",
    }
    claims.update(overrides)
    return {key: value for key, value in claims.items() if value is not None}


def sign(claims: dict[str, Any], kid: str = "dummy") -> str:
    return jwt.encode(claims, MOTO_PRIVATE_KEY, algorithm="RS256", headers={"kid": kid})


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned(claims: dict[str, Any]) -> str:
    header = _b64(json.dumps({"alg": "none", "typ": "JWT", "kid": "dummy"}).encode())
    return f"{header}.{_b64(json.dumps(claims).encode())}."


def hs256_with_public_key(claims: dict[str, Any]) -> str:
    """The classic algorithm-confusion forgery: HMAC keyed with the RSA public key."""
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "dummy"}).encode())
    payload = _b64(json.dumps(claims).encode())
    key = json.dumps(MOTO_PUBLIC_JWK).encode()
    signature = hmac.new(key, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"


def tampered(token: str, **changes: Any) -> str:
    """The same signature over a payload someone edited."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(changes)
    return f"{header}.{_b64(json.dumps(claims).encode())}.{signature}"


def bad_tokens(pool_id: str, client_id: str, access_token: str, valid_id_token: str) -> dict[str, str]:
    """Each entry must be refused with a 401."""
    claims = claims_for(pool_id, client_id)
    return {
        "alg_none": unsigned(claims),
        "hs256_with_public_key": hs256_with_public_key(claims),
        "expired": sign(claims_for(pool_id, client_id, iat=int(time.time()) - 7200, exp=int(time.time()) - 3600)),
        "other_issuer": sign(claims_for("us-east-1_someoneelse", client_id)),
        "other_audience": sign(claims_for(pool_id, "another-client-id")),
        "access_token": access_token,
        "tampered_payload": tampered(valid_id_token, sub="someone-else"),
        "unknown_kid": sign(claims, kid="not-a-known-kid"),
    }

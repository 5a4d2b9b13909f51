"""Who is calling: the one place claims become an Identity.

Deployed, API Gateway's Cognito authorizer has verified the token's signature, expiry and
issuer; it does not check which app client the token was issued to, nor that it is an ID
token, so `identity_from_claims` does. In stage `local`, `chalice local` only base64-decodes
the token, so the app verifies it itself with `LocalTokenVerifier`, which refuses to exist in
any other stage: moto signs with a private key published in its own source.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from chalicelib.config import LOCAL_STAGE, Settings
from chalicelib.errors import Forbidden, Unauthenticated

TENANT_CLAIM = "custom:tenant_id"
ROLE_CLAIM = "custom:role"
PARENT_CLAIM = "custom:parent_business_id"
MEMBER, COACH, ADMIN = "member", "coach", "admin"
ROLES = (MEMBER, COACH, ADMIN)
PERSONAL_PREFIX = "personal-"
LEEWAY_SECONDS = 30
_INVALID_TOKEN = "The token is missing, malformed, expired or not issued for this API."  # noqa: S105 (a message)


def personal_tenant(user_id: str) -> str:
    """Everyone has a tenant of their own: a consumer's only one, and the home of their data."""
    return f"{PERSONAL_PREFIX}{user_id}"


def owner_identity(user_id: str) -> Identity:
    """The owner of an item the system itself found in a personal partition (a stream record),
    to present their own data to them: no token, so no e-mail; their personal tenant."""
    return Identity(user_id=user_id, email="", tenant_id=personal_tenant(user_id), role=MEMBER)


class Identity(NamedTuple):
    user_id: str
    email: str
    # The tenant the caller acts in: their business, or their personal tenant.
    tenant_id: str
    role: str
    parent_business_id: str | None = None
    # Cognito's email_verified claim: the person proved they receive mail at `email`.
    email_verified: bool = False

    @property
    def home_tenant(self) -> str:
        """Where the person's own data lives: joining or leaving a business does not move it."""
        return personal_tenant(self.user_id)

    @property
    def business_id(self) -> str | None:
        return None if self.tenant_id.startswith(PERSONAL_PREFIX) else self.tenant_id


def identity_from_claims(claims: Mapping[str, Any], settings: Settings) -> Identity:
    """Build the caller's identity from verified claims, or refuse the request."""
    sub = claims.get("sub")
    if not sub or not isinstance(sub, str):
        raise Unauthenticated(_INVALID_TOKEN)
    if claims.get("token_use") != "id":
        raise Unauthenticated("Use the id token in the Authorization header.")
    if claims.get("aud") not in settings.app_client_ids:
        raise Unauthenticated(_INVALID_TOKEN)
    tenant_id = claims.get(TENANT_CLAIM)
    role = claims.get(ROLE_CLAIM)
    if not tenant_id or role not in ROLES:
        raise Forbidden("This account has not been provisioned yet.", code="account_not_provisioned")
    return Identity(
        user_id=sub,
        email=str(claims.get("email", "")),
        tenant_id=str(tenant_id),
        role=str(role),
        parent_business_id=claims.get(PARENT_CLAIM) or None,
        # A boolean in the token; a string in API Gateway's authorizer claims.
        email_verified=claims.get("email_verified") in (True, "true"),
    )


def _unverified_claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def token_subject(token: str) -> str:
    """Whose a token says it is, unverified: for matching a token the caller hands over with the
    caller's verified identity before Cognito (which verifies it) acts on it."""
    try:
        subject = _unverified_claims(token).get("sub")
    except (IndexError, ValueError, AttributeError) as exc:
        raise Unauthenticated("The access token is malformed.", code="invalid_session") from exc
    if not isinstance(subject, str):
        raise Unauthenticated("The access token is malformed.", code="invalid_session")
    return subject


def tenancy_claims(id_token: str) -> dict[str, Any]:
    """Tenant, role and parent business as a token Cognito has just issued to us states them.
    For showing the caller only: identity always comes from a verified token."""
    claims = _unverified_claims(id_token)
    return {
        "tenant_id": claims.get(TENANT_CLAIM),
        "role": claims.get(ROLE_CLAIM),
        "parent_business_id": claims.get(PARENT_CLAIM) or None,
    }


def bearer_token(authorization: str | None) -> str:
    """The raw token from an Authorization header; `Bearer ` in front is accepted."""
    if not authorization:
        raise Unauthenticated("The Authorization header is missing.")
    token = authorization.strip()
    if token[:7].lower() == "bearer ":
        token = token[7:].strip()
    if token.count(".") != 2:
        raise Unauthenticated(_INVALID_TOKEN)
    return token


def fetch_json(url: str) -> dict[str, Any]:
    if not url.startswith(("http://", "https://")):
        raise ValueError("JWKS_URL must be an http(s) address")
    import urllib.request  # stage local only: ~30 ms of imports no deployed request needs

    # The scheme is checked above; the address is configuration, never request data.
    with urllib.request.urlopen(url, timeout=3) as response:  # noqa: S310  # nosec B310
        return json.loads(response.read())


class LocalTokenVerifier:
    """Verifies Cognito id tokens against the pool's JWKS, for stage `local` only."""

    REFETCH_INTERVAL_SECONDS = 10.0

    def __init__(self, settings: Settings, fetch: Callable[[str], dict[str, Any]] = fetch_json):
        if settings.stage != LOCAL_STAGE:
            raise RuntimeError(f"local token verification is for stage '{LOCAL_STAGE}' only, not '{settings.stage}'")
        if not settings.jwks_url:
            raise RuntimeError("JWKS_URL must be set in stage local")
        import jwt  # dev-only dependency: never imported by a deployed stage

        self._jwt = jwt
        self._settings = settings
        self._fetch = fetch
        self._keys: dict[str, Any] = {}
        self._last_fetch = 0.0
        self._lock = threading.Lock()

    def verify(self, token: str) -> dict[str, Any]:
        jwt = self._jwt
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise Unauthenticated(_INVALID_TOKEN) from exc
        if header.get("alg") != "RS256":
            raise Unauthenticated(_INVALID_TOKEN)
        key = self._key(str(header.get("kid", "")))
        try:
            claims = jwt.decode(
                token,
                key=key,
                algorithms=["RS256"],
                audience=list(self._settings.app_client_ids),
                issuer=self._settings.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "iss", "aud", "sub", "token_use"]},
            )
        except jwt.PyJWTError as exc:
            raise Unauthenticated(_INVALID_TOKEN) from exc
        if claims.get("token_use") != "id":
            raise Unauthenticated("Use the id token in the Authorization header.")
        return claims

    def _key(self, kid: str) -> Any:
        with self._lock:
            if kid not in self._keys and self._may_refetch():
                self._refresh_keys()
            key = self._keys.get(kid)
        if key is None:
            raise Unauthenticated(_INVALID_TOKEN)
        return key

    def _may_refetch(self) -> bool:
        # An unknown kid triggers one refetch, at most one per interval: a stream of
        # forged kids must not turn into a stream of requests to the key endpoint.
        return not self._keys or time.monotonic() - self._last_fetch >= self.REFETCH_INTERVAL_SECONDS

    def _refresh_keys(self) -> None:
        self._last_fetch = time.monotonic()
        try:
            document = self._fetch(str(self._settings.jwks_url))
        except (OSError, ValueError) as exc:
            raise Unauthenticated("The signing keys could not be loaded.") from exc
        from jwt.algorithms import RSAAlgorithm

        self._keys = {
            jwk["kid"]: RSAAlgorithm.from_jwk(json.dumps(jwk))
            for jwk in document.get("keys", [])
            if jwk.get("kty") == "RSA" and "kid" in jwk
        }

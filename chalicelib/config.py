"""Settings read from the environment once, on first use (never at import time).

Chalice's test client and `chalice local` put a stage's environment variables in
place only around a request, so nothing here may be read while `app.py` imports.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from typing import NamedTuple

LOCAL_STAGE = "local"
# A tenant's requests a minute unless an operator sets its own: sized for a 1,000-member gym at its
# busiest (a class starting: a tenth of its members in the app at once, each at most one request a
# second, the web client's heaviest use) = 100 x 60 = 6,000. A larger tenant gets its own
# (`TenantThrottle.set_limit`: about 6 a member). One person alone never comes near it.
DEFAULT_TENANT_REQUESTS_PER_MINUTE = 6000


class ConfigurationError(RuntimeError):
    """The deployment is missing a setting it cannot run without."""


class Settings(NamedTuple):
    stage: str
    region: str
    table_name: str
    media_bucket: str
    user_pool_id: str
    app_client_ids: tuple[str, ...]
    # Local stage only: moto serves the pool's keys at an address other than the issuer's.
    jwks_url: str | None
    log_level: str
    # Pagination cursors are signed with a key from Secrets Manager (deployed) or, in stage
    # local only, from CURSOR_KEY (the local stack makes a random one per run).
    cursor_key_secret_arn: str | None = None
    cursor_key: str | None = None
    export_inline_limit_bytes: int = 5 * 1024 * 1024
    # The background jobs' queue (chalicelib.jobs); set by the template, and by the local stack.
    jobs_queue_url: str = ""
    # Seconds to wait for an AWS answer before botocore retries; the embedded moto, serving one
    # request at a time, can queue longer than AWS ever answers.
    aws_read_timeout: int = 5
    # Requests a tenant may make a minute unless an operator set its own; None: not counted.
    tenant_requests_per_minute: int | None = DEFAULT_TENANT_REQUESTS_PER_MINUTE
    # Video streams through CloudFront, when a stage sets all three: the distribution's domain,
    # the id of the public key CloudFront trusts, and the secret holding the private key's PEM
    # (read once per container). Otherwise a stream is a pre-signed S3 GET.
    video_cdn_domain: str | None = None
    video_cdn_key_pair_id: str | None = None
    video_cdn_private_key_secret_arn: str | None = None
    # E-mail: the verified SES sender, and the API's public address for links in messages.
    email_sender: str = ""
    public_api_url: str = ""
    # The web app's origin (also the API's CORS origin): where links in invitations open.
    frontend_origin: str = ""
    # The SES configuration set every send names (bounce and complaint events, reputation metrics).
    ses_configuration_set: str = ""

    @property
    def video_cdn_enabled(self) -> bool:
        return bool(self.video_cdn_domain and self.video_cdn_key_pair_id and self.video_cdn_private_key_secret_arn)

    @property
    def issuer(self) -> str:
        return f"https://cognito-idp.{self.region}.amazonaws.com/{self.user_pool_id}"

    @property
    def app_client_id(self) -> str:
        """The client the API signs users in with (the first configured)."""
        return self.app_client_ids[0]

    @property
    def is_local(self) -> bool:
        return self.stage == LOCAL_STAGE


def _required(environ: Mapping[str, str], name: str) -> str:
    value = environ.get(name, "").strip()
    if not value:
        raise ConfigurationError(f"environment variable {name} is not set")
    return value


def load(environ: Mapping[str, str]) -> Settings:
    client_ids = tuple(part.strip() for part in _required(environ, "APP_CLIENT_IDS").split(",") if part.strip())
    return Settings(
        stage=_required(environ, "STAGE"),
        region=environ.get("AWS_REGION") or _required(environ, "AWS_DEFAULT_REGION"),
        table_name=_required(environ, "TABLE_NAME"),
        media_bucket=_required(environ, "MEDIA_BUCKET"),
        user_pool_id=_required(environ, "USER_POOL_ID"),
        app_client_ids=client_ids,
        jwks_url=environ.get("JWKS_URL") or None,
        log_level=environ.get("LOG_LEVEL", "INFO"),
        cursor_key_secret_arn=environ.get("CURSOR_KEY_SECRET_ARN") or None,
        cursor_key=environ.get("CURSOR_KEY") or None,
        export_inline_limit_bytes=int(environ.get("EXPORT_INLINE_LIMIT_BYTES", 5 * 1024 * 1024)),
        jobs_queue_url=environ.get("JOBS_QUEUE_URL", "").strip(),
        aws_read_timeout=int(environ.get("AWS_READ_TIMEOUT_SECONDS", 5)),
        tenant_requests_per_minute=_tenant_budget(environ.get("TENANT_REQUESTS_PER_MINUTE", "")),
        email_sender=environ.get("EMAIL_SENDER", "").strip(),
        public_api_url=environ.get("PUBLIC_API_URL", "").strip(),
        frontend_origin=environ.get("FRONTEND_ORIGIN", "").strip(),
        ses_configuration_set=environ.get("SES_CONFIGURATION_SET", "").strip(),
        **_video_cdn(environ),
    )


def _video_cdn(environ: Mapping[str, str]) -> dict[str, str | None]:
    """All three or none: half a CloudFront setup would sign URLs CloudFront refuses."""
    values = {
        "video_cdn_domain": environ.get("VIDEO_CDN_DOMAIN", "").strip() or None,
        "video_cdn_key_pair_id": environ.get("VIDEO_CDN_KEY_PAIR_ID", "").strip() or None,
        "video_cdn_private_key_secret_arn": environ.get("VIDEO_CDN_PRIVATE_KEY_SECRET_ARN", "").strip() or None,
    }
    given = [name for name, value in values.items() if value]
    if given and len(given) != len(values):
        raise ConfigurationError(
            "VIDEO_CDN_DOMAIN, VIDEO_CDN_KEY_PAIR_ID and VIDEO_CDN_PRIVATE_KEY_SECRET_ARN go together: set all or none"
        )
    return values


def _tenant_budget(value: str) -> int | None:
    """`off` switches per-tenant throttling off for a stage; unset means the default budget."""
    value = value.strip().lower()
    if value == "off":
        return None
    budget = int(value) if value else DEFAULT_TENANT_REQUESTS_PER_MINUTE
    if budget < 1:
        raise ConfigurationError("TENANT_REQUESTS_PER_MINUTE must be a positive number or off")
    return budget


@functools.cache
def settings() -> Settings:
    return load(os.environ)


def public_api_url() -> str:
    """The API's public address (PUBLIC_API_URL), read on its own: GET /openapi.json names it and
    must answer even where the rest of the configuration is incomplete."""
    return os.environ.get("PUBLIC_API_URL", "").strip().rstrip("/")

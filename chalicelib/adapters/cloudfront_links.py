"""Signed CloudFront URLs for the library's files, for stages that put a distribution in front
of the bucket (VIDEO_CDN_* settings). Canned policy, RSA-SHA1: the only signature CloudFront's
signed URLs accept.

The private key comes from Secrets Manager, read once per container (deps). Signing needs the
`cryptography` package, which the Lambda does not ship by default (see docs/operations.md, "Dependencies"): it is
imported only when a stage turns CloudFront on, and its absence is then a clear configuration
error, not an ImportError in the middle of a request.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from chalicelib import clock
from chalicelib.config import ConfigurationError


def rsa_sha1_signer(private_key_pem: str) -> Callable[[bytes], bytes]:
    try:
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import padding
    except ImportError as exc:
        raise ConfigurationError(
            "VIDEO_CDN_* is set but the cryptography package is not deployed: add it to requirements.txt"
        ) from exc
    key: Any = serialization.load_pem_private_key(private_key_pem.encode(), password=None)

    def sign(message: bytes) -> bytes:
        # SHA-1 because CloudFront's signed URLs are defined with it; not our choice to make.
        return key.sign(message, padding.PKCS1v15(), hashes.SHA1())  # noqa: S303  # nosec B303

    return sign


class CloudFrontLinks:
    def __init__(
        self,
        domain: str,
        key_pair_id: str,
        private_key_pem: str,
        now: Callable[[], datetime] = clock.now,
    ):
        from botocore.signers import CloudFrontSigner

        self._domain = domain.rstrip("/")
        self._signer = CloudFrontSigner(key_pair_id, rsa_sha1_signer(private_key_pem))
        self._now = now

    def stream_url(self, key: str, seconds: int) -> str:
        url = f"https://{self._domain}/{quote(key)}"
        return self._signer.generate_presigned_url(url, date_less_than=self._now() + timedelta(seconds=seconds))

"""Signed CloudFront URLs for the library's files, for stages that put a distribution in front
of the bucket (VIDEO_CDN_* settings). Canned policy, RSA-SHA1: the only signature CloudFront's
signed URLs accept.

The private key comes from Secrets Manager, read once per container (deps). Signing uses `rsa`
(python-rsa, pure Python, with pyasn1 for the key's DER): the functions run on arm64 and the
package holds no compiled code, so the signature cannot depend on a wheel built for the machine
that packaged it. It is imported only when a stage turns CloudFront on. A key that is not an RSA
private key in PEM (PKCS#1 or PKCS#8) is a configuration error, raised where the key is loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import quote

from chalicelib import clock
from chalicelib.config import ConfigurationError
from chalicelib.errors import DependencyFailed

if TYPE_CHECKING:
    import rsa

RSA_ENCRYPTION = "1.2.840.113549.1.1.1"  # PKCS#8's algorithm identifier for an RSA key


def rsa_sha1_signer(private_key_pem: str) -> Callable[[bytes], bytes]:
    import rsa

    key = load_private_key(private_key_pem)

    def sign(message: bytes) -> bytes:
        # SHA-1 because CloudFront's signed URLs are defined with it; not our choice to make.
        return rsa.sign(message, key, "SHA-1")

    return sign


def load_private_key(pem: str) -> rsa.PrivateKey:
    """The key as `openssl genrsa` writes it: PKCS#8 ("BEGIN PRIVATE KEY", OpenSSL 3) or PKCS#1
    ("BEGIN RSA PRIVATE KEY", OpenSSL 1)."""
    import rsa
    from pyasn1.codec.der import decoder
    from pyasn1.error import PyAsn1Error

    text = pem.strip()
    try:
        if text.startswith("-----BEGIN RSA PRIVATE KEY-----"):
            return rsa.PrivateKey.load_pkcs1(text.encode())
        if text.startswith("-----BEGIN PRIVATE KEY-----"):
            der = rsa.pem.load_pem(text.encode(), "PRIVATE KEY")
            info, _rest = decoder.decode(der)
            if str(info[1][0]) != RSA_ENCRYPTION:
                raise ConfigurationError("the video CDN's private key is not an RSA key: CloudFront signs with RSA")
            return rsa.PrivateKey.load_pkcs1(bytes(info[2]), format="DER")
    except (ValueError, IndexError, TypeError, PyAsn1Error) as exc:
        raise ConfigurationError(f"the video CDN's private key cannot be read: {exc}") from exc
    raise ConfigurationError(
        "the video CDN's private key is not a PEM private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY)"
    )


# Secrets Manager's answers that no retry changes: the stage's configuration is wrong.
SECRET_MISCONFIGURED = frozenset(
    {"ResourceNotFoundException", "AccessDeniedException", "DecryptionFailure", "InvalidRequestException"}
)


class UnavailableLinks:
    """Stands in for the signer, for the container's life, when the video CDN's key cannot be used
    (a secret that is missing, unreadable or not an RSA key): each stream is refused at once with a
    clear 503, and Secrets Manager is not asked again per request. The reason is logged once, where
    the key was read; fixing the secret takes effect in new containers (or after a redeploy)."""

    def __init__(self, reason: str):
        self.reason = reason

    def stream_url(self, key: str, seconds: int) -> str:
        raise DependencyFailed(
            "Video streaming is unavailable: this stage's video CDN key is misconfigured (the operators' log "
            "names the reason: video_cdn_misconfigured).",
            code="video_cdn_misconfigured",
        )


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

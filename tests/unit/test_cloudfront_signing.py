"""CloudFront URL signing in pure Python (python-rsa): the same signature as cryptography's, for
the key formats openssl writes; a key it cannot use is a configuration error, named."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from chalicelib.adapters.cloudfront_links import rsa_sha1_signer
from chalicelib.config import ConfigurationError

MESSAGE = b'{"Statement":[{"Resource":"https://d1.cloudfront.net/v","Condition":{"DateLessThan":{"AWS:EpochTime":1}}}]}'


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def pem(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey, form: serialization.PrivateFormat) -> str:
    return key.private_bytes(serialization.Encoding.PEM, form, serialization.NoEncryption()).decode()


@pytest.mark.parametrize(
    "form", [serialization.PrivateFormat.PKCS8, serialization.PrivateFormat.TraditionalOpenSSL], ids=["pkcs8", "pkcs1"]
)
def test_the_signature_is_cryptographys_byte_for_byte(
    key: rsa.RSAPrivateKey, form: serialization.PrivateFormat
) -> None:
    signed = rsa_sha1_signer(pem(key, form))(MESSAGE)
    # PKCS#1 v1.5 is deterministic: the same key and message give the same bytes.
    assert signed == key.sign(MESSAGE, padding.PKCS1v15(), hashes.SHA1())  # noqa: S303 (CloudFront's algorithm)
    key.public_key().verify(signed, MESSAGE, padding.PKCS1v15(), hashes.SHA1())  # noqa: S303


def test_a_key_that_is_not_rsa_is_refused_by_name() -> None:
    other = ec.generate_private_key(ec.SECP256R1())
    with pytest.raises(ConfigurationError, match="not an RSA key"):
        rsa_sha1_signer(pem(other, serialization.PrivateFormat.PKCS8))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not a key",
        "-----BEGIN PUBLIC KEY-----\nMIIBIjANBg\n-----END PUBLIC KEY-----",
        "-----BEGIN PRIVATE KEY-----\nbm90IGRlcg==\n-----END PRIVATE KEY-----",
        "-----BEGIN RSA PRIVATE KEY-----\nbm90IGRlcg==\n-----END RSA PRIVATE KEY-----",
    ],
    ids=["empty", "text", "public-key", "pkcs8-garbage", "pkcs1-garbage"],
)
def test_a_key_that_cannot_be_read_is_a_configuration_error(text: str) -> None:
    with pytest.raises(ConfigurationError, match="private key"):
        rsa_sha1_signer(text)


def test_a_truncated_key_is_a_configuration_error(key: rsa.RSAPrivateKey) -> None:
    lines = pem(key, serialization.PrivateFormat.PKCS8).splitlines()
    with pytest.raises(ConfigurationError, match="cannot be read"):
        rsa_sha1_signer("\n".join([*lines[:5], lines[-1]]))

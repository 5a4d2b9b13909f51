"""The layer in front of the local AWS (devtools/local_guard.py, devtools/local_s3.py): other
sites' pages, moto's admin routes and uploads that break their signed policy are refused."""

from __future__ import annotations

import io
import time
from typing import Any

import boto3
import pytest
from botocore.config import Config
from werkzeug.test import EnvironBuilder

from devtools.local_aws import LOCAL_CREDENTIALS, REGION
from devtools.local_gateway import foreign_page
from devtools.local_guard import LocalOnly
from devtools.local_s3 import post_policy_refusal

WEB = "http://127.0.0.1:5173"
BUCKET = "stride-local-media"


class Recorder:
    def __init__(self) -> None:
        self.reached = 0

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        self.reached += 1
        start_response("200 OK", [])
        return [b"moto"]


def call(guard: LocalOnly, **kwargs: Any) -> str:
    status: list[str] = []
    environ = EnvironBuilder(**{"base_url": "http://127.0.0.1:5100", **kwargs}).get_environ()
    b"".join(guard(environ, lambda s, h, e=None: status.append(s)))
    return status[0]


@pytest.fixture
def moto() -> Recorder:
    return Recorder()


@pytest.fixture
def guard(moto: Recorder) -> LocalOnly:
    guard = LocalOnly(moto)
    guard.allowed_origins = frozenset({WEB})
    return guard


@pytest.mark.parametrize("path", ["/moto-api/reset/", "/moto-api/", "/moto-api", "/moto-api/data.json"])
def test_motos_admin_routes_answer_no_one(guard, moto, path):
    for method in ("GET", "POST"):
        assert call(guard, path=path, method=method).startswith("403")
    assert moto.reached == 0


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://127.0.0.1:5174"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Host": "evil.example:5100"},
    ],
)
def test_another_sites_page_is_refused(guard, moto, headers):
    target = "AWSCognitoIdentityProviderService.AdminUpdateUserAttributes"
    assert call(guard, path="/", method="POST", headers={**headers, "X-Amz-Target": target}).startswith("403")
    assert moto.reached == 0


@pytest.mark.parametrize("headers", [{}, {"Origin": WEB}, {"Sec-Fetch-Site": "same-site"}, {"Sec-Fetch-Site": "none"}])
def test_the_web_app_and_callers_that_are_not_browsers_pass(guard, moto, headers):
    assert call(guard, path="/", method="POST", headers=headers).startswith("200")
    assert moto.reached == 1


def test_no_browser_passes_before_the_stack_is_provisioned(moto):
    assert call(LocalOnly(moto), path="/", headers={"Origin": WEB}).startswith("403")


@pytest.mark.parametrize(
    "origin, fetch_site, refused",
    [
        (None, None, False),
        (WEB, "same-site", False),
        ("https://evil.example", "cross-site", True),
        (None, "cross-site", True),
        ("null", None, True),
    ],
)
def test_the_local_api_refuses_other_sites_pages(monkeypatch, origin, fetch_site, refused):
    monkeypatch.setenv("FRONTEND_ORIGIN", WEB)
    assert (foreign_page(origin, fetch_site) is not None) is refused


# S3 POST policy


def s3(signature_version: str | None = None) -> Any:
    return boto3.client(
        "s3",
        endpoint_url="http://127.0.0.1:5100",
        region_name=REGION,
        config=Config(signature_version=signature_version) if signature_version else None,
        aws_access_key_id=LOCAL_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=LOCAL_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def form(signature_version: str | None = None, key: str = "media/personal-a/1", expires: int = 600) -> dict[str, str]:
    """As the media store signs one (chalicelib/domains/media/store.py)."""
    return s3(signature_version).generate_presigned_post(
        Bucket=BUCKET,
        Key=key,
        Fields={"Content-Type": "image/png", "tagging": "<Tagging/>"},
        Conditions=[{"Content-Type": "image/png"}, ["content-length-range", 1, 100], {"tagging": "<Tagging/>"}],
        ExpiresIn=expires,
    )["fields"]


def posted(fields: dict[str, str], content: bytes = b"x" * 10, bucket: str = BUCKET, now: float | None = None) -> Any:
    environ = EnvironBuilder(
        path=f"/{bucket}", method="POST", data={**fields, "file": (io.BytesIO(content), "a.png")}
    ).get_environ()
    return post_policy_refusal(environ, now)


@pytest.mark.parametrize("version", [None, "s3v4"])
def test_an_upload_as_signed_is_accepted(version):
    assert posted(form(version)) is None


@pytest.mark.parametrize("version", [None, "s3v4"])
def test_a_rewritten_key_is_refused(version):
    fields = {**form(version), "key": "media/personal-b/1"}
    code, message = posted(fields)
    assert code == "AccessDenied" and '"$key"' in message


@pytest.mark.parametrize(
    "change, content, error",
    [
        ({"Content-Type": "text/html"}, b"x", "AccessDenied"),
        ({"tagging": "<Tagging><TagSet/></Tagging>"}, b"x", "AccessDenied"),
        ({}, b"x" * 101, "AccessDenied"),
        ({}, b"", "AccessDenied"),
        ({"x-amz-meta-owner": "someone"}, b"x", "AccessDenied"),
        ({"x-amz-signature": "0" * 64}, b"x", "SignatureDoesNotMatch"),
        ({"x-amz-credential": "AKIAOTHER/20260101/us-east-1/s3/aws4_request"}, b"x", "InvalidAccessKeyId"),
    ],
)
def test_an_upload_that_breaks_its_policy_is_refused(change, content, error):
    assert posted({**form("s3v4"), **change}, content)[0] == error


def test_a_policy_without_signature_or_an_expired_one_is_refused():
    fields = form("s3v4")
    unsigned = {name: value for name, value in fields.items() if name != "policy"}
    assert posted(unsigned)[0] == "AccessDenied"
    assert posted(fields, now=time.time() + 601)[0] == "AccessDenied"
    assert posted(fields, bucket="another-bucket")[0] == "AccessDenied"


def test_the_guard_keeps_a_refused_upload_from_moto_and_passes_a_good_one(guard, moto):
    fields = form("s3v4")
    data = {**fields, "file": (io.BytesIO(b"x" * 10), "a.png")}
    assert call(guard, path=f"/{BUCKET}", method="POST", data=data).startswith("200")
    data = {**fields, "key": "media/personal-b/1", "file": (io.BytesIO(b"x" * 10), "a.png")}
    assert call(guard, path=f"/{BUCKET}", method="POST", data=data).startswith("403")
    assert moto.reached == 1

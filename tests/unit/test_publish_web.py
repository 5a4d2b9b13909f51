"""`make publish-web`: what lands in the web bucket, with which headers, and what CloudFront is told."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from devtools import publish_web

BUCKET = "stride-prod-webbucket"


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><head><script src='/assets/index-3f2a.js'></script></head>")
    (tmp_path / "assets" / "index-3f2a.js").write_text("console.log(1)")
    (tmp_path / "favicon.svg").write_text("<svg/>")
    (tmp_path / "config.json").write_text('{"api": "http://127.0.0.1:8000"}')  # a local build's, never published
    return tmp_path


@pytest.fixture
def s3(local_aws):  # type: ignore[no-untyped-def]
    # The suite's local AWS, not moto's mock_aws: ending a mock resets every moto backend of the
    # process, the local AWS's tables included.
    client = local_aws.client("s3")
    client.create_bucket(Bucket=BUCKET)
    yield client
    for listed in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=listed["Key"])
    client.delete_bucket(Bucket=BUCKET)


def test_publishes_the_build_with_cache_headers_and_the_stages_config(dist: Path, s3) -> None:  # type: ignore[no-untyped-def]
    invalidated: list[list[str]] = []
    written = publish_web.publish(dist, BUCKET, "https://api.fitco.io", s3, invalidated.append)
    assert written[-2:] == ["index.html", "config.json"]  # the page only once its assets are there
    asset = s3.get_object(Bucket=BUCKET, Key="assets/index-3f2a.js")
    assert asset["CacheControl"] == "public, max-age=31536000, immutable"
    assert asset["ContentType"] in ("text/javascript", "application/javascript")
    page = s3.get_object(Bucket=BUCKET, Key="index.html")
    assert (page["CacheControl"], page["ContentType"]) == ("no-cache", "text/html")
    # The page names the stage's API itself: it starts without asking /config.json first.
    assert b'<meta name="stride-api" content="https://api.fitco.io" />' in page["Body"].read()
    assert s3.get_object(Bucket=BUCKET, Key="favicon.svg")["ContentType"] == "image/svg+xml"
    config = s3.get_object(Bucket=BUCKET, Key="config.json")
    assert json.loads(config["Body"].read()) == {"api": "https://api.fitco.io"}
    assert config["CacheControl"] == "no-cache"
    assert invalidated == [["/*"]]


def test_refuses_a_folder_that_is_no_build(tmp_path: Path, s3) -> None:  # type: ignore[no-untyped-def]
    invalidated: list[list[str]] = []
    with pytest.raises(SystemExit, match="make web"):
        publish_web.publish(tmp_path, BUCKET, "https://api.fitco.io", s3, invalidated.append)
    assert invalidated == [] and "Contents" not in s3.list_objects_v2(Bucket=BUCKET)


def test_reads_where_to_publish_from_the_stacks_outputs() -> None:
    class Stacks:
        def describe_stacks(self, StackName: str) -> dict:
            assert StackName == "stride-prod"
            return {"Stacks": [{"Outputs": [{"OutputKey": "WebBucketName", "OutputValue": BUCKET}]}]}

    assert publish_web.stack_outputs(Stacks(), "stride-prod") == {"WebBucketName": BUCKET}

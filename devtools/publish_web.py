"""`make publish-web STAGE=...`: uploads the built web app (web/dist) to the stage's web bucket and
asks CloudFront to drop what it cached.

    python -m devtools.publish_web --stack stride-prod [--dist web/dist]

The stack's outputs say where: WebBucketName, WebDistributionId, and ApiUrl, written to the bucket
as /config.json and into index.html's <meta name="stride-api"> (the page reads where the API is from
the meta, without a round trip, and from /config.json when a page has none, as from the local server). Hashed files
under assets/ are cached for a year; everything else is looked at again on every load, as the local
server serves them. Old assets are left in place: a page loaded before the upload still finds them.
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from devtools.web import DIST, with_api_origin

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


def cache_control(key: str) -> str:
    return IMMUTABLE if key.startswith("assets/") else REVALIDATE


def content_type(key: str) -> str:
    guessed, _ = mimetypes.guess_type(key)
    return guessed or "application/octet-stream"


def publish(dist: Path, bucket: str, api_url: str, s3: Any, invalidate: Callable[[list[str]], None]) -> list[str]:
    """Uploads dist (index.html last, so no page names an asset not there yet); returns the keys written."""
    if not (dist / "index.html").is_file():
        raise SystemExit(f"{dist} has no index.html: build the web app first (make web)")
    files = sorted((p for p in dist.rglob("*") if p.is_file()), key=lambda p: (p.name == "index.html", str(p)))
    written = []
    for path in files:
        key = path.relative_to(dist).as_posix()
        if key == "config.json":
            continue  # the stage's own, below
        body = path.read_bytes()
        if key == "index.html":
            body = with_api_origin(body, api_url)
        s3.put_object(
            Bucket=bucket,
            Key=key,
            Body=body,
            ContentType=content_type(key),
            CacheControl=cache_control(key),
        )
        written.append(key)
    config = json.dumps({"api": api_url}).encode()
    s3.put_object(
        Bucket=bucket, Key="config.json", Body=config, ContentType="application/json", CacheControl=REVALIDATE
    )
    written.append("config.json")
    invalidate(["/*"])
    return written


def stack_outputs(cloudformation: Any, stack: str) -> dict[str, str]:
    [described] = cloudformation.describe_stacks(StackName=stack)["Stacks"]
    return {output["OutputKey"]: output["OutputValue"] for output in described.get("Outputs", [])}


def main(argv: list[str] | None = None) -> int:
    import boto3

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stack", required=True, help="the stage's stack, e.g. stride-prod")
    parser.add_argument("--dist", type=Path, default=DIST)
    args = parser.parse_args(argv)

    outputs = stack_outputs(boto3.client("cloudformation"), args.stack)
    cloudfront = boto3.client("cloudfront")

    def invalidate(paths: list[str]) -> None:
        cloudfront.create_invalidation(
            DistributionId=outputs["WebDistributionId"],
            InvalidationBatch={"Paths": {"Quantity": len(paths), "Items": paths}, "CallerReference": str(time.time())},
        )

    written = publish(args.dist, outputs["WebBucketName"], outputs["ApiUrl"], boto3.client("s3"), invalidate)
    print(
        f"{len(written)} files in s3://{outputs['WebBucketName']}; CloudFront invalidated; the app: {outputs['WebUrl']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

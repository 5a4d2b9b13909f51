"""`GET /videos/{id}/stream` on a stage with the video CDN on, answered by deployment.zip alone.

The package is unpacked and imported as Lambda imports it: a fresh interpreter without site
packages, the zip's folder and the runtime's boto3 on the path and nothing else (no dev package, no
`cryptography`). It is handed the API Gateway event of a member's request, with the authorizer's
claims as API Gateway passes them, and the packaged template's environment for the API function,
its values taken from the local stack (moto, over HTTP: the package never imports moto). The signed
URL it answers is verified with `cryptography` outside the package (issue 29 item 3)."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import sysconfig
import urllib.parse
import uuid
import zipfile
from pathlib import Path
from typing import Any

from chalicelib.identity import _unverified_claims
from tests.unit.test_template import LAMBDA_RUNTIME_PACKAGES
from tests.uploads import ready_video_upload

CDN_DOMAIN, KEY_PAIR_ID = "d111111abcdef8.cloudfront.net", "K2JCJMDEHXQW5F"

INVOKE_THE_HANDLER = """
import json, sys, sysconfig
package, runtime = sys.argv[1], sys.argv[2]
sys.path[:0] = [package, runtime]
import app

class Context:  # what Lambda hands the handler
    aws_request_id = "c0ffee00-0000-4000-8000-000000000001"
    function_name = "stride-prod"
    memory_limit_in_mb = 512
    def get_remaining_time_in_millis(self):
        return 29000

answer = app.app(json.loads(sys.stdin.read()), Context())
stdlib = sysconfig.get_paths()["stdlib"]
foreign = sorted(
    name for name, module in list(sys.modules.items())
    if getattr(module, "__file__", None)
    and not module.__file__.startswith((package, runtime, stdlib))
)
print(json.dumps({"answer": answer, "foreign": foreign, "rsa": getattr(sys.modules.get("rsa"), "__file__", None),
                  "cryptography": "cryptography" in sys.modules}))
"""


def api_gateway_event(path: str, resource: str, path_parameters: dict[str, str], token: str) -> dict[str, Any]:
    """A REST API proxy event, with the Cognito authorizer's claims as API Gateway passes them (strings)."""
    claims = {
        key: value if isinstance(value, str) else json.dumps(value) for key, value in _unverified_claims(token).items()
    }
    headers = {
        "Authorization": token,
        "Host": "api.fitco.io",
        "X-Forwarded-Proto": "https",
        "Accept": "application/json",
    }
    return {
        "resource": resource,
        "path": path,
        "httpMethod": "GET",
        "headers": headers,
        "multiValueHeaders": {key: [value] for key, value in headers.items()},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": path_parameters,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": resource,
            "httpMethod": "GET",
            "path": f"/prod{path}",
            "stage": "prod",
            "requestId": str(uuid.uuid4()),
            "identity": {"sourceIp": "203.0.113.9", "userAgent": "test"},
            "authorizer": {"claims": claims},
        },
        "body": None,
        "isBase64Encoded": False,
    }


def deployed_environment(template: dict[str, Any], secret_arn: str, cursor_key_arn: str) -> dict[str, str]:
    """The API function's environment as the packaged template sets it for a stage with the video CDN:
    its literals as they are, the stack's references as the local stack resolved them (the secrets a
    deployed stage reads, which the local stack does without, made here in its Secrets Manager)."""
    variables = template["Resources"]["APIHandler"]["Properties"]["Environment"]["Variables"]
    video_cdn = {
        "VIDEO_CDN_DOMAIN": CDN_DOMAIN,
        "VIDEO_CDN_KEY_PAIR_ID": KEY_PAIR_ID,
        "VIDEO_CDN_PRIVATE_KEY_SECRET_ARN": secret_arn,
    }
    from devtools.infra import stage_environment

    stack = {**stage_environment("local"), **os.environ}  # what make run gives the API
    environment = {}
    for name, value in variables.items():
        if name in video_cdn:
            assert value["Fn::If"][0] == "HasVideoCdn", name  # set only with the video CDN on
            environment[name] = video_cdn[name]
        elif name == "CURSOR_KEY_SECRET_ARN":
            assert value == {"Ref": "CursorKeySecret"}
            environment[name] = cursor_key_arn
        elif isinstance(value, str):
            environment[name] = value
        else:
            environment[name] = stack[name]  # the local stack's table, pool, bucket, secret, queue...
    assert environment["STAGE"] == "prod"
    local = {name: os.environ[name] for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_ENDPOINT_URL")}
    return {
        **environment,
        **local,
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "PATH": "/usr/bin:/bin",
    }


def test_the_package_alone_serves_a_signed_stream_of_a_tenants_video(
    packaged: dict[str, Path], tmp_path: Path, api: Any, tenants: Any, users: Any, local_aws: Any
) -> None:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    coach, member = tenants(2)
    users.grant(coach, role="coach")
    body = {
        "title": "Hip mobility",
        "duration_s": 600,
        "tags": ["mobility"],
        "media_id": ready_video_upload(api, coach),
    }
    video = api.post("/videos", body, token=coach.token)
    assert video.status == 201, video.body
    video_id, tenant_id = video.body["id"], api.get("/me", token=member.token).body["tenant_id"]

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    secrets = local_aws.client("secretsmanager")
    cursor_key = secrets.create_secret(
        Name=f"stride-prod-cursor-key-{uuid.uuid4().hex[:8]}", SecretString=uuid.uuid4().hex
    )
    secret = secrets.create_secret(Name=f"stride-prod-video-key-{uuid.uuid4().hex[:8]}", SecretString=pem)

    unpacked, runtime = tmp_path / "package", tmp_path / "runtime"
    with zipfile.ZipFile(packaged["prod"].with_name("deployment.zip")) as archive:
        archive.extractall(unpacked)
    runtime.mkdir()
    site = Path(sysconfig.get_paths()["purelib"])
    for name in LAMBDA_RUNTIME_PACKAGES:
        (runtime / name).symlink_to(site / name)
    template = json.loads(packaged["prod"].read_text())
    event = api_gateway_event(
        f"/videos/{video_id}/stream", "/videos/{video_id}/stream", {"video_id": video_id}, member.token
    )

    result = subprocess.run(
        [sys.executable, "-S", "-c", INVOKE_THE_HANDLER, str(unpacked), str(runtime)],
        input=json.dumps(event),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=deployed_environment(template, secret["ARN"], cursor_key["ARN"]),
        check=False,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    ran = json.loads(result.stdout.strip().splitlines()[-1])
    assert ran["foreign"] == [], "imported from outside the package and the runtime"
    answer = ran["answer"]
    assert answer["statusCode"] == 200, answer
    assert ran["rsa"].startswith(str(unpacked)) and ran["cryptography"] is False  # signed by the packaged rsa
    stream = json.loads(answer["body"])
    assert stream["expires_in"] == 300
    url = urllib.parse.urlparse(stream["url"])
    resource = f"https://{CDN_DOMAIN}/tenants/{tenant_id}/videos/{video_id}"
    assert f"{url.scheme}://{url.netloc}{url.path}" == resource
    query = dict(urllib.parse.parse_qsl(url.query))
    assert query["Key-Pair-Id"] == KEY_PAIR_ID
    condition = f'{{"DateLessThan":{{"AWS:EpochTime":{query["Expires"]}}}}}'
    policy = f'{{"Statement":[{{"Resource":"{resource}","Condition":{condition}}}]}}'
    signature = base64.b64decode(query["Signature"].translate(str.maketrans("-_~", "+=/")))
    private.public_key().verify(signature, policy.encode(), padding.PKCS1v15(), hashes.SHA1())  # noqa: S303 (CloudFront's scheme)

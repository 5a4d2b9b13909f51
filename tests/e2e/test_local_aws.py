"""The local AWS (moto behind devtools/local_guard.py) and the local API over real sockets: they
answer no other site's page, moto's admin routes answer no one, an upload that breaks its signed
policy lands nowhere, and a changed e-mail waits for the code the developer finds in the outbox."""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request

import boto3
import requests

from devtools.local_aws import LOCAL_CREDENTIALS, REGION
from tests.e2e.conftest import Stack

EVIL = "https://evil.example"


def _aws(stack: Stack, path: str, body: bytes = b"", headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(stack.aws + path, data=body, headers=headers or {}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _cognito_call(stack: Stack, action: str, payload: dict[str, object], origin: str | None) -> tuple[int, bytes]:
    headers = {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": f"AWSCognitoIdentityProviderService.{action}",
        **({"Origin": origin} if origin else {}),
    }
    return _aws(stack, "/", json.dumps(payload).encode(), headers)


def test_motos_admin_routes_are_refused_and_the_stack_keeps_its_state(stack):
    for path in ("/moto-api/reset/", "/moto-api/reset"):
        status, _ = _aws(stack, path)
        assert status == 403
    login = stack.call("POST", "/auth/login", {"email": stack.demo_email, "password": stack.demo_password})
    assert login.status == 200, login.body


def test_another_sites_page_cannot_make_anyone_an_admin_through_the_local_aws(stack):
    attributes = [{"Name": "custom:role", "Value": "admin"}]
    payload = {"UserPoolId": stack.pool_id, "Username": stack.demo_email, "UserAttributes": attributes}
    status, body = _cognito_call(stack, "AdminUpdateUserAttributes", payload, EVIL)
    assert status == 403 and b"evil.example" in body
    found = stack.cognito().admin_get_user(UserPoolId=stack.pool_id, Username=stack.demo_email)
    assert {a["Name"]: a["Value"] for a in found["UserAttributes"]}["custom:role"] == "member"
    # The web app's own pages still reach the local Cognito (Amplify).
    status, body = _cognito_call(stack, "GetTokensFromRefreshToken", {"ClientId": stack.client_id}, stack.origin)
    assert status == 400 and json.loads(body)["__type"] == "NotAuthorizedException"


def test_another_sites_page_cannot_drive_the_local_api(stack):
    email = f"origin-{time.time_ns()}@example.com"
    body = {"email": email, "password": "Origin-pass-2026!", "name": "O"}
    refused = stack.call("POST", "/auth/signup", body, headers={"Origin": EVIL})
    assert refused.status == 403 and refused.body["error"]["code"] == "forbidden_origin"
    cross_site = stack.call("POST", "/auth/signup", body, headers={"Sec-Fetch-Site": "cross-site"})
    assert cross_site.status == 403
    assert stack.call("POST", "/auth/signup", body, headers={"Origin": stack.origin}).status == 201


def test_an_upload_whose_key_was_rewritten_lands_nowhere(stack):
    from tests.e2e.test_journey import _new_user
    from tests.e2e.test_social import PNG

    _, _, login = _new_user(stack)
    started = stack.call(
        "POST",
        "/media/uploads",
        {"purpose": "post", "content_type": "image/png", "size_bytes": len(PNG)},
        token=login["id_token"],
    ).body
    form = started["upload"]
    elsewhere = form["fields"]["key"].replace("personal-", "personal-someone-else-")
    rewritten = requests.post(
        form["url"], data={**form["fields"], "key": elsewhere}, files={"file": ("a.png", PNG)}, timeout=10
    )
    assert rewritten.status_code == 403 and "Policy Condition failed" in rewritten.text
    empty = requests.post(form["url"], data=form["fields"], files={"file": ("a.png", b"")}, timeout=10)
    assert empty.status_code == 403 and "content-length-range" in empty.text
    s3 = boto3.client(
        "s3",
        endpoint_url=stack.aws,
        region_name=REGION,
        aws_access_key_id=LOCAL_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=LOCAL_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )
    bucket = form["url"].rstrip("/").rsplit("/", 1)[1]
    assert s3.list_objects_v2(Bucket=bucket, Prefix=elsewhere).get("KeyCount", 0) == 0
    assert requests.post(form["url"], data=form["fields"], files={"file": ("a.png", PNG)}, timeout=10).ok


def test_a_changed_email_waits_for_the_code_the_developer_finds_in_the_outbox(stack):
    from tests.e2e.test_journey import _new_user

    email, _, login = _new_user(stack)
    new = f"changed-{time.time_ns()}@example.photography"
    cognito = stack.cognito()
    cognito.update_user_attributes(AccessToken=login["access_token"], UserAttributes=[{"Name": "email", "Value": new}])
    waiting = stack.call("POST", "/auth/refresh", {"refresh_token": login["refresh_token"]})
    assert waiting.status == 200 and stack.call("GET", "/me", token=waiting.body["id_token"]).body["email"] == email

    messages = stack.call("GET", f"/dev/outbox?to={urllib.parse.quote(new)}").body["messages"]
    code = re.search(r"\b(\d{6})\b", messages[0]["text"]).group(1)
    cognito.verify_user_attribute(AccessToken=login["access_token"], AttributeName="email", Code=code)
    refreshed = stack.call("POST", "/auth/refresh", {"refresh_token": login["refresh_token"]})
    assert refreshed.status == 200, refreshed.body
    assert stack.call("GET", "/me", token=refreshed.body["id_token"]).body["email"] == new

"""The feed over real HTTP: members of one tenant post, like at once, comment; uploads go to S3."""

import threading
import uuid

import boto3
import requests

from devtools.local_aws import LOCAL_CREDENTIALS, REGION
from tests.e2e.test_journey import PASSWORD, _new_user

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _members(stack, count):
    """New members of one business tenant, placed there as the server would place them."""
    tenant = f"gym-{uuid.uuid4().hex[:8]}"
    dynamodb = boto3.client(
        "dynamodb",
        endpoint_url=stack.aws,
        region_name=REGION,
        aws_access_key_id=LOCAL_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=LOCAL_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )
    tokens = []
    for _ in range(count):
        email, user_id, _ = _new_user(stack)
        stack.cognito().admin_update_user_attributes(
            UserPoolId=stack.pool_id, Username=email, UserAttributes=[{"Name": "custom:tenant_id", "Value": tenant}]
        )
        dynamodb.put_item(
            TableName="stride-local",
            Item={
                "PK": {"S": f"TENANT#{tenant}#USER#{user_id}"},
                "SK": {"S": "PROFILE"},
                "goals": {"M": {}},
                "display_name": {"S": "Member"},
                "version": {"N": "1"},
                "created_at": {"S": "2026-01-01T00:00:00.000Z"},
                "updated_at": {"S": "2026-01-01T00:00:00.000Z"},
            },
        )
        tokens.append(stack.call("POST", "/auth/login", {"email": email, "password": PASSWORD}).body["id_token"])
    return tokens


def test_twenty_members_liking_at_once_count_twenty(stack):
    author, *likers = _members(stack, 21)
    post = stack.call("POST", "/posts", {"text": "PR on deadlift <b>!</b>"}, token=author).body

    def like(token):
        for _ in range(3):  # each liking three times: still one like each
            assert stack.call("PUT", f"/posts/{post['id']}/like", token=token).status == 204

    threads = [threading.Thread(target=like, args=(token,)) for token in likers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seen = stack.call("GET", f"/posts/{post['id']}", token=likers[0]).body
    assert seen["like_count"] == 20 and seen["liked_by_me"] is True
    assert seen["text"] == "PR on deadlift <b>!</b>"


def test_a_member_uploads_an_image_posts_it_and_another_member_fetches_it(stack):
    author, reader = _members(stack, 2)
    started = stack.call(
        "POST", "/media/uploads", {"purpose": "post", "content_type": "image/png", "size_bytes": len(PNG)}, token=author
    ).body
    form = started["upload"]
    assert requests.post(form["url"], data=form["fields"], files={"file": ("a.png", PNG)}, timeout=10).ok
    assert stack.call("POST", f"/media/{started['media_id']}/complete", token=author).body["status"] == "ready"
    post = stack.call("POST", "/posts", {"text": "New gym", "media_ids": [started["media_id"]]}, token=author).body
    feed = stack.call("GET", "/feed", token=reader).body
    assert [item["id"] for item in feed["items"]] == [post["id"]]
    link = stack.call("GET", f"/media/{started['media_id']}", token=reader).body
    assert requests.get(link["url"], timeout=10).content == PNG
    assert stack.call("DELETE", f"/posts/{post['id']}", token=author).status == 204
    assert stack.call("GET", f"/media/{started['media_id']}", token=reader).status == 404


def test_an_html_file_named_png_is_refused_and_removed(stack):
    (author,) = _members(stack, 1)
    html = b"<html><script>alert(1)</script></html>"
    started = stack.call(
        "POST",
        "/media/uploads",
        {"purpose": "post", "content_type": "image/png", "size_bytes": len(html)},
        token=author,
    ).body
    form = started["upload"]
    requests.post(form["url"], data=form["fields"], files={"file": ("evil.png", html)}, timeout=10)
    refused = stack.call("POST", f"/media/{started['media_id']}/complete", token=author)
    assert refused.status == 422 and refused.body["error"]["code"] == "upload_rejected"
    key = form["fields"]["key"]
    s3 = boto3.client(
        "s3",
        endpoint_url=stack.aws,
        region_name=REGION,
        aws_access_key_id=LOCAL_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=LOCAL_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )
    assert s3.list_objects_v2(Bucket="stride-local-media", Prefix=key).get("KeyCount", 0) == 0

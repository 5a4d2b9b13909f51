"""The feed over real HTTP: members of one tenant post, like at once, comment; uploads go to S3."""

import threading

import boto3
import requests

from devtools.local_aws import LOCAL_CREDENTIALS, REGION
from tests.e2e.staff import enrol_staff
from tests.e2e.test_journey import _new_user

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _members(stack, count):
    """New members of one business: its founder, then people invited who accepted, as a gym's
    app would make them; each with a token refreshed to the business's claims."""
    _, _, founder = _new_user(stack)
    founded = stack.call("POST", "/businesses", {"name": "E2E Gym"}, token=founder["id_token"])
    assert founded.status == 201, founded.body
    business_id = founded.body["business"]["id"]
    enrol_staff(stack, founder["access_token"], founder["id_token"])  # the admin's invitations need it
    tokens = [_refreshed(stack, founder, business_id)]
    for _ in range(count - 1):
        email, _, login = _new_user(stack)
        invited = stack.call(
            "POST", f"/businesses/{business_id}/invites", {"email": email, "role": "member"}, token=tokens[0]
        )
        assert invited.status == 201, invited.body
        accepted = stack.call("POST", f"/invites/{invited.body['code']}/accept", token=login["id_token"])
        assert accepted.status == 200, accepted.body
        tokens.append(_refreshed(stack, login, business_id))
    return tokens


def _refreshed(stack, login, business_id):
    answer = stack.call("POST", "/auth/refresh", {"refresh_token": login["refresh_token"]})
    assert answer.status == 200 and answer.body["claims"]["tenant_id"] == business_id, answer.body
    return answer.body["id_token"]


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

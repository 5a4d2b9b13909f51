"""Media: pre-signed uploads straight to the bucket, checked on completion by their size and their
own first bytes, and pre-signed downloads for the owner or for whoever can see the post a photo is
attached to. The local S3 enforces the POST policy as S3 does (devtools/local_s3.py), so a file
outside it never lands; the completion check is the second line, tested with objects written
around the policy (as a bucket written by other means would hold them).

The uploads really go through the pre-signed POST, as a client's browser would send them."""

import base64
import json
import urllib.request

import pytest
import requests

from chalicelib.config import settings

MB = 1024 * 1024
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(48))
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(48))
WEBP = b"RIFF" + (52).to_bytes(4, "little") + b"WEBPVP8 " + bytes(range(44))
MP4 = b"\x00\x00\x00\x18ftypmp42" + bytes(range(48))
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SAMPLES = {"image/png": PNG, "image/jpeg": JPEG, "image/webp": WEBP, "video/mp4": MP4}
LIMITS = {"avatar": 5 * MB, "post": 10 * MB, "video": 200 * MB}


# Helpers, also used by the posts tests.


def start_upload(api, user, purpose="post", content_type="image/png", size_bytes=None):
    size_bytes = len(PNG) if size_bytes is None else size_bytes
    answer = api.post(
        "/media/uploads", {"purpose": purpose, "content_type": content_type, "size_bytes": size_bytes}, token=user.token
    )
    assert answer.status == 201, answer.body
    return answer.body


def send_file(upload, content, filename="photo.png"):
    """The multipart POST a browser sends: every field of the form, then the file, last."""
    response = requests.post(upload["url"], data=upload["fields"], files={"file": (filename, content)}, timeout=60)
    assert response.status_code in (200, 201, 204), response.text
    return response


def uploaded(api, user, content=PNG, purpose="post", content_type="image/png", size_bytes=None, filename="photo.png"):
    """Started and sent, not yet completed: the media id and the object's key."""
    started = start_upload(api, user, purpose, content_type, len(content) if size_bytes is None else size_bytes)
    send_file(started["upload"], content, filename)
    return started["media_id"], started["upload"]["fields"]["key"]


def ready_media(api, user, purpose="post", content_type="image/png"):
    media_id, _ = uploaded(api, user, SAMPLES[content_type], purpose, content_type)
    answer = api.post(f"/media/{media_id}/complete", token=user.token)
    assert answer.status == 200, answer.body
    return media_id


def object_key_of(api, user, media_id, place="media"):
    """Uploads land under uploads/; checked media is copied to media/, where no form reaches.
    Files are the person's own: under their personal tenant whichever business they are in."""
    return f"users/personal-{user.user_id}/{user.user_id}/{place}/{media_id}"


def stored_object(local_aws, key):
    """The object's size, or None when the bucket has no such key."""
    s3 = local_aws.client("s3")
    try:
        return s3.head_object(Bucket=settings().media_bucket, Key=key)["ContentLength"]
    except s3.exceptions.ClientError as error:
        assert error.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound")
        return None


def download(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def complete(api, user, media_id):
    return api.post(f"/media/{media_id}/complete", token=user.token)


# Starting an upload


@pytest.mark.parametrize(
    "purpose, content_type",
    [
        ("avatar", "image/jpeg"),
        ("avatar", "image/png"),
        ("avatar", "image/webp"),
        ("post", "image/jpeg"),
        ("post", "image/png"),
        ("post", "image/webp"),
        ("video", "video/mp4"),
    ],
)
def test_an_upload_starts_for_each_allowed_type_of_each_purpose(api, user, purpose, content_type):
    answer = api.post(
        "/media/uploads", {"purpose": purpose, "content_type": content_type, "size_bytes": 1000}, token=user.token
    )
    assert answer.status == 201, answer.body
    assert answer.body["expires_in"] == 300
    assert answer.body["media_id"]
    assert answer.body["upload"]["url"].startswith("http")
    assert answer.body["upload"]["fields"]["Content-Type"] == content_type


def test_the_upload_form_fixes_the_key_under_the_callers_tenant_and_user(api, user):
    started = start_upload(api, user)
    fields = started["upload"]["fields"]
    assert fields["key"] == object_key_of(api, user, started["media_id"], "uploads")
    assert fields["Content-Type"] == "image/png"
    assert "stride-state" in fields["tagging"]
    assert "pending" in fields["tagging"]
    assert "policy" in fields
    # Signature version 2 or 4, whichever the S3 client signs with.
    assert {"AWSAccessKeyId", "signature"} <= set(fields) or {"x-amz-signature", "x-amz-credential"} <= set(fields)


@pytest.mark.parametrize("purpose", sorted(LIMITS))
def test_the_signed_policy_fixes_the_type_and_the_size_range_of_the_purpose(api, user, purpose):
    content_type = "video/mp4" if purpose == "video" else "image/jpeg"
    fields = start_upload(api, user, purpose, content_type, 1000)["upload"]["fields"]
    policy = json.loads(base64.b64decode(fields["policy"]))
    conditions = policy["conditions"]
    assert {"Content-Type": content_type} in conditions
    assert ["content-length-range", 1, LIMITS[purpose]] in conditions
    assert {"key": fields["key"]} in conditions
    assert {"tagging": fields["tagging"]} in conditions


@pytest.mark.parametrize(
    "purpose, content_type",
    [
        ("avatar", "video/mp4"),
        ("post", "video/mp4"),
        ("video", "image/png"),
        ("post", "image/gif"),
        ("post", "image/svg+xml"),
        ("post", "text/html"),
        ("avatar", "application/octet-stream"),
        ("post", "IMAGE/PNG"),
    ],
)
def test_a_type_not_allowed_for_the_purpose_is_400(api, user, purpose, content_type):
    answer = api.post(
        "/media/uploads", {"purpose": purpose, "content_type": content_type, "size_bytes": 1000}, token=user.token
    )
    assert answer.status == 400, answer.body
    assert answer.body["error"]["code"] == "unsupported_media"
    assert "content_type" in answer.body["error"]["details"]


@pytest.mark.parametrize("purpose", sorted(LIMITS))
def test_a_size_over_the_purposes_limit_is_413(api, user, purpose):
    content_type = "video/mp4" if purpose == "video" else "image/png"
    answer = api.post(
        "/media/uploads",
        {"purpose": purpose, "content_type": content_type, "size_bytes": LIMITS[purpose] + 1},
        token=user.token,
    )
    assert answer.status == 413, answer.body
    assert answer.body["error"]["code"] == "payload_too_large"
    assert "size_bytes" in answer.body["error"]["details"]


@pytest.mark.parametrize("purpose", sorted(LIMITS))
def test_a_size_at_the_purposes_limit_is_accepted(api, user, purpose):
    content_type = "video/mp4" if purpose == "video" else "image/png"
    start_upload(api, user, purpose, content_type, LIMITS[purpose])


@pytest.mark.parametrize(
    "body, field",
    [
        ({"purpose": "post", "content_type": "image/png", "size_bytes": 10, "key": "x"}, "key"),
        ({"purpose": "post", "content_type": "image/png", "size_bytes": 10, "acl": "public-read"}, "acl"),
        ({"purpose": "banner", "content_type": "image/png", "size_bytes": 10}, "purpose"),
        ({"content_type": "image/png", "size_bytes": 10}, "purpose"),
        ({"purpose": "post", "size_bytes": 10}, "content_type"),
        ({"purpose": "post", "content_type": "image/png"}, "size_bytes"),
        ({"purpose": "post", "content_type": "image/png", "size_bytes": 0}, "size_bytes"),
        ({"purpose": "post", "content_type": "image/png", "size_bytes": -1}, "size_bytes"),
        ({"purpose": "post", "content_type": "image/png", "size_bytes": "10"}, "size_bytes"),
        ({"purpose": "post", "content_type": "image/png", "size_bytes": 10.5}, "size_bytes"),
        ({"purpose": "post", "content_type": "image/png", "size_bytes": True}, "size_bytes"),
        ({"purpose": "post", "content_type": "", "size_bytes": 10}, "content_type"),
    ],
)
def test_an_invalid_upload_request_is_400_and_names_the_field(api, user, body, field):
    answer = api.post("/media/uploads", body, token=user.token)
    assert answer.status == 400, answer.body
    assert field in answer.body["error"]["details"]


def test_starting_an_upload_needs_a_token(api):
    answer = api.post("/media/uploads", {"purpose": "post", "content_type": "image/png", "size_bytes": 10})
    assert answer.status == 401


def test_starting_an_upload_is_one_transaction(api, user, calls):
    calls.clear()
    start_upload(api, user)
    assert calls.calls == ["dynamodb.TransactWriteItems"]


# Completing an upload


@pytest.mark.parametrize("content_type", sorted(SAMPLES))
def test_a_sound_file_of_each_type_completes_as_ready(api, user, content_type):
    purpose = "video" if content_type == "video/mp4" else "post"
    content = SAMPLES[content_type]
    media_id, _ = uploaded(api, user, content, purpose, content_type)

    answer = complete(api, user, media_id)

    assert answer.status == 200, answer.body
    assert answer.body["id"] == media_id
    assert answer.body["purpose"] == purpose
    assert answer.body["content_type"] == content_type
    assert answer.body["size_bytes"] == len(content)
    assert answer.body["status"] == "ready"
    assert answer.body["created_at"].endswith("Z")


def test_completing_moves_the_checked_file_out_of_the_forms_reach_and_marks_it_ready(api, user, local_aws):
    media_id, key = uploaded(api, user)
    complete(api, user, media_id)
    final = object_key_of(api, user, media_id)
    tags = local_aws.client("s3").get_object_tagging(Bucket=settings().media_bucket, Key=final)["TagSet"]
    assert {"Key": "stride-state", "Value": "ready"} in tags
    assert stored_object(local_aws, final) == len(PNG)
    assert stored_object(local_aws, key) is None


def test_completing_again_is_200_with_the_same_media(api, user):
    media_id, _ = uploaded(api, user)
    first = complete(api, user, media_id)
    second = complete(api, user, media_id)
    assert second.status == 200
    assert second.body == first.body


def test_an_oversized_file_is_refused_by_the_upload_policy(api, user, local_aws):
    # Declared at the avatar limit, then a byte more sent: the policy's content-length-range refuses it.
    content = PNG + b"\x00" * (LIMITS["avatar"] + 1 - len(PNG))
    started = start_upload(api, user, "avatar", "image/png", LIMITS["avatar"])
    refused = requests.post(
        started["upload"]["url"], data=started["upload"]["fields"], files={"file": ("a.png", content)}, timeout=60
    )
    assert refused.status_code == 403 and "content-length-range" in refused.text
    assert stored_object(local_aws, started["upload"]["fields"]["key"]) is None


def test_an_oversized_file_written_around_the_policy_is_rejected_and_deleted(api, user, local_aws):
    content = PNG + b"\x00" * (LIMITS["avatar"] + 1 - len(PNG))
    started = start_upload(api, user, "avatar", "image/png", LIMITS["avatar"])
    media_id, key = started["media_id"], started["upload"]["fields"]["key"]
    local_aws.client("s3").put_object(Bucket=settings().media_bucket, Key=key, Body=content, ContentType="image/png")

    answer = complete(api, user, media_id)

    assert answer.status == 422, answer.body
    assert answer.body["error"]["code"] == "upload_rejected"
    assert stored_object(local_aws, key) is None
    assert complete(api, user, media_id).status == 404
    assert api.get(f"/media/{media_id}", token=user.token).status == 404


def test_a_file_smaller_than_declared_is_rejected_and_deleted(api, user, local_aws):
    media_id, key = uploaded(api, user, PNG, size_bytes=len(PNG) + 100)
    answer = complete(api, user, media_id)
    assert answer.status == 422, answer.body
    assert answer.body["error"]["code"] == "upload_rejected"
    assert stored_object(local_aws, key) is None
    assert complete(api, user, media_id).status == 404


def test_a_jpeg_declared_as_png_is_rejected_and_deleted(api, user, local_aws):
    media_id, key = uploaded(api, user, JPEG, "post", "image/png", filename="photo.png")
    answer = complete(api, user, media_id)
    assert answer.status == 422, answer.body
    assert answer.body["error"]["code"] == "upload_rejected"
    assert stored_object(local_aws, key) is None
    assert complete(api, user, media_id).status == 404


def test_an_html_file_named_png_is_rejected_and_deleted(api, user, local_aws):
    media_id, key = uploaded(api, user, HTML, "post", "image/png", filename="innocent.png")
    assert stored_object(local_aws, key) == len(HTML)

    answer = complete(api, user, media_id)

    assert answer.status == 422, answer.body
    assert answer.body["error"]["code"] == "upload_rejected"
    assert stored_object(local_aws, key) is None
    assert complete(api, user, media_id).status == 404
    assert api.get(f"/media/{media_id}", token=user.token).status == 404


@pytest.mark.parametrize(
    "purpose, content_type, content",
    [
        ("post", "image/jpeg", PNG),
        ("post", "image/webp", b"RIFF\x00\x00\x00\x00WAVEfmt " + bytes(32)),
        ("avatar", "image/png", b"GIF89a" + bytes(32)),
        ("video", "video/mp4", PNG),
        ("post", "image/png", b"\x89PNG"),
    ],
    ids=["png-as-jpeg", "wave-as-webp", "gif-as-png", "png-as-mp4", "truncated-png"],
)
def test_a_file_whose_first_bytes_are_not_the_declared_type_is_rejected(
    api, user, local_aws, purpose, content_type, content
):
    media_id, key = uploaded(api, user, content, purpose, content_type)
    answer = complete(api, user, media_id)
    assert answer.status == 422, answer.body
    assert answer.body["error"]["code"] == "upload_rejected"
    assert stored_object(local_aws, key) is None


def test_completing_before_anything_was_uploaded_is_422_and_the_media_stays_pending(api, user):
    started = start_upload(api, user)
    media_id = started["media_id"]

    answer = complete(api, user, media_id)

    assert answer.status == 422, answer.body
    assert answer.body["error"]["code"] == "upload_missing"
    assert complete(api, user, media_id).body["error"]["code"] == "upload_missing"
    # Still pending: the upload can go ahead and complete.
    send_file(started["upload"], PNG)
    assert complete(api, user, media_id).body["status"] == "ready"


def test_a_rejected_upload_can_start_over_as_a_new_media(api, user):
    bad, _ = uploaded(api, user, HTML, filename="x.png")
    assert complete(api, user, bad).status == 422
    good = ready_media(api, user)
    assert good != bad


@pytest.mark.parametrize("media_id", ["01HZZZZZZZZZZZZZZZZZZZZZZZ", "not-an-id", "..%2F..%2Fetc"])
def test_completing_unknown_media_is_404(api, user, media_id):
    answer = complete(api, user, media_id)
    assert answer.status == 404
    assert answer.body["error"]["code"] == "not_found"


def test_another_member_cannot_complete_someone_elses_upload(api, tenants, local_aws):
    owner, other = tenants(2)
    media_id, key = uploaded(api, owner)
    assert complete(api, other, media_id).status == 404
    assert stored_object(local_aws, key) == len(PNG)
    assert complete(api, owner, media_id).status == 200


def test_someone_else_cannot_get_a_rejected_upload_deleted(api, user, other_user, local_aws):
    media_id, key = uploaded(api, user, HTML, filename="x.png")
    assert complete(api, other_user, media_id).status == 404
    assert stored_object(local_aws, key) == len(HTML)


# Downloading


def test_the_owner_downloads_ready_media_through_a_presigned_url(api, user):
    media_id = ready_media(api, user)
    answer = api.get(f"/media/{media_id}", token=user.token)
    assert answer.status == 200, answer.body
    assert answer.body["expires_in"] == 300
    assert download(answer.body["url"]) == PNG


def test_pending_media_has_no_download(api, user):
    media_id, _ = uploaded(api, user)
    assert api.get(f"/media/{media_id}", token=user.token).status == 404


def test_another_member_cannot_download_media_that_is_not_on_a_post(api, tenants):
    owner, other = tenants(2)
    media_id = ready_media(api, owner)
    answer = api.get(f"/media/{media_id}", token=other.token)
    assert answer.status == 404
    assert answer.body["error"]["code"] == "not_found"


def test_another_member_downloads_media_attached_to_a_tenant_post(api, tenants):
    author, reader = tenants(2)
    media_id = ready_media(api, author)
    assert api.post("/posts", {"text": "Look", "media_ids": [media_id]}, token=author.token).status == 201

    answer = api.get(f"/media/{media_id}", token=reader.token)

    assert answer.status == 200, answer.body
    assert answer.body["expires_in"] == 300
    assert download(answer.body["url"]) == PNG


def test_media_attached_to_a_private_post_stays_the_authors(api, tenants):
    author, reader = tenants(2)
    media_id = ready_media(api, author)
    api.post("/posts", {"text": "Mine", "media_ids": [media_id], "visibility": "private"}, token=author.token)
    assert api.get(f"/media/{media_id}", token=reader.token).status == 404
    assert api.get(f"/media/{media_id}", token=author.token).status == 200


def test_media_of_a_post_made_private_is_no_longer_downloadable_by_others(api, tenants):
    author, reader = tenants(2)
    media_id = ready_media(api, author)
    post = api.post("/posts", {"text": "Look", "media_ids": [media_id]}, token=author.token).body
    assert api.get(f"/media/{media_id}", token=reader.token).status == 200
    api.patch(f"/posts/{post['id']}", {"visibility": "private"}, token=author.token)
    assert api.get(f"/media/{media_id}", token=reader.token).status == 404


def test_someone_of_another_tenant_cannot_download_media_on_a_tenant_post(api, tenants, user):
    author, _ = tenants(2)
    media_id = ready_media(api, author)
    api.post("/posts", {"text": "Look", "media_ids": [media_id]}, token=author.token)
    answer = api.get(f"/media/{media_id}", token=user.token)
    assert answer.status == 404
    assert answer.body["error"]["code"] == "not_found"


@pytest.mark.parametrize("media_id", ["01HZZZZZZZZZZZZZZZZZZZZZZZ", "nope", "01hzzzzzzzzzzzzzzzzzzzzzzz"])
def test_downloading_unknown_media_is_404(api, user, media_id):
    assert api.get(f"/media/{media_id}", token=user.token).status == 404


def test_the_owners_download_is_one_get_item(api, user, calls):
    media_id = ready_media(api, user)
    calls.clear()
    api.get(f"/media/{media_id}", token=user.token)
    assert calls.calls == ["dynamodb.GetItem"]


def test_completing_is_within_its_budget(api, user, calls):
    media_id, _ = uploaded(api, user)
    calls.clear()
    complete(api, user, media_id)
    assert sorted(calls.calls) == sorted(
        [
            "dynamodb.GetItem",
            "s3.HeadObject",
            "s3.GetObject",
            "s3.CopyObject",
            "s3.DeleteObjects",
            "dynamodb.UpdateItem",
        ]
    )


# Avatars


def test_a_ready_avatar_can_be_set_on_the_profile(api, user):
    media_id = ready_media(api, user, purpose="avatar")
    answer = api.patch("/me/profile", {"avatar_media_id": media_id}, token=user.token)
    assert answer.status == 200, answer.body
    assert answer.body["avatar_media_id"] == media_id


def test_a_pending_avatar_cannot_be_set_on_the_profile(api, user):
    media_id, _ = uploaded(api, user, purpose="avatar")
    answer = api.patch("/me/profile", {"avatar_media_id": media_id}, token=user.token)
    assert answer.status == 422
    assert answer.body["error"]["code"] == "media_not_ready"


def test_a_post_image_cannot_be_set_as_the_avatar(api, user):
    media_id = ready_media(api, user, purpose="post")
    answer = api.patch("/me/profile", {"avatar_media_id": media_id}, token=user.token)
    assert answer.status == 422
    assert answer.body["error"]["code"] == "media_not_ready"


def test_someone_elses_avatar_cannot_be_set_on_the_profile(api, tenants):
    owner, other = tenants(2)
    media_id = ready_media(api, owner, purpose="avatar")
    answer = api.patch("/me/profile", {"avatar_media_id": media_id}, token=other.token)
    assert answer.status == 422
    assert answer.body["error"]["code"] == "media_not_ready"


def test_a_rejected_avatar_cannot_be_set_on_the_profile(api, user):
    media_id, _ = uploaded(api, user, HTML, purpose="avatar", filename="me.png")
    complete(api, user, media_id)
    answer = api.patch("/me/profile", {"avatar_media_id": media_id}, token=user.token)
    assert answer.status == 422


# After completion


def test_a_completed_upload_cannot_be_swapped_for_another_file(api, user):
    started = start_upload(api, user)
    send_file(started["upload"], PNG)
    assert complete(api, user, started["media_id"]).status == 200

    # The form is still within its 300 seconds: send it again, with a page instead of the photo.
    send_file(started["upload"], HTML, "photo.png")

    url = api.get(f"/media/{started['media_id']}", token=user.token).body["url"]
    assert download(url) == PNG


def test_a_file_sent_with_another_content_type_than_declared_is_refused_by_the_policy(api, user, local_aws):
    # A PNG header followed by a page, sent as text/html, would be served as text/html: the policy's
    # Content-Type condition refuses the form.
    polyglot = PNG + b"<html><script>alert(document.cookie)</script></html>"
    started = start_upload(api, user, size_bytes=len(polyglot))
    fields = {**started["upload"]["fields"], "Content-Type": "text/html"}
    refused = requests.post(started["upload"]["url"], data=fields, files={"file": ("a.png", polyglot)}, timeout=60)
    assert refused.status_code == 403 and "Content-Type" in refused.text
    assert stored_object(local_aws, started["upload"]["fields"]["key"]) is None


def test_a_file_stored_with_another_content_type_than_declared_is_rejected(api, user, local_aws):
    polyglot = PNG + b"<html><script>alert(document.cookie)</script></html>"
    started = start_upload(api, user, size_bytes=len(polyglot))
    key = started["upload"]["fields"]["key"]
    local_aws.client("s3").put_object(Bucket=settings().media_bucket, Key=key, Body=polyglot, ContentType="text/html")

    answer = complete(api, user, started["media_id"])

    assert answer.status == 422, answer.body
    assert answer.body["error"]["code"] == "upload_rejected"
    assert stored_object(local_aws, key) is None

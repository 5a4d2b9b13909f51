"""The video library: coaches and admins add videos from their confirmed mp4 uploads; every
member of the tenant lists, reads and streams them; another tenant's video is not found."""

import base64
import json
import urllib.parse
import urllib.request
import uuid

import pytest

from chalicelib import clock
from chalicelib.config import settings
from tests.uploads import MP4, ready_media, ready_video_upload, upload

ROLES = ("member", "coach", "admin")


@pytest.fixture
def gym(tenants, users):
    """A coach, an admin and a member of one business."""
    coach, admin, member = tenants(3)
    users.grant(coach, role="coach")
    users.grant(admin, role="admin")
    return {"coach": coach, "admin": admin, "member": member}


@pytest.fixture
def other_gym(tenants, users):
    coach, admin, member = tenants(3)
    users.grant(coach, role="coach")
    users.grant(admin, role="admin")
    return {"coach": coach, "admin": admin, "member": member}


def add_video(api, author, **fields):
    body = {"title": "Hip mobility", "duration_s": 600, "tags": ["mobility", "hips"], **fields}
    body.setdefault("media_id", ready_video_upload(api, author))
    answer = api.post("/videos", body, token=author.token)
    assert answer.status == 201, answer.body
    return answer.body


def stored_object(local_aws, key):
    s3 = local_aws.client("s3")
    try:
        return s3.get_object(Bucket=settings().media_bucket, Key=key)["Body"].read()
    except s3.exceptions.NoSuchKey:
        return None


# Adding


@pytest.mark.parametrize("role", ["coach", "admin"])
def test_a_coach_or_an_admin_adds_a_video_from_their_mp4(api, gym, role):
    video = add_video(api, gym[role], description="Ten minutes a day", tags=["mobility"])
    assert video["title"] == "Hip mobility"
    assert video["description"] == "Ten minutes a day"
    assert video["tags"] == ["mobility"]
    assert video["duration_s"] == 600
    assert video["content_type"] == "video/mp4"
    assert video["size_bytes"] == len(MP4)
    assert video["created_by"] == gym[role].user_id
    assert video["version"] == 1
    assert "key" not in video


def test_a_member_cannot_add_a_video(api, gym):
    media_id = ready_video_upload(api, gym["member"])
    answer = api.post("/videos", {"title": "Mine", "duration_s": 60, "media_id": media_id}, token=gym["member"].token)
    assert answer.status == 403
    assert answer.body["error"]["code"] == "role_required"


def test_the_stream_is_the_tenants_copy_of_the_file(api, gym):
    video = add_video(api, gym["coach"])
    tenant_id = api.get("/me", token=gym["coach"].token).body["tenant_id"]
    stream = api.get(f"/videos/{video['id']}/stream", token=gym["member"].token).body
    assert urllib.parse.urlparse(stream["url"]).path.endswith(f"tenants/{tenant_id}/videos/{video['id']}")
    with urllib.request.urlopen(stream["url"], timeout=10) as response:
        assert response.read() == MP4


@pytest.mark.parametrize(
    ("make_media", "code"),
    [
        (lambda api, user: ready_media(api, user), "not_a_video"),  # a ready PNG
        (
            lambda api, user: upload(api, user, content=MP4, purpose="video", content_type="video/mp4"),
            "media_not_ready",
        ),
        (lambda api, user: "01KAAAAAAAAAAAAAAAAAAAAAAA", "media_not_ready"),  # no such upload
    ],
    ids=["an image", "an upload not completed", "no such upload"],
)
def test_only_a_completed_mp4_of_the_callers_makes_a_video(api, gym, make_media, code):
    media_id = make_media(api, gym["coach"])
    answer = api.post("/videos", {"title": "T", "duration_s": 60, "media_id": media_id}, token=gym["coach"].token)
    assert answer.status == 422, answer.body
    assert answer.body["error"]["code"] == code
    assert api.get("/videos", token=gym["coach"].token).body["items"] == []


def test_someone_elses_upload_is_not_yours_to_publish(api, gym):
    media_id = ready_video_upload(api, gym["admin"])
    answer = api.post("/videos", {"title": "T", "duration_s": 60, "media_id": media_id}, token=gym["coach"].token)
    assert answer.status == 422
    assert answer.body["error"]["code"] == "media_not_ready"


def test_one_upload_makes_one_video(api, gym):
    media_id = ready_video_upload(api, gym["coach"])
    add_video(api, gym["coach"], media_id=media_id)
    again = api.post("/videos", {"title": "T", "duration_s": 60, "media_id": media_id}, token=gym["coach"].token)
    assert again.status == 422
    assert again.body["error"]["code"] == "media_in_use"
    assert len(api.get("/videos", token=gym["coach"].token).body["items"]) == 1


def _video_objects(local_aws, tenant_id):
    listed = local_aws.client("s3").list_objects_v2(Bucket=settings().media_bucket, Prefix=f"tenants/{tenant_id}/")
    return sorted(item["Key"] for item in listed.get("Contents", []))


def test_a_refused_video_leaves_no_copy_in_the_bucket(api, gym, local_aws):
    coach = gym["coach"]
    tenant_id = api.get("/me", token=coach.token).body["tenant_id"]
    media_id = ready_video_upload(api, coach)
    add_video(api, coach, media_id=media_id)
    before = _video_objects(local_aws, tenant_id)

    for _ in range(3):
        again = api.post("/videos", {"title": "T", "duration_s": 60, "media_id": media_id}, token=coach.token)
        assert again.status == 422 and again.body["error"]["code"] == "media_in_use", again.body

    assert len(before) == 1
    assert _video_objects(local_aws, tenant_id) == before


class _ReadBeforeTheOtherUse:
    """The media store as a call sees it that read the upload just before another call used it."""

    def __init__(self, stale):
        self._stale = stale

    def get(self, identity, media_id):
        return self._stale


def test_an_upload_used_meanwhile_is_refused_and_its_copy_taken_back(api, gym, local_aws, monkeypatch):
    from chalicelib import deps
    from chalicelib.domains.media.store import MediaStore
    from chalicelib.domains.videos.service import VideoService
    from chalicelib.domains.videos.store import VideoFiles, VideoLibrary
    from chalicelib.identity import Identity

    coach = gym["coach"]
    me = api.get("/me", token=coach.token).body
    media_id = ready_video_upload(api, coach)
    table, dynamodb = settings().table_name, local_aws.client("dynamodb")
    identity = Identity(coach.user_id, coach.email, me["tenant_id"], "coach")
    stale = MediaStore(dynamodb, table).get(identity, media_id)
    add_video(api, coach, media_id=media_id)  # the other use, after `stale` was read
    before = _video_objects(local_aws, me["tenant_id"])
    files = VideoFiles(local_aws.client("s3"), settings().media_bucket)
    racing = VideoService(
        VideoLibrary(dynamodb, table), _ReadBeforeTheOtherUse(stale), files, deps.video_links, deps.cursor_codec
    )
    monkeypatch.setattr(deps, "videos", lambda: racing)

    answer = api.post("/videos", {"title": "T", "duration_s": 60, "media_id": media_id}, token=coach.token)

    assert answer.status == 422 and answer.body["error"]["code"] == "media_in_use", answer.body
    assert _video_objects(local_aws, me["tenant_id"]) == before


@pytest.mark.parametrize(
    "body",
    [
        {"duration_s": 60},
        {"title": "", "duration_s": 60},
        {"title": "T", "duration_s": 0},
        {"title": "T", "duration_s": 12.5},
        {"title": "T", "duration_s": "60"},
        {"title": "T", "duration_s": 60, "tags": ["Upper"]},
        {"title": "T", "duration_s": 60, "tags": ["a b"]},
        {"title": "T", "duration_s": 60, "tags": ["core", "core"]},
        {"title": "T", "duration_s": 60, "tags": [f"t{n}" for n in range(11)]},
        {"title": "T", "duration_s": 60, "views": 1},
    ],
)
def test_an_invalid_video_is_400_naming_the_field(api, gym, body):
    answer = api.post("/videos", {"media_id": "01KAAAAAAAAAAAAAAAAAAAAAAA", **body}, token=gym["coach"].token)
    assert answer.status == 400, answer.body
    assert answer.body["error"]["details"]


def test_a_video_survives_the_account_of_the_coach_who_added_it(api, gym, users, background):
    video = add_video(api, gym["coach"])
    assert api.request("DELETE", "/me", token=gym["coach"].token).status == 202
    background.drain()
    member = gym["member"]
    assert api.get(f"/videos/{video['id']}", token=member.token).body == video
    stream = api.get(f"/videos/{video['id']}/stream", token=member.token)
    with urllib.request.urlopen(stream.body["url"], timeout=10) as response:
        assert response.read() == MP4


# Reading: every role of the tenant, no one outside it


@pytest.mark.parametrize("role", ROLES)
def test_every_member_of_the_tenant_reads_lists_and_streams(api, gym, role):
    video = add_video(api, gym["coach"])
    caller = gym[role]
    assert api.get(f"/videos/{video['id']}", token=caller.token).body == video
    assert [item["id"] for item in api.get("/videos", token=caller.token).body["items"]] == [video["id"]]
    stream = api.get(f"/videos/{video['id']}/stream", token=caller.token)
    assert stream.status == 200
    assert stream.body["expires_in"] == 300
    with urllib.request.urlopen(stream.body["url"], timeout=10) as response:
        assert response.read() == MP4


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("suffix", ["", "/stream"])
def test_another_tenants_video_is_not_found_whatever_the_role(api, gym, other_gym, role, suffix):
    video = add_video(api, gym["coach"])
    answer = api.get(f"/videos/{video['id']}{suffix}", token=other_gym[role].token)
    assert answer.status == 404
    assert answer.body["error"]["code"] == "not_found"
    assert api.get("/videos", token=other_gym[role].token).body["items"] == []


def test_a_person_without_a_business_sees_only_their_personal_library(api, gym, user):
    add_video(api, gym["coach"])
    assert api.get("/videos", token=user.token).body == {"items": [], "next_cursor": None}


@pytest.mark.parametrize("video_id", ["nope", "01KAAAAAAAAAAAAAAAAAAAAAAA", "01kaaaaaaaaaaaaaaaaaaaaaaa"])
def test_an_unknown_id_is_404(api, gym, video_id):
    for suffix in ("", "/stream"):
        assert api.get(f"/videos/{video_id}{suffix}", token=gym["member"].token).status == 404


def test_listing_by_tag_is_one_query_newest_first_and_pages_with_a_cursor(api, gym, calls):
    coach = gym["coach"]
    first = add_video(api, coach, tags=["core"])
    add_video(api, coach, tags=["legs"])
    third = add_video(api, coach, tags=["core", "legs"])

    calls.clear()
    page = api.get("/videos?tag=core&limit=1", token=gym["member"].token).body
    assert calls.calls == ["dynamodb.Query"]
    assert [item["id"] for item in page["items"]] == [third["id"]]
    rest = api.get(f"/videos?tag=core&limit=1&cursor={page['next_cursor']}", token=gym["member"].token).body
    assert [item["id"] for item in rest["items"]] == [first["id"]]
    assert rest["next_cursor"] is None
    assert api.get("/videos?tag=arms", token=gym["member"].token).body["items"] == []
    assert len(api.get("/videos", token=gym["member"].token).body["items"]) == 3


def test_a_cursor_is_bound_to_its_tag_and_its_caller(api, gym):
    coach = gym["coach"]
    add_video(api, coach, tags=["core"])
    add_video(api, coach, tags=["core"])
    cursor = api.get("/videos?tag=core&limit=1", token=coach.token).body["next_cursor"]
    assert api.get(f"/videos?tag=legs&limit=1&cursor={cursor}", token=coach.token).status == 400
    other = api.get(f"/videos?tag=core&limit=1&cursor={cursor}", token=gym["member"].token)
    assert other.status == 400
    assert other.body["error"]["code"] == "invalid_cursor"


@pytest.mark.parametrize("query", ["tag=Core", "tag=", "limit=0", "limit=101", "cursor=forged.x", "sort=title"])
def test_a_bad_list_query_is_400(api, gym, query):
    assert api.get(f"/videos?{query}", token=gym["member"].token).status == 400


def test_the_program_generator_finds_videos_by_querying_the_tenant_partition(api, gym, local_aws):
    video = add_video(api, gym["coach"], tags=["core"])
    tenant_id = api.get("/me", token=gym["coach"].token).body["tenant_id"]
    items = local_aws.client("dynamodb").query(
        TableName=settings().table_name,
        KeyConditionExpression="PK = :pk AND begins_with(SK, :video)",
        ExpressionAttributeValues={":pk": {"S": f"TENANT#{tenant_id}"}, ":video": {"S": "VIDEO#"}},
    )["Items"]
    assert [(item["SK"]["S"], item["tags"]) for item in items] == [(f"VIDEO#{video['id']}", {"L": [{"S": "core"}]})]
    assert items[0]["key"]["S"] == f"tenants/{tenant_id}/videos/{video['id']}"
    assert stored_object(local_aws, items[0]["key"]["S"]) == MP4


# Streaming through CloudFront, where the stage configures a distribution


@pytest.fixture
def cloudfront(local_aws, monkeypatch):
    """The stage configured for CloudFront: a key pair made here, its private key in Secrets
    Manager (as a deployed stage keeps it), the three settings in the environment."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    from chalicelib import config, deps

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    secret = local_aws.client("secretsmanager").create_secret(
        Name=f"video-cdn-{uuid.uuid4().hex[:8]}", SecretString=pem
    )
    monkeypatch.setenv("VIDEO_CDN_DOMAIN", "d111111abcdef8.cloudfront.net")
    monkeypatch.setenv("VIDEO_CDN_KEY_PAIR_ID", "K2JCJMDEHXQW5F")
    monkeypatch.setenv("VIDEO_CDN_PRIVATE_KEY_SECRET_ARN", secret["ARN"])

    def rebuild():
        config.settings.cache_clear()
        deps.video_links.cache_clear()

    rebuild()
    yield private.public_key()
    monkeypatch.undo()
    rebuild()


def test_with_cloudfront_configured_the_stream_is_a_signed_cloudfront_url(api, gym, cloudfront, calls):
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    video = add_video(api, gym["coach"])
    tenant_id = api.get("/me", token=gym["coach"].token).body["tenant_id"]
    started = clock.epoch()
    calls.clear()
    answer = api.get(f"/videos/{video['id']}/stream", token=gym["member"].token)
    assert answer.status == 200, answer.body
    assert calls.calls == ["dynamodb.GetItem", "secretsmanager.GetSecretValue"]  # the key: once per container
    assert answer.body["expires_in"] == 300

    url = urllib.parse.urlparse(answer.body["url"])
    resource = f"https://d111111abcdef8.cloudfront.net/tenants/{tenant_id}/videos/{video['id']}"
    assert f"{url.scheme}://{url.netloc}{url.path}" == resource
    query = dict(urllib.parse.parse_qsl(url.query))
    assert query["Key-Pair-Id"] == "K2JCJMDEHXQW5F"
    expires = int(query["Expires"])
    assert started + 295 <= expires <= clock.epoch() + 305
    # CloudFront's canned policy, signed RSA-SHA1, in CloudFront's URL-safe base64.
    policy = (
        f'{{"Statement":[{{"Resource":"{resource}","Condition":{{"DateLessThan":{{"AWS:EpochTime":{expires}}}}}}}]}}'
    )
    signature = base64.b64decode(query["Signature"].translate(str.maketrans("-_~", "+=/")))
    cloudfront.verify(signature, policy.encode(), padding.PKCS1v15(), hashes.SHA1())  # noqa: S303 (CloudFront signs with SHA-1; raises if forged)

    calls.clear()
    again = api.get(f"/videos/{video['id']}/stream", token=gym["admin"].token)
    assert again.status == 200
    assert calls.calls == ["dynamodb.GetItem"]


@pytest.mark.parametrize("secret", ["not a key", None], ids=["unreadable key", "missing secret"])
def test_a_misconfigured_cdn_key_is_a_503_found_once_and_not_reread_per_request(
    api, gym, local_aws, monkeypatch, calls, capsys, secret
):
    from chalicelib import config, deps

    if secret is None:
        arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:video-cdn-gone-AbCdEf"
    else:
        arn = local_aws.client("secretsmanager").create_secret(Name=f"bad-{uuid.uuid4().hex[:8]}", SecretString=secret)[
            "ARN"
        ]
    monkeypatch.setenv("VIDEO_CDN_DOMAIN", "d111111abcdef8.cloudfront.net")
    monkeypatch.setenv("VIDEO_CDN_KEY_PAIR_ID", "K2JCJMDEHXQW5F")
    monkeypatch.setenv("VIDEO_CDN_PRIVATE_KEY_SECRET_ARN", arn)
    config.settings.cache_clear()
    deps.video_links.cache_clear()
    try:
        video = add_video(api, gym["coach"])
        capsys.readouterr()
        calls.clear()
        first = api.get(f"/videos/{video['id']}/stream", token=gym["member"].token)
        assert calls.calls == ["dynamodb.GetItem", "secretsmanager.GetSecretValue"]
        calls.clear()
        again = api.get(f"/videos/{video['id']}/stream", token=gym["admin"].token)
        assert calls.calls == ["dynamodb.GetItem"]  # the failure is kept: no Secrets Manager call per request
    finally:
        monkeypatch.undo()
        config.settings.cache_clear()
        deps.video_links.cache_clear()

    for answer in (first, again):
        assert answer.status == 503, answer.body
        assert answer.body["error"]["code"] == "video_cdn_misconfigured"
        assert "misconfigured" in answer.body["error"]["message"]
    logged = [json.loads(line) for line in capsys.readouterr().out.splitlines() if "video_cdn_misconfigured" in line]
    assert [line["message"] for line in logged if line.get("level") == "ERROR"] == ["video_cdn_misconfigured"]
    assert "private key" in logged[0]["reason"]


def test_another_tenant_gets_no_cloudfront_link_either(api, gym, other_gym, cloudfront):
    video = add_video(api, gym["coach"])
    assert api.get(f"/videos/{video['id']}/stream", token=other_gym["member"].token).status == 404


@pytest.mark.parametrize("given", [("VIDEO_CDN_DOMAIN",), ("VIDEO_CDN_DOMAIN", "VIDEO_CDN_KEY_PAIR_ID")])
def test_half_a_cloudfront_setup_is_a_configuration_error(given):
    from chalicelib import config

    environment = {
        "STAGE": "dev",
        "AWS_REGION": "us-east-1",
        "TABLE_NAME": "t",
        "MEDIA_BUCKET": "b",
        "USER_POOL_ID": "p",
        "APP_CLIENT_IDS": "c",
        **{name: "x" for name in given},
    }
    with pytest.raises(config.ConfigurationError):
        config.load(environment)
    assert config.load({key: value for key, value in environment.items() if not key.startswith("VIDEO_")})


# Editing and deleting


def _tagged(api, reader, tag):
    return [(item["id"], item["title"]) for item in api.get(f"/videos?tag={tag}", token=reader.token).body["items"]]


def test_an_admin_edits_any_video_and_its_tag_entries_follow(api, gym):
    video = add_video(api, gym["coach"], tags=["mobility", "hips"])
    answer = api.patch(
        f"/videos/{video['id']}", {"title": "Hips, daily", "tags": ["hips", "daily"]}, token=gym["admin"].token
    )
    assert answer.status == 200, answer.body
    assert answer.body["version"] == 2 and answer.body["tags"] == ["hips", "daily"]
    assert answer.body["created_by"] == gym["coach"].user_id
    member = gym["member"]
    assert _tagged(api, member, "mobility") == []
    assert _tagged(api, member, "hips") == [(video["id"], "Hips, daily")]
    assert _tagged(api, member, "daily") == [(video["id"], "Hips, daily")]
    assert api.get(f"/videos/{video['id']}", token=member.token).body["title"] == "Hips, daily"


def test_a_coach_edits_and_deletes_only_their_own_videos(api, gym, tenants, users):
    [other_coach] = tenants(1, api.get("/me", token=gym["coach"].token).body["tenant_id"])
    users.grant(other_coach, role="coach")
    video = add_video(api, gym["coach"])
    for method, body in (("PATCH", {"title": "Mine now"}), ("DELETE", None)):
        answer = api.request(method, f"/videos/{video['id']}", body, token=other_coach.token)
        assert answer.status == 403 and answer.body["error"]["code"] == "not_your_video", answer.body
    assert api.patch(f"/videos/{video['id']}", {"title": "Still mine"}, token=gym["coach"].token).status == 200
    assert api.request("DELETE", f"/videos/{video['id']}", token=gym["coach"].token).status == 204


def test_a_member_cannot_edit_or_delete_a_video(api, gym):
    video = add_video(api, gym["coach"])
    for method, body in (("PATCH", {"title": "Mine"}), ("DELETE", None)):
        answer = api.request(method, f"/videos/{video['id']}", body, token=gym["member"].token)
        assert answer.status == 403 and answer.body["error"]["code"] == "role_required"
    assert api.get(f"/videos/{video['id']}", token=gym["member"].token).body["version"] == 1


@pytest.mark.parametrize("role", ["coach", "admin"])
def test_deleting_a_video_removes_it_its_tag_entries_and_its_file(api, gym, local_aws, role):
    video = add_video(api, gym["coach"], tags=["mobility", "hips"])
    key = f"tenants/{api.get('/me', token=gym['coach'].token).body['tenant_id']}/videos/{video['id']}"
    assert stored_object(local_aws, key) == MP4

    assert api.request("DELETE", f"/videos/{video['id']}", token=gym[role].token).status == 204

    member = gym["member"]
    assert api.get(f"/videos/{video['id']}", token=member.token).status == 404
    assert api.get(f"/videos/{video['id']}/stream", token=member.token).status == 404
    assert _tagged(api, member, "mobility") == [] and _tagged(api, member, "hips") == []
    assert api.get("/videos", token=member.token).body["items"] == []
    assert stored_object(local_aws, key) is None
    assert api.request("DELETE", f"/videos/{video['id']}", token=gym[role].token).status == 404


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_a_stale_version_is_412_and_changes_nothing(api, gym, method):
    video = add_video(api, gym["coach"])
    assert api.patch(f"/videos/{video['id']}", {"title": "Second"}, token=gym["admin"].token).status == 200
    body = {"title": "Third"} if method == "PATCH" else None
    answer = api.request(method, f"/videos/{video['id']}", body, token=gym["admin"].token, headers={"If-Match": "1"})
    assert answer.status == 412, answer.body
    assert api.get(f"/videos/{video['id']}", token=gym["member"].token).body["title"] == "Second"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"duration_s": 10},
        {"media_id": "01KAAAAAAAAAAAAAAAAAAAAAAA"},
        {"tags": ["a", "a"]},
        {"tags": ["Not A Slug"]},
        {"title": ""},
    ],
)
def test_an_invalid_edit_is_400(api, gym, body):
    video = add_video(api, gym["coach"])
    answer = api.patch(f"/videos/{video['id']}", body, token=gym["admin"].token)
    assert answer.status == 400 and answer.body["error"]["code"] == "validation_error", answer.body


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_another_tenants_admin_cannot_edit_or_delete_a_video(api, gym, other_gym, method):
    video = add_video(api, gym["coach"])
    answer = api.request(
        method, f"/videos/{video['id']}", {"title": "x"} if method == "PATCH" else None, token=other_gym["admin"].token
    )
    assert answer.status == 404
    assert api.get(f"/videos/{video['id']}", token=gym["member"].token).body["version"] == 1

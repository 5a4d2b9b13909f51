"""Posts: creating with ready photos only, the tenant feed and a member's posts (newest first,
paged), changing and deleting by the author only, and a deleted post leaving nothing behind.

Members of one tenant come from `tenants`; `user` is alone in a personal tenant, so is a member
of another tenant for everyone made by `tenants`."""

import pytest

from chalicelib.config import settings
from tests.api.test_media import PNG, download, object_key_of, ready_media, stored_object, uploaded
from tests.streams import HandlerStream

SCRIPT = "<script>alert(1)</script>"
UNKNOWN_ID = "01HZZZZZZZZZZZZZZZZZZZZZZZ"
MALFORMED_IDS = ["nope", "01hzzzzzzzzzzzzzzzzzzzzzzz", "01HZZZZZZZZZZZZZZZZZZZZZZZZ", "..%2F01HZZZZZZZZZZZZZZZZZZZZZZZ"]


def posted(api, member, text="Morning run: 5 km", **fields):
    answer = api.post("/posts", {"text": text, **fields}, token=member.token)
    assert answer.status == 201, answer.body
    return answer.body


def json_content_type(answer):
    """The app leaves Content-Type to the platform, which answers application/json when the
    function names none (API Gateway and `chalice local` alike): absent here means JSON there."""
    return answer.headers.get("Content-Type", "application/json").startswith("application/json")


def tenant_of(api, member):
    return api.get("/me", token=member.token).body["tenant_id"]


def post_partition(local_aws, tenant_id, post_id):
    """Every item left under the post's partition key, read straight from the table."""
    return local_aws.client("dynamodb").query(
        TableName=settings().table_name,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": f"TENANT#{tenant_id}#POST#{post_id}"}},
        ConsistentRead=True,
    )["Items"]


def post_partition_keys(local_aws, tenant_id, post_id):
    """Every key left under the post's partition key, all pages."""
    paginator = local_aws.client("dynamodb").get_paginator("query")
    pages = paginator.paginate(
        TableName=settings().table_name,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": f"TENANT#{tenant_id}#POST#{post_id}"}},
        ProjectionExpression="PK, SK",
        ConsistentRead=True,
    )
    return [item for page in pages for item in page["Items"]]


def item(local_aws, partition, sort_key):
    found = local_aws.client("dynamodb").get_item(
        TableName=settings().table_name, Key={"PK": {"S": partition}, "SK": {"S": sort_key}}, ConsistentRead=True
    )
    return found.get("Item")


def ids(page):
    return [post["id"] for post in page["items"]]


def walk(api, member, path, limit):
    """Every item of a paged list, following next_cursor to the end."""
    collected, cursor = [], None
    for _ in range(50):
        query = f"?limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        answer = api.get(path + query, token=member.token)
        assert answer.status == 200, answer.body
        collected += answer.body["items"]
        cursor = answer.body["next_cursor"]
        if cursor is None:
            return collected
    raise AssertionError("the list never ended")


# Creating


def test_a_new_post_has_its_text_no_counts_and_version_1(api, tenants):
    (author,) = tenants(1)
    answer = api.post("/posts", {"text": "First run of the year"}, token=author.token)
    assert answer.status == 201, answer.body
    post = answer.body
    assert post["author_id"] == author.user_id
    assert post["text"] == "First run of the year"
    assert post["media_ids"] == []
    assert post["visibility"] == "tenant"
    assert post["like_count"] == 0
    assert post["comment_count"] == 0
    assert post["liked_by_me"] is False
    assert post["version"] == 1
    assert post["created_at"] == post["updated_at"]
    assert post["created_at"].endswith("Z")


def test_a_new_post_reads_back_as_it_was_answered(api, tenants):
    (author,) = tenants(1)
    post = posted(api, author, visibility="private")
    assert post["visibility"] == "private"
    assert api.get(f"/posts/{post['id']}", token=author.token).body == post


@pytest.mark.parametrize(
    "text",
    [
        SCRIPT,
        '<img src=x onerror="alert(1)">',
        "  padded with spaces  ",
        "line one\nline two\r\n\ttabbed",
        "Ünïcödé 🏃‍♀️ 跑步",
        "x" * 2000,
        "a",
        "{{7*7}} ${7*7} %s %n",
        "'; DROP TABLE posts; --",
    ],
    ids=["script", "img", "spaces", "newlines", "unicode", "max-length", "one-char", "templates", "sql"],
)
def test_text_is_stored_and_returned_exactly_as_given(api, tenants, text):
    author, reader = tenants(2)
    post = posted(api, author, text)
    assert post["text"] == text
    assert api.get(f"/posts/{post['id']}", token=reader.token).body["text"] == text
    assert api.get("/feed", token=reader.token).body["items"][0]["text"] == text


@pytest.mark.parametrize("path", ["/posts/{id}", "/feed", "/users/{author}/posts"])
def test_a_post_with_a_script_is_only_ever_answered_as_json_with_nosniff(api, tenants, path):
    author, reader = tenants(2)
    post = posted(api, author, SCRIPT)
    answer = api.get(path.format(id=post["id"], author=author.user_id), token=reader.token)
    assert answer.status == 200
    assert json_content_type(answer)
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert SCRIPT in str(answer.body)


def test_creating_a_post_with_a_script_answers_json_with_nosniff(api, tenants):
    (author,) = tenants(1)
    answer = api.post("/posts", {"text": SCRIPT}, token=author.token)
    assert json_content_type(answer)
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.body["text"] == SCRIPT


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "text"),
        ({"text": ""}, "text"),
        ({"text": "x" * 2001}, "text"),
        ({"text": None}, "text"),
        ({"text": 42}, "text"),
        ({"text": ["a"]}, "text"),
        ({"text": "ok", "visibility": "public"}, "visibility"),
        ({"text": "ok", "visibility": "Tenant"}, "visibility"),
        ({"text": "ok", "visibility": None}, "visibility"),
        ({"text": "ok", "media_ids": [UNKNOWN_ID] * 5}, "media_ids"),
        ({"text": "ok", "media_ids": "01HZZZZZZZZZZZZZZZZZZZZZZZ"}, "media_ids"),
        ({"text": "ok", "media_ids": ["../../etc/passwd"]}, "media_ids"),
        ({"text": "ok", "media_ids": [42]}, "media_ids"),
        ({"text": "ok", "author_id": "someone-else"}, "author_id"),
        ({"text": "ok", "like_count": 1000}, "like_count"),
        ({"text": "ok", "id": UNKNOWN_ID}, "id"),
        ({"text": "ok", "created_at": "2020-01-01T00:00:00Z"}, "created_at"),
    ],
)
def test_an_invalid_post_is_400_names_the_field_and_creates_nothing(api, tenants, body, field):
    (author,) = tenants(1)
    answer = api.post("/posts", body, token=author.token)
    assert answer.status == 400, answer.body
    assert field in answer.body["error"]["details"]
    assert api.get(f"/users/{author.user_id}/posts", token=author.token).body["items"] == []


def test_the_same_media_twice_in_one_post_is_400(api, tenants):
    (author,) = tenants(1)
    media_id = ready_media(api, author)
    answer = api.post("/posts", {"text": "Twice", "media_ids": [media_id, media_id]}, token=author.token)
    assert answer.status == 400
    assert "media_ids" in answer.body["error"]["details"]
    assert posted(api, author, media_ids=[media_id])["media_ids"] == [media_id]


@pytest.mark.parametrize("raw", [b"not json", b"[]", b'"text"', b"{"])
def test_a_body_that_is_not_a_json_object_is_400(api, tenants, raw):
    (author,) = tenants(1)
    answer = api.post("/posts", raw=raw, token=author.token)
    assert answer.status == 400


def test_posting_needs_a_token(api):
    assert api.post("/posts", {"text": "Anyone?"}).status == 401


def test_creating_a_post_is_one_transaction_and_the_authors_name(api, tenants, calls):
    (author,) = tenants(1)
    media_id = ready_media(api, author)
    calls.clear()
    post = posted(api, author, media_ids=[media_id])
    assert calls.calls == ["dynamodb.TransactWriteItems", "dynamodb.BatchGetItem"]
    assert post["author_name"] == "Test Person"


# Photos on posts


def test_a_post_carries_up_to_four_ready_photos_in_order(api, tenants):
    author, reader = tenants(2)
    media_ids = [ready_media(api, author, content_type=kind) for kind in ("image/png", "image/jpeg", "image/webp")]
    media_ids.append(ready_media(api, author))
    post = posted(api, author, media_ids=media_ids)
    assert post["media_ids"] == media_ids
    assert api.get(f"/posts/{post['id']}", token=reader.token).body["media_ids"] == media_ids


def test_pending_media_cannot_be_attached_and_nothing_is_created(api, tenants):
    (author,) = tenants(1)
    ready = ready_media(api, author)
    pending, _ = uploaded(api, author)
    answer = api.post("/posts", {"text": "Too soon", "media_ids": [ready, pending]}, token=author.token)
    assert answer.status == 422, answer.body
    assert answer.body["error"]["code"] == "media_not_ready"
    assert "media_ids" in answer.body["error"]["details"]
    assert api.get(f"/users/{author.user_id}/posts", token=author.token).body["items"] == []
    # The ready one was not claimed by the refused post.
    assert posted(api, author, media_ids=[ready])["media_ids"] == [ready]


def test_media_started_but_never_uploaded_cannot_be_attached(api, tenants):
    (author,) = tenants(1)
    started = api.post(
        "/media/uploads", {"purpose": "post", "content_type": "image/png", "size_bytes": 10}, token=author.token
    ).body
    answer = api.post("/posts", {"text": "Nothing", "media_ids": [started["media_id"]]}, token=author.token)
    assert answer.status == 422
    assert answer.body["error"]["code"] == "media_not_ready"


def test_another_members_media_cannot_be_attached(api, tenants):
    owner, other = tenants(2)
    media_id = ready_media(api, owner)
    answer = api.post("/posts", {"text": "Borrowed", "media_ids": [media_id]}, token=other.token)
    assert answer.status == 422
    assert answer.body["error"]["code"] == "media_not_ready"
    assert posted(api, owner, media_ids=[media_id])["media_ids"] == [media_id]


def test_media_of_someone_in_another_tenant_cannot_be_attached(api, tenants, user):
    (member,) = tenants(1)
    media_id = ready_media(api, user)
    answer = api.post("/posts", {"text": "Borrowed", "media_ids": [media_id]}, token=member.token)
    assert answer.status == 422
    assert answer.body["error"]["code"] == "media_not_ready"


def test_media_already_on_a_post_cannot_be_attached_to_another(api, tenants):
    (author,) = tenants(1)
    media_id = ready_media(api, author)
    first = posted(api, author, media_ids=[media_id])
    answer = api.post("/posts", {"text": "Again", "media_ids": [media_id]}, token=author.token)
    assert answer.status == 422
    assert answer.body["error"]["code"] == "media_not_ready"
    assert ids(api.get(f"/users/{author.user_id}/posts", token=author.token).body) == [first["id"]]


@pytest.mark.parametrize("purpose, content_type", [("avatar", "image/png"), ("video", "video/mp4")])
def test_media_uploaded_for_another_purpose_cannot_be_attached(api, tenants, purpose, content_type):
    (author,) = tenants(1)
    media_id = ready_media(api, author, purpose=purpose, content_type=content_type)
    answer = api.post("/posts", {"text": "Wrong kind", "media_ids": [media_id]}, token=author.token)
    assert answer.status == 422
    assert answer.body["error"]["code"] == "media_not_ready"


def test_unknown_media_cannot_be_attached(api, tenants):
    (author,) = tenants(1)
    answer = api.post("/posts", {"text": "Ghost", "media_ids": [UNKNOWN_ID]}, token=author.token)
    assert answer.status == 422
    assert answer.body["error"]["code"] == "media_not_ready"


def test_a_rejected_upload_cannot_be_attached(api, tenants):
    (author,) = tenants(1)
    media_id, _ = uploaded(api, author, b"<html><script>alert(1)</script></html>", filename="x.png")
    assert api.post(f"/media/{media_id}/complete", token=author.token).status == 422
    answer = api.post("/posts", {"text": "Sneaky", "media_ids": [media_id]}, token=author.token)
    assert answer.status == 422


# Reading one post


def test_another_member_reads_a_tenant_post(api, tenants):
    author, reader = tenants(2)
    post = posted(api, author)
    answer = api.get(f"/posts/{post['id']}", token=reader.token)
    assert answer.status == 200
    assert answer.body == post


def test_a_private_post_is_its_authors_only(api, tenants):
    author, reader = tenants(2)
    post = posted(api, author, visibility="private")
    assert api.get(f"/posts/{post['id']}", token=author.token).status == 200
    answer = api.get(f"/posts/{post['id']}", token=reader.token)
    assert answer.status == 404
    assert answer.body["error"]["code"] == "not_found"


@pytest.mark.parametrize("visibility", ["tenant", "private"])
def test_a_post_is_never_visible_from_another_tenant(api, tenants, user, visibility):
    (author,) = tenants(1)
    post = posted(api, author, visibility=visibility)
    answer = api.get(f"/posts/{post['id']}", token=user.token)
    assert answer.status == 404
    assert answer.body["error"]["code"] == "not_found"
    assert post["id"] not in ids(api.get("/feed", token=user.token).body)
    assert api.get(f"/users/{author.user_id}/posts", token=user.token).body["items"] == []


@pytest.mark.parametrize("post_id", [UNKNOWN_ID, *MALFORMED_IDS])
@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_an_unknown_or_malformed_post_id_is_404(api, tenants, method, post_id):
    (member,) = tenants(1)
    body = {"text": "x"} if method == "PATCH" else None
    answer = api.request(method, f"/posts/{post_id}", body, token=member.token)
    assert answer.status == 404, answer.body
    assert answer.body["error"]["code"] == "not_found"


def test_reading_a_post_is_a_batch_get_and_its_authors_name(api, tenants, calls):
    author, reader = tenants(2)
    post = posted(api, author)
    calls.clear()
    answer = api.get(f"/posts/{post['id']}", token=reader.token)
    assert calls.calls == ["dynamodb.BatchGetItem", "dynamodb.BatchGetItem"]
    assert answer.body["author_name"] == "Test Person"


# The feed


def test_the_feed_is_the_tenants_posts_newest_first(api, tenants):
    first, second = tenants(2)
    made = [posted(api, member, f"post {n}") for n, member in enumerate([first, second, first, second])]
    for member in (first, second):
        page = api.get("/feed", token=member.token).body
        assert ids(page) == [post["id"] for post in reversed(made)]
        assert page["next_cursor"] is None


def test_the_feed_leaves_out_private_posts_even_the_callers_own(api, tenants):
    author, reader = tenants(2)
    shared = posted(api, author, "shared")
    private = posted(api, author, "mine", visibility="private")
    for member in (author, reader):
        page = ids(api.get("/feed", token=member.token).body)
        assert page == [shared["id"]]
        assert private["id"] not in page


def test_the_feed_leaves_out_other_tenants(api, tenants):
    (ours,) = tenants(1)
    (theirs,) = tenants(1)
    mine = posted(api, ours)
    posted(api, theirs)
    assert ids(api.get("/feed", token=ours.token).body) == [mine["id"]]


def test_a_new_tenants_feed_is_empty(api, tenants):
    (member,) = tenants(1)
    assert api.get("/feed", token=member.token).body == {"items": [], "next_cursor": None}


@pytest.mark.parametrize("limit", [1, 2, 3, 5, 7])
def test_the_feed_pages_through_every_post_once(api, tenants, limit):
    author, reader = tenants(2)
    made = [posted(api, author, f"post {n}")["id"] for n in range(5)]
    walked = walk(api, reader, "/feed", limit)
    assert [post["id"] for post in walked] == list(reversed(made))


def test_a_full_last_page_has_no_cursor(api, tenants):
    (author,) = tenants(1)
    posted(api, author)
    posted(api, author)
    assert api.get("/feed?limit=2", token=author.token).body["next_cursor"] is None
    assert api.get("/feed?limit=1", token=author.token).body["next_cursor"] is not None


def test_a_feed_cursor_is_refused_for_another_member(api, tenants):
    author, reader = tenants(2)
    posted(api, author)
    posted(api, author)
    cursor = api.get("/feed?limit=1", token=author.token).body["next_cursor"]
    answer = api.get(f"/feed?limit=1&cursor={cursor}", token=reader.token)
    assert answer.status == 400
    assert answer.body["error"]["code"] == "invalid_cursor"


def test_a_feed_cursor_is_refused_for_a_members_posts(api, tenants):
    (author,) = tenants(1)
    posted(api, author)
    posted(api, author)
    cursor = api.get("/feed?limit=1", token=author.token).body["next_cursor"]
    answer = api.get(f"/users/{author.user_id}/posts?limit=1&cursor={cursor}", token=author.token)
    assert answer.status == 400
    assert answer.body["error"]["code"] == "invalid_cursor"


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "limit=x", "limit=-1", "cursor=forged.cursor", "sort=asc"])
@pytest.mark.parametrize("path", ["/feed", "/users/{me}/posts"])
def test_an_invalid_page_query_is_400(api, tenants, path, query):
    (member,) = tenants(1)
    answer = api.get(f"{path.format(me=member.user_id)}?{query}", token=member.token)
    assert answer.status == 400, answer.body


def test_the_feed_says_which_posts_the_caller_likes(api, tenants):
    author, liker, other = tenants(3)
    liked = posted(api, author, "liked")
    plain = posted(api, author, "plain")
    assert api.put(f"/posts/{liked['id']}/like", token=liker.token).status == 204

    mine = {post["id"]: post for post in api.get("/feed", token=liker.token).body["items"]}
    theirs = {post["id"]: post for post in api.get("/feed", token=other.token).body["items"]}

    assert mine[liked["id"]]["liked_by_me"] is True
    assert mine[plain["id"]]["liked_by_me"] is False
    assert theirs[liked["id"]]["liked_by_me"] is False
    assert mine[liked["id"]]["like_count"] == theirs[liked["id"]]["like_count"] == 1


def test_a_feed_page_is_a_query_a_stream_and_one_batch_get(api, tenants, calls):
    # In a business: the business's feed and the reader's own personal one (merged), then the
    # page's likes and names in one batch read.
    author, reader = tenants(2)
    for n in range(3):
        posted(api, author, f"post {n}")
    calls.clear()
    page = api.get("/feed?limit=2", token=reader.token)
    assert sorted(calls.calls) == ["dynamodb.BatchGetItem", "dynamodb.Query", "dynamodb.Query"]
    calls.clear()
    api.get(f"/feed?limit=2&cursor={page.body['next_cursor']}", token=reader.token)
    assert sorted(calls.calls) == ["dynamodb.BatchGetItem", "dynamodb.Query"]


# A member's posts


def test_the_author_sees_all_their_posts_and_others_only_the_tenant_ones(api, tenants):
    author, reader = tenants(2)
    shared = posted(api, author, "shared")
    private = posted(api, author, "private", visibility="private")
    later = posted(api, author, "later")
    assert ids(api.get(f"/users/{author.user_id}/posts", token=author.token).body) == [
        later["id"],
        private["id"],
        shared["id"],
    ]
    assert ids(api.get(f"/users/{author.user_id}/posts", token=reader.token).body) == [later["id"], shared["id"]]


def test_a_members_posts_are_only_theirs(api, tenants):
    author, other = tenants(2)
    mine = posted(api, author)
    posted(api, other)
    assert ids(api.get(f"/users/{author.user_id}/posts", token=other.token).body) == [mine["id"]]


def test_a_members_posts_leave_out_their_likes_comments_and_photos(api, tenants):
    author, other = tenants(2)
    theirs = posted(api, other, "theirs")
    api.put(f"/posts/{theirs['id']}/like", token=author.token)
    api.post(f"/posts/{theirs['id']}/comments", {"text": "Nice"}, token=author.token)
    mine = posted(api, author, media_ids=[ready_media(api, author)])
    for member in (author, other):
        page = api.get(f"/users/{author.user_id}/posts", token=member.token).body
        assert ids(page) == [mine["id"]]
        assert set(page["items"][0]) >= {"text", "visibility", "like_count"}


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_paging_through_a_members_posts_finds_every_tenant_post_once(api, tenants, limit):
    author, reader = tenants(2)
    made = []
    for n in range(6):
        post = posted(api, author, f"post {n}", visibility="private" if n % 2 else "tenant")
        made.append(post)
    shared = [post["id"] for post in reversed(made) if post["visibility"] == "tenant"]
    everything = [post["id"] for post in reversed(made)]
    assert [post["id"] for post in walk(api, reader, f"/users/{author.user_id}/posts", limit)] == shared
    assert [post["id"] for post in walk(api, author, f"/users/{author.user_id}/posts", limit)] == everything


def _page_sizes(api, reader, path, limit):
    sizes, cursor = [], None
    for _ in range(50):
        page = api.get(path + f"?limit={limit}" + (f"&cursor={cursor}" if cursor else ""), token=reader.token).body
        sizes.append(len(page["items"]))
        cursor = page["next_cursor"]
        if cursor is None:
            return sizes
    raise AssertionError("the list never ended")


def test_another_members_posts_come_in_full_pages_whatever_they_keep_private(api, tenants):
    author, reader = tenants(2)
    for n in range(12):  # newest first: 6 private, then private and shared in turn
        posted(api, author, f"post {n}", visibility="tenant" if n < 6 and n % 2 == 0 else "private")
    for n in range(6):
        posted(api, author, f"newer {n}", visibility="private")
    path = f"/users/{author.user_id}/posts"

    assert _page_sizes(api, reader, path, 2) == [2, 1]
    assert _page_sizes(api, reader, path, 3) == [3]


def test_a_members_private_posts_beyond_the_bound_give_a_short_page_with_a_cursor_to_the_rest(api, tenants):
    from chalicelib.domains.social.store import FILTERED_READ_FACTOR, MAX_FILTERED_READS

    author, reader = tenants(2)
    shared = posted(api, author, "shared")
    for n in range(MAX_FILTERED_READS * FILTERED_READ_FACTOR * 2):
        posted(api, author, f"private {n}", visibility="private")
    path = f"/users/{author.user_id}/posts"

    assert _page_sizes(api, reader, path, 1) == [0, 1]
    assert [post["id"] for post in walk(api, reader, path, 1)] == [shared["id"]]


@pytest.mark.parametrize(
    "user_id", ["nobody-at-all", "x%23FEED", "a" * 3000, "%F0%9F%8F%83"], ids=["unknown", "hash", "long", "emoji"]
)
def test_an_id_that_cannot_be_a_member_is_404(api, tenants, user_id):
    (member,) = tenants(1)
    posted(api, member)
    answer = api.get(f"/users/{user_id}/posts", token=member.token)
    assert answer.status == 404, answer.body


def test_an_unknown_members_posts_are_an_empty_page(api, tenants):
    (member,) = tenants(1)
    posted(api, member)
    answer = api.get("/users/00000000-0000-4000-8000-000000000000/posts", token=member.token)
    assert answer.status == 200, answer.body
    assert answer.body == {"items": [], "next_cursor": None}


def test_a_members_posts_are_one_query_and_one_batch_get(api, tenants, calls):
    author, reader = tenants(2)
    posted(api, author)
    calls.clear()
    api.get(f"/users/{author.user_id}/posts", token=reader.token)
    assert sorted(calls.calls) == ["dynamodb.BatchGetItem", "dynamodb.Query"]


# Changing a post


def test_the_author_changes_the_text_and_the_version_goes_up(api, tenants):
    author, reader = tenants(2)
    post = posted(api, author, "Before")
    answer = api.patch(f"/posts/{post['id']}", {"text": "After"}, token=author.token)
    assert answer.status == 200, answer.body
    assert answer.body["text"] == "After"
    assert answer.body["version"] == 2
    assert answer.body["created_at"] == post["created_at"]
    assert answer.body["updated_at"] >= post["updated_at"]
    assert answer.body["visibility"] == "tenant"
    assert api.get(f"/posts/{post['id']}", token=reader.token).body == {**answer.body, "liked_by_me": False}


def test_a_change_keeps_the_counts_and_the_callers_like(api, tenants):
    author, reader = tenants(2)
    post = posted(api, author)
    api.put(f"/posts/{post['id']}/like", token=author.token)
    api.put(f"/posts/{post['id']}/like", token=reader.token)
    api.post(f"/posts/{post['id']}/comments", {"text": "Well done"}, token=reader.token)
    answer = api.patch(f"/posts/{post['id']}", {"text": "Edited"}, token=author.token)
    assert answer.body["like_count"] == 2
    assert answer.body["comment_count"] == 1
    assert answer.body["liked_by_me"] is True


def test_making_a_post_private_takes_it_out_of_the_feed_and_back(api, tenants):
    author, reader = tenants(2)
    older = posted(api, author, "older")
    post = posted(api, author, "post")
    newer = posted(api, author, "newer")

    hidden = api.patch(f"/posts/{post['id']}", {"visibility": "private"}, token=author.token)
    assert hidden.body["visibility"] == "private"
    assert ids(api.get("/feed", token=reader.token).body) == [newer["id"], older["id"]]
    assert api.get(f"/posts/{post['id']}", token=reader.token).status == 404
    assert post["id"] not in ids(api.get(f"/users/{author.user_id}/posts", token=reader.token).body)

    api.patch(f"/posts/{post['id']}", {"visibility": "tenant"}, token=author.token)
    # Back in its place: the feed orders by creation, not by the last change.
    assert ids(api.get("/feed", token=reader.token).body) == [newer["id"], post["id"], older["id"]]
    assert api.get(f"/posts/{post['id']}", token=reader.token).status == 200


def test_a_private_post_made_public_joins_the_feed(api, tenants):
    author, reader = tenants(2)
    post = posted(api, author, visibility="private")
    api.patch(f"/posts/{post['id']}", {"visibility": "tenant"}, token=author.token)
    assert ids(api.get("/feed", token=reader.token).body) == [post["id"]]


def test_a_change_with_the_current_version_lands(api, tenants):
    (author,) = tenants(1)
    post = posted(api, author)
    answer = api.patch(f"/posts/{post['id']}", {"text": "v2"}, token=author.token, headers={"If-Match": "1"})
    assert answer.status == 200
    assert answer.body["version"] == 2


@pytest.mark.parametrize("if_match", ["2", "0", "99"])
def test_a_change_with_a_stale_version_is_412_and_changes_nothing(api, tenants, if_match):
    (author,) = tenants(1)
    post = posted(api, author, "Original")
    answer = api.patch(f"/posts/{post['id']}", {"text": "Lost"}, token=author.token, headers={"If-Match": if_match})
    assert answer.status == 412, answer.body
    assert answer.body["error"]["code"] == "version_mismatch"
    assert answer.body["error"]["details"] == {"version": 1}
    assert api.get(f"/posts/{post['id']}", token=author.token).body == post


@pytest.mark.parametrize("headers", [{}, {"If-Match": "1"}, {"If-Match": "7"}])
def test_another_member_cannot_change_a_tenant_post(api, tenants, headers):
    author, other = tenants(2)
    post = posted(api, author, "Original")
    answer = api.patch(f"/posts/{post['id']}", {"text": "Defaced"}, token=other.token, headers=headers)
    assert answer.status == 403, answer.body
    assert answer.body["error"]["code"] == "forbidden"
    assert api.get(f"/posts/{post['id']}", token=author.token).body == post


@pytest.mark.parametrize("headers", [{}, {"If-Match": "1"}])
def test_another_members_private_post_is_404_to_change(api, tenants, headers):
    author, other = tenants(2)
    post = posted(api, author, visibility="private")
    answer = api.patch(f"/posts/{post['id']}", {"visibility": "tenant"}, token=other.token, headers=headers)
    assert answer.status == 404, answer.body
    assert api.get(f"/posts/{post['id']}", token=author.token).body == post


@pytest.mark.parametrize("headers", [{}, {"If-Match": "1"}])
def test_a_post_of_another_tenant_is_404_to_change_and_nothing_is_written(api, tenants, user, local_aws, headers):
    (author,) = tenants(1)
    post = posted(api, author)
    answer = api.patch(f"/posts/{post['id']}", {"text": "Defaced"}, token=user.token, headers=headers)
    assert answer.status == 404, answer.body
    assert post_partition(local_aws, tenant_of(api, user), post["id"]) == []
    assert api.get(f"/posts/{post['id']}", token=author.token).body == post


def test_changing_an_unknown_post_writes_nothing(api, tenants, local_aws):
    (author,) = tenants(1)
    assert api.patch(f"/posts/{UNKNOWN_ID}", {"text": "x"}, token=author.token).status == 404
    assert post_partition(local_aws, tenant_of(api, author), UNKNOWN_ID) == []


@pytest.mark.parametrize(
    "body, field",
    [
        ({"text": ""}, "text"),
        ({"text": "x" * 2001}, "text"),
        ({"text": None}, "text"),
        ({"visibility": "public"}, "visibility"),
        ({"visibility": None}, "visibility"),
        ({"media_ids": []}, "media_ids"),
        ({"author_id": "someone"}, "author_id"),
        ({"like_count": 100}, "like_count"),
        ({"version": 9}, "version"),
    ],
)
def test_an_invalid_change_is_400_and_changes_nothing(api, tenants, body, field):
    (author,) = tenants(1)
    post = posted(api, author)
    answer = api.patch(f"/posts/{post['id']}", body, token=author.token)
    assert answer.status == 400, answer.body
    assert field in answer.body["error"]["details"]
    assert api.get(f"/posts/{post['id']}", token=author.token).body == post


def test_an_empty_change_is_400(api, tenants):
    (author,) = tenants(1)
    post = posted(api, author)
    answer = api.patch(f"/posts/{post['id']}", {}, token=author.token)
    assert answer.status == 400
    assert answer.body["error"]["code"] == "empty_patch"


def test_a_change_is_one_transaction_and_one_batch_get(api, tenants, calls):
    (author,) = tenants(1)
    post = posted(api, author)
    calls.clear()
    api.patch(f"/posts/{post['id']}", {"text": "Changed"}, token=author.token)
    assert sorted(calls.calls) == ["dynamodb.BatchGetItem", "dynamodb.TransactWriteItems"]


# Deleting a post


def test_the_author_deletes_a_post(api, tenants):
    author, reader = tenants(2)
    post = posted(api, author)
    answer = api.request("DELETE", f"/posts/{post['id']}", token=author.token)
    assert answer.status == 204
    assert answer.body is None
    assert api.get(f"/posts/{post['id']}", token=author.token).status == 404
    assert api.get(f"/posts/{post['id']}", token=reader.token).status == 404
    assert api.get("/feed", token=reader.token).body["items"] == []
    assert api.get(f"/users/{author.user_id}/posts", token=author.token).body["items"] == []
    assert api.request("DELETE", f"/posts/{post['id']}", token=author.token).status == 404


@pytest.mark.parametrize("headers", [{}, {"If-Match": "1"}])
def test_another_member_cannot_delete_a_tenant_post(api, tenants, headers):
    author, other = tenants(2)
    post = posted(api, author)
    answer = api.request("DELETE", f"/posts/{post['id']}", token=other.token, headers=headers)
    assert answer.status == 403, answer.body
    assert answer.body["error"]["code"] == "forbidden"
    assert api.get(f"/posts/{post['id']}", token=other.token).body == post


def test_another_members_private_post_is_404_to_delete(api, tenants):
    author, other = tenants(2)
    post = posted(api, author, visibility="private")
    assert api.request("DELETE", f"/posts/{post['id']}", token=other.token).status == 404
    assert api.get(f"/posts/{post['id']}", token=author.token).status == 200


def test_a_post_of_another_tenant_is_404_to_delete(api, tenants, user):
    author, reader = tenants(2)
    post = posted(api, author)
    answer = api.request("DELETE", f"/posts/{post['id']}", token=user.token)
    assert answer.status == 404
    assert answer.body["error"]["code"] == "not_found"
    assert api.get(f"/posts/{post['id']}", token=reader.token).status == 200


def test_a_delete_with_a_stale_version_is_412_and_the_post_stays(api, tenants):
    (author,) = tenants(1)
    post = posted(api, author)
    api.patch(f"/posts/{post['id']}", {"text": "v2"}, token=author.token)
    answer = api.request("DELETE", f"/posts/{post['id']}", token=author.token, headers={"If-Match": "1"})
    assert answer.status == 412
    assert answer.body["error"]["details"] == {"version": 2}
    assert api.get(f"/posts/{post['id']}", token=author.token).status == 200
    assert api.request("DELETE", f"/posts/{post['id']}", token=author.token, headers={"If-Match": "2"}).status == 204


@pytest.fixture
def post_stream(local_aws):
    """The post_remains stream handler, fed what the table's stream holds from now on."""
    return HandlerStream(local_aws, "post_remains")


def test_deleting_a_post_answers_at_once_and_the_stream_erases_its_likes_comments_and_photos(
    api, tenants, local_aws, post_stream
):
    author, first, second = tenants(3)
    tenant_id = tenant_of(api, author)
    media_ids = [ready_media(api, author), ready_media(api, author, content_type="image/jpeg")]
    keys = [object_key_of(api, author, media_id) for media_id in media_ids]
    post = posted(api, author, media_ids=media_ids)
    for member in (author, first, second):
        assert api.put(f"/posts/{post['id']}/like", token=member.token).status == 204
    comments = [
        api.post(f"/posts/{post['id']}/comments", {"text": "Great"}, token=member.token).body["id"]
        for member in (first, second, first)
    ]
    assert len(post_partition(local_aws, tenant_id, post["id"])) == 1 + 3 + 3
    assert all(stored_object(local_aws, key) == len(PNG) for key in keys[:1])

    assert api.request("DELETE", f"/posts/{post['id']}", token=author.token).status == 204

    # Before the stream is read: the likes and comments are still stored, and no reader sees them.
    assert len(post_partition(local_aws, tenant_id, post["id"])) == 6
    for member in (author, first):
        assert api.get(f"/posts/{post['id']}/comments", token=member.token).status == 404
        assert api.get(f"/posts/{post['id']}/likes", token=member.token).status == 404
    assert api.get(f"/media/{media_ids[0]}", token=first.token).status == 404  # (its author's until erased)
    assert api.request("DELETE", f"/comments/{comments[0]}", token=first.token).status == 404

    post_stream.poll()

    assert post_partition(local_aws, tenant_id, post["id"]) == []
    for media_id, key in zip(media_ids, keys, strict=True):
        assert stored_object(local_aws, key) is None
        assert item(local_aws, f"TENANT#{tenant_id}#USER#{author.user_id}", f"MEDIA#{media_id}") is None
        assert item(local_aws, f"TENANT#{tenant_id}#MEDIA#{media_id}", "ATTACHMENT") is None
        for member in (author, first):
            assert api.get(f"/media/{media_id}", token=member.token).status == 404
    assert all(answer == {"batchItemFailures": []} for answer in post_stream.answers)


def test_the_erasure_is_idempotent_a_record_handed_again_finds_nothing_left(api, tenants, local_aws, post_stream):
    from chalicelib import deps

    author, reader = tenants(2)
    tenant_id = tenant_of(api, author)
    post = posted(api, author, media_ids=[ready_media(api, author)])
    api.put(f"/posts/{post['id']}/like", token=reader.token)
    api.request("DELETE", f"/posts/{post['id']}", token=author.token)
    post_stream.poll()
    removal = [record for record in post_stream.seen if record["eventName"] == "REMOVE"]

    assert deps.social().on_stream(removal) == {"batchItemFailures": []}  # Lambda delivering it again
    assert post_partition(local_aws, tenant_id, post["id"]) == []


def test_a_deleted_posts_photos_cannot_be_attached_again(api, tenants):
    (author,) = tenants(1)
    media_id = ready_media(api, author)
    post = posted(api, author, media_ids=[media_id])
    api.request("DELETE", f"/posts/{post['id']}", token=author.token)
    answer = api.post("/posts", {"text": "Again", "media_ids": [media_id]}, token=author.token)
    assert answer.status == 422


def test_deleting_a_post_leaves_the_authors_other_photos_alone(api, tenants, local_aws):
    author, reader = tenants(2)
    kept = ready_media(api, author)
    on_other = ready_media(api, author)
    other_post = posted(api, author, media_ids=[on_other])
    post = posted(api, author, media_ids=[ready_media(api, author)])
    api.request("DELETE", f"/posts/{post['id']}", token=author.token)
    assert download(api.get(f"/media/{kept}", token=author.token).body["url"]) == PNG
    assert download(api.get(f"/media/{on_other}", token=reader.token).body["url"]) == PNG
    assert api.get(f"/posts/{other_post['id']}", token=reader.token).body["media_ids"] == [on_other]
    assert stored_object(local_aws, object_key_of(api, author, kept)) == len(PNG)


def test_a_post_can_be_liked_or_commented_no_more_once_deleted(api, tenants):
    author, reader = tenants(2)
    post = posted(api, author)
    api.request("DELETE", f"/posts/{post['id']}", token=author.token)
    assert api.put(f"/posts/{post['id']}/like", token=reader.token).status == 404
    assert api.post(f"/posts/{post['id']}/comments", {"text": "Late"}, token=reader.token).status == 404
    assert api.get(f"/posts/{post['id']}/comments", token=reader.token).status == 404
    assert api.get(f"/posts/{post['id']}/likes", token=reader.token).status == 404


class _FilesFailingOnce:
    """The bucket as a crash sees it: the first deletion fails (the invocation dies there)."""

    def __init__(self, files):
        self._files, self.failures = files, 1

    def delete(self, keys):
        if self.failures:
            self.failures -= 1
            raise ConnectionError("the invocation was cut off here")
        self._files.delete(keys)


def test_an_erasure_cut_off_midway_is_reported_and_finished_when_the_record_comes_again(api, tenants, local_aws):
    from chalicelib import deps
    from chalicelib.domains.social.service import SocialService
    from devtools.local_events import StreamPump
    from tests.conftest import LOCAL_TABLE

    author, reader = tenants(2)
    tenant_id = tenant_of(api, author)
    media_id = ready_media(api, author)
    key = object_key_of(api, author, media_id)
    post = posted(api, author, media_ids=[media_id])
    api.put(f"/posts/{post['id']}/like", token=reader.token)
    records = []
    pump = StreamPump(local_aws, LOCAL_TABLE, records.extend, start="LATEST")
    api.request("DELETE", f"/posts/{post['id']}", token=author.token)
    pump.poll()
    [removal] = [record for record in records if record["eventName"] == "REMOVE"]
    cut_off = SocialService(deps._posts(), _FilesFailingOnce(deps._media_files()), deps.cursor_codec)

    first = cut_off.on_stream([removal])

    assert first == {"batchItemFailures": [{"itemIdentifier": removal["dynamodb"]["SequenceNumber"]}]}
    assert post_partition(local_aws, tenant_id, post["id"]) == []
    assert stored_object(local_aws, key) == len(PNG)  # the file is left: the record is reported
    assert cut_off.on_stream([removal]) == {"batchItemFailures": []}  # Lambda hands it again
    assert stored_object(local_aws, key) is None
    assert item(local_aws, f"TENANT#{tenant_id}#MEDIA#{media_id}", "ATTACHMENT") is None


def test_deleting_a_post_with_photos_is_one_transaction(api, tenants, calls):
    author, reader = tenants(2)
    post = posted(api, author, media_ids=[ready_media(api, author)])
    api.put(f"/posts/{post['id']}/like", token=reader.token)
    calls.clear()
    api.request("DELETE", f"/posts/{post['id']}", token=author.token)
    assert calls.calls == ["dynamodb.TransactWriteItems"]


def _seed_likes(local_aws, tenant_id, post_id, count):
    """`count` likes in the post's partition, written straight to the table (1,000 through the API
    would be 1,000 transactions)."""
    dynamodb = local_aws.client("dynamodb")
    likes = [
        {
            "PK": {"S": f"TENANT#{tenant_id}#POST#{post_id}"},
            "SK": {"S": f"LIKE#00000000-0000-4000-8000-{n:012d}"},
            "user_id": {"S": f"00000000-0000-4000-8000-{n:012d}"},
            "post_id": {"S": post_id},
            "created_at": {"S": "2026-01-01T00:00:00.000Z"},
        }
        for n in range(count)
    ]
    for start in range(0, count, 25):
        batch = [{"PutRequest": {"Item": like}} for like in likes[start : start + 25]]
        dynamodb.batch_write_item(RequestItems={settings().table_name: batch})


def test_deleting_a_post_with_1000_likes_is_one_call_and_the_stream_erases_them(
    api, tenants, local_aws, calls, post_stream
):
    # Measured before the change, with this test: 42 calls inside the request (the DeleteItem, a
    # Query of the partition, 40 BatchWriteItem of 25), growing with the likes and comments.
    (author,) = tenants(1)
    tenant_id = tenant_of(api, author)
    post = posted(api, author)
    _seed_likes(local_aws, tenant_id, post["id"], 1000)
    calls.clear()

    assert api.request("DELETE", f"/posts/{post['id']}", token=author.token).status == 204

    assert calls.calls == ["dynamodb.TransactWriteItems"]
    assert len(post_partition_keys(local_aws, tenant_id, post["id"])) == 1000
    post_stream.poll()
    assert post_partition_keys(local_aws, tenant_id, post["id"]) == []

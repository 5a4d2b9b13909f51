"""Likes and comments: idempotent likes with an exact count, comments kept in step with the
post's comment_count, who may delete a comment, and the counts under concurrency.

The concurrent writes go through the service from threads against the local stack (Chalice's
test client is not thread-safe); the counts are then read through the API."""

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from chalicelib import deps
from chalicelib.errors import NotFound
from chalicelib.identity import Identity
from tests.api.test_posts import UNKNOWN_ID, json_content_type, post_partition, posted, tenant_of, walk
from tests.streams import HandlerStream

SCRIPT = "<script>alert(1)</script>"
ULID = r"[0-9A-HJKMNP-TV-Z]{26}"


def like(api, member, post):
    return api.put(f"/posts/{post['id']}/like", token=member.token)


def unlike(api, member, post):
    return api.request("DELETE", f"/posts/{post['id']}/like", token=member.token)


def seen_by(api, member, post):
    answer = api.get(f"/posts/{post['id']}", token=member.token)
    assert answer.status == 200, answer.body
    return answer.body


def commented(api, member, post, text="Well done"):
    answer = api.post(f"/posts/{post['id']}/comments", {"text": text}, token=member.token)
    assert answer.status == 201, answer.body
    return answer.body


def delete_comment(api, member, comment_id):
    return api.request("DELETE", f"/comments/{comment_id}", token=member.token)


def identity_of(api, member, tenant_id=None):
    return Identity(
        user_id=member.user_id,
        email=member.email,
        tenant_id=tenant_id or tenant_of(api, member),
        role="member",
    )


def together(*jobs):
    """Runs the jobs at once, each in its own thread; the result or the exception of each."""
    start = threading.Barrier(len(jobs))

    def run(job):
        start.wait()
        try:
            return job()
        except Exception as error:  # collected for the assertions
            return error

    with ThreadPoolExecutor(len(jobs)) as pool:
        return list(pool.map(run, jobs))


# Likes


def test_a_like_is_204_counted_and_marked_for_the_liker_only(api, tenants):
    author, liker, other = tenants(3)
    post = posted(api, author)
    answer = like(api, liker, post)
    assert answer.status == 204
    assert answer.body is None
    assert seen_by(api, liker, post)["like_count"] == 1
    assert seen_by(api, liker, post)["liked_by_me"] is True
    assert seen_by(api, other, post)["liked_by_me"] is False
    assert seen_by(api, author, post)["liked_by_me"] is False
    assert seen_by(api, author, post)["like_count"] == 1


def test_liking_again_changes_nothing(api, tenants):
    author, liker = tenants(2)
    post = posted(api, author)
    for _ in range(3):
        assert like(api, liker, post).status == 204
    assert seen_by(api, author, post)["like_count"] == 1
    assert [entry["user_id"] for entry in api.get(f"/posts/{post['id']}/likes", token=author.token).body["items"]] == [
        liker.user_id
    ]


def test_unliking_takes_the_like_back_and_again_changes_nothing(api, tenants):
    author, liker = tenants(2)
    post = posted(api, author)
    like(api, liker, post)
    for _ in range(3):
        assert unlike(api, liker, post).status == 204
    seen = seen_by(api, liker, post)
    assert seen["like_count"] == 0
    assert seen["liked_by_me"] is False
    assert api.get(f"/posts/{post['id']}/likes", token=author.token).body["items"] == []


def test_unliking_a_post_never_liked_leaves_the_count_at_zero(api, tenants):
    author, other = tenants(2)
    post = posted(api, author)
    assert unlike(api, other, post).status == 204
    assert seen_by(api, author, post)["like_count"] == 0


def test_one_persons_unlike_leaves_the_others_likes(api, tenants):
    author, first, second = tenants(3)
    post = posted(api, author)
    like(api, first, post)
    like(api, second, post)
    unlike(api, first, post)
    assert seen_by(api, second, post)["like_count"] == 1
    assert seen_by(api, second, post)["liked_by_me"] is True


def test_a_like_can_be_given_again_after_it_was_taken_back(api, tenants):
    author, liker = tenants(2)
    post = posted(api, author)
    like(api, liker, post)
    unlike(api, liker, post)
    like(api, liker, post)
    assert seen_by(api, liker, post)["like_count"] == 1


def test_the_author_can_like_their_own_post_even_a_private_one(api, tenants):
    (author,) = tenants(1)
    post = posted(api, author, visibility="private")
    assert like(api, author, post).status == 204
    assert seen_by(api, author, post)["like_count"] == 1
    assert seen_by(api, author, post)["liked_by_me"] is True


def test_another_members_private_post_cannot_be_liked_or_unliked(api, tenants, local_aws):
    author, other = tenants(2)
    post = posted(api, author, visibility="private")
    for answer in (like(api, other, post), unlike(api, other, post)):
        assert answer.status == 404, answer.body
        assert answer.body["error"]["code"] == "not_found"
    assert seen_by(api, author, post)["like_count"] == 0
    assert len(post_partition(local_aws, tenant_of(api, author), post["id"])) == 1


def test_a_post_of_another_tenant_cannot_be_liked_and_nothing_is_written(api, tenants, user, local_aws):
    (author,) = tenants(1)
    post = posted(api, author)
    assert like(api, user, post).status == 404
    assert unlike(api, user, post).status == 404
    assert seen_by(api, author, post)["like_count"] == 0
    assert post_partition(local_aws, tenant_of(api, user), post["id"]) == []


@pytest.mark.parametrize("post_id", [UNKNOWN_ID, "nope", "01hzzzzzzzzzzzzzzzzzzzzzzz"])
@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_liking_an_unknown_or_malformed_post_is_404_and_writes_nothing(api, tenants, local_aws, method, post_id):
    (member,) = tenants(1)
    answer = api.request(method, f"/posts/{post_id}/like", token=member.token)
    assert answer.status == 404
    assert answer.body["error"]["code"] == "not_found"
    if post_id == UNKNOWN_ID:
        assert post_partition(local_aws, tenant_of(api, member), post_id) == []


def test_a_like_survives_the_post_being_edited(api, tenants):
    author, liker = tenants(2)
    post = posted(api, author)
    like(api, liker, post)
    api.patch(f"/posts/{post['id']}", {"text": "Edited"}, token=author.token)
    seen = seen_by(api, liker, post)
    assert seen["like_count"] == 1
    assert seen["liked_by_me"] is True


@pytest.mark.parametrize("action", [like, unlike], ids=["like", "unlike"])
def test_a_like_or_an_unlike_is_one_transaction(api, tenants, calls, action):
    author, liker = tenants(2)
    post = posted(api, author)
    if action is unlike:
        like(api, liker, post)
    calls.clear()
    action(api, liker, post)
    assert calls.calls == ["dynamodb.TransactWriteItems"]
    calls.clear()
    action(api, liker, post)  # again: nothing to change, still one call
    assert calls.calls == ["dynamodb.TransactWriteItems"]


# Who liked


def test_the_likes_list_has_each_liker_latest_first(api, tenants):
    author, *likers = tenants(5)
    post = posted(api, author)
    # Liked in descending order of user id, so latest-first is not the order of the ids.
    order = sorted(likers, key=lambda member: member.user_id, reverse=True)
    for member in order:
        like(api, member, post)

    page = api.get(f"/posts/{post['id']}/likes", token=author.token).body

    assert [entry["user_id"] for entry in page["items"]] == [member.user_id for member in reversed(order)]
    stamps = [entry["created_at"] for entry in page["items"]]
    assert stamps == sorted(stamps, reverse=True)
    assert page["next_cursor"] is None


@pytest.mark.parametrize("limit", [1, 2, 4])
def test_the_likes_list_pages_through_every_liker_once(api, tenants, limit):
    author, *likers = tenants(5)
    post = posted(api, author)
    for member in likers:
        like(api, member, post)
    walked = walk(api, author, f"/posts/{post['id']}/likes", limit)
    assert sorted(entry["user_id"] for entry in walked) == sorted(member.user_id for member in likers)
    assert all(entry["created_at"].endswith("Z") for entry in walked)


def test_a_likes_cursor_is_refused_for_another_post(api, tenants):
    author, first, second = tenants(3)
    post, other_post = posted(api, author), posted(api, author)
    for member in (first, second):
        like(api, member, post)
        like(api, member, other_post)
    cursor = api.get(f"/posts/{post['id']}/likes?limit=1", token=author.token).body["next_cursor"]
    answer = api.get(f"/posts/{other_post['id']}/likes?limit=1&cursor={cursor}", token=author.token)
    assert answer.status == 400
    assert answer.body["error"]["code"] == "invalid_cursor"


def test_the_likes_of_a_post_one_cannot_see_are_404(api, tenants, user):
    author, other = tenants(2)
    private = posted(api, author, visibility="private")
    shared = posted(api, author)
    like(api, author, private)
    assert api.get(f"/posts/{private['id']}/likes", token=other.token).status == 404
    assert api.get(f"/posts/{shared['id']}/likes", token=user.token).status == 404
    assert api.get(f"/posts/{UNKNOWN_ID}/likes", token=other.token).status == 404
    assert api.get("/posts/nope/likes", token=other.token).status == 404


def test_the_likes_list_is_one_batch_get_and_one_query(api, tenants, calls):
    author, liker = tenants(2)
    post = posted(api, author)
    like(api, liker, post)
    calls.clear()
    api.get(f"/posts/{post['id']}/likes", token=author.token)
    assert sorted(calls.calls) == ["dynamodb.BatchGetItem", "dynamodb.Query"]


# Comments


def test_a_comment_is_201_and_counted(api, tenants):
    author, reader = tenants(2)
    post = posted(api, author)
    answer = api.post(f"/posts/{post['id']}/comments", {"text": "Great pace!"}, token=reader.token)
    assert answer.status == 201, answer.body
    comment = answer.body
    assert re.fullmatch(f"{post['id']}-{ULID}", comment["id"])
    assert comment["post_id"] == post["id"]
    assert comment["author_id"] == reader.user_id
    assert comment["text"] == "Great pace!"
    assert comment["created_at"].endswith("Z")
    assert seen_by(api, author, post)["comment_count"] == 1
    assert api.get(f"/posts/{post['id']}/comments", token=author.token).body == {
        "items": [comment],
        "next_cursor": None,
    }


@pytest.mark.parametrize("text", [SCRIPT, "  spaced  ", "x" * 1000, "é 🏃 跑", "line\nbreak"])
def test_comment_text_is_stored_and_returned_exactly_as_given(api, tenants, text):
    author, reader = tenants(2)
    post = posted(api, author)
    answer = api.post(f"/posts/{post['id']}/comments", {"text": text}, token=reader.token)
    assert answer.body["text"] == text
    listed = api.get(f"/posts/{post['id']}/comments", token=author.token)
    assert listed.body["items"][0]["text"] == text
    assert json_content_type(listed)
    assert listed.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "text"),
        ({"text": ""}, "text"),
        ({"text": "x" * 1001}, "text"),
        ({"text": None}, "text"),
        ({"text": 7}, "text"),
        ({"text": "ok", "author_id": "someone"}, "author_id"),
        ({"text": "ok", "post_id": UNKNOWN_ID}, "post_id"),
    ],
)
def test_an_invalid_comment_is_400_and_not_counted(api, tenants, body, field):
    author, reader = tenants(2)
    post = posted(api, author)
    answer = api.post(f"/posts/{post['id']}/comments", body, token=reader.token)
    assert answer.status == 400, answer.body
    assert field in answer.body["error"]["details"]
    assert seen_by(api, author, post)["comment_count"] == 0


def test_comments_are_listed_oldest_first(api, tenants):
    author, first, second = tenants(3)
    post = posted(api, author)
    made = [commented(api, member, post, f"comment {n}") for n, member in enumerate([first, second, author, first])]
    listed = api.get(f"/posts/{post['id']}/comments", token=second.token).body
    assert listed["items"] == made
    assert seen_by(api, author, post)["comment_count"] == 4


@pytest.mark.parametrize("limit", [1, 2, 3, 5])
def test_the_comments_page_through_every_comment_once_in_order(api, tenants, limit):
    author, reader = tenants(2)
    post = posted(api, author)
    made = [commented(api, reader, post, f"comment {n}")["id"] for n in range(5)]
    assert [comment["id"] for comment in walk(api, author, f"/posts/{post['id']}/comments", limit)] == made


def test_a_comments_cursor_is_refused_for_another_post_or_member(api, tenants):
    author, reader = tenants(2)
    post, other_post = posted(api, author), posted(api, author)
    for target in (post, other_post):
        commented(api, reader, target)
        commented(api, reader, target)
    cursor = api.get(f"/posts/{post['id']}/comments?limit=1", token=author.token).body["next_cursor"]
    for path, member in [(f"/posts/{other_post['id']}/comments", author), (f"/posts/{post['id']}/comments", reader)]:
        answer = api.get(f"{path}?limit=1&cursor={cursor}", token=member.token)
        assert answer.status == 400
        assert answer.body["error"]["code"] == "invalid_cursor"


def test_another_members_private_post_cannot_be_commented_or_read(api, tenants):
    author, other = tenants(2)
    post = posted(api, author, visibility="private")
    assert api.post(f"/posts/{post['id']}/comments", {"text": "Hi"}, token=other.token).status == 404
    assert api.get(f"/posts/{post['id']}/comments", token=other.token).status == 404
    assert commented(api, author, post)["author_id"] == author.user_id
    assert seen_by(api, author, post)["comment_count"] == 1


def test_a_post_of_another_tenant_cannot_be_commented_or_read_and_nothing_is_written(api, tenants, user, local_aws):
    (author,) = tenants(1)
    post = posted(api, author)
    commented(api, author, post)
    answer = api.post(f"/posts/{post['id']}/comments", {"text": "Hi"}, token=user.token)
    assert answer.status == 404
    assert answer.body["error"]["code"] == "not_found"
    assert api.get(f"/posts/{post['id']}/comments", token=user.token).status == 404
    assert post_partition(local_aws, tenant_of(api, user), post["id"]) == []
    assert seen_by(api, author, post)["comment_count"] == 1


@pytest.mark.parametrize("post_id", [UNKNOWN_ID, "nope"])
def test_commenting_on_an_unknown_post_is_404(api, tenants, local_aws, post_id):
    (member,) = tenants(1)
    answer = api.post(f"/posts/{post_id}/comments", {"text": "Hello?"}, token=member.token)
    assert answer.status == 404
    assert api.get(f"/posts/{post_id}/comments", token=member.token).status == 404
    if post_id == UNKNOWN_ID:
        assert post_partition(local_aws, tenant_of(api, member), post_id) == []


def test_a_comment_is_one_transaction_and_the_commenters_name(api, tenants, calls):
    author, reader = tenants(2)
    post = posted(api, author)
    calls.clear()
    comment = commented(api, reader, post)
    assert calls.calls == ["dynamodb.TransactWriteItems", "dynamodb.BatchGetItem"]
    assert comment["author_name"] == "Test Person"


def test_the_comments_list_is_one_batch_get_and_one_query(api, tenants, calls):
    author, reader = tenants(2)
    post = posted(api, author)
    commented(api, reader, post)
    calls.clear()
    api.get(f"/posts/{post['id']}/comments", token=author.token)
    assert sorted(calls.calls) == ["dynamodb.BatchGetItem", "dynamodb.Query"]


# Deleting comments


def test_the_commenter_deletes_their_comment(api, tenants):
    author, reader = tenants(2)
    post = posted(api, author)
    kept = commented(api, author, post, "kept")
    gone = commented(api, reader, post, "gone")
    answer = delete_comment(api, reader, gone["id"])
    assert answer.status == 204
    assert answer.body is None
    assert api.get(f"/posts/{post['id']}/comments", token=reader.token).body["items"] == [kept]
    assert seen_by(api, author, post)["comment_count"] == 1


def test_the_posts_author_deletes_someone_elses_comment(api, tenants):
    author, reader = tenants(2)
    post = posted(api, author)
    comment = commented(api, reader, post)
    assert delete_comment(api, author, comment["id"]).status == 204
    assert api.get(f"/posts/{post['id']}/comments", token=author.token).body["items"] == []
    assert seen_by(api, author, post)["comment_count"] == 0


def test_anyone_else_in_the_tenant_cannot_delete_a_comment(api, tenants):
    author, commenter, other = tenants(3)
    post = posted(api, author)
    comment = commented(api, commenter, post)
    answer = delete_comment(api, other, comment["id"])
    assert answer.status == 403, answer.body
    assert answer.body["error"]["code"] == "forbidden"
    assert api.get(f"/posts/{post['id']}/comments", token=other.token).body["items"] == [comment]
    assert seen_by(api, author, post)["comment_count"] == 1


def test_the_commenter_cannot_delete_the_posts_other_comments(api, tenants):
    author, first, second = tenants(3)
    post = posted(api, author)
    theirs = commented(api, second, post)
    commented(api, first, post)
    assert delete_comment(api, first, theirs["id"]).status == 403
    assert seen_by(api, author, post)["comment_count"] == 2


def test_a_comment_cannot_be_deleted_from_another_tenant(api, tenants, user):
    author, commenter = tenants(2)
    post = posted(api, author)
    comment = commented(api, commenter, post)
    answer = delete_comment(api, user, comment["id"])
    assert answer.status == 404
    assert answer.body["error"]["code"] == "not_found"
    assert seen_by(api, author, post)["comment_count"] == 1


def test_deleting_a_comment_twice_is_404_and_counts_once(api, tenants):
    author, reader = tenants(2)
    post = posted(api, author)
    comment = commented(api, reader, post)
    assert delete_comment(api, reader, comment["id"]).status == 204
    assert delete_comment(api, reader, comment["id"]).status == 404
    assert delete_comment(api, author, comment["id"]).status == 404
    assert seen_by(api, author, post)["comment_count"] == 0


@pytest.mark.parametrize(
    "comment_id",
    [
        f"{UNKNOWN_ID}-{UNKNOWN_ID}",
        "nope",
        UNKNOWN_ID,
        f"{UNKNOWN_ID}-{UNKNOWN_ID}-x",
        f"{UNKNOWN_ID.lower()}-{UNKNOWN_ID.lower()}",
    ],
)
def test_deleting_an_unknown_or_malformed_comment_is_404(api, tenants, comment_id):
    (member,) = tenants(1)
    answer = delete_comment(api, member, comment_id)
    assert answer.status == 404
    assert answer.body["error"]["code"] == "not_found"


def test_an_unknown_comment_on_a_real_post_is_404_for_anyone(api, tenants):
    author, other = tenants(2)
    post = posted(api, author)
    commented(api, other, post)
    for member in (author, other):
        assert delete_comment(api, member, f"{post['id']}-{UNKNOWN_ID}").status == 404
    assert seen_by(api, author, post)["comment_count"] == 1


def test_the_commenter_deleting_is_one_transaction(api, tenants, calls):
    author, reader = tenants(2)
    post = posted(api, author)
    comment = commented(api, reader, post)
    calls.clear()
    delete_comment(api, reader, comment["id"])
    assert calls.calls == ["dynamodb.TransactWriteItems"]


# Counts under concurrency


LIKERS = 50


def test_fifty_members_liking_at_once_count_fifty(api, tenants):
    members = tenants(LIKERS)
    post = posted(api, members[0])
    social = deps.social()
    identities = [identity_of(api, member, tenant_of(api, members[0])) for member in members]

    results = together(*(lambda identity=identity: social.like(identity, post["id"]) for identity in identities))

    assert results == [None] * LIKERS
    seen = seen_by(api, members[1], post)
    assert seen["like_count"] == LIKERS
    assert seen["liked_by_me"] is True
    assert len(walk(api, members[0], f"/posts/{post['id']}/likes", 100)) == LIKERS


def test_one_member_liking_ten_times_at_once_counts_one(api, tenants):
    author, liker = tenants(2)
    post = posted(api, author)
    identity = identity_of(api, liker)

    results = together(*(lambda: deps.social().like(identity, post["id"]) for _ in range(10)))

    assert results == [None] * 10
    assert seen_by(api, author, post)["like_count"] == 1


def test_one_member_unliking_ten_times_at_once_counts_zero(api, tenants):
    author, liker = tenants(2)
    post = posted(api, author)
    like(api, liker, post)
    identity = identity_of(api, liker)

    results = together(*(lambda: deps.social().unlike(identity, post["id"]) for _ in range(10)))

    assert results == [None] * 10
    assert seen_by(api, author, post)["like_count"] == 0


def test_ten_comments_at_once_count_ten(api, tenants):
    author, first, second = tenants(3)
    post = posted(api, author)
    tenant_id = tenant_of(api, author)
    identities = [identity_of(api, member, tenant_id) for member in (first, second)] * 5

    results = together(
        *(
            lambda identity=identity, n=n: deps.social().comment(identity, post["id"], {"text": f"comment {n}"})
            for n, identity in enumerate(identities)
        )
    )

    assert not [result for result in results if isinstance(result, Exception)], results
    assert seen_by(api, author, post)["comment_count"] == 10
    listed = walk(api, author, f"/posts/{post['id']}/comments", 100)
    assert sorted(comment["id"] for comment in listed) == sorted(result["id"] for result in results)


def test_twenty_members_liking_then_unliking_at_once_count_zero(api, tenants):
    author, *members = tenants(21)
    post = posted(api, author)
    tenant_id = tenant_of(api, author)
    identities = [identity_of(api, member, tenant_id) for member in members]

    likes = together(*(lambda identity=identity: deps.social().like(identity, post["id"]) for identity in identities))
    assert likes == [None] * 20
    assert seen_by(api, author, post)["like_count"] == 20

    unlikes = together(
        *(lambda identity=identity: deps.social().unlike(identity, post["id"]) for identity in identities)
    )
    assert unlikes == [None] * 20
    assert seen_by(api, author, post)["like_count"] == 0
    assert api.get(f"/posts/{post['id']}/likes", token=author.token).body["items"] == []


def test_twenty_members_each_liking_and_unliking_at_once_count_zero(api, tenants):
    author, *members = tenants(21)
    post = posted(api, author)
    tenant_id = tenant_of(api, author)

    def like_then_unlike(identity):
        deps.social().like(identity, post["id"])
        deps.social().unlike(identity, post["id"])

    identities = [identity_of(api, member, tenant_id) for member in members]
    results = together(*(lambda identity=identity: like_then_unlike(identity) for identity in identities))

    assert results == [None] * 20
    assert seen_by(api, author, post)["like_count"] == 0


def test_a_comment_racing_the_posts_deletion_is_404_or_erased_with_it(api, tenants, local_aws):
    author, *members = tenants(6)
    stream = HandlerStream(local_aws, "post_remains")
    post = posted(api, author)
    tenant_id = tenant_of(api, author)
    identities = [identity_of(api, member, tenant_id) for member in members]

    def delete():
        return deps.social().delete(identity_of(api, author, tenant_id), post["id"], None)

    results = together(
        delete,
        *(
            lambda identity=identity: deps.social().comment(identity, post["id"], {"text": "!"})
            for identity in identities
        ),
    )

    assert results[0] is None
    assert all(isinstance(result, (dict, NotFound)) for result in results[1:]), results
    assert api.get(f"/posts/{post['id']}", token=author.token).status == 404
    stream.poll()  # the post's REMOVE record: what was commented before it goes
    assert post_partition(local_aws, tenant_id, post["id"]) == []

"""Editing a comment: its author only (the post's author deletes others' comments but does not
reword them), If-Match its version (412 `version_mismatch` when stale, last write wins without
it, as posts have it), on a post still visible to them, while still a member.

Members of one tenant come from `tenants`; `user` is alone in a personal tenant."""

from datetime import timedelta

import pytest

from chalicelib import clock, deps
from chalicelib.config import settings
from chalicelib.errors import PreconditionFailed
from tests.api.test_post_interactions import identity_of, together
from tests.businesses import found_business, join

UNKNOWN_ID = "01HZZZZZZZZZZZZZZZZZZZZZZZ"


def _post(api, author, **fields):
    answer = api.post("/posts", {"text": "Leg day done", **fields}, token=author.token)
    assert answer.status == 201, answer.body
    return answer.body["id"]


def _comment(api, member, post_id, text="Nice"):
    answer = api.post(f"/posts/{post_id}/comments", {"text": text}, token=member.token)
    assert answer.status == 201, answer.body
    return answer.body


def _listed(api, member, post_id):
    answer = api.get(f"/posts/{post_id}/comments", token=member.token)
    assert answer.status == 200, answer.body
    return answer.body["items"]


def _edit(api, member, comment_id, text="Edited", version="1"):
    headers = {"If-Match": version} if version is not None else {}
    return api.patch(f"/comments/{comment_id}", {"text": text}, token=member.token, headers=headers)


def test_a_new_comment_is_version_1_and_never_edited(api, tenants):
    author, commenter = tenants(2)
    comment = _comment(api, commenter, _post(api, author))
    assert comment["version"] == 1
    assert comment["edited_at"] is None


def test_the_author_edits_their_comment_and_everyone_sees_the_new_text(api, tenants):
    author, commenter = tenants(2)
    post_id = _post(api, author)
    comment = _comment(api, commenter, post_id, "Nise")
    with clock.travel_by(timedelta(minutes=5)):
        answer = _edit(api, commenter, comment["id"], "Nice!")
    assert answer.status == 200, answer.body
    assert answer.body["text"] == "Nice!"
    assert answer.body["version"] == 2
    assert answer.body["edited_at"] > comment["created_at"]
    assert {key: answer.body[key] for key in ("id", "post_id", "author_id", "author_name", "created_at")} == {
        key: comment[key] for key in ("id", "post_id", "author_id", "author_name", "created_at")
    }
    assert _listed(api, author, post_id) == [answer.body]
    assert api.get(f"/posts/{post_id}", token=author.token).body["comment_count"] == 1


def test_each_edit_raises_the_version(api, tenants):
    (author,) = tenants(1)
    comment = _comment(api, author, _post(api, author))
    assert _edit(api, author, comment["id"], "two", "1").body["version"] == 2
    assert _edit(api, author, comment["id"], "three", "2").body["version"] == 3


def test_without_if_match_the_edit_lands_as_a_posts_does(api, tenants):
    (author,) = tenants(1)
    comment = _comment(api, author, _post(api, author))
    _edit(api, author, comment["id"], "two")
    answer = _edit(api, author, comment["id"], "last write wins", version=None)
    assert answer.status == 200, answer.body
    assert (answer.body["text"], answer.body["version"]) == ("last write wins", 3)


@pytest.mark.parametrize("if_match", ["2", "0", "99"])
def test_a_stale_version_is_412_and_changes_nothing(api, tenants, if_match):
    author, commenter = tenants(2)
    post_id = _post(api, author)
    comment = _comment(api, commenter, post_id)
    answer = _edit(api, commenter, comment["id"], "Lost", if_match)
    assert answer.status == 412, answer.body
    assert answer.body["error"]["code"] == "version_mismatch"
    assert answer.body["error"]["details"] == {"version": 1}
    assert _listed(api, author, post_id) == [comment]


def test_a_malformed_if_match_is_400(api, tenants):
    (author,) = tenants(1)
    comment = _comment(api, author, _post(api, author))
    answer = _edit(api, author, comment["id"], version="latest")
    assert answer.status == 400
    assert answer.body["error"]["code"] == "invalid_if_match"


@pytest.mark.parametrize("headers", [{}, {"If-Match": "1"}])
def test_another_member_cannot_edit_a_comment_they_see(api, tenants, headers):
    author, commenter, other = tenants(3)
    post_id = _post(api, author)
    comment = _comment(api, commenter, post_id)
    for stranger in (other, author):  # the post's author may delete it, not reword it
        answer = api.patch(f"/comments/{comment['id']}", {"text": "Defaced"}, token=stranger.token, headers=headers)
        assert answer.status == 403, answer.body
        assert answer.body["error"]["code"] == "forbidden"
    assert _listed(api, author, post_id) == [comment]


def test_a_comment_on_someone_elses_private_post_is_404_to_edit(api, tenants):
    author, commenter = tenants(2)
    post_id = _post(api, author)
    comment = _comment(api, commenter, post_id)
    api.patch(f"/posts/{post_id}", {"visibility": "private"}, token=author.token)
    # Its author no longer sees the post: the comment cannot be edited (it can still be deleted).
    answer = _edit(api, commenter, comment["id"])
    assert answer.status == 404, answer.body
    assert answer.body["error"]["message"] == "No such post."
    assert _listed(api, author, post_id) == [comment]
    assert api.request("DELETE", f"/comments/{comment['id']}", token=commenter.token).status == 204


def test_the_author_edits_their_comment_on_their_own_private_post(api, tenants):
    (author,) = tenants(1)
    post_id = _post(api, author, visibility="private")
    comment = _comment(api, author, post_id)
    assert _edit(api, author, comment["id"], "Note to self").status == 200


def test_a_comment_of_another_tenant_is_404_and_nothing_is_written(api, tenants, user):
    (author,) = tenants(1)
    post_id = _post(api, author)
    comment = _comment(api, author, post_id)
    answer = _edit(api, user, comment["id"])
    assert answer.status == 404, answer.body
    assert _listed(api, author, post_id) == [comment]


@pytest.mark.parametrize("comment_id", ["nope", UNKNOWN_ID, f"{UNKNOWN_ID}-nope", "..%2F" + UNKNOWN_ID])
def test_a_malformed_comment_id_is_404(api, tenants, comment_id):
    (author,) = tenants(1)
    answer = _edit(api, author, comment_id)
    assert answer.status == 404, answer.body
    assert answer.body["error"]["message"] == "No such comment."


def test_an_unknown_comment_on_a_visible_post_is_404_and_not_created(api, tenants):
    (author,) = tenants(1)
    post_id = _post(api, author)
    answer = _edit(api, author, f"{post_id}-{UNKNOWN_ID}")
    assert answer.status == 404, answer.body
    assert answer.body["error"]["message"] == "No such comment."
    assert _listed(api, author, post_id) == []


def test_a_comment_on_a_deleted_post_is_404_to_edit(api, tenants):
    author, commenter = tenants(2)
    post_id = _post(api, author)
    comment = _comment(api, commenter, post_id)
    assert api.request("DELETE", f"/posts/{post_id}", token=author.token).status == 204
    # The comment itself is still in the table until the stream erases it: the post decides.
    answer = _edit(api, commenter, comment["id"])
    assert answer.status == 404, answer.body
    assert answer.body["error"]["message"] == "No such post."


def test_a_deleted_comment_is_404_to_edit(api, tenants):
    (author,) = tenants(1)
    comment = _comment(api, author, _post(api, author))
    assert api.request("DELETE", f"/comments/{comment['id']}", token=author.token).status == 204
    assert _edit(api, author, comment["id"]).status == 404


def test_a_removed_members_token_cannot_edit_their_comment(api, users, user):
    business_id = found_business(api, user)
    member = join(api, users, user, business_id)
    post_id = _post(api, user)
    comment = _comment(api, member, post_id)
    removal = api.request("DELETE", f"/businesses/{business_id}/members/{member.user_id}", token=user.token)
    assert removal.status == 204, removal.body
    answer = _edit(api, member, comment["id"], "Still here")  # the token still names the business
    assert answer.status == 403, answer.body
    assert answer.body["error"]["code"] == "not_a_member"
    assert _listed(api, user, post_id) == [comment]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"text": ""}, "text"),
        ({"text": "x" * 1001}, "text"),
        ({"text": None}, "text"),
        ({"text": 7}, "text"),
        ({}, "text"),
        ({"text": "ok", "author_id": "someone"}, "author_id"),
        ({"text": "ok", "version": 9}, "version"),
    ],
)
def test_an_invalid_body_is_400_and_changes_nothing(api, tenants, body, field):
    (author,) = tenants(1)
    post_id = _post(api, author)
    comment = _comment(api, author, post_id)
    answer = api.patch(f"/comments/{comment['id']}", body, token=author.token, headers={"If-Match": "1"})
    assert answer.status == 400, answer.body
    assert field in answer.body["error"]["details"]
    assert _listed(api, author, post_id) == [comment]


def test_the_longest_text_a_comment_may_have_is_accepted(api, tenants):
    (author,) = tenants(1)
    comment = _comment(api, author, _post(api, author))
    assert _edit(api, author, comment["id"], "x" * 1000).status == 200


def test_a_body_that_is_not_json_is_refused(api, tenants):
    (author,) = tenants(1)
    comment = _comment(api, author, _post(api, author))
    not_json = api.request("PATCH", f"/comments/{comment['id']}", raw=b"{text", token=author.token)
    assert not_json.status == 400, not_json.body
    form = api.request(
        "PATCH",
        f"/comments/{comment['id']}",
        raw=b"text=x",
        token=author.token,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert form.status == 415, form.body


def _strip_version(local_aws, tenant_id, post_id, comment_key):
    """A comment as written before comments had versions."""
    local_aws.client("dynamodb").update_item(
        TableName=settings().table_name,
        Key={"PK": {"S": f"TENANT#{tenant_id}#POST#{post_id}"}, "SK": {"S": f"COMMENT#{comment_key}"}},
        UpdateExpression="REMOVE version",
    )


def test_a_comment_from_before_versions_reads_as_version_1_and_edits_to_2(api, tenants, local_aws):
    (author,) = tenants(1)
    post_id = _post(api, author)
    comment = _comment(api, author, post_id)
    tenant_id = api.get("/me", token=author.token).body["tenant_id"]
    _strip_version(local_aws, tenant_id, post_id, comment["id"].split("-", 1)[1])

    assert _listed(api, author, post_id) == [comment]  # version 1, never edited
    stale = _edit(api, author, comment["id"], "Lost", "2")
    assert stale.status == 412 and stale.body["error"]["details"] == {"version": 1}
    answer = _edit(api, author, comment["id"], "Reworded", "1")
    assert answer.status == 200, answer.body
    assert answer.body["version"] == 2
    assert _edit(api, author, comment["id"], "Lost", "1").status == 412


def test_the_export_has_the_edited_text(api, tenants):
    author, commenter = tenants(2)
    comment = _comment(api, commenter, _post(api, author))
    edited = _edit(api, commenter, comment["id"], "Better words").body
    exported = api.get("/me/export", token=commenter.token).body["comments"]
    assert exported == [{**edited, "author_name": None}]


def test_two_edits_of_one_version_at_once_land_once(api, tenants):
    """The version's condition is in the write: of two edits made from version 1 at the same
    moment, one lands (version 2) and the other is refused, never both."""
    (author,) = tenants(1)
    post_id = _post(api, author)
    comment = _comment(api, author, post_id)
    me = identity_of(api, author)
    service = deps.social()
    outcomes = together(
        *(lambda text=text: service.edit_comment(me, comment["id"], {"text": text}, 1) for text in ("first", "second"))
    )
    landed = [outcome for outcome in outcomes if isinstance(outcome, dict)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, PreconditionFailed)]
    assert len(landed) == 1 and len(refused) == 1, outcomes
    [stored] = _listed(api, author, post_id)
    assert (stored["text"], stored["version"]) == (landed[0]["text"], 2)

"""What a member wrote in a business follows them out of it: their export keeps it; the content
itself is handed over to the business (it stays in its feed, the former member no longer edits
it, `DELETE /me` still erases it); and a removed member's token, still valid for up to 15
minutes, cannot post, comment or like there any more."""

import pytest

from chalicelib.domains import routers
from tests.businesses import found_business, invite, join, refresh
from tests.catalog import CATALOG
from tests.conftest import LOCAL_TABLE


def _removed(api, admin, business_id, member):
    answer = api.request("DELETE", f"/businesses/{business_id}/members/{member.user_id}", token=admin.token)
    assert answer.status == 204, answer.body


def _wrote(api, member, admin_post):
    post = api.post("/posts", {"text": "Leg day done"}, token=member.token).body["id"]
    comment = api.post(f"/posts/{admin_post}/comments", {"text": "Nice"}, token=member.token).body["id"]
    assert api.request("PUT", f"/posts/{admin_post}/like", token=member.token).status == 204
    return post, comment


def test_the_export_keeps_what_you_wrote_in_a_business_you_left(api, users, user):
    business_id = found_business(api, user)
    member = join(api, users, user, business_id)
    admin_post = api.post("/posts", {"text": "Welcome"}, token=user.token).body["id"]
    post, comment = _wrote(api, member, admin_post)
    _removed(api, user, business_id, member)
    refresh(api, member)

    exported = api.get("/me/export", token=member.token).body

    assert [item["id"] for item in exported["posts"]] == [post]
    assert [item["id"] for item in exported["comments"]] == [comment]
    assert [item["post_id"] for item in exported["likes"]] == [admin_post]


def test_your_posts_are_handed_over_to_the_business_you_left(api, users, user, background):
    business_id = found_business(api, user)
    member = join(api, users, user, business_id)
    admin_post = api.post("/posts", {"text": "Welcome"}, token=user.token).body["id"]
    post, _ = _wrote(api, member, admin_post)
    _removed(api, user, business_id, member)
    refresh(api, member)

    assert api.get(f"/posts/{post}", token=user.token).status == 200  # the business keeps the conversation
    assert api.patch(f"/posts/{post}", {"text": "Edited"}, token=member.token).status == 404
    assert api.request("DELETE", "/me", token=member.token).status == 202
    background.drain()
    assert api.get(f"/posts/{post}", token=user.token).status == 404  # erased with the account


def test_a_removed_members_token_cannot_post_comment_or_like_there(api, users, user):
    business_id = found_business(api, user)
    member = join(api, users, user, business_id)
    admin_post = api.post("/posts", {"text": "Welcome"}, token=user.token).body["id"]
    _removed(api, user, business_id, member)  # the member's token still names the business

    attempts = [
        api.post("/posts", {"text": "Still here"}, token=member.token),
        api.post(f"/posts/{admin_post}/comments", {"text": "Still here"}, token=member.token),
        api.request("PUT", f"/posts/{admin_post}/like", token=member.token),
    ]

    for answer in attempts:
        assert answer.status == 403 and answer.body["error"]["code"] == "not_a_member", answer.body
    assert [item["id"] for item in api.get("/feed", token=user.token).body["items"]] == [admin_post]
    shown = api.get(f"/posts/{admin_post}", token=user.token).body
    assert shown["comment_count"] == 0 and shown["like_count"] == 0


# Every write route of a business, walked with the token of a member removed since (it still
# names the business for up to 15 minutes). The walk is every declared write route but those that
# only write the caller's own data, listed here with why: a route added later is walked unless it
# is named here.

SPECS = {(spec.method, spec.path): spec for router in routers() for spec, _ in router.routes}
WRITES = sorted(route for route, spec in SPECS.items() if route[0] != "GET" and not spec.public)
OWN_DATA = {
    ("POST", "/auth/mfa/totp"): "the person's own sign-in",
    ("POST", "/auth/mfa/totp/verify"): "the person's own sign-in",
    ("DELETE", "/auth/mfa/totp"): "the person's own sign-in",
    ("PUT", "/me/profile"): "their profile, in their home partition",
    ("PATCH", "/me/profile"): "their profile, in their home partition",
    ("PUT", "/me/preferences"): "their preferences, in their home partition",
    ("PUT", "/me/sharing"): "their consent; a coach's read checks both member items",
    ("POST", "/me/import"): "their own records",
    ("DELETE", "/me"): "their account: a removed member can still erase it",
    ("POST", "/me/webhooks"): "their own webhooks, on their own records",
    ("DELETE", "/me/webhooks/{webhook_id}"): "their own webhooks",
    ("POST", "/media/uploads"): "their own upload; attaching it in a business is a post, checked",
    ("POST", "/media/{media_id}/complete"): "their own upload",
    ("PUT", "/videos/{video_id}/progress"): "their own progress, in their home partition",
    ("POST", "/assessments/{assessment_id}/submissions"): "their answers and program, in their home partition",
    ("POST", "/programs/{program_id}/sessions/{number}/complete"): "their own program",
    ("POST", "/businesses"): "founds a new business: no former one is written",
    ("POST", "/invites/{code}/accept"): "joins the business the invitation names",
    ("POST", "/workouts/files"): "their own workout from their file, in their home partition",
    **{
        (method, f"/{kind}{suffix}"): "their own records, in their home partition"
        for kind in ("weights", "workouts", "tasks")
        for method, suffix in (("POST", ""), ("PATCH", f"/{{{kind[:-1]}_id}}"), ("DELETE", f"/{{{kind[:-1]}_id}}"))
    },
}
BUSINESS_WRITES = [route for route in WRITES if route not in OWN_DATA]


def _a_member_of_a_business(api, users, user):
    admin = users.create()
    business_id = found_business(api, admin)
    code = invite(api, admin, business_id, user.email)
    assert api.post(f"/invites/{code}/accept", token=user.token).status == 200
    refresh(api, user)


def _member_item_deleted(api, local_aws, user):
    """What a removal leaves in the table (the member item gone); the token is untouched. Answers
    the item, to put back for reading what the refused call left."""
    tenant_id = api.get("/me", token=user.token).body["tenant_id"]
    assert not tenant_id.startswith("personal-")
    key = {"PK": {"S": f"TENANT#{tenant_id}"}, "SK": {"S": f"MEMBER#{user.user_id}"}}
    return local_aws.client("dynamodb").delete_item(TableName=LOCAL_TABLE, Key=key, ReturnValues="ALL_OLD")[
        "Attributes"
    ]


def test_the_walk_covers_every_write_of_the_feed_and_names_only_declared_routes():
    assert set(OWN_DATA) <= set(WRITES)
    assert {
        ("PATCH", "/posts/{post_id}"),
        ("DELETE", "/posts/{post_id}"),
        ("DELETE", "/comments/{comment_id}"),
        ("DELETE", "/posts/{post_id}/like"),
        ("POST", "/videos"),
    } <= set(BUSINESS_WRITES)


@pytest.mark.parametrize("route", BUSINESS_WRITES, ids=lambda route: f"{route[0]} {route[1]}")
def test_a_removed_members_token_writes_nothing_in_the_business(api, users, user, local_aws, route):
    if not route[1].startswith("/businesses/"):  # (those found their own business, the user its admin)
        _a_member_of_a_business(api, users, user)
    request = CATALOG[route](api, users, user)
    readback = request.readback or (request.path if request.owned_id else None)
    before = api.get(readback, token=user.token).body if readback else None
    member_item = _member_item_deleted(api, local_aws, user)

    answer = request.send(api, user.token)

    assert answer.status == 403, answer.body
    assert answer.body["error"]["code"] in {"not_a_member", "role_required"}
    local_aws.client("dynamodb").put_item(TableName=LOCAL_TABLE, Item=member_item)  # to read as before
    if readback:
        assert api.get(readback, token=user.token).body == before


def test_a_removed_member_cannot_delete_another_members_comment_on_their_post(api, users, user):
    business_id = found_business(api, user)
    member = join(api, users, user, business_id)
    other = join(api, users, user, business_id)
    post = api.post("/posts", {"text": "Mine"}, token=member.token).body["id"]
    comment = api.post(f"/posts/{post}/comments", {"text": "Hi"}, token=other.token).body["id"]
    _removed(api, user, business_id, member)

    answer = api.request("DELETE", f"/comments/{comment}", token=member.token)

    assert answer.status == 403 and answer.body["error"]["code"] == "not_a_member", answer.body
    assert [item["id"] for item in api.get(f"/posts/{post}/comments", token=user.token).body["items"]] == [comment]

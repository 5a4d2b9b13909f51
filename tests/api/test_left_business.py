"""What a member wrote in a business follows them out of it: their export keeps it; the content
itself is handed over to the business (it stays in its feed, the former member no longer edits
it, `DELETE /me` still erases it); and a removed member's token, still valid for up to 15
minutes, cannot post, comment or like there any more."""

from tests.businesses import found_business, join, refresh


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

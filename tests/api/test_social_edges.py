"""What happens around a post that changes under people: made private, deleted, left."""

from chalicelib import deps
from chalicelib.identity import Identity


def _post(api, author, text="Hello"):
    return api.post("/posts", {"text": text}, token=author.token).body["id"]


def _identity(api, member):
    me = api.get("/me", token=member.token).body
    return Identity(user_id=me["user_id"], email=me["email"], tenant_id=me["tenant_id"], role="member")


def test_a_like_on_a_post_made_private_since_can_be_taken_back(api, tenants):
    author, liker = tenants(2)
    post_id = _post(api, author)
    api.request("PUT", f"/posts/{post_id}/like", token=liker.token)
    api.patch(f"/posts/{post_id}", {"visibility": "private"}, token=author.token)
    assert api.request("DELETE", f"/posts/{post_id}/like", token=liker.token).status == 204
    assert api.get(f"/posts/{post_id}", token=author.token).body["like_count"] == 0


def test_a_comment_on_a_post_made_private_since_can_be_deleted_by_its_author(api, tenants):
    author, commenter = tenants(2)
    post_id = _post(api, author)
    comment = api.post(f"/posts/{post_id}/comments", {"text": "Nice"}, token=commenter.token).body
    api.patch(f"/posts/{post_id}", {"visibility": "private"}, token=author.token)
    assert api.request("DELETE", f"/comments/{comment['id']}", token=commenter.token).status == 204
    assert api.get(f"/posts/{post_id}", token=author.token).body["comment_count"] == 0


def test_an_old_cursor_reads_nothing_of_a_post_made_private_since(api, tenants):
    author, reader = tenants(2)
    post_id = _post(api, author)
    for text in ("one", "two", "three"):
        api.post(f"/posts/{post_id}/comments", {"text": text}, token=author.token)
    first = api.get(f"/posts/{post_id}/comments?limit=1", token=reader.token).body
    api.patch(f"/posts/{post_id}", {"visibility": "private"}, token=author.token)
    later = api.get(f"/posts/{post_id}/comments?limit=1&cursor={first['next_cursor']}", token=reader.token)
    assert later.status == 404


def test_a_comment_taken_back_twice_is_counted_once(api, tenants):
    author, commenter = tenants(2)
    post_id = _post(api, author)
    comment = api.post(f"/posts/{post_id}/comments", {"text": "Nice"}, token=commenter.token).body
    assert api.request("DELETE", f"/comments/{comment['id']}", token=author.token).status == 204
    comment_key = comment["id"].split("-", 1)[1]
    deps._posts().take_back_comment(_identity(api, commenter), post_id, comment_key)
    assert api.get(f"/posts/{post_id}", token=author.token).body["comment_count"] == 0


def test_leaving_takes_back_likes_and_comments_even_on_posts_made_private(api, tenants, background):
    author, leaver = tenants(2)
    post_id = _post(api, author)
    api.request("PUT", f"/posts/{post_id}/like", token=leaver.token)
    api.post(f"/posts/{post_id}/comments", {"text": "Bye"}, token=leaver.token)
    api.patch(f"/posts/{post_id}", {"visibility": "private"}, token=author.token)
    assert api.request("DELETE", "/me", token=leaver.token).status == 202
    background.drain()
    seen = api.get(f"/posts/{post_id}", token=author.token).body
    assert (seen["like_count"], seen["comment_count"]) == (0, 0)
    assert api.get(f"/posts/{post_id}/likes", token=author.token).body["items"] == []
    assert api.get(f"/posts/{post_id}/comments", token=author.token).body["items"] == []


def test_a_stranger_guessing_a_comment_on_a_private_post_gets_404(api, tenants):
    author, stranger = tenants(2)
    post_id = _post(api, author)
    comment = api.post(f"/posts/{post_id}/comments", {"text": "Mine"}, token=author.token).body
    api.patch(f"/posts/{post_id}", {"visibility": "private"}, token=author.token)
    assert api.request("DELETE", f"/comments/{comment['id']}", token=stranger.token).status == 404


def test_a_user_id_that_cannot_be_a_cognito_sub_is_404(api, user):
    for odd in ("x" * 3000, "not-a-sub", "..%2F"):
        assert api.get(f"/users/{odd}/posts", token=user.token).status == 404

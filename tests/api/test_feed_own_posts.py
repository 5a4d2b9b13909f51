"""One's own posts stay in one's feed after founding or joining a business: the business's feed
with the caller's personal posts merged in, newest first, paged by one cursor."""

from tests.api.test_posts import posted, tenant_of
from tests.businesses import found_business, invite, refresh


def feed_texts(api, person, limit=20):
    texts, cursor = [], None
    while True:
        query = f"?limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        answer = api.get(f"/feed{query}", token=person.token)
        assert answer.status == 200, answer.body
        texts += [(post["text"], post["personal"]) for post in answer.body["items"]]
        cursor = answer.body["next_cursor"]
        if not cursor:
            return texts


def test_a_founders_own_post_stays_in_their_feed(api, user, calls):
    posted(api, user, "Before the gym")
    assert feed_texts(api, user) == [("Before the gym", False)]

    found_business(api, user)

    calls.clear()
    assert feed_texts(api, user) == [("Before the gym", True)]  # 1 -> 1, not 1 -> 0
    assert sorted(calls.calls) == ["dynamodb.BatchGetItem", "dynamodb.Query", "dynamodb.Query"]


def test_a_joiner_sees_their_old_posts_merged_with_the_business_newest_first_across_pages(api, users, user):
    business_id = found_business(api, user)
    person = users.create()
    for text in ("mine 1", "mine 2", "mine 3"):
        posted(api, person, text)
    code = invite(api, user, business_id, person.email)
    assert api.post(f"/invites/{code}/accept", token=person.token).status == 200
    refresh(api, person)
    for text in ("gym 1", "gym 2"):
        posted(api, user, text)
    posted(api, person, "mine in the gym")

    expected = [
        ("mine in the gym", False),
        ("gym 2", False),
        ("gym 1", False),
        ("mine 3", True),
        ("mine 2", True),
        ("mine 1", True),
    ]
    for limit in (1, 2, 4, 20):
        assert feed_texts(api, person, limit) == expected, limit
    # The others in the business do not see them: they live in the person's personal space.
    assert [text for text, _ in feed_texts(api, user)] == ["mine in the gym", "gym 2", "gym 1"]


def test_a_liked_old_post_shows_as_liked_from_the_business(api, users, user):
    post = posted(api, user, "Before the gym")
    assert api.put(f"/posts/{post['id']}/like", token=user.token).status == 204
    found_business(api, user)
    (item,) = api.get("/feed", token=user.token).body["items"]
    assert item["id"] == post["id"] and item["liked_by_me"] is True and item["like_count"] == 1
    assert item["author_name"] == "Test Person"


def test_a_cursor_of_the_merged_feed_is_refused_elsewhere(api, users, user):
    posted(api, user, "a")
    posted(api, user, "b")
    found_business(api, user)
    cursor = api.get("/feed?limit=1", token=user.token).body["next_cursor"]
    other = users.create()
    assert api.get(f"/feed?limit=1&cursor={cursor}", token=other.token).status == 400


def test_a_cursor_from_before_the_merge_goes_on_with_the_business_feed(api, tenants):
    from chalicelib import deps
    from chalicelib.cursors import binding

    author, reader = tenants(2)
    posts = [posted(api, author, f"post {n}") for n in range(3)]
    tenant_id = tenant_of(api, reader)
    newest = posts[-1]
    # What a page of one answered before: the Feed index's key of the page's last post.
    old = {
        "PK": {"S": f"TENANT#{tenant_id}#POST#{newest['id']}"},
        "SK": {"S": "POST"},
        "GSI1SK": {"S": f"{newest['created_at']}#{newest['id']}"},
    }
    cursor = deps.cursor_codec().encode(old, binding(reader.user_id, tenant_id, "feed", {}))
    answer = api.get(f"/feed?limit=1&cursor={cursor}", token=reader.token)
    assert answer.status == 200, answer.body
    assert [post["text"] for post in answer.body["items"]] == ["post 1"]

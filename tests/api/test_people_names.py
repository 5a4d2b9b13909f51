"""People have names: posts and comments answer `author_name`, likes and members `name`, the
profile's display name as it is now, read for a whole page at once (one BatchGetItem), never one
read per item."""

from tests.api.test_post_interactions import commented
from tests.api.test_posts import posted
from tests.businesses import found_business, invite


def renamed(api, person, name):
    answer = api.patch("/me/profile", {"display_name": name}, token=person.token)
    assert answer.status == 200, answer.body


def test_the_feed_names_each_author_and_follows_a_new_display_name(api, tenants, calls):
    ada, bo = tenants(2)
    renamed(api, ada, "Ada Lovelace")
    renamed(api, bo, "Bo Diddley")
    posted(api, ada, "first")
    posted(api, bo, "second")
    posted(api, ada, "third")

    calls.clear()
    page = api.get("/feed", token=bo.token).body["items"]
    # Not one read a post: the business's feed, the reader's personal one, one batch read.
    assert sorted(calls.calls) == ["dynamodb.BatchGetItem", "dynamodb.Query", "dynamodb.Query"]
    assert [(post["text"], post["author_name"]) for post in page] == [
        ("third", "Ada Lovelace"),
        ("second", "Bo Diddley"),
        ("first", "Ada Lovelace"),
    ]

    renamed(api, ada, "Ada King")
    page = api.get("/feed", token=bo.token).body["items"]
    assert [post["author_name"] for post in page] == ["Ada King", "Bo Diddley", "Ada King"]
    mine = api.get(f"/users/{ada.user_id}/posts", token=bo.token).body["items"]
    assert {post["author_name"] for post in mine} == {"Ada King"}


def test_a_post_read_alone_or_changed_names_its_author(api, tenants):
    ada, bo = tenants(2)
    renamed(api, ada, "Ada Lovelace")
    post = posted(api, ada)
    assert post["author_name"] == "Ada Lovelace"
    assert api.get(f"/posts/{post['id']}", token=bo.token).body["author_name"] == "Ada Lovelace"
    changed = api.patch(f"/posts/{post['id']}", {"text": "Edited"}, token=ada.token)
    assert changed.status == 200, changed.body
    assert changed.body["author_name"] == "Ada Lovelace"


def test_comments_and_likes_name_their_people_in_one_batch_read(api, tenants, calls):
    ada, bo, cy = tenants(3)
    renamed(api, bo, "Bo Diddley")
    renamed(api, cy, "Cy Twombly")
    post = posted(api, ada)
    commented(api, bo, post, "Nice")
    commented(api, cy, post, "Great")
    for person in (bo, cy):
        assert api.put(f"/posts/{post['id']}/like", token=person.token).status == 204

    calls.clear()
    comments = api.get(f"/posts/{post['id']}/comments", token=ada.token).body["items"]
    assert sorted(calls.calls) == ["dynamodb.BatchGetItem", "dynamodb.Query"]
    assert [(comment["text"], comment["author_name"]) for comment in comments] == [
        ("Nice", "Bo Diddley"),
        ("Great", "Cy Twombly"),
    ]

    calls.clear()
    likes = api.get(f"/posts/{post['id']}/likes", token=ada.token).body["items"]
    assert sorted(calls.calls) == ["dynamodb.BatchGetItem", "dynamodb.Query"]
    assert sorted((like["user_id"], like["name"]) for like in likes) == sorted(
        [(bo.user_id, "Bo Diddley"), (cy.user_id, "Cy Twombly")]
    )


def test_a_private_posts_comments_stay_hidden_though_read_with_the_names(api, tenants):
    ada, bo = tenants(2)
    post = posted(api, ada, visibility="private")
    for path in ("comments", "likes"):
        answer = api.get(f"/posts/{post['id']}/{path}", token=bo.token)
        assert answer.status == 404, answer.body
        assert "Test Person" not in str(answer.body)


def test_someone_without_a_profile_has_no_name_and_the_page_still_answers(api, tenants, local_aws):
    ada, bo = tenants(2)
    post = posted(api, ada)
    # The profile gone (an account's erasure under way): the post stays readable, without a name.
    local_aws.client("dynamodb").delete_item(
        TableName="stride-local",
        Key={"PK": {"S": f"TENANT#personal-{ada.user_id}#USER#{ada.user_id}"}, "SK": {"S": "PROFILE"}},
    )
    page = api.get("/feed", token=bo.token).body["items"]
    assert [(item["id"], item["author_name"]) for item in page] == [(post["id"], None)]


def test_members_are_listed_with_their_names(api, users, user, calls):
    business_id = found_business(api, user)
    renamed(api, user, "Grace Hopper")
    person = users.create()
    code = invite(api, user, business_id, person.email, "coach")
    assert api.post(f"/invites/{code}/accept", token=person.token).status == 200
    renamed(api, person, "Alan Turing")

    calls.clear()
    answer = api.get(f"/businesses/{business_id}/members", token=user.token)
    assert answer.status == 200, answer.body
    assert {item["user_id"]: item["name"] for item in answer.body["items"]} == {
        user.user_id: "Grace Hopper",
        person.user_id: "Alan Turing",
    }
    assert calls.calls.count("dynamodb.BatchGetItem") == 1

    changed = api.patch(f"/businesses/{business_id}/members/{person.user_id}", {"role": "member"}, token=user.token)
    assert changed.status == 200, changed.body
    assert changed.body["name"] == "Alan Turing"

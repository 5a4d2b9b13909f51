"""A create whose answer is lost (a timeout after DynamoDB wrote it) is retried by botocore; the
retry finds its own item and must not turn a success into an error."""

from chalicelib import deps
from tests.catalog import TASK


def test_a_retried_create_with_the_same_fresh_id_is_a_success_not_a_conflict(api, user, local_aws):
    # What botocore does after a timeout: the same TransactWriteItems again.
    from chalicelib.identity import Identity

    identity = Identity(user_id=user.user_id, email=user.email, tenant_id=f"personal-{user.user_id}", role="member")
    service = deps.tasks()
    item = service.build(
        {**TASK, "due_date": None, "done": False},
        {
            "id": "01KAAAAAAAAAAAAAAAAAAAAAAG",
            "created_at": "2026-01-01T00:00:00.000Z",
            "updated_at": "2026-01-01T00:00:00.000Z",
            "version": 1,
        },
        "UTC",
    )
    items = service._tasks.items
    items.create(identity, item)
    items.create(identity, item)  # the retry
    assert [task["id"] for task in api.get("/tasks", token=user.token).body["items"]] == ["01KAAAAAAAAAAAAAAAAAAAAAAG"]


def test_a_retried_post_with_its_images_is_a_success_not_a_media_error(api, user):
    from chalicelib.domains.media.store import object_key
    from chalicelib.identity import Identity
    from tests.uploads import ready_media

    media_id = ready_media(api, user)
    identity = Identity(user_id=user.user_id, email=user.email, tenant_id=f"personal-{user.user_id}", role="member")
    post = {
        "id": "01KAAAAAAAAAAAAAAAAAAAAAAH",
        "author_id": user.user_id,
        "text": "x",
        "media_ids": [media_id],
        "visibility": "tenant",
        "like_count": 0,
        "comment_count": 0,
        "created_at": "2026-01-01T00:00:00.000Z",
        "updated_at": "2026-01-01T00:00:00.000Z",
        "version": 1,
    }
    media = [{"id": media_id, "key": object_key(identity, media_id)}]
    deps._posts().create(identity, post, media)
    deps._posts().create(identity, post, media)  # the retry: its media are claimed by itself
    assert api.get(f"/posts/{post['id']}", token=user.token).body["media_ids"] == [media_id]

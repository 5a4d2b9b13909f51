from __future__ import annotations

from typing import Any

from chalicelib import deps
from chalicelib.api.router import Router
from chalicelib.identity import Identity

router = Router("social")
TRANSACTION = {"dynamodb.TransactWriteItems": 1}


@router.route(
    "/posts",
    "POST",
    summary="Post to your tenant (or privately), with up to 4 confirmed images",
    request="chalicelib.domains.social.schemas:PostInput",
    response="chalicelib.domains.social.schemas:Post",
    status=201,
    errors=(400, 403, 415, 422),
    # The post, then its author's display name for the answer.
    budget={**TRANSACTION, "dynamodb.BatchGetItem": 1},
)
def create_post(identity: Identity, body: dict[str, Any]) -> dict[str, Any]:
    return deps.social().create(identity, body)


@router.route(
    "/feed",
    "GET",
    summary=(
        "Your tenant's posts, newest first; in a business, with your own posts from before it "
        "(`personal`: seen by you only)"
    ),
    query="chalicelib.domains.social.schemas:FeedQuery",
    response="chalicelib.domains.social.schemas:PostPage",
    errors=(400,),
    # In a business, one Query more: the caller's personal feed, merged in.
    budget={"dynamodb.Query": 1, "dynamodb.BatchGetItem": 1},
)
def feed(identity: Identity, query: dict[str, Any]) -> dict[str, Any]:
    return deps.social().feed(identity, query)


@router.route(
    "/users/{user_id}/posts",
    "GET",
    summary="A member's posts (yours include the private ones)",
    query="chalicelib.domains.social.schemas:FeedQuery",
    response="chalicelib.domains.social.schemas:PostPage",
    errors=(400, 404),
    budget={"dynamodb.Query": 1, "dynamodb.BatchGetItem": 1},
)
def user_posts(identity: Identity, user_id: str, query: dict[str, Any]) -> dict[str, Any]:
    return deps.social().by_author(identity, user_id, query)


@router.route(
    "/posts/{post_id}",
    "GET",
    summary="One post",
    response="chalicelib.domains.social.schemas:Post",
    errors=(404,),
    # The post with the caller's like, then its author's display name (known only from the post).
    budget={"dynamodb.BatchGetItem": 2},
)
def get_post(identity: Identity, post_id: str) -> dict[str, Any]:
    return deps.social().get(identity, post_id)


@router.route(
    "/posts/{post_id}",
    "PATCH",
    summary="Change your post's text or visibility",
    request="chalicelib.domains.social.schemas:PostPatch",
    response="chalicelib.domains.social.schemas:Post",
    errors=(400, 403, 404, 412, 415),
    conditional=True,
    # The change with the member check in one transaction, then the post as it now is.
    budget={"dynamodb.TransactWriteItems": 1, "dynamodb.BatchGetItem": 1},
)
def patch_post(identity: Identity, post_id: str, body: dict[str, Any], expected_version: int | None) -> dict[str, Any]:
    return deps.social().patch(identity, post_id, body, expected_version)


@router.route(
    "/posts/{post_id}",
    "DELETE",
    summary="Delete your post; its likes, comments and media follow in the background",
    status=204,
    errors=(403, 404, 412),
    conditional=True,
    # Flat whatever the post holds: the post with the member check; the rest from the table's stream.
    budget=TRANSACTION,
)
def delete_post(identity: Identity, post_id: str, expected_version: int | None) -> None:
    deps.social().delete(identity, post_id, expected_version)


@router.route(
    "/posts/{post_id}/like",
    "PUT",
    summary="Like a post (idempotent)",
    status=204,
    errors=(403, 404),
    budget=TRANSACTION,
)
def like(identity: Identity, post_id: str) -> None:
    deps.social().like(identity, post_id)


@router.route(
    "/posts/{post_id}/like",
    "DELETE",
    summary="Take your like back (idempotent)",
    status=204,
    errors=(403, 404),
    budget=TRANSACTION,
)
def unlike(identity: Identity, post_id: str) -> None:
    deps.social().unlike(identity, post_id)


@router.route(
    "/posts/{post_id}/likes",
    "GET",
    summary="Who liked a post, latest first",
    query="chalicelib.domains.social.schemas:FeedQuery",
    response="chalicelib.domains.social.schemas:LikePage",
    errors=(400, 404),
    budget={"dynamodb.BatchGetItem": 1, "dynamodb.Query": 1},
)
def likes(identity: Identity, post_id: str, query: dict[str, Any]) -> dict[str, Any]:
    return deps.social().likes(identity, post_id, query)


@router.route(
    "/posts/{post_id}/comments",
    "POST",
    summary="Comment on a post",
    request="chalicelib.domains.social.schemas:CommentInput",
    response="chalicelib.domains.social.schemas:Comment",
    status=201,
    errors=(400, 403, 404, 415),
    budget={**TRANSACTION, "dynamodb.BatchGetItem": 1},
)
def comment(identity: Identity, post_id: str, body: dict[str, Any]) -> dict[str, Any]:
    return deps.social().comment(identity, post_id, body)


@router.route(
    "/posts/{post_id}/comments",
    "GET",
    summary="A post's comments, oldest first",
    query="chalicelib.domains.social.schemas:FeedQuery",
    response="chalicelib.domains.social.schemas:CommentPage",
    errors=(400, 404),
    budget={"dynamodb.BatchGetItem": 1, "dynamodb.Query": 1},
)
def comments(identity: Identity, post_id: str, query: dict[str, Any]) -> dict[str, Any]:
    return deps.social().comments(identity, post_id, query)


@router.route(
    "/comments/{comment_id}",
    "PATCH",
    summary="Change your comment's text (If-Match: its version)",
    request="chalicelib.domains.social.schemas:CommentPatch",
    response="chalicelib.domains.social.schemas:Comment",
    errors=(400, 403, 404, 412, 415),
    conditional=True,
    # The change with the post's visibility and the member check in one transaction, then the
    # comment as it now is with its author's name.
    budget={"dynamodb.TransactWriteItems": 1, "dynamodb.BatchGetItem": 1},
)
def edit_comment(
    identity: Identity, comment_id: str, body: dict[str, Any], expected_version: int | None
) -> dict[str, Any]:
    return deps.social().edit_comment(identity, comment_id, body, expected_version)


@router.route(
    "/comments/{comment_id}",
    "DELETE",
    summary="Delete a comment (its author or the post's author)",
    status=204,
    errors=(403, 404),
    budget=TRANSACTION,
)
def delete_comment(identity: Identity, comment_id: str) -> None:
    deps.social().delete_comment(identity, comment_id)

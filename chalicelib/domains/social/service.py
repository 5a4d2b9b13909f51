"""Posts, likes and comments among the members of a tenant."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from chalicelib.clock import utc_now
from chalicelib.collection import DEFAULT_LIMIT, update_from
from chalicelib.cursors import Pages
from chalicelib.domains.media.public import object_key
from chalicelib.domains.social.store import NO_COMMENT, NO_POST, removed_post, visible_to
from chalicelib.errors import InvalidInput, NotFound
from chalicelib.identity import MEMBER, Identity
from chalicelib.ids import PATTERN as ID_PATTERN
from chalicelib.ids import new_id
from chalicelib.logs import stdout_logger

if TYPE_CHECKING:
    from chalicelib.cursors import CursorCodec
    from chalicelib.domains.media.public import MediaFiles
    from chalicelib.domains.social.store import PostStore

logger = stdout_logger("stride.social")
_ID = re.compile(ID_PATTERN)
_USER_ID = re.compile(r"^[0-9a-fA-F-]{36}$")
_COMMENT_ID = re.compile(r"^([0-9A-HJKMNP-TV-Z]{26})-([0-9A-HJKMNP-TV-Z]{26})$")
_POST_FIELDS = (
    "id",
    "author_id",
    "text",
    "media_ids",
    "visibility",
    "like_count",
    "comment_count",
    "created_at",
    "updated_at",
    "version",
)


def _post_view(post: dict[str, Any], liked: bool, names: dict[str, str] | None = None) -> dict[str, Any]:
    view = {key: post.get(key) for key in _POST_FIELDS}
    view["author_name"] = (names or {}).get(post["author_id"])
    view["media_ids"] = list(view["media_ids"] or [])
    view["like_count"] = int(view["like_count"] or 0)
    view["comment_count"] = int(view["comment_count"] or 0)
    view["liked_by_me"] = liked
    view["personal"] = False
    return view


def _comment_view(comment: dict[str, Any], names: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "id": f"{comment['post_id']}-{comment['comment_key']}",
        "post_id": comment["post_id"],
        "author_id": comment["author_id"],
        "author_name": (names or {}).get(comment["author_id"]),
        "text": comment["text"],
        "created_at": comment["created_at"],
        "edited_at": comment.get("edited_at"),
        # Comments written before they could be edited carry no version: their first is 1.
        "version": int(comment.get("version") or 1),
    }


def _comment_parts(comment_id: str) -> tuple[str, str]:
    """A comment's id is its post's id and its own key."""
    match = _COMMENT_ID.fullmatch(comment_id)
    if not match:
        raise NotFound(NO_COMMENT)
    return match.group(1), match.group(2)


def _check_id(post_id: str) -> None:
    if not _ID.fullmatch(post_id):
        raise NotFound(NO_POST)


class SocialService:
    def __init__(
        self,
        posts: PostStore,
        files: MediaFiles,
        cursors: Callable[[], CursorCodec],
        clock: Callable[[], str] = utc_now,
    ):
        self._posts = posts
        self._files = files
        self._cursors = cursors
        self._clock = clock

    def _pages(self, identity: Identity, name: str, query: dict[str, Any]) -> Pages:
        return Pages(self._cursors(), identity.user_id, identity.tenant_id, name, query)

    # Posts

    def create(self, identity: Identity, body: dict[str, Any]) -> dict[str, Any]:
        media_ids = body.get("media_ids", [])
        if len(set(media_ids)) != len(media_ids):
            raise InvalidInput("Each media id once.", details={"media_ids": ["Duplicates."]})
        now = self._clock()
        post = {
            "id": new_id(),
            "author_id": identity.user_id,
            "text": body["text"],
            "media_ids": media_ids,
            "visibility": body["visibility"],
            "like_count": 0,
            "comment_count": 0,
            "created_at": now,
            "updated_at": now,
            "version": 1,
        }
        media = [{"id": media_id, "key": object_key(identity, media_id)} for media_id in media_ids]
        self._posts.create(identity, post, media)
        return _post_view(post, liked=False, names=self._posts.names([identity.user_id]))

    def get(self, identity: Identity, post_id: str) -> dict[str, Any]:
        _check_id(post_id)
        post, liked, _ = self._posts.get(identity, post_id)
        if post is None or not visible_to(identity, post):
            raise NotFound(NO_POST)
        return _post_view(post, liked, self._posts.names([post["author_id"]]))

    def _page_of_posts(self, identity: Identity, posts: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The page's likes by the caller and its authors' names: one batch read, not one a post."""
        homes = {post["id"]: post["_tenant"] for post in posts if "_tenant" in post}
        liked, names = self._posts.liked_and_names(
            identity, [post["id"] for post in posts], [post["author_id"] for post in posts], homes
        )
        return [{**_post_view(post, post["id"] in liked, names), "personal": "_tenant" in post} for post in posts]

    def feed(self, identity: Identity, query: dict[str, Any]) -> dict[str, Any]:
        pages = self._pages(identity, "feed", query)
        posts, last = self._posts.feed(identity, query.get("limit", DEFAULT_LIMIT), pages.start)
        return {"items": self._page_of_posts(identity, posts), "next_cursor": pages.next_cursor(last)}

    def by_author(self, identity: Identity, user_id: str, query: dict[str, Any]) -> dict[str, Any]:
        if not _USER_ID.fullmatch(user_id):
            raise NotFound("No such member.")  # Cognito subs are UUIDs; nothing else can have posts
        pages = self._pages(identity, f"posts:{user_id}", query)
        posts, last = self._posts.by_author(identity, user_id, query.get("limit", DEFAULT_LIMIT), pages.start)
        return {"items": self._page_of_posts(identity, posts), "next_cursor": pages.next_cursor(last)}

    def patch(
        self, identity: Identity, post_id: str, changes: dict[str, Any], expected_version: int | None
    ) -> dict[str, Any]:
        _check_id(post_id)
        if not changes:
            raise InvalidInput("Name at least one field to change.", code="empty_patch")
        update = update_from(changes)
        if "visibility" in changes:
            # In the feed index only while visible to the tenant (GSI1SK stays, GSI1PK comes and goes).
            if changes["visibility"] == "tenant":
                update.set(update.path("GSI1PK"), f"TENANT#{identity.tenant_id}#FEED")
            else:
                update.removes.append(update.path("GSI1PK"))
        update.stamp(self._clock())
        self._posts.update(identity, post_id, update, expected_version)
        # Only the author changes a post: their name comes in the same read.
        post, liked, names = self._posts.get(identity, post_id, consistent=True, author_id=identity.user_id)
        if post is None:
            raise NotFound(NO_POST)  # deleted between the change and this read
        return _post_view(post, liked, names)

    def delete(self, identity: Identity, post_id: str, expected_version: int | None) -> None:
        """The post at once, in one transaction whatever it holds; its likes, comments and media
        are erased in the background (`erase_remains`, from the table's stream)."""
        _check_id(post_id)
        self._posts.delete(identity, post_id, expected_version)

    def erase_remains(self, tenant_id: str, post: dict[str, Any]) -> None:
        """What a deleted post leaves: its likes and comments, its media items, pointers and files.
        Idempotent (a batch delivered again deletes what is left, if anything)."""
        author = Identity(user_id=post["author_id"], email="", tenant_id=tenant_id, role=MEMBER)
        self.remove_remains(author, post)

    def remove_remains(self, identity: Identity, post: dict[str, Any]) -> None:
        self._posts.delete_remains(identity, post["id"], post.get("media_ids") or [])
        self._files.delete([object_key(identity, media_id) for media_id in post.get("media_ids") or []])

    def on_stream(self, records: list[dict[str, Any]]) -> dict[str, Any]:
        """The table's stream: each deleted post's remains erased. A failure stops the batch at
        that record and reports it: Lambda hands it again from there (erasing is idempotent),
        and after its retries to the failure queue (infra/stride.json)."""
        for record in records:
            removed = removed_post(record)
            if removed is None:
                continue
            try:
                self.erase_remains(*removed)
            except Exception as exc:
                logger.warning(json.dumps({"message": "post_remains_retry", "error": type(exc).__name__}))
                return {"batchItemFailures": [{"itemIdentifier": record["dynamodb"]["SequenceNumber"]}]}
        return {"batchItemFailures": []}

    # Likes

    def like(self, identity: Identity, post_id: str) -> None:
        _check_id(post_id)
        self._posts.like(identity, post_id, self._clock())

    def unlike(self, identity: Identity, post_id: str) -> None:
        _check_id(post_id)
        self._posts.unlike(identity, post_id)

    def _visible_or_404(self, identity: Identity, post_id: str, user_ids: list[str]) -> dict[str, str]:
        """The names of a page's people, read with the post: the page is answered only if the post
        is visible to the caller (checked every page: a post made private since the first page
        hides the rest too)."""
        post, names = self._posts.with_names(identity, post_id, user_ids)
        if not visible_to(identity, post):
            raise NotFound(NO_POST)
        return names

    def likes(self, identity: Identity, post_id: str, query: dict[str, Any]) -> dict[str, Any]:
        _check_id(post_id)
        pages = self._pages(identity, f"likes:{post_id}", query)
        likes, last = self._posts.likes_page(identity, post_id, query.get("limit", DEFAULT_LIMIT), pages.start)
        names = self._visible_or_404(identity, post_id, [like["user_id"] for like in likes])
        items = [
            {"user_id": like["user_id"], "name": names.get(like["user_id"]), "created_at": like["created_at"]}
            for like in likes
        ]
        return {"items": items, "next_cursor": pages.next_cursor(last)}

    # Comments

    def comment(self, identity: Identity, post_id: str, body: dict[str, Any]) -> dict[str, Any]:
        _check_id(post_id)
        comment = {
            "comment_key": new_id(),
            "post_id": post_id,
            "author_id": identity.user_id,
            "text": body["text"],
            "created_at": self._clock(),
            "version": 1,
        }
        self._posts.add_comment(identity, post_id, comment)
        return _comment_view(comment, self._posts.names([identity.user_id]))

    def comments(self, identity: Identity, post_id: str, query: dict[str, Any]) -> dict[str, Any]:
        _check_id(post_id)
        pages = self._pages(identity, f"comments:{post_id}", query)
        comments, last = self._posts.comments_page(identity, post_id, query.get("limit", DEFAULT_LIMIT), pages.start)
        names = self._visible_or_404(identity, post_id, [comment["author_id"] for comment in comments])
        return {
            "items": [_comment_view(comment, names) for comment in comments],
            "next_cursor": pages.next_cursor(last),
        }

    def edit_comment(
        self, identity: Identity, comment_id: str, body: dict[str, Any], expected_version: int | None
    ) -> dict[str, Any]:
        """Its author's new text (on a post still visible to them, still a member): one
        transaction, then the comment as it now is with their name in one read."""
        post_id, comment_key = _comment_parts(comment_id)
        self._posts.edit_comment(identity, post_id, comment_key, body["text"], self._clock(), expected_version)
        comment, names = self._posts.comment_with_name(identity, post_id, comment_key)
        if comment is None:
            raise NotFound(NO_COMMENT)  # deleted between the change and this read
        return _comment_view(comment, names)

    def delete_comment(self, identity: Identity, comment_id: str) -> None:
        self._posts.delete_comment(identity, *_comment_parts(comment_id))

    # Export and account deletion (SocialService joins the account-data registry)

    def export_authored(self, identity: Identity) -> dict[str, list[dict[str, Any]]]:
        authored = self._posts.authored(identity)
        return {
            "posts": [_post_view(item, False) for item in authored if item["_sk"] == "POST"],
            "comments": [_comment_view(item) for item in authored if item["_sk"].startswith("COMMENT#")],
            "likes": [
                {"post_id": item["post_id"], "created_at": item["created_at"]}
                for item in authored
                if item["_sk"].startswith("LIKE#")
            ],
        }

    def delete_authored(self, identity: Identity) -> None:
        """Likes and comments on others' posts go with their counts; own posts go whole."""
        authored = self._posts.authored(identity)
        for item in authored:
            if item["_sk"].startswith("LIKE#"):
                try:
                    self._posts.unlike(identity, item["post_id"], as_member=False)
                except NotFound:
                    continue  # the post went first
            elif item["_sk"].startswith("COMMENT#"):
                self._posts.take_back_comment(identity, item["post_id"], item["comment_key"])
        for item in authored:
            if item["_sk"] == "POST":
                self._posts.delete_post_item(identity, item["id"])
                self.remove_remains(identity, item)

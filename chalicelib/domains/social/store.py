"""Posts of a tenant, their likes and comments.

A post and everything hanging off it share a partition (TENANT#t#POST#id: POST, LIKE#<sub>,
COMMENT#<id>). The Feed index holds the tenant's visible posts newest first; the ByAuthor index
holds everything a person wrote in the tenant (posts, likes, comments, attachments), for their
profile page, their export and their account's deletion. Every key starts with the caller's
verified tenant, so another tenant's post is never found, whatever the id.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.domains.me.public import NAME_PROJECTION, batch_read, name_key, names_in
from chalicelib.domains.media.public import claim_media, media_sort_key
from chalicelib.errors import Forbidden, NotFound, PreconditionFailed, Unprocessable
from chalicelib.identity import Identity, personal_tenant
from chalicelib.repositories.anchor import ACCOUNT, account_check, account_deleted
from chalicelib.repositories.dynamo import (
    Labelled,
    UpdateBuilder,
    batch_delete,
    failed_conditions,
    from_item,
    put_new,
    query_all,
    run_transaction,
    to_item,
    to_value,
    transact,
    user_key,
)
from chalicelib.repositories.items import TIME_INDEX

FEED_INDEX, AUTHOR_INDEX = "Feed", "ByAuthor"
# Another member's posts are filtered (their private ones dropped) after the read: each Query reads
# up to FILTERED_READ_FACTOR pages' worth, and a page keeps reading until it is full or the
# member's posts end, up to MAX_FILTERED_READS Queries. Only a run of more than
# MAX_FILTERED_READS * FILTERED_READ_FACTOR * (limit + 1) private posts gives a short page (with a
# cursor to the rest).
FILTERED_READ_FACTOR, MAX_FILTERED_READS = 2, 5
POST_SK, LIKE, COMMENT = "POST", "LIKE#", "COMMENT#"
NO_POST = "No such post."
NO_COMMENT = "No such comment."


def post_partition(tenant_id: str, post_id: str) -> str:
    return f"TENANT#{tenant_id}#POST#{post_id}"


def feed_partition(tenant_id: str) -> str:
    return f"TENANT#{tenant_id}#FEED"


def author_partition(tenant_id: str, user_id: str) -> str:
    return f"TENANT#{tenant_id}#AUTHOR#{user_id}"


def attachment_key(tenant_id: str, media_id: str) -> dict[str, Any]:
    return {"PK": {"S": f"TENANT#{tenant_id}#MEDIA#{media_id}"}, "SK": {"S": "ATTACHMENT"}}


def _key(partition: str, sort_key: str) -> dict[str, Any]:
    return {"PK": {"S": partition}, "SK": {"S": sort_key}}


def _not_a_member() -> Forbidden:
    return Forbidden("You are no longer a member of this business; refresh your tokens.", code="not_a_member")


def removed_post(record: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The tenant and the last image of a post a stream record says was deleted, else None."""
    data = record.get("dynamodb") or {}
    keys = data.get("Keys") or {}
    partition, sort_key = keys.get("PK", {}).get("S", ""), keys.get("SK", {}).get("S", "")
    if record.get("eventName") != "REMOVE" or sort_key != POST_SK or not partition.startswith("TENANT#"):
        return None
    tenant_id, marker, post_id = partition[len("TENANT#") :].rpartition("#POST#")
    old = data.get("OldImage")
    if not marker or not tenant_id or not post_id or not old:
        return None
    return tenant_id, {**from_item(old), "id": post_id}


def visible_to(identity: Identity, post: dict[str, Any] | None) -> bool:
    return post is not None and (post["visibility"] == "tenant" or post["author_id"] == identity.user_id)


class PostStore:
    def __init__(self, client: Any, table_name: str):
        self._client = client
        self._table = table_name

    def _still_member(self, identity: Identity) -> list[Labelled]:
        """In a business, the caller's member item still exists: a removed member's token (valid
        up to 15 minutes) cannot post, comment or like there. Nothing to check in a personal tenant."""
        if identity.business_id is None:
            return []
        key = _key(f"TENANT#{identity.tenant_id}", f"MEMBER#{identity.user_id}")
        return [
            (
                "member",
                {
                    "ConditionCheck": {
                        "TableName": self._table,
                        "Key": key,
                        "ConditionExpression": "attribute_exists(PK)",
                    }
                },
            )
        ]

    def _post_key(self, identity: Identity, post_id: str) -> dict[str, Any]:
        return _key(post_partition(identity.tenant_id, post_id), POST_SK)

    # Posts

    def create(self, identity: Identity, post: dict[str, Any], media: list[dict[str, Any]]) -> None:
        """The post, its media claimed (ready, of the caller, not yet attached) and pointed at from
        the tenant, and the account check: one transaction."""
        item = {
            **post,
            "GSI1SK": f"{post['created_at']}#{post['id']}",
            "GSI2PK": author_partition(identity.tenant_id, identity.user_id),
            "GSI2SK": f"POST#{post['created_at']}#{post['id']}",
        }
        if post["visibility"] == "tenant":
            item["GSI1PK"] = feed_partition(identity.tenant_id)
        membership = self._still_member(identity)
        actions: list[Labelled] = [
            ("post", put_new(self._table, self._post_key(identity, post["id"]), item)),
            account_check(self._table, identity),
            *membership,
        ]
        for entry in media:
            claim = claim_media(self._table, identity, entry["id"], ("post_id", post["id"]), ("purpose", "post"))
            actions.append(("media", claim))
            attachment = {
                "post_id": post["id"],
                "owner_id": identity.user_id,
                "key": entry["key"],
                "GSI2PK": author_partition(identity.tenant_id, identity.user_id),
                "GSI2SK": f"ATTACHMENT#{entry['id']}",
            }
            put = {
                "TableName": self._table,
                "Item": {**attachment_key(identity.tenant_id, entry["id"]), **to_item(attachment)},
            }
            actions.append(("attachment", {"Put": put}))
        run_transaction(
            self._client,
            actions,
            {
                "post": lambda: None,  # our fresh id: an earlier attempt of this call (answer lost) wrote it all
                ACCOUNT: account_deleted,
                "member": _not_a_member,
                "media": lambda: Unprocessable(
                    "Attach only images you uploaded, confirmed and have not attached elsewhere.",
                    code="media_not_ready",
                    details={"media_ids": ["Not a ready image of yours, or already attached."]},
                ),
            },
        )

    def get(
        self, identity: Identity, post_id: str, *, consistent: bool = False, author_id: str | None = None
    ) -> tuple[dict[str, Any] | None, bool, dict[str, str]]:
        """The post, whether the caller likes it and, when its author is known beforehand (the
        caller's own post), the author's display name: one BatchGetItem (strongly consistent to
        answer a write just made)."""
        keys = [
            self._post_key(identity, post_id),
            _key(post_partition(identity.tenant_id, post_id), LIKE + identity.user_id),
            *([name_key(author_id)] if author_id else []),
        ]
        found = batch_read(self._client, self._table, keys, consistent=consistent)
        post = found.get((keys[0]["PK"]["S"], POST_SK))
        liked = (keys[1]["PK"]["S"], keys[1]["SK"]["S"]) in found
        return post, liked, names_in(found, [author_id] if author_id else [])

    def with_names(
        self, identity: Identity, post_id: str, user_ids: list[str]
    ) -> tuple[dict[str, Any] | None, dict[str, str]]:
        """The post and the display names of these people (a page's likers or commenters): one
        BatchGetItem (two beyond 99 people)."""
        post_key = self._post_key(identity, post_id)
        found = batch_read(self._client, self._table, [post_key, *(name_key(user_id) for user_id in user_ids)])
        return found.get((post_key["PK"]["S"], POST_SK)), names_in(found, user_ids)

    def liked_and_names(
        self, identity: Identity, post_ids: list[str], author_ids: list[str], homes: dict[str, str] | None = None
    ) -> tuple[set[str], dict[str, str]]:
        """Which of these posts the caller likes, and their authors' display names: one BatchGetItem
        for a page of up to 50 posts (a page of more takes two). `homes` names the tenant of a post
        that is not in the caller's."""
        if not post_ids:
            return set(), {}
        homes = homes or {}  # a post of another tenant than the caller's (their own, from before a business)
        likes = [
            _key(post_partition(homes.get(post_id, identity.tenant_id), post_id), LIKE + identity.user_id)
            for post_id in post_ids
        ]
        names = [name_key(user_id) for user_id in sorted(set(author_ids))]
        found = batch_read(self._client, self._table, likes + names, NAME_PROJECTION)
        liked = {
            post_id for post_id, key in zip(post_ids, likes, strict=True) if (key["PK"]["S"], key["SK"]["S"]) in found
        }
        return liked, names_in(found, author_ids)

    def names(self, user_ids: list[str]) -> dict[str, str]:
        """The display names of these people: one BatchGetItem."""
        found = batch_read(self._client, self._table, [name_key(user_id) for user_id in user_ids], NAME_PROJECTION)
        return names_in(found, user_ids)

    def feed(
        self, identity: Identity, limit: int, start: dict[str, Any] | None
    ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        """The tenant's visible posts, newest first. In a business, the caller's own posts from
        their personal tenant (made before they founded or joined it) are merged in, so they never
        vanish from their author's feed; each such post carries `_tenant` (its home). Two Queries
        then, one a stream; the cursor holds each stream's position ("end" once it is read out)."""
        home = personal_tenant(identity.user_id)
        if identity.tenant_id == home:
            return self._feed_of(identity.tenant_id, limit, start)
        position = start or {"tenant": None, "own": None}
        if "PK" in position:  # a cursor from before the merge: the business's feed alone, from there
            position = {"tenant": position, "own": "end"}
        streams: dict[str, tuple[str, list[dict[str, Any]], dict[str, Any] | None]] = {}
        for name, tenant_id in (("tenant", identity.tenant_id), ("own", home)):
            if position.get(name) != "end":
                items, last = self._feed_of(tenant_id, limit, position.get(name))
                streams[name] = (tenant_id, items, last)
        merged = sorted(
            ((item["GSI1SK"], name, item) for name, (_, items, _) in streams.items() for item in items),
            key=lambda entry: entry[0],
            reverse=True,
        )[:limit]
        page = [{**item, "_tenant": streams[name][0]} if name == "own" else item for _, name, item in merged]
        after = {name: value for name, value in position.items() if value == "end"}
        for name, (tenant_id, items, last) in streams.items():
            taken = [item for _, taken_from, item in merged if taken_from == name]
            if len(taken) == len(items):
                after[name] = last if last else "end"  # all read were shown: on from where the read stopped
            elif taken:
                after[name] = self._feed_position(tenant_id, taken[-1])
            else:
                after[name] = position.get(name)
        more = any(value != "end" for value in after.values())
        return page, (after if more else None)

    def _feed_of(
        self, tenant_id: str, limit: int, start: dict[str, Any] | None
    ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        return self._index_page(FEED_INDEX, "GSI1PK", feed_partition(tenant_id), "GSI1SK", None, limit, start)

    @staticmethod
    def _feed_position(tenant_id: str, post: dict[str, Any]) -> dict[str, Any]:
        """The Feed index's position just after this post (its key, as a Query's LastEvaluatedKey)."""
        return {
            "PK": to_value(post_partition(tenant_id, post["id"])),
            "SK": to_value(POST_SK),
            "GSI1SK": to_value(post["GSI1SK"]),
        }

    def by_author(
        self, identity: Identity, author_id: str, limit: int, start: dict[str, Any] | None
    ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        own = author_id == identity.user_id
        return self._index_page(
            AUTHOR_INDEX,
            "GSI2PK",
            author_partition(identity.tenant_id, author_id),
            "GSI2SK",
            "POST#",
            limit,
            start,
            None if own else "visibility = :tenant",
        )

    def _index_page(
        self,
        index: str,
        pk_name: str,
        pk: str,
        sk_name: str,
        prefix: str | None,
        limit: int,
        start: dict[str, Any] | None,
        visible_filter: str | None = None,
    ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        condition = f"{pk_name} = :pk" + (f" AND begins_with({sk_name}, :prefix)" if prefix else "")
        values: dict[str, Any] = {":pk": to_value(pk)}
        if prefix:
            values[":prefix"] = to_value(prefix)
        params: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": index,
            "KeyConditionExpression": condition,
            "ScanIndexForward": False,
            "Limit": limit + 1,
        }
        if visible_filter:
            params["FilterExpression"] = visible_filter
            values[":tenant"] = to_value("tenant")
            # Read past what the filter drops: a few times a page at a time.
            params["Limit"] = FILTERED_READ_FACTOR * (limit + 1)
        params["ExpressionAttributeValues"] = values
        if start:
            params["ExclusiveStartKey"] = {**start, pk_name: to_value(pk)}
        raw: list[dict[str, Any]] = []
        evaluated_to = None
        for _ in range(MAX_FILTERED_READS if visible_filter else 1):
            response = self._client.query(**params)
            raw += response.get("Items", [])
            evaluated_to = response.get("LastEvaluatedKey")
            if len(raw) > limit or not evaluated_to:
                break
            params["ExclusiveStartKey"] = evaluated_to
        if len(raw) > limit:  # a full page, and more after it
            raw = raw[:limit]
            last = {name: raw[-1][name] for name in ("PK", "SK", sk_name)}
        elif evaluated_to and visible_filter:  # the bound: a short page, the rest after the cursor
            last = {name: value for name, value in evaluated_to.items() if name != pk_name}
        else:
            last = None
        return [from_item(item) for item in raw], last

    def _author_condition(self, expected_version: int | None) -> tuple[str, dict[str, Any]]:
        condition = "author_id = :me" + (" AND #version = :expected" if expected_version is not None else "")
        values = {":expected": to_value(expected_version)} if expected_version is not None else {}
        return condition, values

    def update(self, identity: Identity, post_id: str, update: UpdateBuilder, expected_version: int | None) -> None:
        """The author's change, with the member check in the same transaction: a token outliving
        its holder's membership no longer edits in the business."""
        condition, versioned = self._author_condition(expected_version)
        names = {**update.names, **({"#version": "version"} if expected_version is not None else {})}
        action = {
            "Update": {
                "TableName": self._table,
                "Key": self._post_key(identity, post_id),
                "UpdateExpression": update.expression(),
                "ConditionExpression": condition,
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": {**update.values, **versioned, ":me": to_value(identity.user_id)},
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        }
        self._as_author(identity, action, expected_version)

    def delete(self, identity: Identity, post_id: str, expected_version: int | None) -> None:
        """Deletes the post (its author only, still a member): one transaction. Its likes, comments
        and media go in the background, from the stream's REMOVE record (`erase_remains`)."""
        condition, versioned = self._author_condition(expected_version)
        action: dict[str, Any] = {
            "Delete": {
                "TableName": self._table,
                "Key": self._post_key(identity, post_id),
                "ConditionExpression": condition,
                "ExpressionAttributeValues": {**versioned, ":me": to_value(identity.user_id)},
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        }
        if expected_version is not None:
            action["Delete"]["ExpressionAttributeNames"] = {"#version": "version"}
        self._as_author(identity, action, expected_version)

    def _as_author(self, identity: Identity, action: dict[str, Any], expected_version: int | None) -> None:
        self._write_own(identity, ("post", action), lambda old: self._refusal(identity, old, expected_version))

    def _write_own(
        self,
        identity: Identity,
        own: Labelled,
        refusal: Callable[[dict[str, Any] | None], Exception],
        post_check: dict[str, Any] | None = None,
    ) -> None:
        """The caller's write to their own post or comment (`own`, answering ALL_OLD when its
        condition fails), still a member and, for a comment, on a post still visible to them
        (`post_check`): one transaction. Refused as not a member, as the post gone, or as
        `refusal` of the item as it was."""
        actions: list[Labelled] = [own, *([("post", post_check)] if post_check else []), *self._still_member(identity)]
        try:
            transact(self._client, [item for _, item in actions])
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "TransactionCanceledException":
                raise
            failed = failed_conditions(exc, [label for label, _ in actions])
            if "member" in failed:
                raise _not_a_member() from exc
            if post_check is not None and "post" in failed:
                raise NotFound(NO_POST) from exc  # deleted, or someone else's private post
            if own[0] not in failed:
                raise
            old = exc.response["CancellationReasons"][0].get("Item")
            raise refusal(from_item(old) if old else None) from exc

    @staticmethod
    def _refusal(identity: Identity, old: dict[str, Any] | None, expected_version: int | None) -> Exception:
        if old is None or not visible_to(identity, old):
            return NotFound(NO_POST)
        if old["author_id"] != identity.user_id:
            return Forbidden("Only the author can change or delete a post.")
        return PreconditionFailed(
            f"The post changed: its version is {int(old['version'])}, not {expected_version}.",
            details={"version": int(old["version"])},
        )

    def partition_keys(self, tenant_id: str, post_id: str) -> list[dict[str, Any]]:
        """Every key left in a post's partition (its likes and comments)."""
        params: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "PK = :pk",
            "ProjectionExpression": "PK, SK",
            "ExpressionAttributeValues": {":pk": to_value(post_partition(tenant_id, post_id))},
            "ConsistentRead": True,
        }
        return query_all(self._client, params)

    def visible_attachment(self, identity: Identity, media_id: str) -> str | None:
        """The object key of media attached to a post the caller can see, else None."""
        pointer = self._client.get_item(TableName=self._table, Key=attachment_key(identity.tenant_id, media_id))
        if "Item" not in pointer:
            return None
        attachment = from_item(pointer["Item"])
        post = self._client.get_item(TableName=self._table, Key=self._post_key(identity, attachment["post_id"]))
        return attachment["key"] if visible_to(identity, from_item(post["Item"]) if "Item" in post else None) else None

    # Likes

    def like(self, identity: Identity, post_id: str, now: str) -> None:
        """Idempotent: the like and the counter change together, or neither does."""
        like = {
            "TSK": f"{LIKE}{now}#{identity.user_id}",  # the post's likes, latest first, on the ByTime index
            "user_id": identity.user_id,
            "post_id": post_id,
            "created_at": now,
            "GSI2PK": author_partition(identity.tenant_id, identity.user_id),
            "GSI2SK": f"LIKE#{now}#{post_id}",
        }
        actions = [
            (
                "item",
                put_new(self._table, _key(post_partition(identity.tenant_id, post_id), LIKE + identity.user_id), like),
            ),
            ("post", self._count(identity, post_id, "like_count", 1)),
            account_check(self._table, identity),
            *self._still_member(identity),
        ]
        self._counted(actions)

    def unlike(self, identity: Identity, post_id: str, *, as_member: bool = True) -> None:
        """Idempotent. A like on a post made private since can still be taken back; without a
        like, a post the caller cannot see is a 404 like any other. A caller removed from the
        business is refused (`as_member=False`: their account's erasure takes it back)."""
        like_key = _key(post_partition(identity.tenant_id, post_id), LIKE + identity.user_id)
        membership = self._still_member(identity) if as_member else []

        def actions(require: str) -> list[Labelled]:
            return [
                (
                    "item",
                    {
                        "Delete": {
                            "TableName": self._table,
                            "Key": like_key,
                            "ConditionExpression": "attribute_exists(PK)",
                        }
                    },
                ),
                ("post", self._count(identity, post_id, "like_count", -1, require=require)),
                *membership,
            ]

        visible = actions("visible")
        try:
            transact(self._client, [action for _, action in visible])
            return
        except ClientError as exc:
            failed = failed_conditions(exc, [label for label, _ in visible])
            if not failed:
                raise
            if "member" in failed:
                raise _not_a_member() from exc
            if failed == {"item", "post"}:
                raise NotFound(NO_POST) from exc
            if "item" in failed:
                return  # nothing to take back
        self._counted(actions("exists"))

    def _count(
        self, identity: Identity, post_id: str, counter: str, delta: int, *, require: str = "visible"
    ) -> dict[str, Any]:
        """The counter's change, on the condition that the post is visible to the caller (to add
        a like or a comment), exists (to take one back, even from a post made private since), or
        is the caller's (a post's author deleting a comment on it)."""
        conditions = {
            "visible": "attribute_exists(PK) AND (visibility = :tenant OR author_id = :me)",
            "exists": "attribute_exists(PK)",
            "author": "author_id = :me",
        }
        values = {":delta": to_value(delta)}
        if require != "exists":
            values[":me"] = to_value(identity.user_id)
        if require == "visible":
            values[":tenant"] = to_value("tenant")
        return {
            "Update": {
                "TableName": self._table,
                "Key": self._post_key(identity, post_id),
                "UpdateExpression": f"ADD {counter} :delta",
                "ConditionExpression": conditions[require],
                "ExpressionAttributeValues": values,
            }
        }

    def _counted(self, actions: list[Labelled]) -> None:
        """Runs an item-and-counter transaction. The post's condition failing is a 404; the item's
        alone means the change was already made (idempotent)."""
        run_transaction(
            self._client,
            actions,
            {
                ACCOUNT: account_deleted,
                "member": _not_a_member,
                "post": lambda: NotFound(NO_POST),
                "item": lambda: None,
            },
        )

    def likes_page(
        self, identity: Identity, post_id: str, limit: int, start: dict[str, Any] | None
    ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        return self._partition_page(identity, post_id, LIKE, limit, start, ascending=False, by_time=True)

    # Comments

    def add_comment(self, identity: Identity, post_id: str, comment: dict[str, Any]) -> None:
        item = {
            **comment,
            "GSI2PK": author_partition(identity.tenant_id, identity.user_id),
            "GSI2SK": f"COMMENT#{comment['created_at']}#{comment['comment_key']}",
        }
        key = _key(post_partition(identity.tenant_id, post_id), COMMENT + comment["comment_key"])
        actions = [
            ("item", put_new(self._table, key, item)),
            ("post", self._count(identity, post_id, "comment_count", 1)),
            account_check(self._table, identity),
            *self._still_member(identity),
        ]
        self._counted(actions)

    def delete_comment(self, identity: Identity, post_id: str, comment_key: str) -> None:
        """By the comment's author, or else by the post's author, either still a member: the
        comment and the counter together."""
        key = _key(post_partition(identity.tenant_id, post_id), COMMENT + comment_key)
        membership = self._still_member(identity)
        as_commenter: list[Labelled] = [
            (
                "comment",
                {
                    "Delete": {
                        "TableName": self._table,
                        "Key": key,
                        "ConditionExpression": "author_id = :me",
                        "ExpressionAttributeValues": {":me": to_value(identity.user_id)},
                    }
                },
            ),
            ("post", self._count(identity, post_id, "comment_count", -1, require="exists")),
            *membership,
        ]
        failed = self._try(as_commenter)
        if failed is None:
            return
        if "member" in failed:
            raise _not_a_member()
        if "post" in failed:
            raise NotFound(NO_POST)
        as_post_author: list[Labelled] = [
            (
                "comment",
                {"Delete": {"TableName": self._table, "Key": key, "ConditionExpression": "attribute_exists(PK)"}},
            ),
            ("post", self._count(identity, post_id, "comment_count", -1, require="author")),
            *membership,
        ]
        failed = self._try(as_post_author)
        if failed is None:
            return
        if "member" in failed:
            raise _not_a_member()
        if "comment" in failed:
            raise NotFound(NO_COMMENT)
        post = self._client.get_item(TableName=self._table, Key=self._post_key(identity, post_id)).get("Item")
        if not visible_to(identity, from_item(post) if post else None):
            raise NotFound(NO_POST)  # someone else's private post: it does not exist for you
        raise Forbidden("Only the comment's author or the post's author can delete it.")

    def edit_comment(
        self, identity: Identity, post_id: str, comment_key: str, text: str, now: str, expected_version: int | None
    ) -> None:
        """The comment's author changes its text, on a post still visible to them, still a member:
        one transaction. A comment from before versions has none: it is version 1, and 2 once edited."""
        partition = post_partition(identity.tenant_id, post_id)
        condition = "author_id = :me"
        values: dict[str, Any] = {":me": to_value(identity.user_id), ":text": to_value(text), ":now": to_value(now)}
        values[":one"] = to_value(1)
        if expected_version is not None:
            condition += " AND (#version = :expected" + (
                " OR attribute_not_exists(#version))" if expected_version == 1 else ")"
            )
            values[":expected"] = to_value(expected_version)
        update = {
            "Update": {
                "TableName": self._table,
                "Key": _key(partition, COMMENT + comment_key),
                "UpdateExpression": (
                    "SET #text = :text, edited_at = :now, #version = if_not_exists(#version, :one) + :one"
                ),
                "ConditionExpression": condition,
                "ExpressionAttributeNames": {"#text": "text", "#version": "version"},
                "ExpressionAttributeValues": values,
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }
        }
        post_check = {
            "ConditionCheck": {
                "TableName": self._table,
                "Key": self._post_key(identity, post_id),
                "ConditionExpression": "attribute_exists(PK) AND (visibility = :tenant OR author_id = :me)",
                "ExpressionAttributeValues": {":tenant": to_value("tenant"), ":me": to_value(identity.user_id)},
            }
        }

        def refusal(comment: dict[str, Any] | None) -> Exception:
            if comment is None:
                return NotFound(NO_COMMENT)
            if comment["author_id"] != identity.user_id:
                return Forbidden("Only the comment's author can edit it.")
            version = int(comment.get("version") or 1)
            return PreconditionFailed(
                f"The comment changed: its version is {version}, not {expected_version}.",
                details={"version": version},
            )

        self._write_own(identity, ("comment", update), refusal, post_check)

    def comment_with_name(
        self, identity: Identity, post_id: str, comment_key: str
    ) -> tuple[dict[str, Any] | None, dict[str, str]]:
        """The caller's own comment as it now is, with their display name: one strongly
        consistent BatchGetItem."""
        key = _key(post_partition(identity.tenant_id, post_id), COMMENT + comment_key)
        found = batch_read(self._client, self._table, [key, name_key(identity.user_id)], consistent=True)
        return found.get((key["PK"]["S"], key["SK"]["S"])), names_in(found, [identity.user_id])

    def _try(self, actions: list[Labelled]) -> set[str] | None:
        """Runs the transaction: None when done, else the labels whose condition failed (a
        cancellation no condition explains is raised as it came)."""
        try:
            transact(self._client, [action for _, action in actions])
        except ClientError as exc:
            failed = failed_conditions(exc, [label for label, _ in actions])
            if not failed:
                raise
            return failed
        return None

    def comments_page(
        self, identity: Identity, post_id: str, limit: int, start: dict[str, Any] | None
    ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        return self._partition_page(identity, post_id, COMMENT, limit, start, ascending=True)

    def _partition_page(
        self,
        identity: Identity,
        post_id: str,
        prefix: str,
        limit: int,
        start: dict[str, Any] | None,
        *,
        ascending: bool,
        by_time: bool = False,
    ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        partition = post_partition(identity.tenant_id, post_id)
        sort_key = "TSK" if by_time else "SK"
        params: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": f"PK = :pk AND begins_with({sort_key}, :prefix)",
            "ExpressionAttributeValues": {":pk": to_value(partition), ":prefix": to_value(prefix)},
            "ScanIndexForward": ascending,
            "Limit": limit + 1,
        }
        if by_time:
            params["IndexName"] = TIME_INDEX
        if start:
            params["ExclusiveStartKey"] = {"PK": to_value(partition), **start}
        raw = self._client.query(**params).get("Items", [])
        more = len(raw) > limit
        raw = raw[:limit]
        last = {name: raw[-1][name] for name in {"SK", sort_key}} if more else None
        return [from_item(item) for item in raw], last

    def authored(self, identity: Identity) -> list[dict[str, Any]]:
        """Everything the caller wrote in their tenant: posts, likes, comments, attachments."""
        params: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": AUTHOR_INDEX,
            "KeyConditionExpression": "GSI2PK = :pk",
            "ExpressionAttributeValues": {":pk": to_value(author_partition(identity.tenant_id, identity.user_id))},
        }
        return [{**from_item(raw), "_sk": raw["SK"]["S"]} for raw in query_all(self._client, params)]

    def take_back_comment(self, identity: Identity, post_id: str, comment_key: str) -> None:
        """A leaving member's comment: gone with its count, whether or not the post still is."""
        key = _key(post_partition(identity.tenant_id, post_id), COMMENT + comment_key)
        try:
            transact(
                self._client,
                [
                    {"Delete": {"TableName": self._table, "Key": key, "ConditionExpression": "attribute_exists(PK)"}},
                    self._count(identity, post_id, "comment_count", -1, require="exists"),
                ],
            )
        except ClientError as exc:
            failed = failed_conditions(exc, ["comment", "post"])
            if "comment" in failed:
                return  # already deleted (by the post's author, say): counted then
            if "post" not in failed:
                raise
            self._client.delete_item(TableName=self._table, Key=key)  # the post is gone: no count to keep

    def delete_remains(self, identity: Identity, post_id: str, media_ids: list[str]) -> None:
        """What a deleted post leaves: its likes and comments, its media items and their pointers."""
        keys = self.partition_keys(identity.tenant_id, post_id)
        for media_id in media_ids:
            keys.append(user_key(identity, media_sort_key(media_id)))
            keys.append(attachment_key(identity.tenant_id, media_id))
        batch_delete(self._client, self._table, keys)

    def delete_post_item(self, identity: Identity, post_id: str) -> None:
        """The post itself, unconditionally (its author's account is being deleted)."""
        batch_delete(self._client, self._table, [self._post_key(identity, post_id)])

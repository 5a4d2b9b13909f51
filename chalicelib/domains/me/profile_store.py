"""Profiles: one item per user. Writes are single UpdateItem calls on exact paths."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.domains.me.preferences_defaults import DEFAULTS
from chalicelib.domains.me.preferences_store import SORT_KEY as PREFERENCES_SK
from chalicelib.errors import ACCOUNT_DELETED, Conflict, Unauthenticated
from chalicelib.identity import Identity
from chalicelib.repositories.accounts import account_entry_put
from chalicelib.repositories.anchor import SORT_KEY
from chalicelib.repositories.dynamo import (
    UpdateBuilder,
    from_item,
    home_partition,
    put_new,
    run_transaction,
    user_key,
)

# Nested maps a PATCH may address path by path.
MAP_FIELDS = ("goals",)
PROFILE_FIELDS = ("display_name", "birth_date", "sex", "height_cm", "bio", "goals", "avatar_media_id")


# What another store reads of many profiles at once, in the BatchGetItem it runs for its own page
# (one round trip for the page, whatever the number of people on it): the key, the projection, the
# name read back. The name is read at answer time, so a changed display name shows at once.
NAME_PROJECTION = "PK, SK, display_name"
BATCH_KEYS = 100  # BatchGetItem's limit


def name_key(user_id: str) -> dict[str, Any]:
    return {"PK": {"S": home_partition(user_id)}, "SK": {"S": SORT_KEY}}


def names_in(found: dict[tuple[str, str], dict[str, Any]], user_ids: Any) -> dict[str, str]:
    """The display names among items a batch read found (keyed by (PK, SK)), by user id; a person
    without a profile (a deleted account) is left out."""
    names = {}
    for user_id in set(user_ids):
        item = found.get((home_partition(user_id), SORT_KEY))
        if item and item.get("display_name"):
            names[user_id] = item["display_name"]
    return names


def batch_read(
    client: Any, table: str, keys: list[dict[str, Any]], projection: str | None = None, consistent: bool = False
) -> dict[tuple[str, str], dict[str, Any]]:
    """Every item of `keys` that exists, by (PK, SK): one BatchGetItem per BATCH_KEYS keys, its
    unprocessed keys asked again."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    unique = list({(key["PK"]["S"], key["SK"]["S"]): key for key in keys}.values())
    for start in range(0, len(unique), BATCH_KEYS):
        options: dict[str, Any] = {"Keys": unique[start : start + BATCH_KEYS]}
        if projection:
            options["ProjectionExpression"] = projection
        if consistent:
            options["ConsistentRead"] = True
        request: dict[str, Any] = {table: options}
        while request:
            response = client.batch_get_item(RequestItems=request)
            for raw in response.get("Responses", {}).get(table, []):
                found[(raw["PK"]["S"], raw["SK"]["S"])] = from_item(raw)
            request = response.get("UnprocessedKeys") or {}
    return found


def read_names(client: Any, table: str, user_ids: Any) -> dict[str, str]:
    """The display names of these people: one BatchGetItem (up to BATCH_KEYS people)."""
    wanted = sorted(set(user_ids))
    if not wanted:
        return {}
    found = batch_read(client, table, [name_key(user_id) for user_id in wanted], NAME_PROJECTION)
    return names_in(found, wanted)


class ProfileStore:
    def __init__(self, client: Any, table_name: str):
        self._client = client
        self._table = table_name

    def get(self, identity: Identity) -> dict[str, Any] | None:
        response = self._client.get_item(TableName=self._table, Key=user_key(identity, SORT_KEY))
        item = response.get("Item")
        return from_item(item) if item else None

    def exists(self, identity: Identity) -> bool:
        response = self._client.get_item(
            TableName=self._table, Key=user_key(identity, SORT_KEY), ProjectionExpression="PK", ConsistentRead=True
        )
        return "Item" in response

    def create(self, identity: Identity, fields: dict[str, Any], now: str, *, timezone: str | None = None) -> None:
        """The profile made at sign-up; refuses to overwrite an existing one. The account is
        listed in the same transaction (chalicelib.repositories.accounts), for the reconciliation;
        with a time zone, the preferences are saved in it too (the defaults in that zone: every
        e-mail off, so no schedule entry to write)."""
        item = {**fields, "goals": fields.get("goals", {}), "created_at": now, "updated_at": now, "version": 1}
        actions = [
            ("profile", put_new(self._table, user_key(identity, SORT_KEY), item)),
            ("listed", account_entry_put(self._table, identity.user_id, now)),
        ]
        if timezone:
            preferences = {**DEFAULTS, "timezone": timezone, "updated_at": now}
            actions.append(("preferences", put_new(self._table, user_key(identity, PREFERENCES_SK), preferences)))
        conflict = lambda: Conflict("A profile already exists for this user.")  # noqa: E731
        run_transaction(self._client, actions, {"profile": conflict, "preferences": conflict})

    def delete(self, identity: Identity) -> None:
        """Undoes `create` when the sign-up it belonged to failed later on (its preferences too)."""
        self._client.delete_item(TableName=self._table, Key=user_key(identity, SORT_KEY))
        self._client.delete_item(TableName=self._table, Key=user_key(identity, PREFERENCES_SK))

    def replace(self, identity: Identity, fields: dict[str, Any], now: str) -> dict[str, Any]:
        """Sets every given field and removes every other one, in one UpdateItem."""
        update = UpdateBuilder()
        for name in PROFILE_FIELDS:
            value = fields.get(name)
            if name in MAP_FIELDS:
                update.set(update.path(name), {key: inner for key, inner in (value or {}).items() if inner is not None})
            elif value is None:
                update.removes.append(update.path(name))
            else:
                update.set(update.path(name), value)
        update.stamp(now)
        return self._update(identity, update)

    def patch(self, identity: Identity, changes: dict[str, Any], now: str) -> dict[str, Any]:
        """Sets or removes (None) exactly the given paths, nested ones included: one UpdateItem.
        Every profile has its `goals` map from sign-up on, so a nested path always has a parent."""
        return self._update(identity, self._patch_update(changes, now))

    def _patch_update(self, changes: dict[str, Any], now: str) -> UpdateBuilder:
        update = UpdateBuilder()
        for name, value in changes.items():
            if value is None and name in MAP_FIELDS:
                update.set(update.path(name), {})  # cleared, not removed: nested paths stay settable
            elif value is None:
                update.removes.append(update.path(name))
            elif name in MAP_FIELDS:
                for key, inner in value.items():
                    if inner is None:
                        update.removes.append(update.path(name, key))
                    else:
                        update.set(update.path(name, key), inner)
            else:
                update.set(update.path(name), value)
        update.stamp(now)
        return update

    def _update(self, identity: Identity, update: UpdateBuilder) -> dict[str, Any]:
        try:
            response = self._client.update_item(
                TableName=self._table,
                Key=user_key(identity, SORT_KEY),
                UpdateExpression=update.expression(),
                # Never creates a profile: one that is gone belongs to a deleted account.
                ConditionExpression="attribute_exists(PK)",
                ExpressionAttributeNames=update.names,
                ExpressionAttributeValues=update.values,
                ReturnValues="ALL_NEW",
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise Unauthenticated(ACCOUNT_DELETED, code="account_deleted") from exc
            raise
        return from_item(response["Attributes"])

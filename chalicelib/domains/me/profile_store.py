"""Profiles: one item per user. Writes are single UpdateItem calls on exact paths."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.errors import ACCOUNT_DELETED, Conflict, Unauthenticated
from chalicelib.identity import Identity
from chalicelib.repositories.accounts import account_entry_put
from chalicelib.repositories.anchor import SORT_KEY
from chalicelib.repositories.dynamo import UpdateBuilder, from_item, put_new, run_transaction, user_key

# Nested maps a PATCH may address path by path.
MAP_FIELDS = ("goals",)
PROFILE_FIELDS = ("display_name", "birth_date", "sex", "height_cm", "bio", "goals", "avatar_media_id")


class ProfileRepository:
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

    def create(self, identity: Identity, fields: dict[str, Any], now: str) -> None:
        """The profile made at sign-up; refuses to overwrite an existing one. The account is
        listed in the same transaction (chalicelib.repositories.accounts), for the reconciliation."""
        item = {**fields, "goals": fields.get("goals", {}), "created_at": now, "updated_at": now, "version": 1}
        run_transaction(
            self._client,
            [
                ("profile", put_new(self._table, user_key(identity, SORT_KEY), item)),
                ("listed", account_entry_put(self._table, identity.user_id, now)),
            ],
            {"profile": lambda: Conflict("A profile already exists for this user.")},
        )

    def delete(self, identity: Identity) -> None:
        """Undoes `create` when the sign-up it belonged to failed later on."""
        self._client.delete_item(TableName=self._table, Key=user_key(identity, SORT_KEY))

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

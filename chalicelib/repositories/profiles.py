"""Profiles: one item per user. Writes are single UpdateItem calls on exact paths."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.errors import Conflict
from chalicelib.identity import Identity
from chalicelib.repositories.dynamo import UpdateBuilder, from_item, to_item, user_key

SORT_KEY = "PROFILE"
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

    def create(self, identity: Identity, fields: dict[str, Any], now: str) -> None:
        """The profile made at sign-up; refuses to overwrite an existing one."""
        item = {**fields, "goals": fields.get("goals", {}), "created_at": now, "updated_at": now, "version": 1}
        try:
            self._client.put_item(
                TableName=self._table,
                Item={**user_key(identity, SORT_KEY), **to_item(item)},
                ConditionExpression="attribute_not_exists(PK)",
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise Conflict("A profile already exists for this user.") from exc
            raise

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
        """Sets or removes (None) exactly the given paths, nested ones included: one UpdateItem."""
        try:
            return self._update(identity, self._patch_update(changes, now, nested=True))
        except ClientError as exc:
            if not _is_missing_map_error(exc):
                raise
        # The item has no map yet to set a path in (a profile not made at sign-up): write
        # the maps whole, on the condition that they still do not exist.
        try:
            return self._update(
                identity,
                self._patch_update(changes, now, nested=False),
                condition=" AND ".join(f"attribute_not_exists({name})" for name in MAP_FIELDS if name in changes),
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
        return self._update(identity, self._patch_update(changes, now, nested=True))

    def _patch_update(self, changes: dict[str, Any], now: str, *, nested: bool) -> UpdateBuilder:
        update = UpdateBuilder()
        for name, value in changes.items():
            if value is None:
                update.removes.append(update.path(name))
            elif name in MAP_FIELDS and nested:
                for key, inner in value.items():
                    if inner is None:
                        update.removes.append(update.path(name, key))
                    else:
                        update.set(update.path(name, key), inner)
            elif name in MAP_FIELDS:
                update.set(update.path(name), {key: inner for key, inner in value.items() if inner is not None})
            else:
                update.set(update.path(name), value)
        update.stamp(now)
        return update

    def _update(self, identity: Identity, update: UpdateBuilder, condition: str | None = None) -> dict[str, Any]:
        params: dict[str, Any] = {
            "TableName": self._table,
            "Key": user_key(identity, SORT_KEY),
            "UpdateExpression": update.expression(),
            "ExpressionAttributeNames": update.names,
            "ExpressionAttributeValues": update.values,
            "ReturnValues": "ALL_NEW",
        }
        if condition:
            params["ConditionExpression"] = condition
        return from_item(self._client.update_item(**params)["Attributes"])


def _is_missing_map_error(exc: ClientError) -> bool:
    error = exc.response["Error"]
    return error["Code"] == "ValidationException" and "document path" in error.get("Message", "")

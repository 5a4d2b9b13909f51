"""Shared DynamoDB plumbing: the key scheme and (de)serialization of items."""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from chalicelib.identity import Identity

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()
KEY_ATTRIBUTES = ("PK", "SK")


def user_partition(identity: Identity) -> str:
    """Every item a user owns lives under their tenant and verified sub."""
    return f"TENANT#{identity.tenant_id}#USER#{identity.user_id}"


def user_key(identity: Identity, sort_key: str) -> dict[str, Any]:
    return {"PK": {"S": user_partition(identity)}, "SK": {"S": sort_key}}


def to_item(values: dict[str, Any]) -> dict[str, Any]:
    return {name: _serializer.serialize(value) for name, value in values.items() if value is not None}


def to_value(value: Any) -> dict[str, Any]:
    return _serializer.serialize(value)


def from_item(item: dict[str, Any]) -> dict[str, Any]:
    return {name: _deserializer.deserialize(value) for name, value in item.items() if name not in KEY_ATTRIBUTES}


class UpdateBuilder:
    """Accumulates SET/REMOVE clauses with placeholder names and values."""

    def __init__(self) -> None:
        self.sets: list[str] = []
        self.removes: list[str] = []
        self.names: dict[str, str] = {}
        self.values: dict[str, Any] = {}

    def path(self, *parts: str) -> str:
        placeholders = []
        for part in parts:
            placeholder = f"#n{len(self.names)}"
            self.names[placeholder] = part
            placeholders.append(placeholder)
        return ".".join(placeholders)

    def value(self, value: Any) -> str:
        placeholder = f":v{len(self.values)}"
        self.values[placeholder] = to_value(value)
        return placeholder

    def set(self, path: str, value: Any) -> None:
        self.sets.append(f"{path} = {self.value(value)}")

    def expression(self) -> str:
        clauses = [f"SET {', '.join(self.sets)}", "ADD #version :one"]
        if self.removes:
            clauses.append(f"REMOVE {', '.join(self.removes)}")
        return " ".join(clauses)

    def stamp(self, now: str) -> None:
        self.names["#version"] = "version"
        self.values[":one"] = to_value(1)
        self.set(self.path("updated_at"), now)
        created = self.path("created_at")
        self.sets.append(f"{created} = if_not_exists({created}, {self.value(now)})")

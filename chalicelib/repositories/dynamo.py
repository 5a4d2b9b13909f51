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

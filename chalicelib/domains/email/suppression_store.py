"""Stride's own list of addresses that get no more mail: one item per address that bounced for good
or complained, keyed by a hash of the address (the key holds no readable address). SES keeps its
own list too (the configuration set's suppression); this one lets Stride refuse before asking SES,
and lets the local stack refuse what SES would."""

from __future__ import annotations

import hashlib
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.repositories.dynamo import to_item

SUPPRESSED_PREFIX = "SUPPRESSED#"
SORT_KEY = "SUPPRESSED"


def address_key(address: str) -> dict[str, Any]:
    digest = hashlib.sha256(address.strip().lower().encode()).hexdigest()
    return {"PK": {"S": f"{SUPPRESSED_PREFIX}{digest}"}, "SK": {"S": SORT_KEY}}


class SuppressionStore:
    def __init__(self, client: Any, table_name: str):
        self._client = client
        self._table = table_name

    def add(self, address: str, reason: str, at: str) -> bool:
        """Records the address as suppressed; False when it was already (the first reason stays)."""
        try:
            self._client.put_item(
                TableName=self._table,
                Item={**address_key(address), **to_item({"reason": reason, "suppressed_at": at})},
                ConditionExpression="attribute_not_exists(PK)",
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def contains(self, address: str) -> bool:
        item = self._client.get_item(
            TableName=self._table, Key=address_key(address), ProjectionExpression="PK", ConsistentRead=True
        )
        return "Item" in item

    def remove(self, address: str) -> None:
        """Lifts the suppression (an operator's decision, after the person fixed their mailbox)."""
        self._client.delete_item(TableName=self._table, Key=address_key(address))

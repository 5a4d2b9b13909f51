"""Assessment definitions a tenant added, under the tenant's partition (the built-in ones are
data in chalicelib.content, not items)."""

from __future__ import annotations

from typing import Any

from chalicelib.repositories.dynamo import from_item, to_item, to_value

PREFIX = "ASSESSMENT#"


def tenant_partition(tenant_id: str) -> str:
    return f"TENANT#{tenant_id}"


def _key(tenant_id: str, assessment_id: str) -> dict[str, Any]:
    return {"PK": to_value(tenant_partition(tenant_id)), "SK": to_value(f"{PREFIX}{assessment_id}")}


class AssessmentStore:
    def __init__(self, client: Any, table_name: str):
        self._client = client
        self._table = table_name

    def get(self, tenant_id: str, assessment_id: str) -> dict[str, Any] | None:
        response = self._client.get_item(TableName=self._table, Key=_key(tenant_id, assessment_id))
        return from_item(response["Item"]) if "Item" in response else None

    def create(self, tenant_id: str, item: dict[str, Any]) -> None:
        self._client.put_item(
            TableName=self._table,
            Item={**_key(tenant_id, item["id"]), **to_item(item)},
            ConditionExpression="attribute_not_exists(PK)",  # a fresh ULID: never taken
        )

    def page(
        self, tenant_id: str, limit: int, start: dict[str, Any] | None
    ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        """One Query, newest first; the position of the next page (without the partition)."""
        params: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
            "ExpressionAttributeValues": {":pk": to_value(tenant_partition(tenant_id)), ":prefix": to_value(PREFIX)},
            "ScanIndexForward": False,
            "Limit": limit + 1,
        }
        if start:
            params["ExclusiveStartKey"] = {"PK": to_value(tenant_partition(tenant_id)), **start}
        raw = self._client.query(**params).get("Items", [])
        last = {"SK": raw[limit - 1]["SK"]} if len(raw) > limit else None
        return [from_item(item) for item in raw[:limit]], last

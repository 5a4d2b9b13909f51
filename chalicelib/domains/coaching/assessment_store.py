"""Assessment definitions a tenant added, under the tenant's partition (the built-in ones are
data in chalicelib.content, not items)."""

from __future__ import annotations

from typing import Any

from chalicelib.errors import PreconditionFailed
from chalicelib.identity import Identity
from chalicelib.repositories.anchor import ACCOUNT, account_check, account_deleted
from chalicelib.repositories.dynamo import (
    from_item,
    put_new,
    run_transaction,
    to_item,
    to_value,
)

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

    def create(self, identity: Identity, item: dict[str, Any]) -> None:
        """The definition, in the caller's tenant, while the caller's account exists."""
        actions = [
            ("assessment", put_new(self._table, _key(identity.tenant_id, item["id"]), item)),
            account_check(self._table, identity),
        ]
        # A failed assessment condition: a fresh ULID, so only a retried earlier attempt of this call wrote it.
        run_transaction(self._client, actions, {ACCOUNT: account_deleted, "assessment": lambda: None})

    def replace(self, identity: Identity, item: dict[str, Any], read_version: int) -> None:
        """The edited definition, if it is still the version read, while the account exists."""
        put = {
            "Put": {
                "TableName": self._table,
                "Item": {**_key(identity.tenant_id, item["id"]), **to_item(item)},
                "ConditionExpression": "version = :read",
                "ExpressionAttributeValues": {":read": to_value(read_version)},
            }
        }
        self._guarded(put, identity)

    def delete(self, identity: Identity, assessment_id: str, read_version: int) -> None:
        delete = {
            "Delete": {
                "TableName": self._table,
                "Key": _key(identity.tenant_id, assessment_id),
                "ConditionExpression": "version = :read",
                "ExpressionAttributeValues": {":read": to_value(read_version)},
            }
        }
        self._guarded(delete, identity)

    def _guarded(self, action: dict[str, Any], identity: Identity) -> None:
        run_transaction(
            self._client,
            [("assessment", action), account_check(self._table, identity)],
            {
                ACCOUNT: account_deleted,
                "assessment": lambda: PreconditionFailed("The assessment changed meanwhile; read it again."),
            },
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

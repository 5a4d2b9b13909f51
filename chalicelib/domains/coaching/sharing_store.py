"""The member's sharing setting (one item in their partition), and the check a coach's read of a
member's data makes: a member of the coach's business, sharing with coaches."""

from __future__ import annotations

from typing import Any

from chalicelib.domains.coaching.assessment_store import tenant_partition
from chalicelib.identity import Identity
from chalicelib.repositories.anchor import ACCOUNT, account_check, account_deleted
from chalicelib.repositories.dynamo import from_item, run_transaction, to_item, to_value, user_key, user_partition

SORT_KEY = "SHARING"


class SharingStore:
    def __init__(self, client: Any, table_name: str):
        self._client = client
        self._table = table_name

    def get(self, identity: Identity) -> dict[str, Any] | None:
        response = self._client.get_item(TableName=self._table, Key=user_key(identity, SORT_KEY))
        return from_item(response["Item"]) if "Item" in response else None

    def put(self, identity: Identity, sharing: dict[str, Any]) -> None:
        """The put and a check that the account still exists, in one transaction."""
        put = {"Put": {"TableName": self._table, "Item": {**user_key(identity, SORT_KEY), **to_item(sharing)}}}
        run_transaction(
            self._client, [("sharing", put), account_check(self._table, identity)], {ACCOUNT: account_deleted}
        )

    def shares_with_business(self, business_id: str, member: Identity, viewer_id: str) -> bool:
        """One BatchGetItem: the member's item in the business, their setting, and the viewer's own
        item there (a coach removed or demoted a minute ago, whose token still says coach, reads
        nothing more of anyone's health data)."""
        membership = {"PK": to_value(tenant_partition(business_id)), "SK": to_value(f"MEMBER#{member.user_id}")}
        viewer = {"PK": to_value(tenant_partition(business_id)), "SK": to_value(f"MEMBER#{viewer_id}")}
        setting = user_key(member, SORT_KEY)
        keys = [membership, setting] if viewer_id == member.user_id else [membership, viewer, setting]
        found: list[dict[str, Any]] = []
        for _ in range(3):  # unprocessed keys (throttling) are asked again
            response = self._client.batch_get_item(RequestItems={self._table: {"Keys": keys, "ConsistentRead": True}})
            found.extend(response.get("Responses", {}).get(self._table, []))
            keys = response.get("UnprocessedKeys", {}).get(self._table, {}).get("Keys", [])
            if not keys:
                break
        if keys:
            raise RuntimeError("the membership check could not be read")
        by_key = {(raw["PK"]["S"], raw["SK"]["S"]): from_item(raw) for raw in found}
        shared = by_key.get((user_partition(member), SORT_KEY), {})
        viewing = by_key.get((tenant_partition(business_id), f"MEMBER#{viewer_id}"), {})
        return (
            (tenant_partition(business_id), f"MEMBER#{member.user_id}") in by_key
            and viewing.get("role") in ("coach", "admin")
            and shared.get("coach_access") is True
            and shared.get("business_id") == business_id
        )

"""Preferences: one item per user, written whole."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from chalicelib.identity import Identity
from chalicelib.repositories.anchor import ACCOUNT, account_check, account_deleted
from chalicelib.repositories.dynamo import (
    failed_conditions,
    from_item,
    home_partition,
    run_transaction,
    to_item,
    user_key,
)

SORT_KEY = "PREFERENCES"


class PreferencesStore:
    def __init__(self, client: Any, table_name: str):
        self._client = client
        self._table = table_name

    def get(self, identity: Identity) -> dict[str, Any] | None:
        response = self._client.get_item(TableName=self._table, Key=user_key(identity, SORT_KEY))
        item = response.get("Item")
        return from_item(item) if item else None

    def put(self, identity: Identity, preferences: dict[str, Any], schedule_actions: list[dict[str, Any]]) -> None:
        """One round trip, no read: the put, the e-mail schedule's writes, and a check that the
        account still exists (its profile), in one transaction, so a deleted account's still-valid
        token writes nothing."""
        item = {**user_key(identity, SORT_KEY), **to_item(preferences)}
        # Retried while it only races another write of the same items (the e-mail run moving a
        # schedule entry, a double submit): that is no reason to refuse, let alone sign out.
        run_transaction(
            self._client,
            [
                ("preferences", {"Put": {"TableName": self._table, "Item": item}}),
                *(("schedule", action) for action in schedule_actions),
                account_check(self._table, identity),
            ],
            {ACCOUNT: account_deleted},
        )

    def unchanged_check(self, identity: Identity, updated_at: str) -> dict[str, Any]:
        """A transaction action that fails once the preferences were saved again after `updated_at`."""
        return {
            "ConditionCheck": {
                "TableName": self._table,
                "Key": user_key(identity, SORT_KEY),
                "ConditionExpression": "updated_at = :read",
                "ExpressionAttributeValues": {":read": {"S": updated_at}},
            }
        }

    def turn_off(self, user_id: str, kind: str, now: str, schedule_action: dict[str, Any]) -> None:
        """notifications.<kind> = false where preferences were saved (without any, every e-mail is
        off already), and the schedule entry gone, together."""
        update = {
            "Update": {
                "TableName": self._table,
                "Key": {"PK": {"S": home_partition(user_id)}, "SK": {"S": SORT_KEY}},
                "UpdateExpression": "SET notifications.#kind = :off, updated_at = :now",
                "ConditionExpression": "attribute_exists(PK)",
                "ExpressionAttributeNames": {"#kind": kind},
                "ExpressionAttributeValues": {":off": {"BOOL": False}, ":now": {"S": now}},
            }
        }
        try:
            self._client.transact_write_items(TransactItems=[update, schedule_action])
        except ClientError as exc:
            # No saved preferences: nothing was ever on (the schedule is only written with them).
            if not failed_conditions(exc, ["preferences", "schedule"]):
                raise

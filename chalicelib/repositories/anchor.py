"""The account's anchor: the profile item, which an account deletion deletes first. A write
that must not outlive the account carries a check of it in its own transaction."""

from __future__ import annotations

from typing import Any

from chalicelib.errors import ACCOUNT_DELETED, Unauthenticated
from chalicelib.identity import Identity
from chalicelib.repositories.dynamo import home_partition

SORT_KEY = "PROFILE"
# The label of the account check in a transaction (chalicelib.repositories.dynamo.run_transaction).
ACCOUNT = "account"


def account_exists_check(table_name: str, identity: Identity) -> dict[str, Any]:
    """A transaction item that fails once the account is deleted (its profile goes first)."""
    return person_exists_check(table_name, identity.user_id)


def person_exists_check(table_name: str, user_id: str) -> dict[str, Any]:
    """The same, for a person named by their verified sub."""
    return {
        "ConditionCheck": {
            "TableName": table_name,
            "Key": {"PK": {"S": home_partition(user_id)}, "SK": {"S": SORT_KEY}},
            "ConditionExpression": "attribute_exists(PK)",
        }
    }


def account_check(table_name: str, identity: Identity) -> tuple[str, dict[str, Any]]:
    """The account check, labelled for run_transaction."""
    return ACCOUNT, account_exists_check(table_name, identity)


def account_deleted() -> Unauthenticated:
    """What a write refused by the account check answers: 401, the token outlived its account."""
    return Unauthenticated(ACCOUNT_DELETED, code="account_deleted")

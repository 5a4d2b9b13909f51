"""How the stats stream handler treats a refused write (chalicelib/domains/stats/store.py): a
refusal by its conditions (the account is gone, the batch was counted) is the end of it; anything
else (a conflict that outlasts the retries, an item too large) fails the batch, so Lambda retries it
and, in the end, the failures queue and its alarm say so. Nothing is dropped silently."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.exceptions import ClientError

from chalicelib.domains.stats.store import RollupStore
from chalicelib.repositories.stream import TableChange

USER = "5ca1e000-0000-4000-8000-000000000002"
PARTITION = f"TENANT#personal-{USER}#USER#{USER}"


class Refusing:
    """A DynamoDB client whose every transaction is cancelled with these reasons."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        self.attempts = 0

    def transact_write_items(self, TransactItems: list[dict[str, Any]]) -> None:
        self.attempts += 1
        error = {
            "Error": {"Code": "TransactionCanceledException", "Message": "cancelled"},
            "CancellationReasons": [{"Code": reason} for reason in self.reasons],
        }
        raise ClientError(error, "TransactWriteItems")  # type: ignore[arg-type]


def weight_added() -> TableChange:
    at = "2026-01-10T07:00:00.000Z"
    new = {"id": "01KAAAAAAAAAAAAAAAAAAAAAAB", "TSK": f"WEIGHT#{at}#01KAAAAAAAAAAAAAAAAAAAAAAB", "weight_kg": 80}
    return TableChange(
        "e1", "100", "INSERT", PARTITION, "WEIGHT#01KAAAAAAAAAAAAAAAAAAAAAAB", new, None, datetime.now(UTC)
    )


@pytest.mark.parametrize(
    "reasons", [["ConditionalCheckFailed", "None", "None"], ["None", "None", "ConditionalCheckFailed"]]
)
def test_a_write_refused_by_its_conditions_is_the_end_of_the_batch(reasons):
    client = Refusing(reasons)
    assert RollupStore(client, "t").apply([weight_added()]) == 0
    assert client.attempts == 1


@pytest.mark.parametrize(
    ("reasons", "attempts"),
    [(["None", "TransactionConflict", "None"], 6), (["None", "ValidationError", "None"], 1)],
)
def test_any_other_refusal_fails_the_batch_for_lambda_to_retry(reasons, attempts):
    client = Refusing(reasons)
    with pytest.raises(ClientError):
        RollupStore(client, "t").apply([weight_added()])
    assert client.attempts == attempts  # a conflict is retried first, as every transaction of the app

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

    def get_item(self, **_: Any) -> dict[str, Any]:
        return {}  # the month item, read to write its packed form: not there

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
    assert client.attempts == 2  # the totals, then the month's packed form: each refused once, not retried


@pytest.mark.parametrize(
    ("reasons", "attempts"),
    [(["None", "TransactionConflict", "None"], 6), (["None", "ValidationError", "None"], 1)],
)
def test_any_other_refusal_fails_the_batch_for_lambda_to_retry(reasons, attempts):
    client = Refusing(reasons)
    with pytest.raises(ClientError):
        RollupStore(client, "t").apply([weight_added()])
    assert client.attempts == attempts  # a conflict is retried first, as every transaction of the app


def test_a_packed_month_gives_back_exactly_the_entries_it_was_made_of():
    from decimal import Decimal

    from chalicelib.domains.stats.store import pack, unpack

    entries = [
        {
            "at": "2026-01-10T07:00:00.000Z",
            "weight_kg": Decimal("80.45"),
            "entered": {"value": Decimal("177.4"), "unit": "lb"},
        },
        {"at": "2026-01-10T07:00:00.000Z", "weight_kg": Decimal("80.5")},  # the same moment twice
        {"at": "2026-01-01T00:00:00.000Z", "weight_kg": Decimal("79"), "measured_at": "2026-01-01"},
        {"at": "2026-01-31T23:59:59.999Z", "duration_min": Decimal("45"), "type": "cardio"},
        {"at": "2026-01-15T12:00:00Z", "weight_kg": Decimal("81")},  # not in the usual form: kept as text
        {"at": "2026-01-20"},
    ]
    packed = pack("2026-01", entries)
    key = lambda entry: (entry["at"], sorted(entry))  # noqa: E731
    assert sorted(unpack("2026-01", packed), key=key) == sorted(entries, key=key)
    assert pack("2026-01", reversed(entries)) == packed  # the same entries, the same bytes
    assert unpack("2026-01", pack("2026-01", [])) == []


def test_a_busy_month_packs_into_a_few_bytes_an_entry():
    """170 weights of a month (N = 10,000 over five years): the summary's month item stays far
    under a read unit's 4 KB, where the `e_<id>` form took ~7 KB."""
    import random
    from datetime import timedelta
    from decimal import Decimal

    from chalicelib.domains.stats.store import pack, unpack
    from chalicelib.timeutil import iso_utc

    rng = random.Random(26)  # noqa: S311 (a repeatable sample, not a secret)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    entries = []
    for _ in range(170):
        kilograms = Decimal(rng.randint(7000, 9000)) / 100
        moment = start + timedelta(seconds=rng.randint(0, 31 * 86400 - 1))
        entries.append({"at": iso_utc(moment), "weight_kg": kilograms, "entered": {"value": kilograms, "unit": "kg"}})
    packed = pack("2026-01", entries)
    assert len(packed) < 1800, len(packed)
    assert len(unpack("2026-01", packed)) == 170

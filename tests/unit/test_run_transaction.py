"""A cancelled transaction becomes the domain error of the action whose condition failed, named
by its label: whatever the action's position, and in the order the refusals are given."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from chalicelib.errors import Conflict, NotFound, Unauthenticated
from chalicelib.repositories.anchor import ACCOUNT, account_deleted
from chalicelib.repositories.dynamo import failed_conditions, run_transaction


class CancellingClient:
    """Cancels every transaction with the given reasons, one a action."""

    def __init__(self, *reasons: str, code: str = "TransactionCanceledException"):
        self.reasons, self.code, self.calls = reasons, code, 0

    def transact_write_items(self, TransactItems):
        self.calls += 1
        error = {"Error": {"Code": self.code, "Message": "cancelled"}}
        if self.reasons:
            error["CancellationReasons"] = [{"Code": reason} for reason in self.reasons]
        raise ClientError(error, "TransactWriteItems")


ACTIONS = [("item", {"Put": {}}), (ACCOUNT, {"ConditionCheck": {}}), ("media", {"Update": {}})]
REFUSALS = {ACCOUNT: account_deleted, "media": lambda: Conflict("in use"), "item": lambda: None}


def test_the_failed_actions_label_names_the_error():
    with pytest.raises(Conflict):
        run_transaction(CancellingClient("None", "None", "ConditionalCheckFailed"), ACTIONS, REFUSALS)


def test_when_several_failed_the_first_refusal_listed_wins():
    client = CancellingClient("ConditionalCheckFailed", "ConditionalCheckFailed", "ConditionalCheckFailed")
    with pytest.raises(Unauthenticated) as raised:
        run_transaction(client, ACTIONS, REFUSALS)
    assert raised.value.code == "account_deleted"
    assert isinstance(raised.value.__cause__, ClientError)


def test_a_refusal_of_none_means_the_write_was_already_made():
    run_transaction(CancellingClient("ConditionalCheckFailed", "None", "None"), ACTIONS, REFUSALS)


def test_a_failure_no_label_explains_is_raised_as_it_came():
    with pytest.raises(ClientError):
        run_transaction(CancellingClient("ConditionalCheckFailed"), [("other", {})], {"item": lambda: NotFound("x")})
    with pytest.raises(ClientError):
        run_transaction(CancellingClient(code="ValidationException"), ACTIONS, REFUSALS)


def test_a_lost_race_is_retried_then_raised():
    client = CancellingClient("TransactionConflict", "None", "None")
    with pytest.raises(ClientError):
        run_transaction(client, ACTIONS, REFUSALS)
    assert client.calls > 1


def test_failed_conditions_names_the_labels_in_their_order():
    error = ClientError(
        {
            "Error": {"Code": "TransactionCanceledException"},
            "CancellationReasons": [{"Code": "None"}, {"Code": "ConditionalCheckFailed"}],
        },
        "TransactWriteItems",
    )
    assert failed_conditions(error, ["comment", "post"]) == {"post"}

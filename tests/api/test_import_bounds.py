"""A JSON import is bounded and atomic: at most 10,000 records, counted before any is validated;
past one transaction it lands whole or not at all (a failure rolls back what was written, an
import cut short is rolled back by the next); it counts against the tenant's budget by its size,
and its records announce nothing to webhooks."""

import json
import threading
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from botocore.exceptions import ClientError

from chalicelib import clock, deps
from chalicelib.domains.account.service import LEASE
from chalicelib.domains.webhooks.service import event_types
from chalicelib.repositories.dynamo import home_partition
from chalicelib.repositories.throttle import TenantThrottle
from tests.conftest import LOCAL_TABLE


def _weights(count):
    return [
        {"id": f"01KA{n:022d}", "measured_at": "2026-01-05T07:30:00+01:00", "weight": {"value": 80, "unit": "kg"}}
        for n in range(count)
    ]


def _keys(local_aws, user, prefix):
    answer = local_aws.client("dynamodb").query(
        TableName=LOCAL_TABLE,
        KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
        ExpressionAttributeValues={":pk": {"S": home_partition(user.user_id)}, ":prefix": {"S": prefix}},
        ConsistentRead=True,
    )
    return answer["Items"]


class Cut(BaseException):
    """What a Lambda timeout is to the code it stops: nothing after it runs, no handler sees it."""


@pytest.fixture
def transactions(aws_calls):
    """Lets the first N TransactWriteItems through, then stops the next with `failure`."""
    events = deps.aws_client("dynamodb").meta.events
    state = {"allowed": None, "seen": 0, "failure": None}

    def before_call(model, **_):
        if state["allowed"] is None:
            return
        state["seen"] += 1
        if state["seen"] > state["allowed"]:
            raise state["failure"]

    events.register("before-call.dynamodb.TransactWriteItems", before_call)
    yield state
    events.unregister("before-call.dynamodb.TransactWriteItems", before_call)


def test_more_than_10000_records_are_refused_before_any_is_validated(api, user, calls):
    document = {"schema_version": 1, "weights": [{}] * 6000, "tasks": [{}] * 4001}
    answer = api.post("/me/import", document, token=user.token)
    assert answer.status == 400, answer.body
    assert answer.body["error"]["code"] == "too_many_records"
    assert "dynamodb.TransactWriteItems" not in calls.calls


def test_an_import_past_one_transaction_lands_whole(api, user, local_aws):
    answer = api.post("/me/import", {"schema_version": 1, "weights": _weights(120)}, token=user.token)
    assert answer.status == 200, answer.body
    assert answer.body["imported"]["weights"] == 120
    assert len(_keys(local_aws, user, "WEIGHT#")) == 120
    assert _keys(local_aws, user, "IMPORT#") == []  # the marker went with the last transaction
    exported = api.get("/me/export", token=user.token).body["weights"]
    assert len(exported) == 120 and all("import_id" not in record for record in exported)


def test_a_failure_after_the_first_transaction_leaves_nothing(api, user, local_aws, transactions):
    failure = ClientError({"Error": {"Code": "InternalServerError", "Message": "injected"}}, "TransactWriteItems")
    transactions.update(allowed=1, failure=failure)
    answer = api.post("/me/import", {"schema_version": 1, "weights": _weights(120)}, token=user.token)
    transactions["allowed"] = None
    assert answer.status == 503, answer.body
    assert _keys(local_aws, user, "WEIGHT#") == []
    assert _keys(local_aws, user, "IMPORT#") == []


def test_an_import_cut_short_is_rolled_back_by_the_next_and_refuses_it_while_running(
    api, user, local_aws, transactions
):
    transactions.update(allowed=1, failure=Cut())
    with pytest.raises(Cut):
        api.post("/me/import", {"schema_version": 1, "weights": _weights(120)}, token=user.token)
    transactions["allowed"] = None
    assert len(_keys(local_aws, user, "WEIGHT#")) == 98  # the first transaction, and its marker
    [marker] = _keys(local_aws, user, "IMPORT#")

    # Within a minute it may still be running: the next import waits.
    again = api.post("/me/import", {"schema_version": 1, "weights": _weights(1)}, token=user.token)
    assert again.status == 409 and again.body["error"]["code"] == "import_running"

    assert marker["lease_until"]["S"] > marker["started_at"]["S"]
    later = {"schema_version": 1, "weights": _weights(130)[120:]}
    with clock.travel_by(LEASE + timedelta(seconds=1)):  # the lease has expired: it was cut short
        answer = api.post("/me/import", later, token=user.token)
    assert answer.status == 200, answer.body
    assert sorted(item["SK"]["S"] for item in _keys(local_aws, user, "WEIGHT#")) == sorted(
        f"WEIGHT#{record['id']}" for record in later["weights"]
    )
    assert _keys(local_aws, user, "IMPORT#") == []


def test_an_import_counts_against_the_tenants_budget_by_its_size(api, user, local_aws, monkeypatch):
    limiter = TenantThrottle(local_aws.client("dynamodb"), LOCAL_TABLE, 3, lambda: 1_800_000_000.0)
    monkeypatch.setattr(deps, "tenant_throttle", lambda: limiter)

    answer = api.post("/me/import", {"schema_version": 1, "weights": _weights(120)}, token=user.token)
    assert answer.status == 200, answer.body  # 1 request + 1 more transaction: 2 of 3

    assert api.get("/weights", token=user.token).status == 200  # the 3rd
    refused = api.get("/weights", token=user.token)
    assert refused.status == 429 and refused.body["error"]["code"] == "tenant_rate_limited"


def test_an_import_with_no_room_left_in_the_budget_writes_nothing(api, user, local_aws, monkeypatch):
    limiter = TenantThrottle(local_aws.client("dynamodb"), LOCAL_TABLE, 2, lambda: 1_800_000_000.0)
    monkeypatch.setattr(deps, "tenant_throttle", lambda: limiter)
    assert api.get("/weights", token=user.token).status == 200  # 1 of 2 (the import is the 2nd, and needs 2)

    answer = api.post("/me/import", {"schema_version": 1, "weights": _weights(120)}, token=user.token)

    assert answer.status == 429, answer.body
    assert _keys(local_aws, user, "WEIGHT#") == []


@pytest.mark.parametrize("imported", [True, False])
def test_an_imported_record_is_no_created_event(imported):
    new = {"id": "01KA", "import_id": "01KB"} if imported else {"id": "01KA"}
    change = SimpleNamespace(name="INSERT", sort_key="WEIGHT#01KA", owner="someone", new=new, old=None)
    assert event_types(change) == ([] if imported else ["weight.created"])


# The lease: an import that runs long keeps it by writing; one that stalls past it loses it whole.


@pytest.fixture
def between_transactions(aws_calls):
    """Runs `steps[n]` (if any) just before the n-th TransactWriteItems (from 1) of the test's own
    thread; requests sent from a step run in their own thread, as a second Lambda would."""
    events = deps.aws_client("dynamodb").meta.events
    owner = threading.current_thread()
    state = {"seen": 0, "steps": {}}

    def before_call(model, **_):
        if threading.current_thread() is not owner:
            return
        state["seen"] += 1
        step = state["steps"].get(state["seen"])
        if step:
            step()

    # The clock as the run set it (make test moves it by --clock-shift-days): moved from there, and back.
    state["base"] = clock.offset()
    events.register("before-call.dynamodb.TransactWriteItems", before_call)
    yield state
    events.unregister("before-call.dynamodb.TransactWriteItems", before_call)
    clock.set_offset(state["base"])


def _elsewhere(send):
    """`send()` in another thread, as another Lambda would run it; its answer."""
    answers = []
    thread = threading.Thread(target=lambda: answers.append(send()))
    thread.start()
    thread.join()
    return answers[0]


def test_an_import_writing_past_the_old_60_second_window_keeps_its_lease_and_lands_whole(
    api, user, local_aws, between_transactions
):
    seconds = {"now": 0}
    second_imports = []
    second = {"schema_version": 1, "weights": _weights(510)[500:]}

    def next_chunk_later():
        second_imports.append(_elsewhere(lambda: api.post("/me/import", second, token=user.token)))
        seconds["now"] += 25
        clock.set_offset(between_transactions["base"] + timedelta(seconds=seconds["now"]))

    # 500 records, 6 transactions, each 25 s after the one before: the next import tries at 0, 25,
    # 50, 75 and 100 s (the old 60-second window rolled the first back at 75 s).
    between_transactions["steps"] = dict.fromkeys(range(2, 7), next_chunk_later)
    answer = api.post("/me/import", {"schema_version": 1, "weights": _weights(500)}, token=user.token)

    assert answer.status == 200 and answer.body["imported"]["weights"] == 500, answer.body
    assert [(other.status, other.body["error"]["code"]) for other in second_imports] == [(409, "import_running")] * 5
    assert len(_keys(local_aws, user, "WEIGHT#")) == 500
    assert _keys(local_aws, user, "IMPORT#") == []


@pytest.mark.parametrize("overlap", [False, True], ids=["other records", "the same records"])
def test_an_import_stalled_past_its_lease_is_rolled_back_whole_and_says_so(
    api, user, local_aws, between_transactions, overlap
):
    # The same records: the next import writes what the stalled one had written (and lost).
    second = {"schema_version": 1, "weights": _weights(10) if overlap else _weights(310)[300:]}
    answers = []

    def stall():
        clock.set_offset(between_transactions["base"] + LEASE + timedelta(seconds=1))
        answers.append(_elsewhere(lambda: api.post("/me/import", second, token=user.token)))

    between_transactions["steps"] = {2: stall}
    first = api.post("/me/import", {"schema_version": 1, "weights": _weights(300)}, token=user.token)

    assert answers[0].status == 200, answers[0].body  # it rolled the stalled import back
    assert first.status == 409 and first.body["error"]["code"] == "import_lease_lost", first.body
    assert sorted(item["SK"]["S"] for item in _keys(local_aws, user, "WEIGHT#")) == sorted(
        f"WEIGHT#{record['id']}" for record in second["weights"]
    )
    assert _keys(local_aws, user, "IMPORT#") == []


def test_the_lease_outlasts_the_api_functions_timeout_in_every_stage():
    config = json.loads((Path(__file__).parents[2] / ".chalice" / "config.json").read_text())
    # The API function's timeout: the app's, a stage's, or a stage's `api_handler` (chalice's name).
    scopes = [config, *config["stages"].values()]
    scopes += [stage.get("lambda_functions", {}).get("api_handler", {}) for stage in config["stages"].values()]
    timeouts = [scope["lambda_timeout"] for scope in scopes if "lambda_timeout" in scope]
    assert all(timedelta(seconds=timeout) <= LEASE for timeout in timeouts), (timeouts, LEASE)
    # And short enough that an import cut short blocks the next for at most a few timeouts.
    assert timedelta(seconds=3 * config["lambda_timeout"]) >= LEASE

"""POST /me/import answers at once at any size: inline up to INLINE_IMPORT_RECORDS records,
otherwise 202 with a Location to poll, the records checked and written by the worker on the jobs
queue, resumably (a worker killed mid-way is handed the job again and finishes it, nothing
duplicated), the result (counts, or per-row errors) at the poll URL. An import reads the keys of
its own records, never every key of the history."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from chalicelib import clock, deps
from chalicelib.domains.account.service import INLINE_IMPORT_RECORDS, JOB_LEASE
from chalicelib.identity import personal_tenant
from chalicelib.repositories.dynamo import home_partition
from devtools.local_events import QueuePump
from tests.catalog import seed_weights
from tests.conftest import LOCAL_TABLE

LARGE = INLINE_IMPORT_RECORDS + 100  # past the inline bound, and more than one transaction of 97


def _weights(count, start=0):
    return [
        {"id": f"01KB{n:022d}", "measured_at": "2026-01-05T07:30:00+01:00", "weight": {"value": 80, "unit": "kg"}}
        for n in range(start, start + count)
    ]


def _keys(local_aws, user, prefix):
    dynamodb = local_aws.client("dynamodb")
    params = {
        "TableName": LOCAL_TABLE,
        "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
        "ExpressionAttributeValues": {":pk": {"S": home_partition(user.user_id)}, ":prefix": {"S": prefix}},
        "ConsistentRead": True,
    }
    items = []
    while True:
        answer = dynamodb.query(**params)
        items.extend(answer["Items"])
        if "LastEvaluatedKey" not in answer:
            return items
        params["ExclusiveStartKey"] = answer["LastEvaluatedKey"]


def _location(answer):
    return next(value for name, value in answer.headers.items() if name.lower() == "location")


def _files(local_aws, user):
    from chalicelib.config import settings

    listed = local_aws.client("s3").list_objects_v2(
        Bucket=settings().media_bucket, Prefix=f"users/{personal_tenant(user.user_id)}/{user.user_id}/imports/"
    )
    return [entry["Key"] for entry in listed.get("Contents", [])]


class Crash(Exception):
    pass


@pytest.fixture
def crash_after():
    """Stops the worker's DynamoDB transactions after the first N (a crash mid-way)."""
    events = deps.aws_client("dynamodb").meta.events
    state = {"allowed": None, "seen": 0}

    def before_call(**_):
        if state["allowed"] is None:
            return
        state["seen"] += 1
        if state["seen"] > state["allowed"]:
            raise Crash("the worker stopped")

    events.register("before-call.dynamodb.TransactWriteItems", before_call)
    yield state
    events.unregister("before-call.dynamodb.TransactWriteItems", before_call)


def test_a_large_import_is_accepted_written_in_the_background_and_polled_to_its_counts(
    api, user, local_aws, background, calls
):
    answer = api.post("/me/import", {"schema_version": 1, "weights": _weights(LARGE)}, token=user.token)

    assert answer.status == 202, answer.body
    assert answer.body["status"] == "running"
    location = _location(answer)
    assert location == f"/me/import/jobs/{answer.body['id']}"
    # At once: the unfinished imports, the records to S3, marker and status, the job queued; no
    # record checked or written, nothing of the history read.
    assert sorted(calls.calls) == [
        "dynamodb.Query",
        "dynamodb.TransactWriteItems",
        "s3.PutObject",
        "sqs.SendMessage",
    ]
    assert api.get(location, token=user.token).body == {"id": answer.body["id"], "status": "running"}
    assert _keys(local_aws, user, "WEIGHT#") == []

    background.drain()

    done = api.get(location, token=user.token)
    assert done.status == 200, done.body
    assert done.body["status"] == "done"
    assert done.body["imported"]["weights"] == LARGE and done.body["skipped"]["weights"] == 0
    assert len(_keys(local_aws, user, "WEIGHT#")) == LARGE
    assert _keys(local_aws, user, "IMPORT#") == []  # the marker went with the last transaction
    assert _files(local_aws, user) == []  # the records' file, deleted once written


def test_a_large_import_with_invalid_rows_fails_with_them_at_the_poll_url_and_writes_nothing(
    api, user, local_aws, background
):
    weights = _weights(LARGE)
    weights[7] = {**weights[7], "weight": {"value": -3, "unit": "kg"}}
    weights[300] = {"id": weights[300]["id"]}
    answer = api.post("/me/import", {"schema_version": 1, "weights": weights}, token=user.token)
    assert answer.status == 202, answer.body

    background.drain()

    failed = api.get(_location(answer), token=user.token).body
    assert failed["status"] == "failed", failed
    assert failed["error"]["code"] == "validation_error"
    assert sorted(failed["error"]["details"]["weights"]) == ["300", "7"]
    assert _keys(local_aws, user, "WEIGHT#") == []
    assert _keys(local_aws, user, "IMPORT#") == []  # the next import is not held up
    assert api.post("/me/import", {"schema_version": 1, "weights": _weights(1)}, token=user.token).status == 200


def test_a_worker_killed_mid_import_is_handed_the_job_again_and_duplicates_nothing(
    api, user, local_aws, background, crash_after
):
    answer = api.post("/me/import", {"schema_version": 1, "weights": _weights(LARGE)}, token=user.token)
    assert answer.status == 202, answer.body
    location = _location(answer)

    crash_after["allowed"] = 3  # three transactions of 97 land, the fourth never does
    with pytest.raises(Crash):
        background.drain()
    crash_after["allowed"] = None
    assert len(_keys(local_aws, user, "WEIGHT#")) == 3 * 97
    assert len(_keys(local_aws, user, "IMPORT#")) == 1  # still held: no other import rolls it back
    assert api.get(location, token=user.token).body["status"] == "running"
    refused = api.post("/me/import", {"schema_version": 1, "weights": _weights(1, LARGE)}, token=user.token)
    assert refused.status == 409 and refused.body["error"]["code"] == "import_running"

    time.sleep(QueuePump.RETRY_SECONDS + 0.5)  # the message is visible again (deployed: the visibility timeout)
    assert background.drain() >= 1

    done = api.get(location, token=user.token).body
    assert done["status"] == "done", done
    # What the first delivery wrote counts as this import's, not as skipped.
    assert done["imported"]["weights"] == LARGE and done["skipped"]["weights"] == 0
    keys = [item["SK"]["S"] for item in _keys(local_aws, user, "WEIGHT#")]
    assert len(keys) == len(set(keys)) == LARGE
    assert _keys(local_aws, user, "IMPORT#") == []


def test_a_job_delivered_twice_after_it_finished_changes_nothing(api, user, local_aws, background):
    answer = api.post("/me/import", {"schema_version": 1, "weights": _weights(LARGE)}, token=user.token)
    background.drain()
    import_id = answer.body["id"]
    before = api.get(_location(answer), token=user.token).body

    deps.account_data().run_import({"user_id": user.user_id, "import_id": import_id}, lambda: 100.0)

    assert api.get(_location(answer), token=user.token).body == before
    assert len(_keys(local_aws, user, "WEIGHT#")) == LARGE


def test_a_large_import_rolled_back_by_a_later_import_fails_and_keeps_nothing(
    api, user, local_aws, background, crash_after
):
    answer = api.post("/me/import", {"schema_version": 1, "weights": _weights(LARGE)}, token=user.token)
    crash_after["allowed"] = 2
    with pytest.raises(Crash):
        background.drain()
    crash_after["allowed"] = None

    later = {"schema_version": 1, "weights": _weights(1, LARGE)}
    with clock.travel_by(JOB_LEASE + timedelta(seconds=1)):  # its lease expired: it is rolled back
        assert api.post("/me/import", later, token=user.token).status == 200
        time.sleep(QueuePump.RETRY_SECONDS + 0.5)
        background.drain()
        failed = api.get(_location(answer), token=user.token).body

    assert failed["status"] == "failed", failed
    assert failed["error"]["code"] == "import_lease_lost"
    assert [item["SK"]["S"] for item in _keys(local_aws, user, "WEIGHT#")] == [f"WEIGHT#{later['weights'][0]['id']}"]
    assert _keys(local_aws, user, "IMPORT#") == []


def test_a_large_import_of_records_already_there_skips_them(api, user, local_aws, background):
    document = {"schema_version": 1, "weights": _weights(LARGE)}
    api.post("/me/import", document, token=user.token)
    background.drain()

    again = api.post("/me/import", document, token=user.token)
    background.drain()

    done = api.get(_location(again), token=user.token).body
    assert done["imported"]["weights"] == 0 and done["skipped"]["weights"] == LARGE
    assert len(_keys(local_aws, user, "WEIGHT#")) == LARGE


def test_another_persons_import_job_is_not_found(api, users, user, background):
    person = users.create()
    answer = api.post("/me/import", {"schema_version": 1, "weights": _weights(LARGE)}, token=person.token)
    background.drain()
    assert api.get(_location(answer), token=user.token).status == 404
    assert api.get("/me/import/jobs/nothing-here", token=person.token).status == 404


def test_a_small_import_reads_its_own_records_keys_never_the_history(api, user, calls):
    seed_weights(user.user_id, 1_500)
    api.get("/me/preferences", token=user.token)  # warm: a container's first request reads them once
    calls.clear()

    answer = api.post("/me/import", {"schema_version": 1, "weights": _weights(10)}, token=user.token)

    assert answer.status == 200, answer.body
    assert answer.body["imported"]["weights"] == 10
    # The markers (one Query of IMPORT#), the 10 keys (one BatchGetItem): not a Query of 1,500 keys.
    assert sorted(calls.calls) == ["dynamodb.BatchGetItem", "dynamodb.Query", "dynamodb.TransactWriteItems"]


def test_a_large_csv_is_written_in_the_background_too(api, user, local_aws, background):
    from datetime import date, timedelta

    days = [date(2020, 1, 1) + timedelta(days=n) for n in range(LARGE)]
    text = "date,weight,unit\n" + "".join(f"{day.isoformat()},80.5,kg\n" for day in days)
    answer = api.request(
        "POST", "/me/import", raw=text.encode(), token=user.token, headers={"Content-Type": "text/csv"}
    )
    assert answer.status == 202, answer.body

    background.drain()

    done = api.get(_location(answer), token=user.token).body
    assert done["status"] == "done" and done["imported"]["weights"] == LARGE, done
    assert len(_keys(local_aws, user, "WEIGHT#")) == LARGE

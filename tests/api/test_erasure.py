"""An account deleted anywhere is erased everywhere, in the background.

`DELETE /me` answers at once (202) and the token stops working at once; the erasure runs on the
jobs queue, resumably (cut short or crashed, it is picked up again and leaves nothing). An account
deleted through Cognito itself (DeleteUser, AdminDeleteUser) is erased the same way, from the
CloudTrail event the template's rule puts on the queue, or by the periodic reconciliation when
that event is missed. `background.drain()` runs the queue as the worker Lambda would."""

from __future__ import annotations

import os
import time
from collections import Counter

import pytest
from botocore.exceptions import ClientError

from chalicelib import deps
from chalicelib.domains.account.service import ERASE, ERASE_PAGE
from chalicelib.jobs import message
from chalicelib.repositories.accounts import account_entry_key
from chalicelib.repositories.dynamo import home_partition
from devtools.local_events import QueuePump
from tests.api.test_businesses import members_of
from tests.businesses import found_business, join, refresh
from tests.conftest import LOCAL_TABLE, PASSWORD

WEIGHT = {"measured_at": "2024-03-01", "weight": {"value": 80, "unit": "kg"}}


def _partition(local_aws, user_id):
    answer = local_aws.client("dynamodb").query(
        TableName=LOCAL_TABLE,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": home_partition(user_id)}},
        ConsistentRead=True,
        Select="COUNT",
    )
    return answer["Count"]


def _listed(local_aws, user_id):
    return "Item" in local_aws.client("dynamodb").get_item(TableName=LOCAL_TABLE, Key=account_entry_key(user_id))


def _seed(local_aws, user_id, count):
    """`count` weights straight into the partition (a long history, without 10,000 requests)."""
    dynamodb = local_aws.client("dynamodb")
    items = [
        {
            "PutRequest": {
                "Item": {
                    "PK": {"S": home_partition(user_id)},
                    "SK": {"S": f"WEIGHT#{index:026d}"},
                    "TSK": {"S": f"WEIGHT#2020-01-01T00:00:00.000Z#{index:026d}"},
                    "weight_kg": {"N": "80"},
                }
            }
        }
        for index in range(count)
    ]
    for start in range(0, len(items), 25):
        dynamodb.batch_write_item(RequestItems={LOCAL_TABLE: items[start : start + 25]})


def _cognito(local_aws):
    return local_aws.client("cognito-idp")


def _admin_delete(local_aws, user):
    _cognito(local_aws).admin_delete_user(UserPoolId=os.environ["USER_POOL_ID"], Username=user.email)


# DELETE /me


def test_delete_me_answers_202_and_refuses_the_token_before_the_erasure_has_run(api, user, local_aws, background):
    assert api.post("/weights", WEIGHT, token=user.token).status == 201

    answer = api.request("DELETE", "/me", token=user.token)

    assert (answer.status, answer.body) == (202, {"status": "erasing"})
    assert _partition(local_aws, user.user_id) > 0  # the work remains, for the worker
    written = api.post("/weights", WEIGHT, token=user.token)
    assert (written.status, written.body["error"]["code"]) == (401, "account_deleted")
    assert api.post("/auth/login", {"email": user.email, "password": PASSWORD}).status == 401
    assert api.post("/auth/refresh", {"refresh_token": user.refresh_token}).status == 401

    background.drain()

    assert _partition(local_aws, user.user_id) == 0
    assert not _listed(local_aws, user.user_id)


def test_delete_me_makes_the_same_calls_whatever_the_size_of_the_history(api, users, local_aws, calls, background):
    counted = []
    for history in (0, 1_000):
        person = users.create()
        _seed(local_aws, person.user_id, history)
        calls.clear()
        assert api.request("DELETE", "/me", token=person.token).status == 202
        counted.append(Counter(calls.calls))
        background.drain()
        assert _partition(local_aws, person.user_id) == 0
    assert counted[0] == counted[1]
    assert sum(counted[1].values()) == 5


def test_twelve_writes_racing_delete_me_leave_nothing(api, users, local_aws, background):
    from concurrent.futures import ThreadPoolExecutor

    person = users.create()
    with ThreadPoolExecutor(max_workers=13) as pool:
        writes = [pool.submit(api.post, "/weights", WEIGHT, token=person.token) for _ in range(12)]
        deletion = pool.submit(api.request, "DELETE", "/me", token=person.token)
        statuses = {future.result().status for future in writes}
    assert deletion.result().status == 202
    assert statuses <= {201, 401}
    background.drain()
    assert _partition(local_aws, person.user_id) == 0


# Resumable


def test_an_erasure_whose_time_runs_out_goes_on_in_a_new_message_and_leaves_nothing(users, local_aws, background):
    person = users.create()
    _seed(local_aws, person.user_id, 3 * ERASE_PAGE)
    pages = []

    def remaining_seconds():
        pages.append(1)
        return 100.0 if len(pages) < 2 else 1.0  # the Lambda's time runs short after the second page

    outcome = deps.job_runner().run(message(ERASE, {"user_id": person.user_id}), remaining_seconds)

    assert outcome == "continued"
    left = _partition(local_aws, person.user_id)
    assert 0 < left < 3 * ERASE_PAGE
    assert _listed(local_aws, person.user_id)  # listed until the very end
    assert background.drain() >= 1  # the continuation (and the event of the erasure's own AdminDeleteUser)
    assert _partition(local_aws, person.user_id) == 0
    assert not _listed(local_aws, person.user_id)


class Crash(Exception):
    pass


def test_a_worker_that_crashes_mid_erasure_is_handed_the_job_again_and_leaves_nothing(
    api, users, local_aws, background
):
    person = users.create()
    _seed(local_aws, person.user_id, 2 * ERASE_PAGE)
    assert api.request("DELETE", "/me", token=person.token).status == 202
    batches = []

    def crash_after_some(**_):
        batches.append(1)
        if len(batches) > 12:  # mid-way through the partition
            raise Crash("the worker stopped")

    events = deps.aws_client("dynamodb").meta.events
    events.register("before-call.dynamodb.BatchWriteItem", crash_after_some)
    try:
        with pytest.raises(Crash):
            background.drain()
    finally:
        events.unregister("before-call.dynamodb.BatchWriteItem", crash_after_some)
    left = _partition(local_aws, person.user_id)
    assert 0 < left < 2 * ERASE_PAGE

    time.sleep(QueuePump.RETRY_SECONDS + 0.5)  # the message is visible again (deployed: the visibility timeout)
    assert background.drain() >= 1

    assert _partition(local_aws, person.user_id) == 0
    assert not _listed(local_aws, person.user_id)


# Deleted through Cognito


def test_an_account_deleted_with_admin_delete_user_is_erased_like_delete_me(api, users, user, local_aws, background):
    business_id = found_business(api, user)
    person = join(api, users, user, business_id)
    assert api.post("/weights", WEIGHT, token=person.token).status == 201
    post = api.post("/posts", {"text": "Hello gym"}, token=person.token).body

    _admin_delete(local_aws, person)
    background.drain()

    assert _partition(local_aws, person.user_id) == 0
    assert not _listed(local_aws, person.user_id)
    assert members_of(api, user, business_id) == {user.user_id: "admin"}
    assert api.get(f"/posts/{post['id']}", token=user.token).status == 404
    written = api.post("/weights", WEIGHT, token=person.token)
    assert (written.status, written.body["error"]["code"]) == (401, "account_deleted")
    # The same address makes a new, empty account.
    again = users.sign_up(person.email)
    assert again.status == 201 and again.body["user_id"] != person.user_id


def test_delete_user_with_the_users_own_access_token_is_answered_and_erases_the_account(
    api, users, local_aws, background
):
    person = users.create()
    assert api.post("/weights", WEIGHT, token=person.token).status == 201

    answer = _cognito(local_aws).delete_user(AccessToken=person.access_token)

    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200
    with pytest.raises(ClientError):  # the user and their tokens are gone
        _cognito(local_aws).get_user(AccessToken=person.access_token)
    assert api.post("/auth/login", {"email": person.email, "password": PASSWORD}).status == 401
    background.drain()
    assert _partition(local_aws, person.user_id) == 0
    assert api.post("/weights", WEIGHT, token=person.token).status == 401


def test_a_last_admin_deleted_through_cognito_is_erased_and_leaves_the_business(api, users, local_aws, background):
    admin = users.create()
    business_id = found_business(api, admin)
    member = join(api, users, admin, business_id)

    _admin_delete(local_aws, admin)
    background.drain()

    assert _partition(local_aws, admin.user_id) == 0
    listed = api.get(f"/businesses/{business_id}", token=member.token)
    assert listed.status == 200


def test_the_admin_can_remove_a_member_whose_cognito_user_is_gone(api, users, user, local_aws, background):
    business_id = found_business(api, user)
    person = join(api, users, user, business_id)
    local_aws.cognito.publish, publish = None, local_aws.cognito.publish  # its event has not arrived yet
    try:
        _admin_delete(local_aws, person)
    finally:
        local_aws.cognito.publish = publish

    answer = api.request("DELETE", f"/businesses/{business_id}/members/{person.user_id}", token=user.token)

    assert answer.status == 204, answer.body
    assert members_of(api, user, business_id) == {user.user_id: "admin"}


def test_the_reconciliation_erases_an_account_whose_deletion_event_was_missed(api, users, local_aws, background, calls):
    gone, kept = users.create(), users.create()
    for person in (gone, kept):
        assert api.post("/weights", WEIGHT, token=person.token).status == 201
    local_aws.cognito.publish, publish = None, local_aws.cognito.publish  # no event reaches the rule
    try:
        _admin_delete(local_aws, gone)
    finally:
        local_aws.cognito.publish = publish
    background.drain()
    assert _partition(local_aws, gone.user_id) > 0

    background.rules.scheduled()  # the template's schedule puts the reconciliation on the queue
    background.drain()

    assert _partition(local_aws, gone.user_id) == 0
    assert not _listed(local_aws, gone.user_id)
    assert _partition(local_aws, kept.user_id) > 0 and _listed(local_aws, kept.user_id)
    assert "cognito-idp.ListUsers" in calls.calls  # the pool paged, the table queried: no Scan (no_scan)


def test_a_deletion_event_of_a_user_who_is_still_there_changes_nothing(api, user, local_aws, background):
    from devtools.local_cognito import deletion_event

    event = deletion_event("AdminDeleteUser", "us-east-1", user.user_id, {"userPoolId": os.environ["USER_POOL_ID"]})
    assert background.rules.publish(event) == 1
    background.drain()
    assert api.get("/me/profile", token=user.token).status == 200


def test_an_unknown_job_is_refused_so_it_ends_in_the_dead_letter_queue(local_aws, background):
    from chalicelib.jobs import UnknownJob

    local_aws.client("sqs").send_message(QueueUrl=os.environ["JOBS_QUEUE_URL"], MessageBody=message("no.such", {}))
    with pytest.raises(UnknownJob):
        background.drain()
    time.sleep(QueuePump.RETRY_SECONDS + 0.5)
    # Deployed, SQS moves it to the dead-letter queue after maxReceiveCount tries; here it is taken off.
    queue = local_aws.client("sqs")
    for received in queue.receive_message(QueueUrl=os.environ["JOBS_QUEUE_URL"], MaxNumberOfMessages=10).get(
        "Messages", []
    ):
        queue.delete_message(QueueUrl=os.environ["JOBS_QUEUE_URL"], ReceiptHandle=received["ReceiptHandle"])


def test_refresh_after_deletion_is_refused(api, users, background):
    person = users.create()
    refresh(api, person)
    assert api.request("DELETE", "/me", token=person.token).status == 202
    background.drain()
    assert api.post("/auth/refresh", {"refresh_token": person.refresh_token}).status == 401


def test_the_backfill_lists_accounts_made_before_the_account_list(users, local_aws):
    from devtools.backfill_account_list import backfill

    person = users.create()
    dynamodb = local_aws.client("dynamodb")
    dynamodb.delete_item(TableName=LOCAL_TABLE, Key=account_entry_key(person.user_id))  # as before the list

    seen, written = backfill(dynamodb, _cognito(local_aws), os.environ["USER_POOL_ID"], LOCAL_TABLE)

    assert seen >= written >= 1  # the pool outlives the table each test module starts with: others too
    assert _listed(local_aws, person.user_id)
    assert backfill(dynamodb, _cognito(local_aws), os.environ["USER_POOL_ID"], LOCAL_TABLE)[1] == 0


@pytest.mark.parametrize(
    "change",
    [
        {"errorCode": "UserNotFoundException"},  # the call failed: nothing was deleted
        {"requestParameters": {"userPoolId": "us-east-1_another"}},  # another pool's user
        {"additionalEventData": {}},  # no sub: the reconciliation is the net
    ],
    ids=["failed call", "another pool", "no sub"],
)
def test_a_deletion_event_that_names_nobody_of_ours_erases_nothing(api, users, local_aws, background, change):
    from devtools.local_cognito import deletion_event

    person = users.create()
    local_aws.cognito.publish, publish = None, local_aws.cognito.publish
    try:
        _admin_delete(local_aws, person)
    finally:
        local_aws.cognito.publish = publish
    event = deletion_event("AdminDeleteUser", "us-east-1", person.user_id, {"userPoolId": os.environ["USER_POOL_ID"]})
    event["detail"].update(change)

    assert background.rules.publish(event) == 1
    background.drain()

    assert _partition(local_aws, person.user_id) > 0

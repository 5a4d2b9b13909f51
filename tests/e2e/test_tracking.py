"""Tracking over real HTTP on the local stack: log, page, summarise, export, delete."""

import time
import urllib.parse

from tests.e2e.test_journey import _new_user


def summarised(stack, token, query, settled, within=10.0):
    """The summary once `settled(summary)` holds: it reads running totals the stack's stream
    pump keeps, a poll (0.5 s) or so behind the writes."""
    deadline = time.monotonic() + within
    while True:
        summary = stack.call("GET", f"/stats/summary?{query}", token=token).body
        if settled(summary) or time.monotonic() > deadline:
            return summary
        time.sleep(0.2)


def test_a_person_logs_a_week_and_sees_it_summarised(stack):
    _, _, login = _new_user(stack)
    token = login["id_token"]
    stack.call("PUT", "/me/preferences", {"timezone": "America/New_York", "units": "imperial"}, token=token)
    for day, pounds in [("01", 181), ("02", 180.4), ("03", 179.8)]:
        created = stack.call(
            "POST",
            "/weights",
            {"measured_at": f"2026-01-{day}", "weight": {"value": pounds, "unit": "lb"}},
            token=token,
            headers={"Idempotency-Key": f"w-{day}"},
        )
        assert created.status == 201
    retried = stack.call(
        "POST",
        "/weights",
        {"measured_at": "2026-01-03", "weight": {"value": 179.8, "unit": "lb"}},
        token=token,
        headers={"Idempotency-Key": "w-03"},
    )
    assert retried.status == 201
    stack.call(
        "POST",
        "/workouts",
        {"started_at": "2026-01-02T18:00:00-05:00", "duration_min": 30, "type": "cardio", "title": "Run"},
        token=token,
    )

    seen, cursor = [], None
    while True:
        query = "limit=2" + (f"&cursor={urllib.parse.quote(cursor)}" if cursor else "")
        page = stack.call("GET", f"/weights?{query}", token=token).body
        seen += [weight["weight"]["value"] for weight in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [179.8, 180.4, 181]

    summary = summarised(
        stack, token, "from=2026-01-01&to=2026-01-07", lambda s: s["workouts"]["count"] and s["weight"]["entries"] == 3
    )
    assert summary["weight"]["change"] == -1.2 and summary["weight"]["unit"] == "lb"
    assert summary["workouts"]["count"] == 1


def test_export_then_delete_the_account(stack):
    email, _, login = _new_user(stack)
    token = login["id_token"]
    stack.call("POST", "/tasks", {"title": "Stretch"}, token=token)
    exported = stack.call("GET", "/me/export", token=token)
    assert exported.status == 200 and [task["title"] for task in exported.body["tasks"]] == ["Stretch"]
    assert stack.call("DELETE", "/me", token=token).status == 202
    assert stack.call("POST", "/auth/login", {"email": email, "password": "Journey-pass-2026!"}).status == 401
    assert stack.call("POST", "/auth/refresh", {"refresh_token": login["refresh_token"]}).status == 401
    late_write = stack.call("POST", "/tasks", {"title": "ghost"}, token=token)
    assert late_write.status == 401 and late_write.body["error"]["code"] == "account_deleted"


def _partition_size(stack, user_id):
    import boto3

    from chalicelib.repositories.dynamo import home_partition
    from devtools.local_aws import LOCAL_CREDENTIALS, REGION
    from tests.conftest import LOCAL_TABLE

    dynamodb = boto3.client(
        "dynamodb",
        endpoint_url=stack.aws,
        region_name=REGION,
        aws_access_key_id=LOCAL_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=LOCAL_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )
    answer = dynamodb.query(
        TableName=LOCAL_TABLE,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": home_partition(user_id)}},
        ConsistentRead=True,
        Select="COUNT",
    )
    return answer["Count"]


def _erased_within(stack, user_id, seconds=20.0):
    import time

    deadline = time.monotonic() + seconds
    while _partition_size(stack, user_id) and time.monotonic() < deadline:
        time.sleep(0.25)
    return _partition_size(stack, user_id) == 0


def test_the_stacks_worker_erases_a_deleted_account_in_the_background(stack):
    _, user_id, login = _new_user(stack)
    stack.call("POST", "/tasks", {"title": "Stretch"}, token=login["id_token"])
    assert stack.call("DELETE", "/me", token=login["id_token"]).status == 202
    assert _erased_within(stack, user_id)


def test_amplifys_delete_user_through_the_local_cognito_erases_the_account(stack):
    """Amplify's deleteUser is Cognito's DeleteUser with the access token: answered locally as
    Cognito answers it, and its CloudTrail event reaches the stack's worker through the template's rule."""
    _, user_id, login = _new_user(stack)
    assert stack.call("POST", "/tasks", {"title": "Stretch"}, token=login["id_token"]).status == 201

    answer = stack.cognito().delete_user(AccessToken=login["access_token"])

    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert _erased_within(stack, user_id)
    late_write = stack.call("POST", "/tasks", {"title": "ghost"}, token=login["id_token"])
    assert late_write.status == 401 and late_write.body["error"]["code"] == "account_deleted"

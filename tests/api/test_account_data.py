"""Export, import and deletion of everything a user owns."""

import copy
import json
import os
import urllib.request

import pytest

from chalicelib import deps
from chalicelib.identity import Identity
from chalicelib.repositories.dynamo import user_partition
from tests.catalog import TASK, WEIGHT, WORKOUT

CSV = b"date,weight,unit\n2026-02-01,80.5,kg\n2026-02-02,177.2,lb\n"


def _fill(api, user):
    api.put("/me/preferences", {"units": "imperial"}, token=user.token)
    api.patch("/me/profile", {"bio": "Runner"}, token=user.token)
    ids = {
        "weights": api.post("/weights", {**WEIGHT, "weight": {"value": 180.4, "unit": "lb"}}, token=user.token).body[
            "id"
        ],
        "workouts": api.post("/workouts", WORKOUT, token=user.token).body["id"],
        "tasks": api.post("/tasks", TASK, token=user.token, headers={"Idempotency-Key": "k-1"}).body["id"],
    }
    return ids


def _identity(user):
    return Identity(user_id=user.user_id, email=user.email, tenant_id=f"personal-{user.user_id}", role="member")


def test_the_export_holds_everything_the_user_owns(api, user):
    ids = _fill(api, user)
    answer = api.get("/me/export", token=user.token)
    assert answer.status == 200
    document = answer.body
    assert document["schema_version"] == 1
    assert document["account"]["user_id"] == user.user_id
    assert document["profile"]["bio"] == "Runner"
    assert document["preferences"]["units"] == "imperial"
    for name, item_id in ids.items():
        assert [record["id"] for record in document[name]] == [item_id]
    assert document["weights"][0]["weight"] == {"value": 180.4, "unit": "lb"}  # as entered, exactly
    assert "IDEMPOTENCY" not in json.dumps(document)


def test_the_export_is_two_queries_the_partition_and_what_the_user_wrote_in_the_tenant(api, user, calls):
    _fill(api, user)
    calls.clear()
    api.get("/me/export", token=user.token)
    assert calls.calls == ["dynamodb.Query", "dynamodb.Query"]


def test_a_large_export_is_a_presigned_link_to_the_same_document(api, user):
    _fill(api, user)
    inline = api.get("/me/export", token=user.token).body
    service = copy.copy(deps.account_data())
    service._inline_limit = 100
    linked = service.export(_identity(user))
    assert set(linked) >= {"download_url", "expires_in", "size_bytes"} and linked["expires_in"] == 300
    assert f"users/personal-{user.user_id}/{user.user_id}/exports/" in linked["download_url"]
    with urllib.request.urlopen(linked["download_url"], timeout=10) as response:
        downloaded = json.loads(response.read())
    assert {k: v for k, v in downloaded.items() if k != "exported_at"} == {
        k: v for k, v in inline.items() if k != "exported_at"
    }


def test_importing_an_export_twice_changes_nothing_the_second_time(api, user, other_user):
    _fill(api, user)
    document = api.get("/me/export", token=user.token).body
    first = api.post("/me/import", document, token=other_user.token)
    assert first.status == 200
    assert first.body["imported"] == {"weights": 1, "workouts": 1, "tasks": 1}
    before = api.get("/me/export", token=other_user.token).body
    second = api.post("/me/import", document, token=other_user.token)
    assert second.body == {
        "imported": {"weights": 0, "workouts": 0, "tasks": 0},
        "skipped": {"weights": 1, "workouts": 1, "tasks": 1},
    }
    after = api.get("/me/export", token=other_user.token).body
    assert {k: v for k, v in after.items() if k != "exported_at"} == {
        k: v for k, v in before.items() if k != "exported_at"
    }
    weight = api.get("/weights", token=other_user.token).body["items"][0]
    assert weight["weight"] == {"value": 81.83, "unit": "kg"}  # 180.4 lb, for a metric user


def test_an_imported_item_is_listed_and_ordered_like_a_posted_one(api, user):
    document = {
        "schema_version": 1,
        "tasks": [{**TASK, "id": "01KAAAAAAAAAAAAAAAAAAAAAAB", "done": True, "completed_at": "2026-01-02T10:00:00Z"}],
    }
    assert api.post("/me/import", document, token=user.token).status == 200
    done = api.get("/tasks?status=done", token=user.token).body["items"]
    assert [(task["id"], task["completed_at"]) for task in done] == [
        ("01KAAAAAAAAAAAAAAAAAAAAAAB", "2026-01-02T10:00:00.000Z")
    ]


def test_an_invalid_record_imports_nothing_and_is_named(api, user):
    document = {
        "schema_version": 1,
        "weights": [
            {**WEIGHT, "id": "01KAAAAAAAAAAAAAAAAAAAAAAC"},
            {**WEIGHT, "id": "01KAAAAAAAAAAAAAAAAAAAAAAD", "weight": {"value": 900, "unit": "kg"}},
        ],
    }
    answer = api.post("/me/import", document, token=user.token)
    assert answer.status == 400
    assert "1" in answer.body["error"]["details"]["weights"]
    assert api.get("/weights", token=user.token).body["items"] == []


@pytest.mark.parametrize(
    "document",
    [
        {"schema_version": 2},
        {"weights": []},
        [],
        {"schema_version": 1, "weights": {"id": "x"}},
        {"schema_version": 1, "weights": [{**WEIGHT, "id": "not-an-id"}]},
    ],
)
def test_a_document_that_is_not_an_export_is_400(api, user, document):
    assert api.post("/me/import", document, token=user.token).status == 400


def test_a_weights_csv_imports_once(api, user):
    headers = {"Content-Type": "text/csv"}
    first = api.request("POST", "/me/import", raw=CSV, token=user.token, headers=headers)
    assert first.status == 200 and first.body["imported"]["weights"] == 2
    second = api.request("POST", "/me/import", raw=CSV, token=user.token, headers=headers)
    assert second.body["imported"]["weights"] == 0 and second.body["skipped"]["weights"] == 2
    listed = api.get("/weights", token=user.token).body["items"]
    assert [weight["measured_at"] for weight in listed] == ["2026-02-02", "2026-02-01"]


@pytest.mark.parametrize(
    "raw, status",
    [
        (b"when,kg\n2026-01-01,80\n", 400),
        (b"date,weight,unit\n2026-01-01,heavy,kg\n", 400),
        (b"date,weight,unit\n2026-01-01,80,stone\n", 400),
        (b"date,weight,unit\n2026-02-30,80,kg\n", 400),
        (b"\xff\xfe", 400),
    ],
)
def test_a_bad_csv_is_refused(api, user, raw, status):
    answer = api.request("POST", "/me/import", raw=raw, token=user.token, headers={"Content-Type": "text/csv"})
    assert answer.status == status
    assert api.get("/weights", token=user.token).body["items"] == []


def test_import_refuses_other_media_types_and_huge_bodies(api, user):
    wrong = api.request("POST", "/me/import", raw=b"<x/>", token=user.token, headers={"Content-Type": "text/xml"})
    assert wrong.status == 415
    huge = api.request(
        "POST",
        "/me/import",
        raw=b"date,weight,unit\n" + b"x" * (5 * 1024 * 1024),
        token=user.token,
        headers={"Content-Type": "text/csv"},
    )
    assert huge.status == 413


def test_deleting_the_account_leaves_nothing_and_ends_every_session(api, user, local_aws):
    _fill(api, user)
    service = copy.copy(deps.account_data())
    service._inline_limit = 100
    service.export(_identity(user))  # a file in the bucket too
    assert api.request("DELETE", "/me", token=user.token).status == 204

    assert api.post("/auth/login", {"email": user.email, "password": user.password}).status == 401
    assert api.post("/auth/refresh", {"refresh_token": user.refresh_token}).status == 401
    remaining = local_aws.client("dynamodb").query(
        TableName="stride-local",
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": user_partition(_identity(user))}},
    )
    assert remaining["Items"] == []
    files = local_aws.client("s3").list_objects_v2(
        Bucket=os.environ.get("MEDIA_BUCKET", "stride-local-media"), Prefix=f"users/personal-{user.user_id}/"
    )
    assert files.get("KeyCount", 0) == 0


def test_a_token_issued_before_the_deletion_can_write_nothing(api, user, local_aws):
    assert api.request("DELETE", "/me", token=user.token).status == 204
    writes = [
        api.post("/weights", WEIGHT, token=user.token),
        api.post("/workouts", WORKOUT, token=user.token),
        api.post("/tasks", TASK, token=user.token),
        api.put("/me/preferences", {"units": "imperial"}, token=user.token),
        api.patch("/me/profile", {"bio": "ghost"}, token=user.token),
        api.put("/me/profile", {"display_name": "ghost"}, token=user.token),
        api.post(
            "/me/import",
            {"schema_version": 1, "weights": [{**WEIGHT, "id": "01KAAAAAAAAAAAAAAAAAAAAAAE"}]},
            token=user.token,
        ),
    ]
    assert [answer.status for answer in writes] == [401] * len(writes)
    assert {answer.body["error"]["code"] for answer in writes} == {"account_deleted"}
    remaining = local_aws.client("dynamodb").query(
        TableName="stride-local",
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": user_partition(_identity(user))}},
    )
    assert remaining["Items"] == []
    assert api.get("/me/profile", token=user.token).status == 404


def test_deleting_twice_is_harmless(api, user):
    assert api.request("DELETE", "/me", token=user.token).status == 204
    assert api.request("DELETE", "/me", token=user.token).status == 204


@pytest.mark.parametrize(
    "raw",
    [b"date,weight,unit\n2026-01-01,1e300000,kg\n", b"date,weight,unit\n2026-01-01," + b"9" * 200_000 + b",kg\n"],
    ids=["huge_exponent", "huge_field"],
)
def test_a_csv_with_monstrous_numbers_is_refused_at_once(api, user, raw):
    answer = api.request("POST", "/me/import", raw=raw, token=user.token, headers={"Content-Type": "text/csv"})
    assert answer.status == 400


def test_the_same_row_twice_in_one_file_is_imported_once(api, user):
    raw = b"date,weight,unit\n2026-03-01,80,kg\n2026-03-01,80,kg\n"
    answer = api.request("POST", "/me/import", raw=raw, token=user.token, headers={"Content-Type": "text/csv"})
    assert answer.status == 200 and answer.body["imported"]["weights"] == 1


def test_the_same_id_twice_in_one_document_is_imported_once(api, user):
    record = {**WEIGHT, "id": "01KAAAAAAAAAAAAAAAAAAAAAAF"}
    answer = api.post("/me/import", {"schema_version": 1, "weights": [record, record]}, token=user.token)
    assert answer.status == 200 and answer.body["imported"]["weights"] == 1


def test_schema_version_true_is_not_one(api, user):
    assert api.post("/me/import", {"schema_version": True}, token=user.token).status == 400

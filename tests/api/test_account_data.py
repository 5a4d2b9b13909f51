"""Export, import and deletion of everything a user owns."""

import copy
import json
import urllib.request

import pytest

from chalicelib import deps
from chalicelib.domains import records
from chalicelib.identity import Identity
from tests.catalog import TASK, WEIGHT, WORKOUT

CSV = b"date,weight,unit\n2026-02-01,80.5,kg\n2026-02-02,177.2,lb\n"
# What an import counts: every installed domain whose manifest names how to rebuild its records.
IMPORTED = tuple(listed.name for listed in records() if listed.record_schema and listed.build)
FILLED = ("weights", "workouts", "tasks")  # what _fill posts, one of each


def _counts(filled: int) -> dict[str, int]:
    return {name: filled if name in FILLED else 0 for name in IMPORTED}


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


def test_the_export_is_the_partition_the_businesses_joined_and_what_the_user_wrote_in_each(api, user, calls):
    _fill(api, user)
    calls.clear()
    api.get("/me/export", token=user.token)
    # Never in a business: the partition, the (no) businesses joined, what they wrote in their own tenant.
    assert calls.calls == ["dynamodb.Query", "dynamodb.Query", "dynamodb.Query"]


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
    assert first.body["imported"] == _counts(1)
    before = api.get("/me/export", token=other_user.token).body
    second = api.post("/me/import", document, token=other_user.token)
    assert second.body == {"imported": _counts(0), "skipped": _counts(1)}
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
        # Found by `make fuzz` (ST201): an empty object was read as no records and answered 200.
        {"schema_version": 1, "workouts": {}},
        {"schema_version": 1, "tasks": ""},
        {"schema_version": 1, "weights": 0},
        {"schema_version": 1, "weights": [{**WEIGHT, "id": "not-an-id"}]},
    ],
)
def test_a_document_that_is_not_an_export_is_400(api, user, document):
    assert api.post("/me/import", document, token=user.token).status == 400


def test_null_or_absent_record_lists_import_nothing(api, user):
    answer = api.post("/me/import", {"schema_version": 1, "weights": None, "tasks": []}, token=user.token)
    assert answer.status == 200, answer.body
    assert answer.body["imported"] == _counts(0)


def test_a_number_beyond_1e30_is_refused_as_an_integer_too(api, user):
    # The OpenAPI document bounds numbers, not spellings: 10**31 is refused however it is written.
    for raw in (b'{"schema_version": 1, "x": 10000000000000000000000000000000}', b'{"schema_version": 1, "x": 1e31}'):
        answer = api.post("/me/import", raw=raw, token=user.token)
        assert answer.status == 400 and answer.body["error"]["code"] == "malformed_json"
    largest = b'{"schema_version": 1, "x": 9999999999999999999999999999999}'
    assert api.post("/me/import", raw=largest, token=user.token).status == 200

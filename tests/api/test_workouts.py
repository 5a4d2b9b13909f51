"""Workouts: bounded nested exercises, validated, owned, versioned, idempotent, listed newest first
by when they started, one DynamoDB call per operation."""

import datetime
from urllib.parse import urlencode

import pytest

from chalicelib import clock

WORKOUT = {"started_at": "2026-01-05T18:00:00+01:00", "duration_min": 40, "type": "cardio", "title": "Run"}
FULL = {
    **WORKOUT,
    "type": "strength",
    "title": "Legs",
    "exercises": [
        {
            "name": "Squat",
            "sets": [
                {"reps": 5, "weight": {"value": 102.5, "unit": "kg"}},
                {"reps": 5, "weight": {"value": 225.25, "unit": "lb"}},
            ],
        },
        {"name": "Row", "sets": [{"duration_s": 600, "distance_m": 2000.5}]},
        {"name": "Stretch", "sets": []},
    ],
    "perceived_effort": 8,
    "calories": 450,
    "notes": "Felt strong",
}
SETS = [{"reps": 1}] * 50


def log(api, user, headers=None, **fields):
    return api.post("/workouts", {**WORKOUT, **fields}, token=user.token, headers=headers)


def logged(api, user, **fields):
    answer = log(api, user, **fields)
    assert answer.status == 201, answer.body
    return answer.body


def listing(api, user, path="/workouts", **params):
    query = urlencode({"from" if name == "from_" else name: value for name, value in params.items()})
    return api.get(f"{path}?{query}" if query else path, token=user.token)


def listed_ids(api, user, **params):
    answer = listing(api, user, **params)
    assert answer.status == 200, answer.body
    return [item["id"] for item in answer.body["items"]]


def delete(api, user, path, headers=None):
    return api.request("DELETE", path, token=user.token, headers=headers)


def started(when):
    return {"started_at": when}


# Creating


def test_a_minimal_workout_has_no_exercises_and_no_optional_fields(api, user):
    answer = log(api, user)
    assert answer.status == 201
    workout = answer.body
    assert {key: workout[key] for key in WORKOUT} == WORKOUT
    assert workout["exercises"] == []
    assert workout["version"] == 1
    assert workout["created_at"] == workout["updated_at"]
    for absent in ("perceived_effort", "calories", "notes"):
        assert absent not in workout


def test_a_full_workout_comes_back_exactly_as_logged(api, user):
    workout = logged(api, user, **FULL)
    assert {key: workout[key] for key in FULL} == FULL
    assert api.get(f"/workouts/{workout['id']}", token=user.token).body == workout


@pytest.mark.parametrize("kind", ["strength", "cardio", "hiit", "mobility", "sport", "other"])
def test_every_workout_type_is_accepted(api, user, kind):
    assert logged(api, user, type=kind)["type"] == kind


def test_the_largest_workout_allowed_is_accepted(api, user):
    exercises = [{"name": f"Exercise {index}", "sets": SETS} for index in range(50)]
    workout = logged(api, user, exercises=exercises, notes="n" * 2000, title="t" * 200, duration_min=1440)
    assert len(workout["exercises"]) == 50
    assert all(len(exercise["sets"]) == 50 for exercise in workout["exercises"])
    assert len(workout["notes"]) == 2000


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"started_at": None}, "started_at"),
        ({"started_at": "2026-01-05T18:00"}, "started_at"),
        ({"started_at": "2026-02-30"}, "started_at"),
        ({"duration_min": None}, "duration_min"),
        ({"duration_min": 0}, "duration_min"),
        ({"duration_min": 1441}, "duration_min"),
        ({"duration_min": 30.5}, "duration_min"),
        ({"duration_min": "30"}, "duration_min"),
        ({"duration_min": True}, "duration_min"),
        ({"type": None}, "type"),
        ({"type": "yoga"}, "type"),
        ({"type": "Cardio"}, "type"),
        ({"type": ""}, "type"),
        ({"title": None}, "title"),
        ({"title": ""}, "title"),
        ({"title": "t" * 201}, "title"),
        ({"exercises": [{"name": "Squat"}] * 51}, "exercises"),
        ({"exercises": [{"name": "Squat", "sets": [*SETS, {"reps": 1}]}]}, "exercises"),
        ({"exercises": [{"name": "Squat", "sets": [{}]}]}, "exercises"),
        ({"exercises": [{"name": "", "sets": []}]}, "exercises"),
        ({"exercises": [{"name": "n" * 101}]}, "exercises"),
        ({"exercises": [{"sets": [{"reps": 5}]}]}, "exercises"),
        ({"exercises": [{"name": "Squat", "sets": [{"reps": -1}]}]}, "exercises"),
        ({"exercises": [{"name": "Squat", "sets": [{"reps": 5.5}]}]}, "exercises"),
        ({"exercises": [{"name": "Squat", "sets": [{"weight": {"value": 100.1234, "unit": "kg"}}]}]}, "exercises"),
        ({"exercises": [{"name": "Squat", "sets": [{"weight": {"value": 100, "unit": "stone"}}]}]}, "exercises"),
        ({"exercises": [{"name": "Squat", "sets": [{"weight": {"value": -5, "unit": "kg"}}]}]}, "exercises"),
        ({"exercises": [{"name": "Squat", "sets": [{"tempo": "3-1-1"}]}]}, "exercises"),
        ({"exercises": [{"name": "Row", "sets": [{"distance_m": 10.55}]}]}, "exercises"),
        ({"exercises": [{"name": "Row", "sets": [{"duration_s": 86_401}]}]}, "exercises"),
        ({"exercises": {"name": "Squat"}}, "exercises"),
        ({"exercises": None}, "exercises"),
        ({"perceived_effort": 0}, "perceived_effort"),
        ({"perceived_effort": 11}, "perceived_effort"),
        ({"perceived_effort": 7.5}, "perceived_effort"),
        ({"calories": -1}, "calories"),
        ({"calories": 20_001}, "calories"),
        ({"notes": "n" * 2001}, "notes"),
        ({"id": "01HZZZZZZZZZZZZZZZZZZZZZZZ"}, "id"),
        ({"version": 3}, "version"),
    ],
)
def test_invalid_fields_are_400_and_named(api, user, fields, field):
    body = {**WORKOUT, **fields}
    if fields == {field: None} and field in WORKOUT:
        del body[field]  # missing, rather than null
    answer = api.post("/workouts", body, token=user.token)
    assert answer.status == 400
    assert field in answer.body["error"]["details"]
    assert listed_ids(api, user) == []


def _utc_in(hours):
    moment = clock.now() + datetime.timedelta(hours=hours)
    return moment.replace(microsecond=0).isoformat()


def _days_ahead(days):
    return (clock.today() + datetime.timedelta(days=days)).isoformat()


def test_a_workout_starting_within_the_next_day_is_accepted(api, user):
    assert log(api, user, **started(_utc_in(23))).status == 201


@pytest.mark.parametrize("started_at", [lambda: _utc_in(25), lambda: _days_ahead(2)], ids=["25h", "2d"])
def test_a_workout_starting_more_than_a_day_ahead_is_400(api, user, started_at):
    answer = log(api, user, **started(started_at()))
    assert answer.status == 400
    assert "started_at" in answer.body["error"]["details"]


# Reading, changing, deleting


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
@pytest.mark.parametrize("item_id", ["01HZZZZZZZZZZZZZZZZZZZZZZZ", "not-an-id"])
def test_an_unknown_or_malformed_id_is_404(api, user, method, item_id):
    body = {"title": "x"} if method == "PATCH" else None
    answer = api.request(method, f"/workouts/{item_id}", body, token=user.token)
    assert answer.status == 404


def test_patch_changes_only_the_given_fields(api, user):
    workout = logged(api, user, **FULL)
    answer = api.patch(f"/workouts/{workout['id']}", {"title": "Heavy legs", "calories": 500}, token=user.token)
    assert answer.status == 200
    assert answer.body["title"] == "Heavy legs"
    assert answer.body["calories"] == 500
    assert answer.body["version"] == 2
    unchanged = {key: value for key, value in FULL.items() if key not in ("title", "calories")}
    assert {key: answer.body[key] for key in unchanged} == unchanged
    assert api.get(f"/workouts/{workout['id']}", token=user.token).body == answer.body


def test_patch_replaces_the_exercises_as_a_whole(api, user):
    workout = logged(api, user, **FULL)
    exercises = [{"name": "Lunge", "sets": [{"reps": 12}]}]
    answer = api.patch(f"/workouts/{workout['id']}", {"exercises": exercises}, token=user.token)
    assert answer.body["exercises"] == exercises


def test_patch_with_null_removes_the_optional_fields(api, user):
    workout = logged(api, user, **FULL)
    answer = api.patch(
        f"/workouts/{workout['id']}", {"notes": None, "perceived_effort": None, "calories": None}, token=user.token
    )
    assert answer.status == 200
    for removed in ("notes", "perceived_effort", "calories"):
        assert removed not in answer.body
    assert answer.body["exercises"] == FULL["exercises"]


def test_patching_the_start_moves_it_in_the_list(api, user):
    older = logged(api, user, **started("2026-01-04T08:00:00Z"))
    newer = logged(api, user, **started("2026-01-05T08:00:00Z"))
    moved = api.patch(f"/workouts/{older['id']}", started("2026-01-06"), token=user.token)
    assert moved.body["started_at"] == "2026-01-06"
    assert listed_ids(api, user) == [older["id"], newer["id"]]
    assert listed_ids(api, user, to="2026-01-05") == [newer["id"]]


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"title": None}, "title"),
        ({"type": None}, "type"),
        ({"type": "yoga"}, "type"),
        ({"duration_min": None}, "duration_min"),
        ({"started_at": None}, "started_at"),
        ({"started_at": _utc_in(48)}, "started_at"),
        ({"exercises": None}, "exercises"),
        ({"exercises": [{"name": "Squat"}] * 51}, "exercises"),
        ({"exercises": [{"name": "Squat", "sets": [{}]}]}, "exercises"),
        ({"notes": "n" * 2001}, "notes"),
        ({"version": 5}, "version"),
    ],
)
def test_an_invalid_patch_is_400_named_and_changes_nothing(api, user, changes, field):
    workout = logged(api, user, **FULL)
    answer = api.patch(f"/workouts/{workout['id']}", changes, token=user.token)
    assert answer.status == 400
    assert field in answer.body["error"]["details"]
    assert api.get(f"/workouts/{workout['id']}", token=user.token).body == workout


def test_an_empty_patch_is_400(api, user):
    workout = logged(api, user)
    answer = api.patch(f"/workouts/{workout['id']}", {}, token=user.token)
    assert answer.status == 400
    assert answer.body["error"]["code"] == "empty_patch"


def test_delete_is_204_with_an_empty_body_and_the_workout_is_gone(api, user):
    workout = logged(api, user)
    answer = delete(api, user, f"/workouts/{workout['id']}")
    assert answer.status == 204
    assert answer.body is None
    assert api.get(f"/workouts/{workout['id']}", token=user.token).status == 404
    assert listed_ids(api, user) == []


# If-Match


@pytest.mark.parametrize("if_match", ["1", '"1"', 'W/"1"'])
def test_patch_with_the_current_version_succeeds(api, user, if_match):
    workout = logged(api, user)
    answer = api.patch(f"/workouts/{workout['id']}", {"title": "x"}, token=user.token, headers={"If-Match": if_match})
    assert answer.status == 200
    assert answer.body["version"] == 2


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_a_stale_version_is_412_with_the_current_version_and_changes_nothing(api, user, method):
    workout = logged(api, user)
    path = f"/workouts/{workout['id']}"
    current = api.patch(path, {"title": "first"}, token=user.token).body
    body = {"title": "second"} if method == "PATCH" else None
    answer = api.request(method, path, body, token=user.token, headers={"If-Match": '"1"'})
    assert answer.status == 412
    assert answer.body["error"]["code"] == "version_mismatch"
    assert answer.body["error"]["details"]["version"] == 2
    assert api.get(path, token=user.token).body == current


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_a_malformed_if_match_is_400(api, user, method):
    workout = logged(api, user)
    path = f"/workouts/{workout['id']}"
    body = {"title": "x"} if method == "PATCH" else None
    answer = api.request(method, path, body, token=user.token, headers={"If-Match": "latest"})
    assert answer.status == 400
    assert answer.body["error"]["code"] == "invalid_if_match"
    assert api.get(path, token=user.token).body == workout


def test_delete_with_the_current_version_deletes(api, user):
    workout = logged(api, user)
    assert delete(api, user, f"/workouts/{workout['id']}", headers={"If-Match": "1"}).status == 204


# Idempotency-Key


def test_a_retry_with_the_same_key_and_body_returns_the_first_answer_and_creates_nothing(api, user):
    first = log(api, user, headers={"Idempotency-Key": "w-1"}, **FULL)
    again = log(api, user, headers={"Idempotency-Key": "w-1"}, **FULL)
    assert first.status == again.status == 201
    assert again.body == first.body
    assert listed_ids(api, user) == [first.body["id"]]


def test_the_same_key_with_another_body_is_422_and_creates_nothing(api, user):
    first = log(api, user, headers={"Idempotency-Key": "w-2"})
    answer = log(api, user, headers={"Idempotency-Key": "w-2"}, duration_min=41)
    assert answer.status == 422
    assert answer.body["error"]["code"] == "idempotency_key_reused"
    assert listed_ids(api, user) == [first.body["id"]]


@pytest.mark.parametrize("key", ["", "x" * 129, "two words"])
def test_a_malformed_idempotency_key_is_400(api, user, key):
    answer = log(api, user, headers={"Idempotency-Key": key})
    assert answer.status == 400
    assert answer.body["error"]["code"] == "invalid_idempotency_key"
    assert listed_ids(api, user) == []


def test_two_users_with_the_same_key_each_get_their_own_workout(api, user, other_user):
    mine = log(api, user, headers={"Idempotency-Key": "shared"})
    theirs = log(api, other_user, headers={"Idempotency-Key": "shared"})
    assert mine.status == theirs.status == 201
    assert mine.body["id"] != theirs.body["id"]


def test_the_same_key_on_workouts_and_tasks_are_independent(api, user):
    workout = log(api, user, headers={"Idempotency-Key": "both"})
    task = api.post("/tasks", {"title": "Stretch"}, token=user.token, headers={"Idempotency-Key": "both"})
    assert workout.status == task.status == 201
    assert task.body["title"] == "Stretch"


# Lists


def test_a_list_is_newest_first_by_start(api, user):
    middle = logged(api, user, **started("2026-01-05T07:30:00Z"))
    oldest = logged(api, user, **started("2026-01-05T08:00:00+01:00"))
    newest = logged(api, user, **started("2026-01-05T12:00:00+02:00"))  # 10:00 UTC
    answer = listing(api, user)
    assert [item["id"] for item in answer.body["items"]] == [newest["id"], middle["id"], oldest["id"]]
    assert answer.body["next_cursor"] is None


@pytest.mark.parametrize(
    "params, included",
    [
        ({"to": "2026-01-05"}, True),
        ({"from_": "2026-01-06"}, False),
        ({"from_": "2026-01-05", "to": "2026-01-05"}, True),
        ({"from_": "2026-01-05T10:30:00Z", "to": "2026-01-05T10:30:00Z"}, True),
        ({"to": "2026-01-05T10:29:59Z"}, False),
    ],
)
def test_ranges_are_local_days_or_instants(api, user, params, included):
    api.put("/me/preferences", {"timezone": "Pacific/Auckland"}, token=user.token)
    workout = logged(api, user, **started("2026-01-05T23:30:00+13:00"))
    assert (workout["id"] in listed_ids(api, user, **params)) is included


@pytest.mark.parametrize(
    "params, code",
    [
        ({"from_": "2026-01-06", "to": "2026-01-05"}, "invalid_range"),
        ({"from_": "2025-01-01", "to": "2026-01-02"}, "range_too_long"),
        ({"limit": "0"}, "validation_error"),
        ({"limit": "101"}, "validation_error"),
        ({"type": "cardio"}, "validation_error"),
    ],
)
def test_invalid_list_queries_are_400(api, user, params, code):
    answer = listing(api, user, **params)
    assert answer.status == 400
    assert answer.body["error"]["code"] == code


def walk(api, user, path="/workouts", **params):
    sizes, ids, cursor = [], [], None
    while True:
        answer = listing(api, user, path, **params, **({"cursor": cursor} if cursor else {}))
        assert answer.status == 200, answer.body
        sizes.append(len(answer.body["items"]))
        ids += [item["id"] for item in answer.body["items"]]
        cursor = answer.body["next_cursor"]
        if cursor is None:
            return sizes, ids


def test_pages_walk_every_workout_once_in_order(api, user):
    created = [logged(api, user, **started(f"2026-01-0{day}T18:00:00Z"))["id"] for day in range(1, 6)]
    sizes, ids = walk(api, user, limit=2)
    assert sizes == [2, 2, 1]
    assert ids == created[::-1]


def test_a_list_that_fills_its_last_page_exactly_has_no_empty_page_after_it(api, user):
    for day in range(1, 5):
        logged(api, user, **started(f"2026-01-0{day}"))
    assert walk(api, user, limit=2)[0] == [2, 2]


# Cursors


@pytest.fixture
def cursor(api, user):
    for day in range(1, 4):
        logged(api, user, **started(f"2026-01-0{day}"))
    answer = listing(api, user, from_="2026-01-01", to="2026-01-31", limit=2)
    assert answer.body["next_cursor"]
    return answer.body["next_cursor"]


def _assert_invalid_cursor(answer):
    assert answer.status == 400
    assert answer.body["error"]["code"] == "invalid_cursor"


def test_an_edited_cursor_is_400(api, user, cursor):
    payload, signature = cursor.split(".")
    edited = payload[:-1] + ("A" if payload[-1] != "A" else "B") + "." + signature
    _assert_invalid_cursor(listing(api, user, from_="2026-01-01", to="2026-01-31", cursor=edited))


def test_another_users_cursor_is_400(api, cursor, other_user):
    _assert_invalid_cursor(listing(api, other_user, from_="2026-01-01", to="2026-01-31", cursor=cursor))


@pytest.mark.parametrize("path", ["/weights", "/tasks"])
def test_a_workouts_cursor_on_another_list_is_400(api, user, cursor, path):
    params = {"from_": "2026-01-01", "to": "2026-01-31"} if path == "/weights" else {}
    _assert_invalid_cursor(listing(api, user, path, cursor=cursor, **params))


def test_a_cursor_used_with_another_range_is_400(api, user, cursor):
    _assert_invalid_cursor(listing(api, user, from_="2026-01-01", to="2026-02-28", cursor=cursor))


# Cost


@pytest.fixture
def warm(api, user, calls):
    api.get("/me/preferences", token=user.token)
    calls.clear()
    return calls


def test_create_is_one_transaction(api, user, warm):
    log(api, user, **FULL)
    assert warm.calls == ["dynamodb.TransactWriteItems"]


@pytest.mark.parametrize(
    "method, body, expected",
    [
        ("GET", None, "dynamodb.GetItem"),
        ("PATCH", {"title": "x", "started_at": "2026-01-04T10:00:00Z"}, "dynamodb.UpdateItem"),
        ("DELETE", None, "dynamodb.DeleteItem"),
    ],
)
def test_get_patch_and_delete_are_one_call_each(api, user, warm, method, body, expected):
    workout = logged(api, user)
    warm.clear()
    assert api.request(method, f"/workouts/{workout['id']}", body, token=user.token).status < 300
    assert warm.calls == [expected]


def test_each_page_is_one_query(api, user, warm):
    for day in range(1, 4):
        log(api, user, **started(f"2026-01-0{day}"))
    warm.clear()
    first = listing(api, user, limit=2).body
    listing(api, user, limit=2, cursor=first["next_cursor"])
    assert warm.calls == ["dynamodb.Query", "dynamodb.Query"]

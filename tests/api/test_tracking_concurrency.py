"""Concurrent writers never lose an update: patches of different fields all land, and of writers
holding the same If-Match version exactly one wins.

Items are created through the API; the concurrent writes go through the services from threads
(Chalice's test client is not thread-safe), with the body loaded by the route's own schema."""

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest

from chalicelib import deps
from chalicelib.domains.tasks.schemas import TaskPatch
from chalicelib.domains.weights.schemas import WeightPatch
from chalicelib.domains.workouts.schemas import WorkoutPatch
from chalicelib.errors import NotFound, PreconditionFailed
from chalicelib.identity import Identity
from tests.catalog import TASK, WEIGHT, WORKOUT

COLLECTIONS = {
    "weights": (WEIGHT, WeightPatch, deps.weights),
    "workouts": (WORKOUT, WorkoutPatch, deps.workouts),
    "tasks": (TASK, TaskPatch, deps.tasks),
}
# Each collection's fields, each changed by its own writer.
DIFFERENT_FIELDS = {
    "weights": [
        {"note": "after breakfast"},
        {"body_fat_pct": 21.5},
        {"measured_at": "2026-01-04T07:00:00+01:00"},
        {"weight": {"value": 82.25, "unit": "kg"}},
    ],
    "workouts": [
        {"title": "Tempo run"},
        {"notes": "Windy"},
        {"calories": 420},
        {"perceived_effort": 7},
        {"duration_min": 55},
        {"exercises": [{"name": "Strides", "sets": [{"distance_m": 100, "duration_s": 20}]}]},
    ],
    "tasks": [
        {"title": "Stretch hamstrings"},
        {"notes": "Ten minutes"},
        {"priority": "high"},
        {"due_date": "2026-01-09"},
    ],
}
# A free-text field of each collection, for writers that race on the same field.
TEXT_FIELD = {"weights": "note", "workouts": "notes", "tasks": "notes"}
WRITERS = 8


def identity_of(user):
    return Identity(user_id=user.user_id, email=user.email, tenant_id=f"personal-{user.user_id}", role="member")


def loaded(schema, changes):
    """The changes as the HTTP edge hands them to the service: JSON numbers as Decimal."""
    return schema().load(json.loads(json.dumps(changes), parse_float=Decimal))


def together(*jobs):
    """Runs the jobs at once, each in its own thread; the result or the exception of each."""
    start = threading.Barrier(len(jobs))

    def run(job):
        start.wait()
        try:
            return job()
        except Exception as error:  # collected for the assertions
            return error

    with ThreadPoolExecutor(len(jobs)) as pool:
        return list(pool.map(run, jobs))


def created(api, user, collection):
    answer = api.post(f"/{collection}", COLLECTIONS[collection][0], token=user.token)
    assert answer.status == 201, answer.body
    return answer.body


def patcher(user, collection, item_id, changes, expected_version=None):
    _, schema, service = COLLECTIONS[collection]
    body = loaded(schema, changes)
    return lambda: service().patch(identity_of(user), item_id, body, expected_version)


@pytest.mark.parametrize("collection", sorted(COLLECTIONS))
def test_concurrent_patches_of_different_fields_all_land(api, user, collection):
    item = created(api, user, collection)
    changes = DIFFERENT_FIELDS[collection]
    results = together(*(patcher(user, collection, item["id"], change) for change in changes))
    assert not [result for result in results if isinstance(result, Exception)], results

    stored = api.get(f"/{collection}/{item['id']}", token=user.token).body
    assert stored["version"] == 1 + len(changes)
    for change in changes:
        assert {name: stored[name] for name in change} == change
    assert sorted(result["version"] for result in results) == list(range(2, 2 + len(changes)))


@pytest.mark.parametrize("collection", sorted(COLLECTIONS))
def test_concurrent_patches_without_if_match_are_each_counted(api, user, collection):
    item = created(api, user, collection)
    field = TEXT_FIELD[collection]
    values = [f"writer {n}" for n in range(WRITERS)]
    results = together(*(patcher(user, collection, item["id"], {field: value}) for value in values))
    assert not [result for result in results if isinstance(result, Exception)], results

    stored = api.get(f"/{collection}/{item['id']}", token=user.token).body
    assert stored["version"] == 1 + WRITERS
    # The last writer's value, as its own answer showed it.
    last = max(results, key=lambda result: result["version"])
    assert stored[field] == last[field]


@pytest.mark.parametrize("collection", sorted(COLLECTIONS))
def test_of_writers_with_the_same_version_exactly_one_wins(api, user, collection):
    item = created(api, user, collection)
    field = TEXT_FIELD[collection]
    results = together(
        *(patcher(user, collection, item["id"], {field: f"writer {n}"}, expected_version=1) for n in range(WRITERS))
    )

    winners = [result for result in results if isinstance(result, dict)]
    losers = [result for result in results if isinstance(result, PreconditionFailed)]
    assert len(winners) == 1, results
    assert len(losers) == WRITERS - 1, results
    assert all(loser.details == {"version": 2} for loser in losers)
    stored = api.get(f"/{collection}/{item['id']}", token=user.token).body
    assert stored["version"] == 2
    assert stored[field] == winners[0][field]


@pytest.mark.parametrize("collection", sorted(COLLECTIONS))
def test_a_patch_racing_a_delete_never_brings_the_item_back(api, user, collection):
    item = created(api, user, collection)
    field = TEXT_FIELD[collection]
    service = COLLECTIONS[collection][2]

    def delete():
        return service().delete(identity_of(user), item["id"], None)

    patches = [patcher(user, collection, item["id"], {field: f"writer {n}"}) for n in range(WRITERS - 1)]
    results = together(delete, *patches)

    assert results[0] is None
    assert all(isinstance(result, (dict, NotFound)) for result in results[1:]), results
    assert api.get(f"/{collection}/{item['id']}", token=user.token).status == 404
    assert api.get(f"/{collection}", token=user.token).body["items"] == []


def test_concurrent_done_marks_record_one_completed_at(api, user):
    task = created(api, user, "tasks")
    results = together(*(patcher(user, "tasks", task["id"], {"done": True}) for _ in range(WRITERS)))
    assert not [result for result in results if isinstance(result, Exception)], results

    stored = api.get(f"/tasks/{task['id']}", token=user.token).body
    assert {result["completed_at"] for result in results} == {stored["completed_at"]}
    done = api.get("/tasks?status=done", token=user.token).body["items"]
    assert [item["id"] for item in done] == [task["id"]]

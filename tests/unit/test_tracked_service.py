"""TrackedService, the one service of plain tracked items, with fakes: what each domain adds, and
that the caller's preferences are read only when something needs them (a GET of a workout or any
task needs none, so it stays one DynamoDB call on a cold cache)."""

from datetime import datetime
from decimal import Decimal

import pytest

from chalicelib.domains.tasks.service import TaskService
from chalicelib.domains.weights.service import WeightService
from chalicelib.domains.workouts.service import WorkoutService
from chalicelib.errors import InvalidInput
from chalicelib.identity import Identity

ME = Identity(user_id="u-1", email="", tenant_id="personal-u-1", role="member")
META = {"id": "01KAAAAAAAAAAAAAAAAAAAAAAA", "created_at": "t", "updated_at": "t", "version": 1}
STARTED = datetime.fromisoformat("2026-01-05T18:00:00+01:00")


class Preferences:
    def __init__(self):
        self.reads = 0

    def current(self, identity):
        self.reads += 1
        return {"units": "imperial", "timezone": "Europe/Paris"}


class Items:
    """A Collection of one item, remembering the last update."""

    def __init__(self, item=None):
        self.item, self.updated = item, None

    def new_meta(self):
        return dict(META)

    def create(self, identity, item, idempotency_key, body):
        self.item = dict(item)
        return dict(item)

    def get(self, identity, item_id):
        return dict(self.item)

    def update(self, identity, item_id, update, expected_version, when=None):
        self.updated = update
        return dict(self.item)


def _service(kind, item=None):
    preferences = Preferences()
    return kind(Items(item), preferences), preferences


def test_a_workout_is_built_with_its_moment_in_the_time_index():
    item = WorkoutService.build({"started_at": STARTED, "title": "Run", "notes": None}, META, "UTC")
    assert item["started_at"] == "2026-01-05T18:00:00+01:00" and item["at"] == "2026-01-05T17:00:00.000Z"
    assert item["TSK"] == f"WORKOUT#2026-01-05T17:00:00.000Z#{META['id']}"
    assert "notes" not in item  # null is not stored
    assert WorkoutService.export_record(item) == {**META, "started_at": item["started_at"], "title": "Run"}


def test_reading_a_workout_or_a_task_reads_no_preferences_and_a_weight_reads_them_once():
    workouts, workout_preferences = _service(WorkoutService, {**META, "title": "Run", "at": "x", "TSK": "y"})
    assert workouts.get(ME, META["id"]) == {**META, "title": "Run"}
    tasks, task_preferences = _service(TaskService, {**META, "title": "Stretch", "done": False, "OSK": "~"})
    assert tasks.get(ME, META["id"]) == {**META, "title": "Stretch", "done": False}
    tasks.create(ME, {"title": "Stretch", "done": False}, None)
    assert workout_preferences.reads == task_preferences.reads == 0
    weight = WeightService.build({"measured_at": STARTED, "weight": {"value": Decimal(80), "unit": "kg"}}, META, "UTC")
    weights, weight_preferences = _service(WeightService, weight)
    assert weights.get(ME, META["id"])["weight"] == {"value": Decimal("176.37"), "unit": "lb"}
    assert weight_preferences.reads == 1


def test_a_patch_derives_from_what_it_changes_only():
    workouts, preferences = _service(WorkoutService, {**META, "title": "Run"})
    workouts.patch(ME, META["id"], {"title": "Walk"}, None)
    assert preferences.reads == 0  # no moment changed: no zone needed
    changes = {"started_at": STARTED}
    workouts.patch(ME, META["id"], changes, 1)
    assert preferences.reads == 1 and changes == {}  # the moment became derived fields
    updated = workouts._items.updated
    assert set(updated.names.values()) == {"started_at", "at", "TSK"}  # the fake does not stamp
    assert "2026-01-05T17:00:00.000Z" in {value.get("S") for value in updated.values.values()}


def test_a_weight_patch_keeps_kilograms_and_refuses_the_implausible():
    weights, _ = _service(WeightService, {**META, "weight_kg": Decimal(80)})
    derived = WeightService.derive({"weight": {"value": Decimal("176.37"), "unit": "lb"}}, lambda: "UTC", META["id"])
    assert derived["entered"] == {"value": Decimal("176.37"), "unit": "lb"} and derived["weight_kg"] > 79
    with pytest.raises(InvalidInput):
        weights.patch(ME, META["id"], {"weight": {"value": Decimal(5), "unit": "kg"}}, None)


@pytest.mark.parametrize("kind", [WeightService, WorkoutService, TaskService])
def test_an_empty_patch_is_refused(kind):
    service, _ = _service(kind, dict(META))
    with pytest.raises(InvalidInput):
        service.patch(ME, META["id"], {}, None)

"""ProgramService with fakes: the paths the API cannot easily reach (a race on a session)."""

import copy

import pytest

from chalicelib.domains.coaching import program_plan
from chalicelib.domains.coaching.program_service import ProgramService
from chalicelib.domains.coaching.program_store import SessionAlreadyCompleted
from chalicelib.errors import Conflict
from chalicelib.identity import Identity

ME = Identity(user_id="u-1", email="", tenant_id="personal-u-1", role="member")
NOW = "2026-03-01T10:00:00.000Z"


def _program():
    return {
        "id": "01KAAAAAAAAAAAAAAAAAAAAAAA",
        "title": "Beginner program",
        "created_at": NOW,
        "version": 1,
        **program_plan.plan("beginner", 2),
    }


class Programs:
    def __init__(self, *versions):
        self.versions = list(versions)

    def get(self, identity, program_id):
        return copy.deepcopy(self.versions.pop(0) if len(self.versions) > 1 else self.versions[0])


class RacingStore:
    """Another request marked the session done between our read and our write."""

    def complete_session(self, *args):
        raise SessionAlreadyCompleted()


class Library:
    """The tenant's videos by tag, as the library has them when the program is read."""

    def __init__(self, by_tag=None):
        self.by_tag_map = by_tag or {}
        self.reads = 0

    def by_tag(self, tenant_id):
        self.reads += 1
        return dict(self.by_tag_map)


class RecordingStore:
    def __init__(self):
        self.completed = []

    def complete_session(self, identity, program_id, position, previous, completed_at, workout_id, new_workout):
        self.completed.append((position, previous))


class Preferences:
    def current(self, identity):
        return {"timezone": "UTC", "weekly_workout_goal": 2}


def _service(programs, store=None, videos=None):
    return ProgramService(
        store=store or RacingStore(),
        submissions=None,
        programs=programs,
        assessments=None,
        videos=videos or Library(),
        preferences=Preferences(),
        sharing=None,
        build_workout=lambda body, meta, zone: {**meta},
        cursors=lambda: None,
        clock=lambda: NOW,
    )


def _done_by_the_other(workout_id):
    program = _program()
    program["weeks"][0]["sessions"][0].update(completed_at=NOW, workout_id=workout_id)
    program["version"] = 2
    return program


def test_losing_the_race_answers_the_program_the_winner_left():
    winner = _done_by_the_other("01KBBBBBBBBBBBBBBBBBBBBBBB")
    answer = _service(Programs(_program(), winner)).complete_session(ME, "01KAAAAAAAAAAAAAAAAAAAAAAA", "1", {})
    assert answer == winner


def test_losing_the_race_with_another_workout_is_a_conflict():
    winner = _done_by_the_other("01KBBBBBBBBBBBBBBBBBBBBBBB")
    service = _service(Programs(_program(), winner))
    with pytest.raises(Conflict):
        service.complete_session(ME, "01KAAAAAAAAAAAAAAAAAAAAAAA", "1", {"workout_id": "01KCCCCCCCCCCCCCCCCCCCCCCC"})


def test_plans_are_deterministic_and_store_no_video_links():
    first = program_plan.plan("advanced", 3)
    assert first == program_plan.plan("advanced", 3)
    assert all(e["video_id"] is None for w in first["weeks"] for s in w["sessions"] for e in s["exercises"])


def test_a_program_is_linked_to_the_library_as_it_is_when_read():
    stored = _program()
    stored["weeks"][0]["sessions"][0]["exercises"][0]["video_id"] = "v-deleted"  # linked once, gone since
    library = Library({"glute-bridge": "v-new"})
    answer = _service(Programs(stored), videos=library).get_program(ME, stored["id"])
    linked = {e["slug"]: e["video_id"] for w in answer["weeks"] for s in w["sessions"] for e in s["exercises"]}
    assert linked["glute-bridge"] == "v-new"
    assert all(v is None for slug, v in linked.items() if slug != "glute-bridge")
    assert library.reads == 1
    assert stored["weeks"][0]["sessions"][0]["exercises"][0]["video_id"] == "v-deleted"  # the stored item untouched


def test_a_session_after_one_not_done_is_out_of_order_and_nothing_is_written():
    store = RecordingStore()
    with pytest.raises(Conflict) as refused:
        _service(Programs(_program()), store=store).complete_session(ME, "01KAAAAAAAAAAAAAAAAAAAAAAA", "2", {})
    assert refused.value.code == "session_out_of_order" and refused.value.details == {"next_session": 1}
    assert store.completed == []


def test_the_next_session_is_written_on_condition_the_one_before_is_done():
    store = RecordingStore()
    program = _done_by_the_other("01KBBBBBBBBBBBBBBBBBBBBBBB")
    answer = _service(Programs(program), store=store).complete_session(ME, program["id"], "2", {})
    assert store.completed == [((0, 1), (0, 0))]
    assert answer["weeks"][0]["sessions"][1]["completed_at"] == NOW


def test_the_first_session_has_no_session_before_it():
    store = RecordingStore()
    _service(Programs(_program()), store=store).complete_session(ME, "01KAAAAAAAAAAAAAAAAAAAAAAA", "1", {})
    assert store.completed == [((0, 0), None)]

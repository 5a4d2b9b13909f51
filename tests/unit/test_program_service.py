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
        **program_plan.plan("beginner", 2, {}),
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


class Preferences:
    def current(self, identity):
        return {"timezone": "UTC", "weekly_workout_goal": 2}


def _service(programs):
    return ProgramService(
        store=RacingStore(),
        submissions=None,
        programs=programs,
        assessments=None,
        videos=None,
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


def test_plans_are_deterministic_and_link_videos_by_slug():
    first = program_plan.plan("advanced", 3, {"burpee": "v-1"})
    assert first == program_plan.plan("advanced", 3, {"burpee": "v-1"})
    linked = {e["slug"]: e["video_id"] for w in first["weeks"] for s in w["sessions"] for e in s["exercises"]}
    assert linked["burpee"] == "v-1" and all(v is None for slug, v in linked.items() if slug != "burpee")

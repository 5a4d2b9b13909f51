"""Submitting an assessment (answers checked, scored, turned into a program, saved together),
the member's programs, marking a session done, and coaches' reads of what a member shares."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from chalicelib.clock import utc_now
from chalicelib.collection import DEFAULT_LIMIT
from chalicelib.cursors import Pages
from chalicelib.domains.coaching import program_plan, scoring
from chalicelib.domains.coaching.answers import validated_answers
from chalicelib.domains.coaching.program_store import (
    SessionAlreadyCompleted,
    WorkoutAlreadyLogged,
)
from chalicelib.errors import Conflict, NotFound
from chalicelib.identity import MEMBER, Identity, personal_tenant
from chalicelib.ids import new_id, stable_id
from chalicelib.repositories.items import Kind
from chalicelib.timeutil import parse_iso_utc

if TYPE_CHECKING:
    from chalicelib.cursors import CursorCodec
    from chalicelib.domains.coaching.assessment_service import AssessmentService
    from chalicelib.domains.coaching.library_videos import LibraryVideos
    from chalicelib.domains.coaching.program_store import ProgramStore
    from chalicelib.domains.coaching.sharing_store import SharingStore
    from chalicelib.domains.me.public import PreferencesService
    from chalicelib.repositories.items import OwnedItems

SECONDS_PER_REP = 3
MAX_NUMBER_DIGITS = 4
_MEMBER_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")  # a Cognito sub


def member_identity(member_id: str) -> Identity:
    """Whose partition a coach reads, once the member's consent was checked: keys from the
    member's id, never from anything else the coach sent."""
    return Identity(user_id=member_id, email="", tenant_id=personal_tenant(member_id), role=MEMBER)


def _bounds(kind: Kind) -> dict[str, Any]:
    return {"index": None, "lower": kind.prefix, "upper": f"{kind.prefix}~", "ascending": False}


def export_submission(item: dict[str, Any]) -> dict[str, Any]:
    return dict(item)


def export_program(item: dict[str, Any]) -> dict[str, Any]:
    return dict(item)


class ProgramService:
    def __init__(
        self,
        *,
        store: ProgramStore,
        submissions: OwnedItems,
        programs: OwnedItems,
        assessments: AssessmentService,
        videos: LibraryVideos,
        preferences: PreferencesService,
        sharing: SharingStore,
        build_workout: Callable[[dict[str, Any], dict[str, Any], str], dict[str, Any]],
        cursors: Callable[[], CursorCodec],
        clock: Callable[[], str] = utc_now,
    ):
        self._store = store
        self._submissions = submissions
        self._programs = programs
        self._assessments = assessments
        self._videos = videos
        self._preferences = preferences
        self._sharing = sharing
        self._build_workout = build_workout
        self._cursors = cursors
        self._clock = clock

    def submit(self, identity: Identity, assessment_id: str, body: dict[str, Any]) -> dict[str, Any]:
        definition = self._assessments.definition(identity, assessment_id)
        answers = validated_answers(definition, body["answers"])
        score = scoring.score(definition, answers)
        level = scoring.level(score)
        goal = self._preferences.current(identity)["weekly_workout_goal"]
        plan = program_plan.plan(level, goal, self._videos.by_tag(identity.tenant_id))
        now = self._clock()
        meta = {"created_at": now, "updated_at": now, "version": 1}
        submission_id, program_id = new_id(), new_id()
        submission = {
            "id": submission_id,
            "assessment_id": definition["id"],
            "answers": answers,
            "score": score,
            "level": level,
            "program_id": program_id,
            **meta,
        }
        program = {
            "id": program_id,
            "submission_id": submission_id,
            "assessment_id": definition["id"],
            "title": f"{level.capitalize()} program: {definition['title']}",
            "score": score,
            **plan,
            **meta,
        }
        self._store.save(identity, submission, program)
        return {"submission": submission, "score": score, "program": program}

    def _page(self, caller: Identity, owner: Identity, items: Any, list_name: str, query: dict[str, Any]) -> Any:
        """One Query of the owner's items; the cursor is bound to the caller, the list and the owner."""
        pages = Pages(self._cursors(), caller.user_id, caller.tenant_id, f"{list_name}:{owner.user_id}", query)
        limit = query.get("limit", DEFAULT_LIMIT)
        found, last = items.page(owner, limit=limit, start=pages.start, **_bounds(items.kind))
        return {"items": found, "next_cursor": pages.next_cursor(last)}

    def list_programs(self, identity: Identity, query: dict[str, Any]) -> dict[str, Any]:
        return self._page(identity, identity, self._programs, "programs", query)

    def get_program(self, identity: Identity, program_id: str) -> dict[str, Any]:
        return self._programs.get(identity, program_id)

    def list_submissions(self, identity: Identity, query: dict[str, Any]) -> dict[str, Any]:
        return self._page(identity, identity, self._submissions, "submissions", query)

    def complete_session(
        self, identity: Identity, program_id: str, number: str, body: dict[str, Any]
    ) -> dict[str, Any]:
        """Marks session `number` done, once. With a workout_id, links that workout of the
        caller's (422 if there is none); without, creates a workout from the session (its id made
        from the program and session, so a retry cannot make two). Done already: the program
        as it is (200), unless another workout is named (409)."""
        program = self._programs.get(identity, program_id)
        valid = number.isascii() and number.isdigit() and len(number) <= MAX_NUMBER_DIGITS
        position = program_plan.session_position(program, int(number)) if valid else None
        if position is None:
            raise NotFound("No such session.")
        session = program["weeks"][position[0]]["sessions"][position[1]]
        if session.get("completed_at"):
            return self._already_done(program, session, body)
        now = self._clock()
        workout_id = body.get("workout_id")
        new_workout = None
        if workout_id is None:
            new_workout = self._workout_from(identity, program, session, now)
            workout_id = new_workout["id"]
        try:
            try:
                self._store.complete_session(identity, program_id, position, now, workout_id, new_workout)
            except WorkoutAlreadyLogged:
                self._store.complete_session(identity, program_id, position, now, workout_id, None)
        except SessionAlreadyCompleted:
            program = self._programs.get(identity, program_id)  # done by a concurrent request
            return self._already_done(program, program["weeks"][position[0]]["sessions"][position[1]], body)
        session.update(completed_at=now, workout_id=workout_id)
        program.update(updated_at=now, version=int(program["version"]) + 1)
        return program

    @staticmethod
    def _already_done(program: dict[str, Any], session: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        if body.get("workout_id") not in (None, session.get("workout_id")):
            raise Conflict("This session is already done, with another workout.", code="session_already_completed")
        return program

    def _workout_from(
        self, identity: Identity, program: dict[str, Any], session: dict[str, Any], now: str
    ) -> dict[str, Any]:
        seconds = sum(
            int(exercise["sets"]) * (int(exercise["reps"]) * SECONDS_PER_REP + int(exercise["rest_s"]))
            for exercise in session["exercises"]
        )
        body = {
            "started_at": parse_iso_utc(now),
            "duration_min": min(max(math.ceil(seconds / 60), 1), 1440),
            "type": "strength",
            "title": f"{program['title']}: {session['title']}"[:200],
            "exercises": [
                {"name": exercise["name"], "sets": [{"reps": int(exercise["reps"])}] * int(exercise["sets"])}
                for exercise in session["exercises"]
            ],
        }
        created_ms = int(parse_iso_utc(program["created_at"]).timestamp() * 1000)
        workout_id = stable_id(created_ms, program["id"], str(session["number"]))
        meta = {"id": workout_id, "created_at": now, "updated_at": now, "version": 1}
        zone = self._preferences.current(identity)["timezone"]
        return self._build_workout(body, meta, zone)

    def member_programs(self, coach: Identity, member_id: str, query: dict[str, Any]) -> dict[str, Any]:
        return self._page(coach, self._shared_by(coach, member_id), self._programs, "member-programs", query)

    def member_submissions(self, coach: Identity, member_id: str, query: dict[str, Any]) -> dict[str, Any]:
        return self._page(coach, self._shared_by(coach, member_id), self._submissions, "member-submissions", query)

    def _shared_by(self, coach: Identity, member_id: str) -> Identity:
        """The member, if they are in the coach's business and share with its coaches; else not
        found (whether they exist or just do not share is not disclosed)."""
        if not _MEMBER_ID.fullmatch(member_id) or not coach.business_id:
            raise NotFound("No such member, or they do not share their programs.")
        member = member_identity(member_id)
        if not self._sharing.shares_with_business(coach.business_id, member, coach.user_id):
            raise NotFound("No such member, or they do not share their programs.")
        return member

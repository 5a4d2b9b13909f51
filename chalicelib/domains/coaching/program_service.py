"""Submitting an assessment (answers checked, scored, turned into a program, saved together),
the member's programs, marking a session done, and coaches' reads of what a member shares.

Every program answered is linked to the reader's library as it is now (one Query of the tenant's
videos per answer, whatever the number of programs or their history): a coach's later video is a
Play link in programs made before it."""

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


def _session_at(program: dict[str, Any], position: tuple[int, int]) -> dict[str, Any]:
    session: dict[str, Any] = program["weeks"][position[0]]["sessions"][position[1]]
    return session


def _check_in_order(program: dict[str, Any], number: int) -> None:
    """Sessions are done in order, as a coach plans them: the first not done is the only one
    that may be marked next."""
    pending = [s["number"] for week in program["weeks"] for s in week["sessions"] if not s.get("completed_at")]
    following = min(pending, default=None)
    if following is not None and number != following:
        raise Conflict(
            f"Sessions are done in order: session {following} comes next.",
            code="session_out_of_order",
            details={"next_session": following},
        )


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
        shared_track: Callable[[Identity, str], dict[str, Any]] | None = None,
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
        # (owner, workout id) -> the workout's track as anyone but its owner sees it (ends hidden):
        # activities' `shared_track`, handed down by the composition root.
        self._shared_track = shared_track

    def submit(self, identity: Identity, assessment_id: str, body: dict[str, Any]) -> dict[str, Any]:
        definition = self._assessments.definition(identity, assessment_id)
        answers = validated_answers(definition, body["answers"])
        score = scoring.score(definition, answers)
        level = scoring.level(score)
        goal = self._preferences.current(identity)["weekly_workout_goal"]
        plan = program_plan.plan(level, goal)
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
        return {"submission": submission, "score": score, "program": self._linked(identity, program)}

    def _linked(self, reader: Identity, program: dict[str, Any]) -> dict[str, Any]:
        return program_plan.with_videos(program, self._videos.by_tag(reader.tenant_id))

    def _linked_page(self, reader: Identity, page: dict[str, Any]) -> dict[str, Any]:
        if not page["items"]:
            return page
        videos = self._videos.by_tag(reader.tenant_id)
        return {**page, "items": [program_plan.with_videos(program, videos) for program in page["items"]]}

    def _page(self, caller: Identity, owner: Identity, items: Any, list_name: str, query: dict[str, Any]) -> Any:
        """One Query of the owner's items; the cursor is bound to the caller, the list and the owner."""
        pages = Pages(self._cursors(), caller.user_id, caller.tenant_id, f"{list_name}:{owner.user_id}", query)
        limit = query.get("limit", DEFAULT_LIMIT)
        found, last = items.page(owner, limit=limit, start=pages.start, **_bounds(items.kind))
        return {"items": found, "next_cursor": pages.next_cursor(last)}

    def list_programs(self, identity: Identity, query: dict[str, Any]) -> dict[str, Any]:
        return self._linked_page(identity, self._page(identity, identity, self._programs, "programs", query))

    def get_program(self, identity: Identity, program_id: str) -> dict[str, Any]:
        return self._linked(identity, self._programs.get(identity, program_id))

    def list_submissions(self, identity: Identity, query: dict[str, Any]) -> dict[str, Any]:
        return self._page(identity, identity, self._submissions, "submissions", query)

    def complete_session(
        self, identity: Identity, program_id: str, number: str, body: dict[str, Any]
    ) -> dict[str, Any]:
        """Marks session `number` done, once, in order: session n only after session n - 1 (409
        session_out_of_order, naming the next session, otherwise; the store's condition holds it
        under concurrent requests too). With a workout_id, links that workout of the caller's
        (422 if there is none); without, creates a workout from the session (its id made from
        the program and session, so a retry cannot make two). Done already: the program as it
        is (200), unless another workout is named (409)."""
        program = self._programs.get(identity, program_id)
        valid = number.isascii() and number.isdigit() and len(number) <= MAX_NUMBER_DIGITS
        position = program_plan.session_position(program, int(number)) if valid else None
        if position is None:
            raise NotFound("No such session.")
        session = _session_at(program, position)
        if session.get("completed_at"):
            return self._linked(identity, self._already_done(program, session, body))
        previous = program_plan.session_position(program, int(number) - 1)
        _check_in_order(program, int(number))
        now = self._clock()
        workout_id = body.get("workout_id")
        new_workout = None
        if workout_id is None:
            new_workout = self._workout_from(identity, program, session, now)
            workout_id = new_workout["id"]
        try:
            try:
                self._store.complete_session(identity, program_id, position, previous, now, workout_id, new_workout)
            except WorkoutAlreadyLogged:
                self._store.complete_session(identity, program_id, position, previous, now, workout_id, None)
        except SessionAlreadyCompleted:
            program = self._programs.get(identity, program_id)  # changed by a concurrent request
            session = _session_at(program, position)
            if not session.get("completed_at"):
                _check_in_order(program, int(number))
                raise Conflict("The program changed meanwhile: read it again.", code="program_changed") from None
            return self._linked(identity, self._already_done(program, session, body))
        session.update(completed_at=now, workout_id=workout_id)
        program.update(updated_at=now, version=int(program["version"]) + 1)
        return self._linked(identity, program)

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
        page = self._page(coach, self._shared_by(coach, member_id), self._programs, "member-programs", query)
        return self._linked_page(coach, page)

    def member_submissions(self, coach: Identity, member_id: str, query: dict[str, Any]) -> dict[str, Any]:
        return self._page(coach, self._shared_by(coach, member_id), self._submissions, "member-submissions", query)

    def member_session_track(self, coach: Identity, member_id: str, program_id: str, number: str) -> dict[str, Any]:
        """The route of the workout a session of a shared program was done with, its ends hidden by
        the member's `privacy.activity_ends_m` (the member shares programs, and a session's workout
        is part of one). Not shared, no such program or session, a session not done or done with a
        workout without a file: not found."""
        member = self._shared_by(coach, member_id)
        program = self._programs.get(member, program_id)
        done = next(
            (
                found
                for week in program.get("weeks") or []
                for found in week.get("sessions") or []
                if str(found.get("number")) == number
            ),
            None,
        )
        if done is None or not done.get("workout_id") or self._shared_track is None:
            raise NotFound("This session was not done with a workout that has a track.", code="no_track")
        return self._shared_track(member, str(done["workout_id"]))

    def _shared_by(self, coach: Identity, member_id: str) -> Identity:
        """The member, if they are in the coach's business and share with its coaches; else not
        found (whether they exist or just do not share is not disclosed)."""
        if not _MEMBER_ID.fullmatch(member_id) or not coach.business_id:
            raise NotFound("No such member, or they do not share their programs.")
        member = member_identity(member_id)
        if not self._sharing.shares_with_business(coach.business_id, member, coach.user_id):
            raise NotFound("No such member, or they do not share their programs.")
        return member

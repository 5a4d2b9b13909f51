"""What coaches and admins of a business see of a member: only what the member shares (404 otherwise)."""

from __future__ import annotations

from typing import Any

from chalicelib import deps
from chalicelib.api.router import Router
from chalicelib.identity import ADMIN, COACH, Identity

router = Router("coaching")
STAFF = (COACH, ADMIN)


@router.route(
    "/businesses/{business_id}/members/{user_id}/programs",
    "GET",
    summary="A member's programs, if they are a member of your business and share them",
    query="chalicelib.domains.coaching.program_schemas:ListQuery",
    response="chalicelib.domains.coaching.program_schemas:ProgramPage",
    errors=(400, 403, 404),
    roles=STAFF,
    business_param="business_id",
    budget={"dynamodb.GetItem": 1, "dynamodb.BatchGetItem": 1, "dynamodb.Query": 2},
)
def member_programs(identity: Identity, business_id: str, user_id: str, query: dict[str, Any]) -> dict[str, Any]:
    return deps.programs().member_programs(identity, user_id, query)


@router.route(
    "/businesses/{business_id}/members/{user_id}/submissions",
    "GET",
    summary="A member's assessment submissions, if they are a member of your business and share them",
    query="chalicelib.domains.coaching.program_schemas:ListQuery",
    response="chalicelib.domains.coaching.program_schemas:SubmissionPage",
    errors=(400, 403, 404),
    roles=STAFF,
    business_param="business_id",
    budget={"dynamodb.GetItem": 1, "dynamodb.BatchGetItem": 1, "dynamodb.Query": 1},
)
def member_submissions(identity: Identity, business_id: str, user_id: str, query: dict[str, Any]) -> dict[str, Any]:
    return deps.programs().member_submissions(identity, user_id, query)


@router.route(
    "/businesses/{business_id}/members/{user_id}/programs/{program_id}/sessions/{number}/track",
    "GET",
    summary="The route of the workout a member did a session of a shared program with, its start and end hidden "
    "by their privacy setting (GeoJSON, as GET /workouts/{id}/track)",
    response="chalicelib.domains.activities.schemas:Track",
    errors=(403, 404),
    roles=STAFF,
    business_param="business_id",
    # The membership and sharing check, the program, the workout, the member's preferences, the track.
    budget={"dynamodb.BatchGetItem": 1, "dynamodb.GetItem": 3, "s3.GetObject": 1},
)
def member_session_track(
    identity: Identity, business_id: str, user_id: str, program_id: str, number: str
) -> dict[str, Any]:
    return deps.programs().member_session_track(identity, user_id, program_id, number)

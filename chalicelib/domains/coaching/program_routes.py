from __future__ import annotations

from typing import Any

from chalicelib import deps
from chalicelib.api.router import Router
from chalicelib.identity import Identity

router = Router("programs")


@router.route(
    "/programs",
    "GET",
    summary="Your programs, newest first",
    query="chalicelib.domains.coaching.program_schemas:ListQuery",
    response="chalicelib.domains.coaching.program_schemas:ProgramPage",
    errors=(400,),
    budget={"dynamodb.Query": 2},
)
def list_programs(identity: Identity, query: dict[str, Any]) -> dict[str, Any]:
    return deps.programs().list_programs(identity, query)


@router.route(
    "/programs/{program_id}",
    "GET",
    summary="One of your programs, its exercises linked to your library's videos as it is now",
    response="chalicelib.domains.coaching.program_schemas:Program",
    errors=(404,),
    budget={"dynamodb.GetItem": 1, "dynamodb.Query": 1},
)
def get_program(identity: Identity, program_id: str) -> dict[str, Any]:
    return deps.programs().get_program(identity, program_id)


@router.route(
    "/programs/{program_id}/sessions/{number}/complete",
    "POST",
    summary=(
        "Mark session n done, in order (409 session_out_of_order unless every session before n is done): "
        "links {workout_id} (a workout of yours, else 422) or, with {}, logs a workout made from the session; "
        "done already: 200 unchanged (409 if another workout_id is named)"
    ),
    request="chalicelib.domains.coaching.program_schemas:CompleteSessionInput",
    response="chalicelib.domains.coaching.program_schemas:Program",
    errors=(400, 404, 409, 415, 422),
    budget={"dynamodb.GetItem": 1, "dynamodb.TransactWriteItems": 1, "dynamodb.Query": 1},
)
def complete_session(identity: Identity, program_id: str, number: str, body: dict[str, Any]) -> dict[str, Any]:
    return deps.programs().complete_session(identity, program_id, number, body)


@router.route(
    "/submissions",
    "GET",
    summary="Your assessment submissions (answers and score), newest first",
    query="chalicelib.domains.coaching.program_schemas:ListQuery",
    response="chalicelib.domains.coaching.program_schemas:SubmissionPage",
    errors=(400,),
    budget={"dynamodb.Query": 1},
)
def list_submissions(identity: Identity, query: dict[str, Any]) -> dict[str, Any]:
    return deps.programs().list_submissions(identity, query)

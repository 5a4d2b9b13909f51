from __future__ import annotations

from typing import Any

from chalicelib import deps
from chalicelib.api.router import Router
from chalicelib.identity import ADMIN, Identity

router = Router("assessments")


@router.route(
    "/assessments",
    "GET",
    summary="The assessments your tenant offers: the built-in ones first, then its own, newest first",
    query="chalicelib.domains.coaching.assessment_schemas:AssessmentsQuery",
    response="chalicelib.domains.coaching.assessment_schemas:AssessmentPage",
    errors=(400,),
    budget={"dynamodb.Query": 1},
)
def list_assessments(identity: Identity, query: dict[str, Any]) -> dict[str, Any]:
    return deps.assessments().list(identity, query)


@router.route(
    "/assessments",
    "POST",
    summary="Add an assessment to your tenant",
    request="chalicelib.domains.coaching.assessment_schemas:AssessmentInput",
    response="chalicelib.domains.coaching.assessment_schemas:Assessment",
    status=201,
    errors=(400, 403, 415),
    roles=(ADMIN,),
    budget={"dynamodb.GetItem": 1, "dynamodb.TransactWriteItems": 1},
)
def create_assessment(identity: Identity, body: dict[str, Any]) -> dict[str, Any]:
    return deps.assessments().create(identity, body)


@router.route(
    "/assessments/{assessment_id}",
    "PATCH",
    summary="Edit one of your tenant's assessments (the fields given replace the stored ones)",
    request="chalicelib.domains.coaching.assessment_schemas:AssessmentPatch",
    response="chalicelib.domains.coaching.assessment_schemas:Assessment",
    errors=(400, 403, 404, 412, 415),
    conditional=True,
    roles=(ADMIN,),
    # The caller's member item (the router's staff check), the definition, the write.
    budget={"dynamodb.GetItem": 2, "dynamodb.TransactWriteItems": 1},
)
def edit_assessment(
    identity: Identity, assessment_id: str, body: dict[str, Any], expected_version: int | None
) -> dict[str, Any]:
    return deps.assessments().edit(identity, assessment_id, body, expected_version)


@router.route(
    "/assessments/{assessment_id}",
    "DELETE",
    summary="Delete one of your tenant's assessments (submissions and programs made from it stay)",
    status=204,
    errors=(403, 404, 412),
    conditional=True,
    roles=(ADMIN,),
    budget={"dynamodb.GetItem": 2, "dynamodb.TransactWriteItems": 1},
)
def delete_assessment(identity: Identity, assessment_id: str, expected_version: int | None) -> None:
    deps.assessments().delete(identity, assessment_id, expected_version)


@router.route(
    "/assessments/{assessment_id}/submissions",
    "POST",
    summary="Answer an assessment: scored and turned into a program, saved with your answers",
    request="chalicelib.domains.coaching.assessment_schemas:SubmissionInput",
    response="chalicelib.domains.coaching.program_schemas:SubmissionResult",
    status=201,
    errors=(400, 404, 415),
    # The tenant's definition (none for a built-in one), its video library, the write.
    budget={"dynamodb.GetItem": 1, "dynamodb.Query": 1, "dynamodb.TransactWriteItems": 1},
)
def submit_assessment(identity: Identity, assessment_id: str, body: dict[str, Any]) -> dict[str, Any]:
    return deps.programs().submit(identity, assessment_id, body)

from __future__ import annotations

from typing import Any

from chalicelib import deps
from chalicelib.api.router import Router
from chalicelib.identity import Identity

router = Router("workouts")


@router.route(
    "/workouts",
    "POST",
    summary="Log a workout",
    request="chalicelib.domains.workouts.schemas:WorkoutInput",
    response="chalicelib.domains.workouts.schemas:Workout",
    status=201,
    errors=(400, 415, 422),
    idempotent=True,
    budget={"dynamodb.TransactWriteItems": 1},
)
def create_workout(identity: Identity, body: dict[str, Any], idempotency_key: str | None) -> dict[str, Any]:
    return deps.workouts().create(identity, body, idempotency_key)


@router.route(
    "/workouts",
    "GET",
    summary="Workouts, newest first, optionally between from and to (by started_at)",
    query="chalicelib.domains.workouts.schemas:WorkoutsQuery",
    response="chalicelib.domains.workouts.schemas:WorkoutPage",
    errors=(400,),
    budget={"dynamodb.Query": 1},
)
def list_workouts(identity: Identity, query: dict[str, Any]) -> dict[str, Any]:
    return deps.workouts().list(identity, query)


@router.route(
    "/workouts/{workout_id}",
    "GET",
    summary="One workout",
    response="chalicelib.domains.workouts.schemas:Workout",
    errors=(404,),
    budget={"dynamodb.GetItem": 1},
)
def get_workout(identity: Identity, workout_id: str) -> dict[str, Any]:
    return deps.workouts().get(identity, workout_id)


@router.route(
    "/workouts/{workout_id}",
    "PATCH",
    summary="Change a workout (If-Match: version to guard against overwrites)",
    request="chalicelib.domains.workouts.schemas:WorkoutPatch",
    response="chalicelib.domains.workouts.schemas:Workout",
    errors=(400, 404, 412, 415),
    conditional=True,
    budget={"dynamodb.UpdateItem": 1},
)
def patch_workout(
    identity: Identity, workout_id: str, body: dict[str, Any], expected_version: int | None
) -> dict[str, Any]:
    return deps.workouts().patch(identity, workout_id, body, expected_version)


@router.route(
    "/workouts/{workout_id}",
    "DELETE",
    summary="Delete a workout",
    status=204,
    errors=(404, 412),
    conditional=True,
    budget={"dynamodb.DeleteItem": 1},
)
def delete_workout(identity: Identity, workout_id: str, expected_version: int | None) -> None:
    deps.workouts().delete(identity, workout_id, expected_version)

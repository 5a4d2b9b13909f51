from __future__ import annotations

from typing import Any

from chalicelib import deps
from chalicelib.api.router import Router
from chalicelib.identity import Identity

router = Router("tasks")


@router.route(
    "/tasks",
    "POST",
    summary="Add a task",
    request="chalicelib.domains.tasks.schemas:TaskInput",
    response="chalicelib.domains.tasks.schemas:Task",
    status=201,
    errors=(400, 415, 422),
    idempotent=True,
    budget={"dynamodb.TransactWriteItems": 1},
)
def create_task(identity: Identity, body: dict[str, Any], idempotency_key: str | None) -> dict[str, Any]:
    return deps.tasks().create(identity, body, idempotency_key)


@router.route(
    "/tasks",
    "GET",
    summary="Tasks: all (newest first), open (soonest due first) or done (latest first); due_before filters",
    query="chalicelib.domains.tasks.schemas:TasksQuery",
    response="chalicelib.domains.tasks.schemas:TaskPage",
    errors=(400,),
    budget={"dynamodb.Query": 1},
)
def list_tasks(identity: Identity, query: dict[str, Any]) -> dict[str, Any]:
    return deps.tasks().list(identity, query)


@router.route(
    "/tasks/{task_id}",
    "GET",
    summary="One task",
    response="chalicelib.domains.tasks.schemas:Task",
    errors=(404,),
    budget={"dynamodb.GetItem": 1},
)
def get_task(identity: Identity, task_id: str) -> dict[str, Any]:
    return deps.tasks().get(identity, task_id)


@router.route(
    "/tasks/{task_id}",
    "PATCH",
    summary="Change a task; toggling done records or clears completed_at (If-Match: version)",
    request="chalicelib.domains.tasks.schemas:TaskPatch",
    response="chalicelib.domains.tasks.schemas:Task",
    errors=(400, 404, 412, 415),
    conditional=True,
    budget={"dynamodb.UpdateItem": 1},
)
def patch_task(identity: Identity, task_id: str, body: dict[str, Any], expected_version: int | None) -> dict[str, Any]:
    return deps.tasks().patch(identity, task_id, body, expected_version)


@router.route(
    "/tasks/{task_id}",
    "DELETE",
    summary="Delete a task",
    status=204,
    errors=(404, 412),
    conditional=True,
    budget={"dynamodb.DeleteItem": 1},
)
def delete_task(identity: Identity, task_id: str, expected_version: int | None) -> None:
    deps.tasks().delete(identity, task_id, expected_version)

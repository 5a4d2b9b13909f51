from __future__ import annotations

from typing import Any

from chalicelib import deps
from chalicelib.api.router import Router
from chalicelib.identity import Identity

router = Router("weights")


@router.route(
    "/weights",
    "POST",
    summary="Log a weight",
    request="chalicelib.domains.weights.schemas:WeightInput",
    response="chalicelib.domains.weights.schemas:Weight",
    status=201,
    errors=(400, 415, 422),
    idempotent=True,
    budget={"dynamodb.TransactWriteItems": 1},
)
def create_weight(identity: Identity, body: dict[str, Any], idempotency_key: str | None) -> dict[str, Any]:
    return deps.weights().create(identity, body, idempotency_key)


@router.route(
    "/weights",
    "GET",
    summary="Weights, newest first, optionally between from and to",
    query="chalicelib.domains.weights.schemas:WeightsQuery",
    response="chalicelib.domains.weights.schemas:WeightPage",
    errors=(400,),
    budget={"dynamodb.Query": 1},
)
def list_weights(identity: Identity, query: dict[str, Any]) -> dict[str, Any]:
    return deps.weights().list(identity, query)


@router.route(
    "/weights/{weight_id}",
    "GET",
    summary="One weight",
    response="chalicelib.domains.weights.schemas:Weight",
    errors=(404,),
    budget={"dynamodb.GetItem": 1},
)
def get_weight(identity: Identity, weight_id: str) -> dict[str, Any]:
    return deps.weights().get(identity, weight_id)


@router.route(
    "/weights/{weight_id}",
    "PATCH",
    summary="Change a weight (If-Match: version to guard against overwrites)",
    request="chalicelib.domains.weights.schemas:WeightPatch",
    response="chalicelib.domains.weights.schemas:Weight",
    errors=(400, 404, 412, 415),
    conditional=True,
    budget={"dynamodb.UpdateItem": 1},
)
def patch_weight(
    identity: Identity, weight_id: str, body: dict[str, Any], expected_version: int | None
) -> dict[str, Any]:
    return deps.weights().patch(identity, weight_id, body, expected_version)


@router.route(
    "/weights/{weight_id}",
    "DELETE",
    summary="Delete a weight",
    status=204,
    errors=(404, 412),
    conditional=True,
    budget={"dynamodb.DeleteItem": 1},
)
def delete_weight(identity: Identity, weight_id: str, expected_version: int | None) -> None:
    deps.weights().delete(identity, weight_id, expected_version)

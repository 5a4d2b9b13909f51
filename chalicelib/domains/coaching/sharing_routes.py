from __future__ import annotations

from typing import Any

from chalicelib import deps
from chalicelib.api.router import Router
from chalicelib.identity import Identity

router = Router("sharing")


@router.route(
    "/me/sharing",
    "GET",
    summary="Whether your business's coaches and admins may see your assessments and programs (default no)",
    response="chalicelib.domains.coaching.program_schemas:Sharing",
    budget={"dynamodb.GetItem": 1},
)
def get_sharing(identity: Identity) -> dict[str, Any]:
    return deps.sharing().get(identity)


@router.route(
    "/me/sharing",
    "PUT",
    summary="Share (or stop sharing) your assessments and programs with your business's coaches and admins",
    request="chalicelib.domains.coaching.program_schemas:SharingInput",
    response="chalicelib.domains.coaching.program_schemas:Sharing",
    errors=(400, 415),
    budget={"dynamodb.TransactWriteItems": 1},
)
def put_sharing(identity: Identity, body: dict[str, Any]) -> dict[str, Any]:
    return deps.sharing().put(identity, body)

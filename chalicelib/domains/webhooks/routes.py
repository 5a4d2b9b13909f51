from __future__ import annotations

from typing import Any

from chalicelib import deps
from chalicelib.api.router import Router
from chalicelib.identity import Identity

router = Router("webhooks")


@router.route(
    "/me/webhooks",
    "POST",
    summary="Register a webhook (at most 5); the answer shows its signing secret, this once only",
    request="chalicelib.domains.webhooks.schemas:WebhookInput",
    response="chalicelib.domains.webhooks.schemas:WebhookCreated",
    status=201,
    errors=(400, 409, 415, 422),
    budget={"dynamodb.TransactWriteItems": 1},
)
def create_webhook(identity: Identity, body: dict[str, Any]) -> dict[str, Any]:
    return deps.webhooks().create(identity, body)


@router.route(
    "/me/webhooks",
    "GET",
    summary="Your webhooks, with why one is failing or disabled (never the secret)",
    response="chalicelib.domains.webhooks.schemas:WebhookPage",
    budget={"dynamodb.Query": 1},
)
def list_webhooks(identity: Identity) -> dict[str, Any]:
    return deps.webhooks().list(identity)


@router.route(
    "/me/webhooks/{webhook_id}",
    "DELETE",
    summary="Delete a webhook; deliveries still waiting for it are dropped",
    status=204,
    errors=(404,),
    budget={"dynamodb.TransactWriteItems": 1},
)
def delete_webhook(identity: Identity, webhook_id: str) -> None:
    deps.webhooks().delete(identity, webhook_id)

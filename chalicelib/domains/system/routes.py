from __future__ import annotations

import functools
from typing import Any

from chalicelib import config, generated
from chalicelib.api.router import Router

router = Router("system")


@functools.cache
def _openapi() -> dict[str, Any]:
    document: dict[str, Any] = generated.load("openapi.json")
    return document


@router.route(
    "/health", "GET", summary="Liveness check", public=True, response="chalicelib.domains.system.schemas:Health"
)
def health() -> dict[str, Any]:
    return {"status": "ok"}


def served_document(public_api_url: str) -> dict[str, Any]:
    """The committed document, naming this stack's own address (PUBLIC_API_URL: the stage's
    domain, or the host and port `make run` listens on) as its only server."""
    document = _openapi()
    if not public_api_url:
        return document
    return {**document, "servers": [{"url": public_api_url, "description": "this API"}]}


@router.route("/openapi.json", "GET", summary="This API's OpenAPI 3 document", public=True)
def openapi() -> dict[str, Any]:
    return served_document(config.public_api_url())

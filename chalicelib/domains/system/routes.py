from __future__ import annotations

import functools
import json
import os
from typing import Any

from chalicelib import config
from chalicelib.api.router import Router

router = Router("system")
# os.path, not pathlib: pathlib is a cold start's largest import of the standard library.
OPENAPI_DOCUMENT = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir, "openapi.json")


@functools.cache
def _openapi() -> dict[str, Any]:
    # Written by `make openapi` (a test fails when it is stale): no generator ships in the Lambda.
    with open(OPENAPI_DOCUMENT, encoding="utf-8") as document:
        return json.load(document)


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

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from marshmallow import fields

from chalicelib import config
from chalicelib.api.router import Router
from chalicelib.schemas.common import ResponseSchema

router = Router("system")
OPENAPI_DOCUMENT = Path(__file__).resolve().parent.parent / "openapi.json"


class Health(ResponseSchema):
    status = fields.String(required=True)


@functools.cache
def _openapi() -> dict[str, Any]:
    # Written by `make openapi` (a test fails when it is stale): no generator ships in the Lambda.
    return json.loads(OPENAPI_DOCUMENT.read_text())


@router.route("/health", "GET", summary="Liveness check", public=True, response=Health)
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

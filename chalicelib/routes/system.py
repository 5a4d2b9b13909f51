from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from chalicelib.api.router import Router

router = Router("system")
OPENAPI_DOCUMENT = Path(__file__).resolve().parent.parent / "openapi.json"


@functools.cache
def _openapi() -> dict[str, Any]:
    # Written by `make openapi` (a test fails when it is stale): no generator ships in the Lambda.
    return json.loads(OPENAPI_DOCUMENT.read_text())


@router.route("/health", "GET", summary="Liveness check", public=True, response="chalicelib.schemas.system:Health")
def health() -> dict[str, Any]:
    return {"status": "ok"}


@router.route("/openapi.json", "GET", summary="This API's OpenAPI 3 document", public=True)
def openapi() -> dict[str, Any]:
    return _openapi()

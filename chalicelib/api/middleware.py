"""The one HTTP middleware: correlation id, the error envelope for answers Chalice makes
itself (405, 415, 500), security headers, and one JSON log line per request."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from chalice import Response

from chalicelib.api import context
from chalicelib.errors import envelope
from chalicelib.logs import write_line

CORRELATION_HEADER = "X-Correlation-Id"
_CORRELATION_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
SECURITY_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
# Chalice's own error codes, in our vocabulary.
_CHALICE_CODES = {
    "MethodNotAllowedError": "method_not_allowed",
    "UnsupportedMediaType": "unsupported_media_type",
    "BadRequestError": "bad_request",
    "BadRequest": "bad_request",
    "NotFoundError": "not_found",
    "InternalServerError": "internal_error",
}


def _correlation_id(headers: Any) -> str:
    given = headers.get(CORRELATION_HEADER.lower()) if headers else None
    return given if given and _CORRELATION_ID.fullmatch(given) else str(uuid.uuid4())


def _request_id(request: Any) -> str:
    return str((request.context or {}).get("requestId") or uuid.uuid4())


def _as_envelope(response: Response, request_id: str) -> Response:
    """Answers Chalice builds itself ({"Code", "Message"}) get the same envelope as ours."""
    body = response.body
    if response.status_code < 400 or not isinstance(body, dict) or "Code" not in body:
        return response
    code = _CHALICE_CODES.get(body["Code"], "error")
    message = body.get("Message", "") if response.status_code < 500 else "An internal error occurred."
    headers = {k: v for k, v in response.headers.items() if k.lower() != "content-type"}
    return Response(body=envelope(code, message, request_id), status_code=response.status_code, headers=headers)


def http_middleware(request: Any, get_response: Callable[[Any], Response]) -> Response:
    started = time.perf_counter()
    request_id = _request_id(request)
    correlation_id = _correlation_id(request.headers)
    request_token = context.request_id.set(request_id)
    identity_token = context.identity.set(None)
    try:
        response = _as_envelope(get_response(request), request_id)
        identity = context.identity.get()
    finally:
        context.request_id.reset(request_token)
        context.identity.reset(identity_token)
    response.headers.update(SECURITY_HEADERS)
    response.headers[CORRELATION_HEADER] = correlation_id
    write_line(
        {
            "message": "request",
            "request_id": request_id,
            "correlation_id": correlation_id,
            "method": request.method,
            "route": (request.context or {}).get("resourcePath"),
            "status": response.status_code,
            "latency_ms": round((time.perf_counter() - started) * 1000, 2),
            "user_id": identity.user_id if identity else None,
            "tenant_id": identity.tenant_id if identity else None,
        }
    )
    return response

"""Domain errors, and the one JSON envelope every error answer uses.

Services raise these; only the HTTP edge (chalicelib.api) turns them into status codes.
"""

from __future__ import annotations

from typing import Any

ACCOUNT_DELETED = "This account has been deleted."


class StrideError(Exception):
    """Base of every error a client may see. `code` is stable and machine-readable."""

    code = "error"

    def __init__(self, message: str, *, code: str | None = None, details: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details = details or {}
        # Seconds a client should wait before trying again (sent as Retry-After), if any.
        self.retry_after: int | None = None


class InvalidInput(StrideError):
    code = "validation_error"


class Unauthenticated(StrideError):
    code = "unauthorized"


class Forbidden(StrideError):
    code = "forbidden"


class NotFound(StrideError):
    code = "not_found"


class Conflict(StrideError):
    code = "conflict"


class Unprocessable(StrideError):
    """Well-formed input that refers to something in the wrong state."""

    code = "unprocessable"


class PreconditionFailed(StrideError):
    """The caller's If-Match version is not the stored one."""

    code = "version_mismatch"


class PayloadTooLarge(StrideError):
    code = "payload_too_large"


class UnsupportedMediaType(StrideError):
    code = "unsupported_media_type"


class TooManyRequests(StrideError):
    code = "too_many_requests"


# What a 503 tells the client to wait before trying again (every 503 carries Retry-After).
DEPENDENCY_RETRY_AFTER_SECONDS = 2


class DependencyFailed(StrideError):
    """An AWS service we depend on failed in a way the caller cannot fix."""

    code = "service_unavailable"

    def __init__(self, message: str, *, code: str | None = None, details: dict[str, Any] | None = None):
        super().__init__(message, code=code, details=details)
        self.retry_after = DEPENDENCY_RETRY_AFTER_SECONDS


HTTP_STATUS: dict[type[StrideError], int] = {
    InvalidInput: 400,
    Unauthenticated: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    PreconditionFailed: 412,
    Unprocessable: 422,
    PayloadTooLarge: 413,
    UnsupportedMediaType: 415,
    TooManyRequests: 429,
    DependencyFailed: 503,
}


def status_for(error: StrideError) -> int:
    for cls in type(error).__mro__:
        if cls in HTTP_STATUS:
            return HTTP_STATUS[cls]
    return 500


def envelope(code: str, message: str, request_id: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "error": {"code": code, "message": message, "details": details or {}},
        "request_id": request_id,
    }

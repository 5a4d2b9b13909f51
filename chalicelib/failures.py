"""What an AWS failure means for the caller. botocore has already retried (standard mode) by
the time one arrives here: it is AWS being unavailable or throttling us, not the caller's fault."""

from __future__ import annotations

from typing import Any

from chalicelib.errors import DEPENDENCY_RETRY_AFTER_SECONDS, DependencyFailed, StrideError

RETRY_AFTER_SECONDS = DEPENDENCY_RETRY_AFTER_SECONDS
# Codes AWS answers when it is busy or failing, across DynamoDB, S3, Cognito and Secrets Manager.
UNAVAILABLE = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "Throttling",
    "RequestLimitExceeded",
    "ServiceUnavailable",
    "ServiceUnavailableException",
    "InternalServerError",
    "InternalFailure",
    "InternalErrorException",
    "SlowDown",
    "TransactionInProgressException",
    "TransactionCanceledException",
}


def dependency_failure(exc: Exception) -> tuple[StrideError, dict[str, str]] | None:
    """(the error to answer, what to log) for an AWS failure; None for anything else."""
    from botocore.exceptions import BotoCoreError, ClientError

    if isinstance(exc, ClientError):
        error: dict[str, Any] = exc.response.get("Error", {})
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        if error.get("Code") not in UNAVAILABLE and status < 500:
            return None
        detail = {"operation": exc.operation_name, "aws_code": str(error.get("Code"))}
    elif isinstance(exc, BotoCoreError):  # timeouts, refused connections
        detail = {"operation": "-", "aws_code": type(exc).__name__}
    else:
        return None
    failure = DependencyFailed(
        "A service Stride depends on is busy or unavailable. Try again shortly.",
        details={"retry_after_seconds": RETRY_AFTER_SECONDS},
    )
    failure.retry_after = RETRY_AFTER_SECONDS
    return failure, detail

"""Webhook deliveries: from the table's stream, and the minute schedule that retries them.

The stream's ARN is fixed when the template is packaged, so it is read here, at import: the
packaged template points the event source mapping at the table's own stream (infra/), and
nothing reads this placeholder at run time.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from chalice import Blueprint, Rate

from chalicelib import deps
from chalicelib.logs import stdout_logger

STREAM_ARN = os.environ.get(
    "TABLE_STREAM_ARN", "arn:aws:dynamodb:us-east-1:000000000000:table/stride/stream/set-by-template"
)
# Plenty for one batch: records for which nobody has a webhook cost one Query or nothing.
BATCH_SIZE = 25

blueprint = Blueprint(__name__)


stdout_logger("stride.webhooks")


def _remaining(context: Any) -> Callable[[], int]:
    """Milliseconds this invocation has left (Lambda's context; unbounded where there is none)."""
    clock = getattr(context, "get_remaining_time_in_millis", None)
    return (lambda: int(clock())) if clock else (lambda: 10**9)


@blueprint.on_dynamodb_record(
    stream_arn=STREAM_ARN, batch_size=BATCH_SIZE, starting_position="LATEST", name="webhook_stream"
)
def deliver_webhooks(event: Any) -> dict[str, Any]:
    return deps.webhooks().on_stream(event.to_dict()["Records"], _remaining(event.context))


@blueprint.schedule(Rate(1, unit=Rate.MINUTES), name="webhook_retries", description="Retries due webhook deliveries")
def retry_webhooks(event: Any) -> None:
    deps.webhooks().retry_due(_remaining(event.context))

"""The background worker: a Lambda on the jobs queue (chalicelib.jobs), one message at a time.

The queue's ARN is fixed when the template is packaged, so it is read here, at import: the packaged
template points the event source mapping at the queue infra/stride.json declares, and nothing reads
this placeholder at run time. A message whose job raises is left on the queue (SQS hands it out
again; after its last try, the dead-letter queue and its alarm)."""

from __future__ import annotations

import os
from typing import Any

from chalice import Blueprint

from chalicelib import deps
from chalicelib.logs import stdout_logger

JOBS_QUEUE_ARN = os.environ.get("JOBS_QUEUE_ARN", "arn:aws:sqs:us-east-1:000000000000:set-by-template")

blueprint = Blueprint(__name__)

stdout_logger("stride.jobs")


def _remaining_seconds(context: Any) -> Any:
    clock = getattr(context, "get_remaining_time_in_millis", None)
    return (lambda: clock() / 1000) if clock else (lambda: float("inf"))


@blueprint.on_sqs_message(queue_arn=JOBS_QUEUE_ARN, batch_size=1, name="background_jobs")
def run_jobs(event: Any) -> None:
    remaining = _remaining_seconds(event.context)
    for record in event:
        deps.job_runner().run(record.body, remaining)

"""Background jobs: work that grows with a person's history runs here, never inside a request.

A job is one JSON message on the jobs queue (SQS): `{"job": "<kind>", "args": {...}}`. The worker
(`chalicelib/events/jobs.py`, a Lambda on the queue) runs the handler the kind names; domains
declare their kinds in their manifest (`Domain.jobs`), so this module knows none of them.

A handler does what fits in the time it is given and returns None when the job is done, or the
args to go on from: those go back on the queue as a new message (the job resumes in the next
invocation). A handler that raises, or an invocation cut short (a timeout, a crash), leaves its
message on the queue: SQS hands it out again after the visibility timeout, and after
`maxReceiveCount` tries moves it to the dead-letter queue, which an alarm watches. So every handler
is idempotent: the same message may run twice, or half of it and then all of it.

Messages also arrive from outside the app, written by the template's EventBridge rules (a
CloudTrail event, a schedule): the same shape, built by the rule's input transformer.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

logger = logging.getLogger("stride.jobs")

# (args, seconds the invocation has left) -> None when done, else the args to continue from.
Handler = Callable[[dict[str, Any], Callable[[], float]], "dict[str, Any] | None"]


class UnknownJob(Exception):
    """A message naming no declared kind: raised, so it ends in the dead-letter queue (and the
    alarm), never silently dropped."""


def message(kind: str, args: dict[str, Any]) -> str:
    return json.dumps({"job": kind, "args": args}, sort_keys=True, separators=(",", ":"))


class JobQueue:
    """The queue jobs are submitted to (SQS). The client is made on first use (deps)."""

    def __init__(self, client: Any, queue_url: str):
        self._client = client
        self._url = queue_url

    def submit(self, kind: str, args: dict[str, Any]) -> None:
        self._client.send_message(QueueUrl=self._url, MessageBody=message(kind, args))


class JobRunner:
    """Runs one message: finds its handler, runs it, puts a continuation back on the queue."""

    def __init__(self, handler_of: Callable[[str], Handler | None], queue: JobQueue):
        self._handler_of = handler_of
        self._queue = queue

    def run(self, body: str, remaining_seconds: Callable[[], float]) -> str:
        """Returns "done" or "continued"; raises for a message that must be tried again."""
        try:
            job = json.loads(body)
        except ValueError as exc:
            raise UnknownJob("the message is not JSON") from exc
        kind = job.get("job") if isinstance(job, dict) else None
        handler = self._handler_of(kind) if isinstance(kind, str) else None
        if handler is None or not isinstance(kind, str):
            raise UnknownJob(f"no handler for job {kind!r}")
        args = job.get("args")
        follow = handler(args if isinstance(args, dict) else {}, remaining_seconds)
        outcome = "done" if follow is None else "continued"
        if follow is not None:
            self._queue.submit(kind, follow)
        logger.info(json.dumps({"message": "job_run", "job": kind, "outcome": outcome}))
        return outcome

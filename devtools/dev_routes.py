"""Local-only tools under /dev on `make run`'s API: they live here, in devtools, so no other
stage has them (Chalice packages app.py and chalicelib/ only).

    GET  /dev/outbox[?to=<address>]           the e-mail the app sent through the local SES, newest first
    POST /dev/schedules/<name>[?at=<instant>] run a scheduled function now, as if EventBridge fired it at `at`
    POST /dev/ses/feedback?to=<address>&type=bounce|soft_bounce|complaint
                                              SES's event for the newest message to that address, handed to
                                              the app's EventBridge handlers (moto publishes none)
"""

from __future__ import annotations

import email
import email.policy
import json
import os
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlparse

from chalice.app import Chalice, ScheduledEventConfig

from devtools.local_aws import REGION
from devtools.local_events import LocalInvoker, scheduled_event

PREFIX = "/dev/"


def outbox(to: str | None = None) -> list[dict[str, Any]]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    messages = []
    for sent in reversed(ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages):
        if to and not any(to in destination for destination in sent.destinations):
            continue
        message = email.message_from_string(getattr(sent, "raw_data", ""), policy=email.policy.default)
        body = message.get_body(("plain",))
        messages.append(
            {
                "id": sent.id,
                "from": message["From"],
                "to": list(sent.destinations),
                "subject": message["Subject"],
                "date": message["Date"],
                "text": body.get_content() if body is not None else "",
                "unsubscribe_url": (message["List-Unsubscribe"] or "").strip("<>") or None,
            }
        )
    return messages


def run_schedule(app: Chalice, name: str, at: str | None) -> dict[str, Any]:
    invoker = LocalInvoker(app)
    names = invoker.names(ScheduledEventConfig)
    if name not in names:
        raise LookupError(f"no scheduled function {name!r}; there are: {', '.join(names)}")
    moment = datetime.fromisoformat(at.replace("Z", "+00:00")) if at else datetime.now(UTC)
    if moment.tzinfo is None:
        raise ValueError("give `at` with its offset, e.g. 2026-11-23T07:00:00Z")
    return invoker.invoke(name, scheduled_event(moment))


def ses_feedback(app: Chalice, to: str | None, kind: str | None) -> dict[str, Any]:
    from devtools.local_ses import feedback_event

    if not to or not kind:
        raise ValueError("give to=<address> and type=bounce, soft_bounce or complaint")
    sent = outbox(to)
    if not sent:
        raise LookupError(f"the local SES sent nothing to {to}")
    event = feedback_event(kind, to, os.environ.get("SES_CONFIGURATION_SET", ""), sent[0]["id"])
    return {"handled_by": LocalInvoker(app).event_bridge(event)}


def answer(app: Chalice, method: str, raw_path: str) -> tuple[int, bytes]:
    """(status, JSON body) for a /dev/ request."""
    url = urlparse(raw_path)
    query = {key: values[-1] for key, values in parse_qs(url.query).items()}
    try:
        if method == "GET" and url.path == "/dev/outbox":
            return 200, json.dumps({"messages": outbox(query.get("to"))}).encode()
        if method == "POST" and url.path.startswith("/dev/schedules/"):
            report = run_schedule(app, url.path.removeprefix("/dev/schedules/"), query.get("at"))
            return 200, json.dumps(report, default=str).encode()
        if method == "POST" and url.path == "/dev/ses/feedback":
            return 200, json.dumps(ses_feedback(app, query.get("to"), query.get("type"))).encode()
    except LookupError as error:
        return 404, json.dumps({"error": {"code": "not_found", "message": str(error)}}).encode()
    except ValueError as error:
        return 400, json.dumps({"error": {"code": "validation_error", "message": str(error)}}).encode()
    return 404, json.dumps({"error": {"code": "not_found", "message": "No dev tool at this path."}}).encode()

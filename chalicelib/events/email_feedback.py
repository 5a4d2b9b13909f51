"""SES's bounce and complaint events for the stage's configuration set, through EventBridge (the
configuration set's event destination in infra/stride.json): a hard bounce or a complaint stops
every e-mail to that address (chalicelib/domains/email/feedback_service.py)."""

from __future__ import annotations

import json
import logging
from typing import Any

from chalice import Blueprint

from chalicelib import deps

blueprint = Blueprint(__name__)
logger = logging.getLogger(__name__)

EVENT_PATTERN: dict[str, Any] = {
    "source": ["aws.ses"],
    "detail-type": ["Email Bounced", "Email Complaint Received"],
}


@blueprint.on_cw_event(EVENT_PATTERN, name="email_feedback")
def email_feedback(event: Any) -> dict[str, Any]:
    detail = event.to_dict().get("detail") or {}
    result = deps.email_feedback().on_ses_event(detail)
    logger.info(json.dumps({"message": "email_feedback", "event": detail.get("eventType"), **result}))
    return result

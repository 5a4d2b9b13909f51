"""Every change to how a person signs in is told to them by e-mail: the CloudTrail management
events Cognito records for its user pool operations, through an EventBridge rule (a trail must be
logging management events in the account and region: EventBridge receives "AWS API Call via
CloudTrail" events only from one). Stride's own routes and Cognito's API called straight with an
access token (Amplify) make the same calls, so both are told."""

from __future__ import annotations

import json
import logging
from typing import Any

from chalice import Blueprint

from chalicelib import deps
from chalicelib.domains.auth.changes import SIGN_IN_CHANGES

blueprint = Blueprint(__name__)
logger = logging.getLogger(__name__)

EVENT_PATTERN: dict[str, Any] = {
    "source": ["aws.cognito-idp"],
    "detail-type": ["AWS API Call via CloudTrail"],
    "detail": {"eventSource": ["cognito-idp.amazonaws.com"], "eventName": sorted(SIGN_IN_CHANGES)},
}


@blueprint.on_cw_event(EVENT_PATTERN, name="sign_in_notices")
def sign_in_notices(event: Any) -> dict[str, Any]:
    detail = event.to_dict().get("detail") or {}
    kind = deps.sign_in_notices().on_cloudtrail(detail)
    logger.info(json.dumps({"message": "sign_in_notice", "event": detail.get("eventName"), "sent": kind}))
    return {"sent": kind}

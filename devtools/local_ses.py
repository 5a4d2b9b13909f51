"""What SES's event publishing would say about a message the local SES took: the bounce and
complaint events its configuration set sends to EventBridge (moto publishes none), shaped as SES
shapes them, for `POST /dev/ses/feedback` and the tests. SES's mailbox simulator
(bounce@simulator.amazonses.com, complaint@...) does the same deployed."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from devtools.local_aws import REGION

# The kinds of feedback a message can get, as SES reports them.
FEEDBACK = {
    "bounce": ("Email Bounced", "Bounce", "Permanent", "General"),
    "soft_bounce": ("Email Bounced", "Bounce", "Transient", "MailboxFull"),
    "complaint": ("Email Complaint Received", "Complaint", "", ""),
}


def feedback_event(
    kind: str, recipient: str, configuration_set: str, message_id: str = "", source: str = "reminders@stride.local"
) -> dict[str, Any]:
    """The EventBridge event SES publishes for `kind` of feedback on a message to `recipient`."""
    if kind not in FEEDBACK:
        raise ValueError(f"feedback type must be one of: {', '.join(FEEDBACK)}")
    detail_type, event_type, bounce_type, sub_type = FEEDBACK[kind]
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    detail: dict[str, Any] = {
        "eventType": event_type,
        "mail": {
            "timestamp": stamp,
            "source": source,
            "messageId": message_id or str(uuid.uuid4()),
            "destination": [recipient],
            "tags": {"ses:configuration-set": [configuration_set], "ses:operation": ["SendRawEmail"]},
        },
    }
    if event_type == "Bounce":
        detail["bounce"] = {
            "bounceType": bounce_type,
            "bounceSubType": sub_type,
            "bouncedRecipients": [{"emailAddress": recipient, "action": "failed", "status": "5.1.1"}],
            "timestamp": stamp,
            "feedbackId": str(uuid.uuid4()),
        }
    else:
        detail["complaint"] = {
            "complainedRecipients": [{"emailAddress": recipient}],
            "complaintFeedbackType": "abuse",
            "timestamp": stamp,
            "feedbackId": str(uuid.uuid4()),
        }
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": detail_type,
        "source": "aws.ses",
        "account": "000000000000",
        "time": stamp,
        "region": REGION,
        "resources": [],
        "detail": detail,
    }

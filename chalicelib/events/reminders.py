"""The e-mail run: every 15 minutes, whatever is due is sent (a person's morning is on the hour
in most time zones and on the half or quarter hour in the rest)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from chalice import Blueprint, Rate

from chalicelib import deps

blueprint = Blueprint(__name__)
logger = logging.getLogger(__name__)


@blueprint.schedule(Rate(15, unit=Rate.MINUTES), name="send_emails")
def send_emails(event: Any) -> dict[str, Any]:
    # The run is for the instant it was scheduled at (a redelivered event repeats it exactly).
    now = datetime.fromisoformat(event.time.replace("Z", "+00:00")).astimezone(UTC)
    context = event.context
    report = deps.reminders().run(now, lambda: context.get_remaining_time_in_millis() / 1000)
    from dataclasses import asdict  # here: dataclasses (and inspect) would otherwise load with every API cold start

    summary = asdict(report)
    logger.info(json.dumps({"message": "email_run", **summary}))
    return summary

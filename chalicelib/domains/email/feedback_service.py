"""What SES tells about mail after it left: a hard bounce or a complaint puts the address on Stride's
suppression list and turns off every e-mail the person opted into (their preferences then say so),
so no reminder or summary goes to it again. A soft bounce (a full mailbox, a server down) changes
nothing: SES already retried it, and the next e-mail may well arrive.

The events are SES's event publishing for the stage's configuration set, through EventBridge
(chalicelib/events/email_feedback.py). Another stage's configuration set in the same account sends
to the same bus: its events are not this stage's to act on."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from chalicelib import clock
from chalicelib.domains.email.send_times import KINDS
from chalicelib.timeutil import iso_utc

if TYPE_CHECKING:
    from chalicelib.domains.email.suppression_store import SuppressionStore

log = logging.getLogger(__name__)

CONFIGURATION_SET_TAG = "ses:configuration-set"
HARD_BOUNCE = "Permanent"


def _addresses(recipients: Any) -> list[str]:
    if not isinstance(recipients, list):
        return []
    found = (r.get("emailAddress") for r in recipients if isinstance(r, dict))
    return [address.strip().lower() for address in found if isinstance(address, str) and "@" in address]


def suppressed_addresses(detail: dict[str, Any]) -> tuple[str, list[str]]:
    """(reason, addresses) an SES event's detail suppresses: a hard bounce's or a complaint's
    recipients; none for a soft bounce or any other event."""
    event_type = detail.get("eventType")
    if event_type == "Bounce":
        bounce = detail.get("bounce") or {}
        if bounce.get("bounceType") != HARD_BOUNCE:
            return "", []
        return "bounce", _addresses(bounce.get("bouncedRecipients"))
    if event_type == "Complaint":
        return "complaint", _addresses((detail.get("complaint") or {}).get("complainedRecipients"))
    return "", []


class FeedbackService:
    def __init__(
        self,
        suppressions: SuppressionStore,
        people_with_address: Callable[[str], list[str]],
        turn_off: Callable[[str, str], None],
        configuration_set: str,
        now: Callable[[], datetime] = clock.now,
    ):
        self._suppressions = suppressions
        self._people_with_address = people_with_address
        self._turn_off = turn_off
        self._configuration_set = configuration_set
        self._now = now

    def _ours(self, detail: dict[str, Any]) -> bool:
        tags = ((detail.get("mail") or {}).get("tags")) or {}
        return self._configuration_set in (tags.get(CONFIGURATION_SET_TAG) or [])

    def on_ses_event(self, detail: dict[str, Any]) -> dict[str, Any]:
        """Suppresses what the event says must be; returns what it did (counts, never addresses)."""
        if not self._ours(detail):
            return {"suppressed": 0, "people": 0, "ignored": "another configuration set"}
        reason, addresses = suppressed_addresses(detail)
        suppressed = people = 0
        for address in addresses:
            suppressed += self._suppressions.add(address, reason, iso_utc(self._now()))
            for user_id in self._people_with_address(address):
                for kind in KINDS:
                    self._turn_off(user_id, kind)
                people += 1
        log.info("ses_feedback reason=%s suppressed=%d people=%d", reason or "none", suppressed, people)
        return {"suppressed": suppressed, "people": people, "reason": reason or None}

"""What an SES event suppresses, and the mailer's refusal of a suppressed address, with fakes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from chalicelib.adapters.ses_mailer import SUPPRESSED, Mail, MailRejected, SesMailer
from chalicelib.domains.email.feedback_service import FeedbackService, suppressed_addresses
from devtools.local_ses import feedback_event


def detail(kind: str, address: str = "Ana@Example.com", configuration_set: str = "stride-prod") -> dict[str, Any]:
    return feedback_event(kind, address, configuration_set)["detail"]


def test_a_hard_bounce_and_a_complaint_suppress_their_recipients_lower_cased() -> None:
    assert suppressed_addresses(detail("bounce")) == ("bounce", ["ana@example.com"])
    assert suppressed_addresses(detail("complaint")) == ("complaint", ["ana@example.com"])


@pytest.mark.parametrize("bounce_type", ["Transient", "Undetermined"])
def test_a_soft_or_undetermined_bounce_suppresses_nobody(bounce_type: str) -> None:
    event = detail("bounce")
    event["bounce"]["bounceType"] = bounce_type
    assert suppressed_addresses(event) == ("", [])


@pytest.mark.parametrize(
    "broken",
    [{}, {"eventType": "Delivery"}, {"eventType": "Bounce"}, {"eventType": "Complaint", "complaint": {"x": 1}}],
)
def test_an_event_without_recipients_suppresses_nobody(broken: dict[str, Any]) -> None:
    assert suppressed_addresses(broken)[1] == []


class FakeSuppressions:
    def __init__(self) -> None:
        self.added: dict[str, str] = {}

    def add(self, address: str, reason: str, at: str) -> bool:
        if address in self.added:
            return False
        self.added[address] = reason
        return True

    def contains(self, address: str) -> bool:
        return address.lower() in self.added


def service(suppressions: FakeSuppressions, turned_off: list[tuple[str, str]]) -> FeedbackService:
    return FeedbackService(
        suppressions,  # type: ignore[arg-type]
        lambda address: ["user-1"] if address == "ana@example.com" else [],
        lambda user_id, kind: turned_off.append((user_id, kind)),
        "stride-prod",
        now=lambda: datetime(2026, 1, 1, tzinfo=UTC),
    )


def test_a_complaint_turns_off_every_kind_of_e_mail_of_the_person() -> None:
    suppressions, turned_off = FakeSuppressions(), []
    assert service(suppressions, turned_off).on_ses_event(detail("complaint")) == {
        "suppressed": 1,
        "people": 1,
        "reason": "complaint",
    }
    assert turned_off == [("user-1", "email_reminders"), ("user-1", "weekly_summary")]
    assert suppressions.added == {"ana@example.com": "complaint"}


def test_another_configuration_sets_event_changes_nothing() -> None:
    suppressions, turned_off = FakeSuppressions(), []
    result = service(suppressions, turned_off).on_ses_event(detail("bounce", configuration_set="stride-dev"))
    assert result["suppressed"] == 0 and turned_off == [] and suppressions.added == {}


class FakeSes:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def send_raw_email(self, **kwargs: Any) -> dict[str, str]:
        self.calls.append(kwargs)
        return {"MessageId": "m-1"}


def test_the_mailer_refuses_a_suppressed_address_without_asking_ses() -> None:
    suppressions, ses = FakeSuppressions(), FakeSes()
    suppressions.add("ana@example.com", "bounce", "2026-01-01T00:00:00Z")
    mailer = SesMailer(ses, "Stride <reminders@stride.example>", "stride-prod", suppressions.contains)
    with pytest.raises(MailRejected, match=SUPPRESSED):
        mailer.send(Mail("Ana@example.com", "Hi", "text"))
    assert ses.calls == []
    assert mailer.send(Mail("bo@example.com", "Hi", "text")) == "m-1"
    assert ses.calls[0]["ConfigurationSetName"] == "stride-prod"

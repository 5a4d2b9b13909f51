"""SES's bounce and complaint events (its configuration set's event destination, through
EventBridge): a hard bounce or a complaint stops the next reminder to that person, a soft bounce
does not; an address on the suppression list gets no mail of any kind."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from chalicelib import clock
from devtools.local_ses import feedback_event
from tests.api.test_emails import mail_to, next_send, opt_in, run_at, schedule_item

CONFIGURATION_SET = "stride-local"


@pytest.fixture
def table(local_aws: Any) -> Any:
    return local_aws.client("dynamodb")


def feedback(api: Any, kind: str, address: str, configuration_set: str = CONFIGURATION_SET) -> dict[str, Any]:
    """The feedback handler, invoked as EventBridge would with SES's event."""
    return api._client.lambda_.invoke("email_feedback", feedback_event(kind, address, configuration_set)).payload


def reminded_once(api: Any, person: Any, table: Any) -> Any:
    """The person opted in, with a task due each morning, and got this morning's reminder."""
    opt_in(api, person, reminders=True, summary=True)
    due = next_send(table, person, "email_reminders")
    today = due.astimezone(ZoneInfo("Europe/Paris")).date()
    for offset in range(3):
        day = (today + timedelta(days=offset)).isoformat()
        assert api.post("/tasks", {"title": f"Stretch {offset}", "due_date": day}, token=person.token).status == 201
    assert run_at(api, due)["sent"] == 1
    assert len(mail_to(person.email)) == 1
    return due


@pytest.mark.parametrize("kind", ["bounce", "complaint"])
def test_a_hard_bounce_or_a_complaint_stops_the_next_reminder(api, users, table, kind):
    person = users.create()
    due = reminded_once(api, person, table)
    result = feedback(api, kind, person.email)
    assert result == {"suppressed": 1, "people": 1, "reason": kind}
    # Every e-mail the person opted into is off, as their preferences now say.
    notifications = api.get("/me/preferences", token=person.token).body["notifications"]
    assert notifications == {"email_reminders": False, "weekly_summary": False}
    assert schedule_item(table, person, "email_reminders") is None
    run_at(api, due + timedelta(days=1))
    assert len(mail_to(person.email)) == 1  # the first reminder only


@pytest.mark.parametrize("kind", ["bounce", "complaint"])
def test_a_suppressed_address_is_refused_even_after_opting_in_again(api, users, table, kind):
    person = users.create()
    due = reminded_once(api, person, table)
    feedback(api, kind, person.email.upper())  # SES may spell the address otherwise
    with clock.travel_to(due + timedelta(hours=1)):  # the next morning's reminder, back on
        opt_in(api, person, reminders=True)
    following = next_send(table, person, "email_reminders")
    assert following == due + timedelta(days=1)
    assert run_at(api, following)["rejected"] == 1
    assert len(mail_to(person.email)) == 1
    sent = api.get("/me/export", token=person.token).body["emails_sent"]
    assert [record["status"] for record in sent] == ["sent", "rejected"]
    assert sent[1]["reason"] == "Suppressed"


def test_a_soft_bounce_does_not_stop_the_next_reminder(api, users, table):
    person = users.create()
    due = reminded_once(api, person, table)
    assert feedback(api, "soft_bounce", person.email) == {"suppressed": 0, "people": 0, "reason": None}
    assert api.get("/me/preferences", token=person.token).body["notifications"]["email_reminders"] is True
    assert run_at(api, due + timedelta(days=1))["sent"] == 1
    assert len(mail_to(person.email)) == 2


def test_feedback_for_another_stages_configuration_set_is_not_acted_on(api, users, table):
    person = users.create()
    due = reminded_once(api, person, table)
    result = feedback(api, "complaint", person.email, configuration_set="stride-prod")
    assert result["suppressed"] == 0 and result["ignored"]
    assert run_at(api, due + timedelta(days=1))["sent"] == 1


def test_the_same_bounce_twice_suppresses_once(api, users, table):
    person = users.create()
    reminded_once(api, person, table)
    assert feedback(api, "bounce", person.email)["suppressed"] == 1
    assert feedback(api, "bounce", person.email)["suppressed"] == 0


def test_a_bounce_for_an_address_nobody_has_is_suppressed_without_a_person(api):
    assert feedback(api, "bounce", "gone@nowhere.example") == {"suppressed": 1, "people": 0, "reason": "bounce"}


def test_every_send_names_the_configuration_set(api, users, table, local_aws, monkeypatch):
    from chalicelib import deps

    person = users.create()
    reminded_once(api, person, table)
    mailer = deps.reminders()._mailer
    sent: list[dict[str, Any]] = []
    real = mailer._client

    class Recording:
        def send_raw_email(self, **kwargs: Any) -> Any:
            sent.append(kwargs)
            return real.send_raw_email(**kwargs)

    monkeypatch.setattr(mailer, "_client", Recording())
    due = next_send(table, person, "email_reminders")
    run_at(api, due)
    assert [call["ConfigurationSetName"] for call in sent] == [CONFIGURATION_SET]


def test_the_local_dev_tool_hands_ses_feedback_to_the_handler(api, users, table, monkeypatch):
    import app as stride
    from devtools.dev_routes import answer
    from devtools.infra import stage_environment

    for name, value in stage_environment("local").items():
        monkeypatch.setenv(name, value)
    person = users.create()
    due = reminded_once(api, person, table)
    status, body = answer(stride.app, "POST", f"/dev/ses/feedback?to={person.email}&type=complaint")
    assert status == 200 and json.loads(body) == {"handled_by": ["email_feedback"]}
    run_at(api, due + timedelta(days=1))
    assert len(mail_to(person.email)) == 1
    status, body = answer(stride.app, "POST", "/dev/ses/feedback?to=nobody@example.com&type=bounce")
    assert status == 404
    status, body = answer(stride.app, "POST", f"/dev/ses/feedback?to={person.email}&type=sideways")
    assert status == 400 and "bounce, soft_bounce, complaint" in json.loads(body)["error"]["message"]

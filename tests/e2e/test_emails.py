"""E-mail on the local stack, as a developer sees it with `make run`: the scheduled run fired
on demand (POST /dev/schedules/send_emails?at=), the mail in GET /dev/outbox, its link followed."""

import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta

from tests.e2e.test_journey import _new_user


def _next_seven_utc() -> datetime:
    now = datetime.now(UTC)
    seven = now.replace(hour=7, minute=0, second=0, microsecond=0)
    return seven if seven > now else seven + timedelta(days=1)


def test_a_reminder_reaches_the_outbox_and_its_link_unsubscribes(stack):
    email, _, login = _new_user(stack)
    token = login["id_token"]
    prefs = {"timezone": "UTC", "notifications": {"email_reminders": True, "weekly_summary": False}}
    assert stack.call("PUT", "/me/preferences", prefs, token=token).status == 200
    due = _next_seven_utc()
    task = {"title": "Foam roll", "due_date": due.date().isoformat()}
    assert stack.call("POST", "/tasks", task, token=token).status == 201

    at = urllib.parse.quote(due.strftime("%Y-%m-%dT%H:%M:%SZ"))
    report = stack.call("POST", f"/dev/schedules/send_emails?at={at}").body
    assert report["sent"] >= 1 and report["failed"] == 0
    again = stack.call("POST", f"/dev/schedules/send_emails?at={at}").body
    assert again["sent"] == 0  # a repeated run sends nothing twice

    [message] = stack.call("GET", f"/dev/outbox?to={urllib.parse.quote(email)}").body["messages"]
    assert message["subject"] == "1 task for today" and "Foam roll" in message["text"]
    link = message["unsubscribe_url"]
    assert link.startswith(f"{stack.api}/unsubscribe?token=")  # the running API's own address
    with urllib.request.urlopen(link, timeout=15) as response:
        assert response.status == 200
    notifications = stack.call("GET", "/me/preferences", token=token).body["notifications"]
    assert notifications["email_reminders"] is False


def test_dev_tools_answer_clearly(stack):
    assert stack.call("POST", "/dev/schedules/no_such_thing").status == 404
    assert stack.call("POST", "/dev/schedules/send_emails?at=tomorrow").status == 400
    assert stack.call("GET", "/dev/nothing").status == 404


def test_a_complaint_from_the_dev_tool_stops_the_next_reminder(stack):
    email, _, login = _new_user(stack)
    token = login["id_token"]
    prefs = {"timezone": "UTC", "notifications": {"email_reminders": True, "weekly_summary": False}}
    assert stack.call("PUT", "/me/preferences", prefs, token=token).status == 200
    due = _next_seven_utc()
    for offset in range(2):
        task = {"title": f"Stretch {offset}", "due_date": (due + timedelta(days=offset)).date().isoformat()}
        assert stack.call("POST", "/tasks", task, token=token).status == 201
    at = urllib.parse.quote(due.strftime("%Y-%m-%dT%H:%M:%SZ"))
    assert stack.call("POST", f"/dev/schedules/send_emails?at={at}").body["sent"] >= 1

    address = urllib.parse.quote(email)
    answer = stack.call("POST", f"/dev/ses/feedback?to={address}&type=complaint")
    assert answer.status == 200 and answer.body == {"handled_by": ["email_feedback"]}
    assert stack.call("GET", "/me/preferences", token=token).body["notifications"]["email_reminders"] is False
    tomorrow = urllib.parse.quote((due + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"))
    stack.call("POST", f"/dev/schedules/send_emails?at={tomorrow}")
    assert len(stack.call("GET", f"/dev/outbox?to={address}").body["messages"]) == 1
    assert stack.call("POST", f"/dev/ses/feedback?to={address}&type=sideways").status == 400

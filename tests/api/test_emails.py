"""E-mail reminders and summaries: the schedule follows the preferences, the scheduled run sends
what is due (once), and every e-mail's link unsubscribes without a sign-in."""

from __future__ import annotations

import email
import os
import threading
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

import pytest

from chalicelib import clock
from chalicelib.domains.email.store import sent_key
from chalicelib.repositories.dynamo import DUE_SHARDS, home_partition
from devtools.local_aws import REGION

PARIS = {"timezone": "Europe/Paris", "week_starts_on": "monday"}


def preferences(reminders: bool = False, summary: bool = False, **extra: Any) -> dict[str, Any]:
    return {**PARIS, **extra, "notifications": {"email_reminders": reminders, "weekly_summary": summary}}


def outbox() -> list[Any]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages


def mail_to(address: str) -> list[email.message.Message]:
    return [email.message_from_string(sent.raw_data) for sent in outbox() if address in sent.destinations]


@pytest.fixture
def table(local_aws: Any) -> Any:
    return local_aws.client("dynamodb")


def schedule_item(table: Any, user: Any, kind: str) -> dict[str, Any] | None:
    key = {"PK": {"S": home_partition(user.user_id)}, "SK": {"S": f"NOTIFY#{kind}"}}
    return table.get_item(TableName=os.environ.get("TABLE_NAME", "stride-local"), Key=key).get("Item")


def run_at(api: Any, moment: datetime) -> dict[str, Any]:
    """The scheduled Lambda, invoked as EventBridge would at `moment`."""
    client = api._client
    event = client.events.generate_cw_event("aws.events", "Scheduled Event", {}, ["rule"], region=REGION)
    event["time"] = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return client.lambda_.invoke("send_emails", event).payload


def next_send(table: Any, user: Any, kind: str) -> datetime:
    item = schedule_item(table, user, kind)
    assert item is not None
    return datetime.fromisoformat(item["send_at"]["S"].replace("Z", "+00:00"))


def opt_in(api: Any, user: Any, **kwargs: Any) -> None:
    answer = api.put("/me/preferences", preferences(**kwargs), token=user.token)
    assert answer.status == 200, answer.body


def unsubscribe_url(message: email.message.Message) -> str:
    header = message["List-Unsubscribe"]
    assert header.startswith("<") and header.endswith(">")
    return header[1:-1]


def token_of(url: str) -> str:
    return parse_qs(urlparse(url).query)["token"][0]


# --- the schedule follows the preferences ---------------------------------------------------------


def test_opting_in_schedules_the_next_morning_in_the_users_zone(api, user, table):
    opt_in(api, user, reminders=True, summary=True)
    reminder = next_send(table, user, "email_reminders")
    local = reminder.astimezone(ZoneInfo("Europe/Paris"))
    assert (local.hour, local.minute) == (7, 0) and reminder > clock.now()
    assert reminder - clock.now() <= timedelta(days=1)
    summary = next_send(table, user, "weekly_summary").astimezone(local.tzinfo)
    assert (summary.weekday(), summary.hour) == (0, 8)  # the first day of the user's week, 08:00
    item = schedule_item(table, user, "email_reminders")
    assert item["email"]["S"] == user.email  # from the verified token, never from a body
    assert item["DPK"]["S"].startswith("DUE#email#email_reminders#")


def test_opting_out_or_moving_zone_rewrites_the_schedule_in_the_same_transaction(api, user, table, calls):
    opt_in(api, user, reminders=True)
    calls.clear()
    opt_in(api, user, reminders=True, timezone="Asia/Kolkata")
    assert calls.calls == ["dynamodb.TransactWriteItems"]
    local = next_send(table, user, "email_reminders").astimezone(ZoneInfo("Asia/Kolkata"))
    assert (local.hour, local.minute) == (7, 0)
    opt_in(api, user, reminders=False)
    assert schedule_item(table, user, "email_reminders") is None
    assert schedule_item(table, user, "weekly_summary") is None


# --- the run ----------------------------------------------------------------------------------


def test_the_morning_reminder_lists_todays_and_overdue_tasks_and_goes_once(api, user, table):
    opt_in(api, user, reminders=True)
    due = next_send(table, user, "email_reminders")
    today = due.astimezone(ZoneInfo("Europe/Paris")).date()
    for title, day in (
        ("Stretch", today),
        ("Call the physio", today - timedelta(days=2)),
        ("Later", today + timedelta(days=1)),
    ):
        assert api.post("/tasks", {"title": title, "due_date": day.isoformat()}, token=user.token).status == 201

    assert run_at(api, due - timedelta(minutes=15))["sent"] == 0  # not due yet
    report = run_at(api, due)
    assert report["sent"] >= 1 and report["failed"] == 0
    [message] = mail_to(user.email)
    assert message["Subject"] == "2 tasks for today"
    body = message.get_payload(decode=True).decode()
    assert "Stretch" in body and "Call the physio (due" in body and "Later" not in body
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["From"] == "Stride <reminders@stride.local>"

    # The same event again (EventBridge retries), and the next quarter's run: nothing more.
    run_at(api, due)
    run_at(api, due + timedelta(minutes=15))
    assert len(mail_to(user.email)) == 1
    # The schedule moved to tomorrow morning, and the send is on record.
    assert next_send(table, user, "email_reminders") == due + timedelta(days=1)
    export = api.get("/me/export", token=user.token).body
    [sent] = export["emails_sent"]
    assert sent["status"] == "sent" and sent["local_date"] == today.isoformat() and sent["message_id"]
    assert export["email_schedule"][0]["kind"] == "email_reminders"


def test_two_runs_at_once_send_one_email(api, user, table):
    opt_in(api, user, reminders=True)
    due = next_send(table, user, "email_reminders")
    today = due.astimezone(ZoneInfo("Europe/Paris")).date()
    api.post("/tasks", {"title": "Swim", "due_date": today.isoformat()}, token=user.token)
    threads = [threading.Thread(target=run_at, args=(api, due)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(mail_to(user.email)) == 1


def test_nothing_due_means_no_email_and_the_schedule_moves_on(api, user, table):
    opt_in(api, user, reminders=True)
    due = next_send(table, user, "email_reminders")
    run_at(api, due)
    assert mail_to(user.email) == []
    assert next_send(table, user, "email_reminders") == due + timedelta(days=1)


def test_a_send_found_hours_late_is_skipped_not_sent_at_night(api, user, table):
    opt_in(api, user, reminders=True)
    due = next_send(table, user, "email_reminders")
    api.post("/tasks", {"title": "Old news", "due_date": "2020-01-01"}, token=user.token)
    run_at(api, due + timedelta(hours=7))
    assert mail_to(user.email) == []
    assert next_send(table, user, "email_reminders") == due + timedelta(days=1)


def test_the_weekly_summary_reports_the_week_that_ended(api, user, table, totals):
    opt_in(api, user, summary=True)
    due = next_send(table, user, "weekly_summary")
    day_in_week = (due - timedelta(days=2)).isoformat().replace("+00:00", "Z")
    # Logged late in the week that is ending (the send may be days away from today).
    with clock.travel_to(due - timedelta(hours=1)):
        workout = {"started_at": day_in_week, "duration_min": 45, "type": "strength", "title": "Legs"}
        assert api.post("/workouts", workout, token=user.token).status == 201
        weight = {"measured_at": day_in_week, "weight": {"value": 81.2, "unit": "kg"}}
        assert api.post("/weights", weight, token=user.token).status == 201
    totals.poll()  # the summary reads the running totals the stream keeps
    run_at(api, due)
    [message] = mail_to(user.email)
    assert message["Subject"] == "Your week: 1 workout"
    body = message.get_payload(decode=True).decode()
    assert "Workouts: 1 (goal 3), 45 minutes" in body and "Weight: 81.2 kg" in body
    assert next_send(table, user, "weekly_summary") == due + timedelta(days=7)


def test_opted_out_users_cost_the_run_nothing(api, users, table, calls):
    """A run makes one Query per kind and shard, however many people exist or opted out."""
    for person in (users.create() for _ in range(3)):
        opt_in(api, person, reminders=False)
    calls.clear()
    run_at(api, clock.now() - timedelta(days=2))
    assert calls.calls.count("dynamodb.Query") == 2 * DUE_SHARDS
    assert set(calls.calls) == {"dynamodb.Query"}


def test_a_passing_ses_failure_is_retried_by_the_next_run(api, user, table, monkeypatch):
    from chalicelib import deps
    from chalicelib.adapters.ses_mailer import MailUnavailable

    opt_in(api, user, reminders=True)
    due = next_send(table, user, "email_reminders")
    today = due.astimezone(ZoneInfo("Europe/Paris")).date()
    api.post("/tasks", {"title": "Retry me", "due_date": today.isoformat()}, token=user.token)
    run_at(api, due - timedelta(days=3))  # builds the service
    mailer = deps.reminders()._mailer

    def unavailable(mail: Any) -> str:
        raise MailUnavailable("Throttling")

    monkeypatch.setattr(mailer, "send", unavailable)
    assert run_at(api, due)["failed"] == 1
    assert next_send(table, user, "email_reminders") == due  # released: still due
    monkeypatch.undo()
    assert run_at(api, due + timedelta(minutes=15))["sent"] == 1
    assert len(mail_to(user.email)) == 1


def test_an_address_ses_refuses_is_recorded_and_not_retried(api, users, table, local_aws):
    person = users.create()
    opt_in(api, person, reminders=True)
    due = next_send(table, person, "email_reminders")
    today = due.astimezone(ZoneInfo("Europe/Paris")).date()
    api.post("/tasks", {"title": "x", "due_date": today.isoformat()}, token=person.token)
    # SES refuses a sender that is not verified: a permanent refusal, as for a blocked address.
    ses = local_aws.client("ses")
    ses.delete_identity(Identity="reminders@stride.local")
    try:
        assert run_at(api, due)["rejected"] == 1
    finally:
        ses.verify_email_identity(EmailAddress="reminders@stride.local")
    run_at(api, due + timedelta(minutes=15))
    assert mail_to(person.email) == []
    [sent] = api.get("/me/export", token=person.token).body["emails_sent"]
    assert sent["status"] == "rejected"


# --- unsubscribing ------------------------------------------------------------------------------


def _reminded(api: Any, user: Any, table: Any, **prefs: Any) -> email.message.Message:
    opt_in(api, user, reminders=True, **prefs)
    due = next_send(table, user, "email_reminders")
    today = due.astimezone(ZoneInfo("Europe/Paris")).date()
    api.post("/tasks", {"title": "Plank", "due_date": today.isoformat()}, token=user.token)
    run_at(api, due)
    [message] = mail_to(user.email)
    return message


def test_the_emails_link_turns_that_one_preference_off_without_a_login(api, user, table):
    message = _reminded(api, user, table, summary=True)
    url = unsubscribe_url(message)
    assert url.startswith("http://127.0.0.1:8000/unsubscribe?token=")
    answer = api.get(f"/unsubscribe?token={token_of(url)}")
    assert answer.status == 200 and answer.body == {"unsubscribed": "email_reminders"}
    notifications = api.get("/me/preferences", token=user.token).body["notifications"]
    assert notifications == {"email_reminders": False, "weekly_summary": True}
    assert schedule_item(table, user, "email_reminders") is None
    assert schedule_item(table, user, "weekly_summary") is not None
    # Clicking twice is fine.
    assert api.get(f"/unsubscribe?token={token_of(url)}").status == 200


def test_one_click_post_from_a_mail_provider_unsubscribes(api, user, table):
    url = unsubscribe_url(_reminded(api, user, table))
    answer = api.request(
        "POST",
        f"/unsubscribe?token={token_of(url)}",
        raw=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert answer.status == 200, answer.body
    assert api.get("/me/preferences", token=user.token).body["notifications"]["email_reminders"] is False


@pytest.mark.parametrize(
    "token",
    ["", "nonsense", "eyJ1IjoieCJ9.AAAA", "a" * 600],
)
def test_a_bad_token_is_a_clear_400(api, token):
    answer = api.get(f"/unsubscribe?token={token}")
    assert answer.status == 400
    assert answer.body["error"]["code"] in ("invalid_unsubscribe_token", "validation_error")


def test_a_forged_or_expired_token_changes_nothing(api, user, table):
    url = unsubscribe_url(_reminded(api, user, table))
    payload, _, signature = token_of(url).partition(".")
    forged = f"{payload}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"
    answer = api.get(f"/unsubscribe?token={forged}")
    assert answer.status == 400 and answer.body["error"]["code"] == "invalid_unsubscribe_token"

    with clock.travel_by(timedelta(days=61)):
        answer = api.get(f"/unsubscribe?token={token_of(url)}")
    assert answer.status == 400 and answer.body["error"]["code"] == "unsubscribe_token_expired"
    assert api.get("/me/preferences", token=user.token).body["notifications"]["email_reminders"] is True


def test_a_cursor_cannot_be_replayed_as_an_unsubscribe_token(api, user):
    for _ in range(2):
        api.post("/tasks", {"title": "t"}, token=user.token)
    cursor = api.get("/tasks?limit=1", token=user.token).body["next_cursor"]
    answer = api.get(f"/unsubscribe?token={cursor}")
    assert answer.status == 400 and answer.body["error"]["code"] == "invalid_unsubscribe_token"


def test_account_deletion_removes_the_schedule_and_the_send_records(api, users, table, background):
    person = users.create()
    _reminded(api, person, table)
    assert api.request("DELETE", "/me", token=person.token).status == 202
    background.drain()
    query = table.query(
        TableName="stride-local",
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": home_partition(person.user_id)}},
    )
    assert query["Items"] == []


def test_a_day_already_sent_moves_the_schedule_on_instead_of_composing_again(api, user, table):
    """Moving to a zone where the same local day's morning is still ahead points the schedule at a
    day whose e-mail went already: the run skips it and moves on, once."""
    opt_in(api, user, reminders=True)
    due = next_send(table, user, "email_reminders")
    day = schedule_item(table, user, "email_reminders")["local_date"]["S"]
    api.post("/tasks", {"title": "Stretch", "due_date": day}, token=user.token)
    table.put_item(
        TableName="stride-local",
        Item={**sent_key(user.user_id, "email_reminders", day), "status": {"S": "sent"}},
    )
    assert run_at(api, due)["sent"] == 0
    assert mail_to(user.email) == []
    assert next_send(table, user, "email_reminders") == due + timedelta(days=1)


def _forget_schedule(table: Any, person: Any) -> None:
    """As preferences saved before e-mail was sent at all: no schedule items."""
    for kind in ("email_reminders", "weekly_summary"):
        key = {"PK": {"S": home_partition(person.user_id)}, "SK": {"S": f"NOTIFY#{kind}"}}
        table.delete_item(TableName="stride-local", Key=key)


def test_the_backfill_schedules_opt_ins_saved_before_email_existed(api, users, table, local_aws):
    from devtools.backfill_email_schedule import backfill

    early, never = users.create(), users.create()
    opt_in(api, early, reminders=True, summary=True)
    _forget_schedule(table, early)
    opt_in(api, never)
    dynamodb, cognito, pool = local_aws.client("dynamodb"), local_aws.client("cognito-idp"), os.environ["USER_POOL_ID"]

    seen, written = backfill(dynamodb, cognito, pool, "stride-local")
    assert seen >= 2 and written == 2
    assert schedule_item(table, early, "email_reminders") and schedule_item(table, early, "weekly_summary")
    assert schedule_item(table, never, "email_reminders") is None
    assert backfill(dynamodb, cognito, pool, "stride-local")[1] == 0  # run again: nothing new


def test_the_backfill_loses_to_preferences_saved_meanwhile(api, user, table, local_aws, monkeypatch):
    from chalicelib.domains.email.store import EmailSchedule
    from chalicelib.domains.me.preferences_service import PreferencesService
    from chalicelib.domains.me.preferences_store import PreferencesStore
    from chalicelib.identity import MEMBER, Identity, personal_tenant

    opt_in(api, user, reminders=True)
    _forget_schedule(table, user)
    store = PreferencesStore(local_aws.client("dynamodb"), "stride-local")
    read_before = store.get
    identity = Identity(user.user_id, user.email, personal_tenant(user.user_id), MEMBER)
    stale = read_before(identity)
    opt_in(api, user, reminders=False)  # turned off after the backfill read
    _forget_schedule(table, user)
    monkeypatch.setattr(store, "get", lambda _: stale)
    service = PreferencesService(store, lambda: EmailSchedule(local_aws.client("dynamodb"), "stride-local"))
    assert service.reschedule(identity) == 0
    assert schedule_item(table, user, "email_reminders") is None

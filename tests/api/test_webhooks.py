"""Webhooks: the routes, the limit of five under concurrency, SSRF refusals at registration and at
delivery, signed deliveries driven by the table's real (moto) stream, retries on the minute
schedule with a driven clock, disabling after 24 hours of failures, dead letters, export and
account deletion."""

from __future__ import annotations

import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib import clock as app_clock
from chalicelib import deps
from chalicelib.adapters import webhook_sender as webhook_delivery
from chalicelib.adapters.webhook_sender import UrlRefused, WebhookDelivery
from chalicelib.clock import now as app_now
from chalicelib.domains.webhooks import service as hooks_service
from chalicelib.domains.webhooks.schemas import URL_PATTERN, WebhookInput
from chalicelib.domains.webhooks.service import MAX_ATTEMPTS, WebhookService
from chalicelib.domains.webhooks.store import WebhookStore
from chalicelib.domains.webhooks.views import webhook_view
from chalicelib.errors import Conflict
from chalicelib.identity import Identity
from chalicelib.repositories.stream import change_of
from devtools.infra import stage_environment
from devtools.local_events import LocalInvoker, StreamPump
from tests.catalog import WORKOUT
from tests.conftest import LOCAL_TABLE, ROOT

EVENTS = ["workout.created"]
PUBLIC = "93.184.216.34"  # what the fake DNS answers for a public host


# A receiver on this machine (stage local allows http://127.0.0.1 for exactly this)


class Receiver:
    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.statuses: list[int] = []  # answered in turn; the last one repeats
        self.headers: dict[str, str] = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                status = receiver.statuses.pop(0) if len(receiver.statuses) > 1 else (receiver.statuses or [200])[0]
                self.send_response(status)
                for name, value in receiver.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            do_GET = do_POST

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/stride"
        # Stopping waits for the serving loop's next look (0.5 s by default) after every test.
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = Receiver()
    yield made
    made.close()


class Clock:
    def __init__(self) -> None:
        self.now = app_now().replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now


def fake_dns(table: dict[str, list[str]]):
    def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise UrlRefused("The host name does not resolve.", unresolvable=True)
        return table[host]

    return resolve


DNS = {
    "hooks.example.com": [PUBLIC],
    "internal.example.com": ["10.0.0.7"],
    "sneaky.example.com": [PUBLIC, "127.0.0.1"],
    "localhost": ["127.0.0.1", "::1"],
    "metadata.example.com": ["169.254.169.254"],
}


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def service(local_aws, monkeypatch, clock):
    """The app's webhook service with a fake DNS and a clock the test drives."""
    store = WebhookStore(local_aws.client("dynamodb"), LOCAL_TABLE)
    made = WebhookService(
        store, WebhookDelivery(allow_local_http=True, resolver=fake_dns(DNS)), webhook_view, change_of, clock
    )
    monkeypatch.setattr(deps, "webhooks", lambda: made)
    return made


@pytest.fixture
def invoker():
    import app

    return LocalInvoker(app.app, stage_environment("local"))


@pytest.fixture
def stream(local_aws, invoker):
    """The table's stream from now on: `stream.poll()` hands what is new to the app's handler."""
    return StreamPump(local_aws, LOCAL_TABLE, invoker.stream_batch, start="LATEST")


def add(api, user, url, events=EVENTS):
    return api.post("/me/webhooks", {"url": url, "events": events}, token=user.token)


def added(api, user, url, events=EVENTS):
    answer = add(api, user, url, events)
    assert answer.status == 201, answer.body
    return answer.body


def listed(api, user):
    answer = api.get("/me/webhooks", token=user.token)
    assert answer.status == 200, answer.body
    return answer.body["items"]


# The documented verification example (docs/api.md), run as written


def readme_verifier():
    text = (ROOT / "docs" / "api.md").read_text()
    [code] = re.findall(r"<!-- webhook-verify:start -->\n```python\n(.*?)```\n<!-- webhook-verify:end -->", text, re.S)
    assert len(code.strip().splitlines()) <= 14, "docs/api.md promises a short example"
    namespace: dict = {}
    exec(compile(code, "docs/api.md", "exec"), namespace)  # noqa: S102 (our own documented example)
    # The receiver lives at the app's "now" (the suite may move the app's clock; see tests/conftest.py).
    namespace["time"] = SimpleNamespace(time=app_clock.epoch)
    return namespace["verify"]


# Routes


def test_a_webhook_is_created_with_its_secret_shown_once(api, user, receiver):
    created = added(api, user, receiver.url, ["workout.created", "task.completed"])
    assert created["secret"].startswith("whsec_") and len(created["secret"]) > 40
    assert created["url"] == receiver.url
    assert created["events"] == ["workout.created", "task.completed"]
    assert created["status"] == "active"
    assert created["version"] == 1
    [shown] = listed(api, user)
    assert shown == {key: value for key, value in created.items() if key != "secret"}
    assert "secret" not in json.dumps(api.get("/me/export", token=user.token).body["webhooks"])


def test_a_webhook_is_deleted(api, user, receiver):
    created = added(api, user, receiver.url)
    assert api.request("DELETE", f"/me/webhooks/{created['id']}", token=user.token).status == 204
    assert listed(api, user) == []
    again = api.request("DELETE", f"/me/webhooks/{created['id']}", token=user.token)
    assert again.status == 404 and again.body["error"]["code"] == "not_found"
    assert api.request("DELETE", "/me/webhooks/not-an-id", token=user.token).status == 404


def test_another_users_webhook_is_not_found(api, user, other_user, receiver):
    created = added(api, user, receiver.url)
    assert api.request("DELETE", f"/me/webhooks/{created['id']}", token=other_user.token).status == 404
    assert listed(api, other_user) == []
    assert [hook["id"] for hook in listed(api, user)] == [created["id"]]


def test_a_sixth_webhook_is_refused_until_one_is_deleted(api, user, receiver):
    made = [added(api, user, f"{receiver.url}/{number}") for number in range(5)]
    refused = add(api, user, receiver.url)
    assert refused.status == 409
    assert refused.body["error"]["code"] == "webhook_limit"
    assert refused.body["error"]["details"] == {"limit": 5}
    assert api.request("DELETE", f"/me/webhooks/{made[0]['id']}", token=user.token).status == 204
    added(api, user, receiver.url)
    assert len(listed(api, user)) == 5


def test_concurrent_creates_never_pass_the_limit(api, user, receiver):
    identity = Identity(user.user_id, user.email, f"personal-{user.user_id}", "member")
    added(api, user, receiver.url)  # warms the service (settings, clients) before the threads
    service = deps.webhooks()

    def create(number: int) -> str:
        try:
            service.create(identity, {"url": f"{receiver.url}/{number}", "events": EVENTS})
            return "created"
        except Conflict:
            return "refused"

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(create, range(8)))
    assert outcomes.count("created") == 4 and outcomes.count("refused") == 4
    assert len(listed(api, user)) == 5


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "http://hooks.example.com/x", "events": EVENTS}, "url"),
        ({"url": "ftp://hooks.example.com/x", "events": EVENTS}, "url"),
        ({"url": "https://user:secret@hooks.example.com/x", "events": EVENTS}, "url"),
        ({"url": "https://hooks.example.com/x#part", "events": EVENTS}, "url"),
        ({"url": "https://", "events": EVENTS}, "url"),
        ({"url": "http://127.0.0.2/x", "events": EVENTS}, "url"),
        ({"url": "https://hooks.example.com/" + "a" * 2100, "events": EVENTS}, "url"),
        ({"url": 7, "events": EVENTS}, "url"),
        ({"url": "https://hooks.example.com/x", "events": []}, "events"),
        ({"url": "https://hooks.example.com/x", "events": ["workout.exploded"]}, "events"),
        ({"url": "https://hooks.example.com/x", "events": ["task.completed", "task.completed"]}, "events"),
        ({"url": "https://hooks.example.com/x", "events": "workout.created"}, "events"),
        ({"url": "https://hooks.example.com/x"}, "events"),
        ({"url": "https://hooks.example.com/x", "events": EVENTS, "secret": "mine"}, "secret"),
    ],
)
def test_a_bad_url_or_event_list_is_a_400_naming_the_field(api, user, service, body, field):
    answer = api.post("/me/webhooks", body, token=user.token)
    assert answer.status == 400, answer.body
    assert answer.body["error"]["code"] == "validation_error"
    assert field in answer.body["error"]["details"]
    assert listed(api, user) == []


SSRF = [
    "https://localhost/hook",
    "https://127.0.0.1/hook",
    "https://2130706433/hook",
    "https://0x7f.1/hook",
    "https://0177.0.0.1/hook",
    "https://127.1/hook",
    "https://[::1]/hook",
    "https://[::ffff:127.0.0.1]/hook",
    "https://[::ffff:a9fe:a9fe]/hook",
    "https://[64:ff9b::a00:1]/hook",
    "https://[2002:a00:1::]/hook",
    "https://0.0.0.0/hook",
    "https://[::]/hook",
    "https://10.1.2.3/hook",
    "https://172.16.0.1/hook",
    "https://192.168.1.1/hook",
    "https://100.64.0.1/hook",
    "https://169.254.169.254/latest/meta-data/",
    "https://[fd00:ec2::254]/latest/meta-data/",
    "https://[fe80::1]/hook",
    "https://224.0.0.1/hook",
    "https://240.0.0.1/hook",
    "https://[fec0::1]/hook",
    "https://192.88.99.1/hook",
    "https://internal.example.com/hook",
    "https://metadata.example.com/hook",
    "https://sneaky.example.com/hook",
    "https://[/hook",
]


@pytest.mark.parametrize("url", SSRF)
def test_every_address_webhooks_may_not_reach_is_refused(api, user, service, url):
    answer = add(api, user, url)
    assert answer.status == 422, answer.body
    assert answer.body["error"]["code"] == "url_not_allowed"
    assert answer.body["error"]["details"]["url"]
    assert listed(api, user) == []


def test_a_host_that_does_not_resolve_is_a_422(api, user, service):
    answer = add(api, user, "https://nowhere.example.net/hook")
    assert answer.status == 422
    assert answer.body["error"]["code"] == "url_unresolvable"


def test_a_name_whose_dns_answers_too_slowly_is_unresolvable_not_a_hung_request(monkeypatch):
    import threading

    from chalicelib.adapters import webhook_sender as webhook_delivery

    release = threading.Event()
    monkeypatch.setattr(webhook_delivery, "RESOLVE_TIMEOUT_SECONDS", 0.2)
    monkeypatch.setattr(webhook_delivery.socket, "getaddrinfo", lambda *args, **kwargs: release.wait(5) or [])
    try:
        with pytest.raises(UrlRefused) as refused:
            webhook_delivery.system_resolver("slow.example.com", 443)
        assert refused.value.unresolvable
    finally:
        release.set()


def test_a_public_host_is_accepted(api, user, service):
    assert added(api, user, "https://hooks.example.com:8443/stride?source=x")["status"] == "active"


def test_plain_http_to_this_machine_is_refused_outside_stage_local():
    delivery = WebhookDelivery(allow_local_http=False, resolver=fake_dns(DNS))
    with pytest.raises(UrlRefused, match="Only https"):
        delivery.check("http://127.0.0.1:8000/hook")


# Delivery


def test_a_new_workout_is_delivered_signed_with_the_item_as_the_api_returns_it(api, user, receiver, stream):
    hook = added(api, user, receiver.url, ["workout.created", "weight.created"])
    workout = api.post("/workouts", WORKOUT, token=user.token).body

    assert stream.poll() >= 1
    [delivery] = receiver.requests
    headers, body = delivery["headers"], delivery["body"]
    assert delivery["path"] == "/hooks/stride"
    event = json.loads(body)
    assert event["type"] == "workout.created"
    assert event["data"] == workout
    assert event["id"].startswith("evt_")
    assert set(event) == {"id", "type", "created_at", "data"}
    assert headers["Stride-Event-Id"] == event["id"]
    assert headers["Stride-Event-Type"] == "workout.created"
    assert headers["Stride-Delivery-Attempt"] == "1"
    assert headers["Content-Type"] == "application/json"
    verify = readme_verifier()
    assert verify(hook["secret"], headers["Stride-Signature"], body) is True


def test_a_forged_or_replayed_delivery_is_detected(api, user, receiver, stream):
    hook = added(api, user, receiver.url)
    api.post("/workouts", WORKOUT, token=user.token)
    stream.poll()
    [delivery] = receiver.requests
    signature, body = delivery["headers"]["Stride-Signature"], delivery["body"]
    verify = readme_verifier()

    assert verify(hook["secret"], signature, body)
    assert not verify(hook["secret"], signature, body.replace(b'"Run"', b'"Rum"'))  # body changed
    assert not verify("whsec_someone-else", signature, body)  # not signed with the secret
    timestamp = int(signature.split(",")[0][2:])
    forged = hooks_service.sign("whsec_guess", timestamp, body)
    assert not verify(hook["secret"], forged, body)
    old = hooks_service.sign(hook["secret"], timestamp - 301, body)
    assert not verify(hook["secret"], old, body)  # a replay past five minutes
    assert not verify(hook["secret"], "v1=abc", body)


def test_only_subscribed_events_of_the_owner_are_delivered(api, user, other_user, receiver, stream):
    added(api, user, receiver.url, ["task.completed"])
    task = api.post("/tasks", {"title": "Stretch"}, token=user.token).body
    api.post("/tasks", {"title": "Theirs", "done": True}, token=other_user.token)
    api.post("/workouts", WORKOUT, token=user.token)
    api.patch(f"/tasks/{task['id']}", {"done": True}, token=user.token)
    stream.poll()
    assert [json.loads(r["body"])["type"] for r in receiver.requests] == ["task.completed"]
    assert json.loads(receiver.requests[0]["body"])["data"]["id"] == task["id"]


def test_changes_and_deletions_are_events_too(api, user, receiver, stream):
    events = ["weight.created", "weight.updated", "weight.deleted", "task.created", "task.updated"]
    added(api, user, receiver.url, events)
    api.put("/me/preferences", {"units": "imperial"}, token=user.token)
    kilos = {"measured_at": "2026-01-05", "weight": {"value": 80, "unit": "kg"}}
    weight = api.post("/weights", kilos, token=user.token)
    api.patch(f"/weights/{weight.body['id']}", {"note": "after run"}, token=user.token)
    api.request("DELETE", f"/weights/{weight.body['id']}", token=user.token)
    task = api.post("/tasks", {"title": "Stretch"}, token=user.token).body
    api.patch(f"/tasks/{task['id']}", {"title": "Stretch more"}, token=user.token)
    stream.poll()
    received = [json.loads(r["body"]) for r in receiver.requests]
    assert [event["type"] for event in received] == events
    assert received[0]["data"] == weight.body
    assert received[0]["data"]["weight"]["unit"] == "lb"  # in the owner's units, as the API shows it
    assert received[2]["data"]["note"] == "after run"  # a deletion carries the item as it was
    assert len({event["id"] for event in received}) == len(events)


def test_a_stream_batch_delivered_twice_carries_the_same_event_ids(api, user, receiver, invoker, local_aws):
    added(api, user, receiver.url)
    batches = []
    pump = StreamPump(local_aws, LOCAL_TABLE, batches.append, start="LATEST")
    api.post("/workouts", WORKOUT, token=user.token)
    api.post("/workouts", {**WORKOUT, "title": "Second"}, token=user.token)
    pump.poll()
    batch = [record for delivered in batches for record in delivered]
    first_record, second_record = batch
    invoker.stream_batch([first_record])
    invoker.stream_batch([first_record])  # Lambda retrying the batch: the receiver dedupes by id
    first, second = receiver.requests
    assert first["headers"]["Stride-Event-Id"] == second["headers"]["Stride-Event-Id"]
    assert first["body"] == second["body"]

    receiver.statuses = [500]
    invoker.stream_batch([second_record])
    invoker.stream_batch([second_record])  # the webhook is failing now: the retry waits for the schedule
    assert len(receiver.requests) == 3
    pending = _items(local_aws, user, "WEBHOOKDELIVERY#")
    assert len(pending) == 1  # waiting once for its retry, not twice


def test_one_bad_record_does_not_stop_the_batch(api, user, receiver, invoker, local_aws, capsys):
    added(api, user, receiver.url)
    batches = []
    pump = StreamPump(local_aws, LOCAL_TABLE, batches.append, start="LATEST")
    api.post("/workouts", WORKOUT, token=user.token)
    pump.poll()
    good = batches[0][-1]
    broken = {key: value for key, value in good.items() if key != "eventName"}  # cannot be read
    answer = invoker.invoke("webhook_stream", {"Records": [broken, good]})
    assert answer == {"batchItemFailures": []}
    assert len(receiver.requests) == 1
    [dead] = _items(local_aws, user, "WEBHOOKDEAD#")
    assert "could not be turned into an event" in dead["last_error"]["S"]
    assert "webhook_record_failed" in capsys.readouterr().out


def test_an_aws_failure_reports_the_record_for_lambda_to_retry(api, user, receiver, service, local_aws):
    added(api, user, receiver.url)
    from botocore.exceptions import ClientError

    class Unavailable:
        def list(self, user_id):
            raise ClientError({"Error": {"Code": "ServiceUnavailable", "Message": "down"}}, "Query")

    service._store = Unavailable()
    batches = []
    pump = StreamPump(local_aws, LOCAL_TABLE, batches.append, start="LATEST")
    api.post("/workouts", WORKOUT, token=user.token)
    pump.poll()
    [record] = batches[0][-1:]
    answer = service.on_stream([record], lambda: 60_000)
    assert answer == {"batchItemFailures": [{"itemIdentifier": record["dynamodb"]["SequenceNumber"]}]}


def test_a_redirect_is_not_followed(receiver):
    receiver.statuses = [302]
    receiver.headers = {"Location": "http://127.0.0.1:1/elsewhere"}
    outcome = WebhookDelivery(allow_local_http=True).send(receiver.url, b"{}", {})
    assert not outcome.delivered
    assert outcome.status == 302 and "redirects are not followed" in outcome.error
    assert len(receiver.requests) == 1


def test_a_slow_receiver_times_out_quickly():
    import socket
    import time

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts the connection, never answers
    try:
        delivery = WebhookDelivery(allow_local_http=True, connect_timeout=0.5, total_timeout=0.5)
        started = time.monotonic()
        outcome = delivery.send(f"http://127.0.0.1:{silent.getsockname()[1]}/", b"{}", {})
        assert time.monotonic() - started < 2.5
        assert not outcome.delivered and outcome.error == "timed out"
    finally:
        silent.close()


def test_the_address_is_checked_again_at_delivery_and_the_connection_pinned():
    answers = iter([[PUBLIC], ["10.0.0.9"]])
    delivery = WebhookDelivery(resolver=lambda host, port: next(answers))
    target = delivery.check("https://hooks.example.com/x")
    connection = delivery._connection(target)
    assert (connection.host, connection._address) == ("hooks.example.com", PUBLIC)  # Host and SNI: the name
    # The name now resolves to a private address (DNS rebinding): refused before any connection.
    outcome = delivery.send("https://hooks.example.com/x", b"{}", {})
    assert not outcome.delivered and "private address" in outcome.error


def test_stage_local_sends_nothing_beyond_this_machine():
    delivery = WebhookDelivery(allow_local_http=True, local_only=True, resolver=fake_dns(DNS))
    outcome = delivery.send("https://hooks.example.com/x", b"{}", {})
    assert not outcome.delivered and "127.0.0.1 only" in outcome.error


def test_an_unreachable_receiver_is_a_failure_not_an_error():
    outcome = WebhookDelivery(allow_local_http=True).send("http://127.0.0.1:1/", b"{}", {})
    assert not outcome.delivered and outcome.error == "connection refused"
    assert webhook_delivery.system_resolver("127.0.0.1", 443) == ["127.0.0.1"]
    with pytest.raises(UrlRefused):
        webhook_delivery.system_resolver("nowhere.invalid", 443)


# Retries, dead letters, disabling


def _items(local_aws, user, prefix):
    """The user's items whose sort key starts with `prefix` (all of them for "")."""
    partition = {":pk": {"S": f"TENANT#personal-{user.user_id}#USER#{user.user_id}"}}
    if not prefix:
        query = {"KeyConditionExpression": "PK = :pk", "ExpressionAttributeValues": partition}
    else:
        query = {
            "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
            "ExpressionAttributeValues": {**partition, ":prefix": {"S": prefix}},
        }
    return local_aws.client("dynamodb").query(TableName=LOCAL_TABLE, **query)["Items"]


def _run_schedule_at(clock, invoker, when):
    clock.now = when
    invoker.scheduled()


def test_a_failing_receiver_is_retried_with_backoff_then_dead_lettered_and_disabled(
    api, user, receiver, service, clock, stream, invoker, local_aws
):
    receiver.statuses = [500]
    hook = added(api, user, receiver.url)
    api.post("/workouts", WORKOUT, token=user.token)
    stream.poll()
    started = clock.now
    [failing] = listed(api, user)
    assert failing["status"] == "active" and failing["last_error"] == "HTTP 500"
    assert failing["failing_since"] == started.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    _run_schedule_at(clock, invoker, started + timedelta(seconds=30))  # not due yet
    assert len(receiver.requests) == 1
    waits = list(hooks_service.BACKOFF_SECONDS)
    when = started
    for wait in waits:
        when += timedelta(seconds=wait + 1)
        _run_schedule_at(clock, invoker, when)
    assert len(receiver.requests) == MAX_ATTEMPTS == 8
    assert [r["headers"]["Stride-Delivery-Attempt"] for r in receiver.requests] == [str(n) for n in range(1, 9)]
    assert len({r["body"] for r in receiver.requests}) == 1  # the same event each time
    assert when - started > timedelta(hours=24)

    [disabled] = listed(api, user)
    assert disabled["status"] == "disabled"
    assert "24 hours" in disabled["disabled_reason"]
    assert disabled["disabled_at"]
    assert _items(local_aws, user, "WEBHOOKDELIVERY#") == []
    export = api.get("/me/export", token=user.token).body
    [dead] = export["webhook_dead_letters"]
    assert dead["webhook_id"] == hook["id"] and dead["attempts"] == 8 and dead["last_error"] == "HTTP 500"
    assert dead["event"]["type"] == "workout.created"

    # Disabled: nothing more is sent.
    api.post("/workouts", WORKOUT, token=user.token)
    stream.poll()
    _run_schedule_at(clock, invoker, when + timedelta(hours=1))
    assert len(receiver.requests) == 8


def test_a_success_clears_the_failure_and_a_late_retry_still_delivers(
    api, user, receiver, service, clock, stream, invoker, local_aws
):
    receiver.statuses = [503, 200]
    added(api, user, receiver.url)
    api.post("/workouts", WORKOUT, token=user.token)
    stream.poll()
    assert listed(api, user)[0]["failing_since"]
    # The schedule missed a few runs: the catch-up window still finds the delivery.
    _run_schedule_at(clock, invoker, clock.now + timedelta(minutes=9))
    assert len(receiver.requests) == 2
    [healthy] = listed(api, user)
    assert healthy["status"] == "active"
    assert "failing_since" not in healthy and "last_error" not in healthy
    assert _items(local_aws, user, "WEBHOOKDELIVERY#") == []


def test_a_retry_missed_for_hours_is_still_made_by_the_next_run(
    api, user, receiver, service, clock, stream, invoker, local_aws
):
    """The schedule reads everything due, not a recent window: an outage of the retry function
    (or a backlog) delays retries, it never strands them."""
    receiver.statuses = [500, 200]
    added(api, user, receiver.url)
    api.post("/workouts", WORKOUT, token=user.token)
    stream.poll()
    assert len(receiver.requests) == 1
    _run_schedule_at(clock, invoker, clock.now + timedelta(hours=3))
    assert len(receiver.requests) == 2 and receiver.requests[1]["headers"]["Stride-Delivery-Attempt"] == "2"
    assert _items(local_aws, user, "WEBHOOKDELIVERY#") == []


def test_a_delivery_waiting_for_a_deleted_or_disabled_webhook_is_dropped_or_dead_lettered(
    api, user, receiver, service, clock, stream, invoker, local_aws
):
    receiver.statuses = [500]
    first = added(api, user, receiver.url)
    second = added(api, user, receiver.url + "/2")
    api.post("/workouts", WORKOUT, token=user.token)
    stream.poll()
    assert len(_items(local_aws, user, "WEBHOOKDELIVERY#")) == 2
    api.request("DELETE", f"/me/webhooks/{first['id']}", token=user.token)
    assert service._store.disable(user.user_id, second["id"], "9999", "2026-01-01T00:00:00.000Z", "test")
    _run_schedule_at(clock, invoker, clock.now + timedelta(minutes=2))
    assert len(receiver.requests) == 2  # nothing more was sent
    assert _items(local_aws, user, "WEBHOOKDELIVERY#") == []
    [dead] = _items(local_aws, user, "WEBHOOKDEAD#")
    assert dead["webhook_id"]["S"] == second["id"] and dead["last_error"]["S"] == "The webhook is disabled."


def test_a_stream_invocation_short_of_time_leaves_the_attempt_to_the_schedule(
    api, user, receiver, service, clock, local_aws, invoker
):
    added(api, user, receiver.url)
    batches = []
    pump = StreamPump(local_aws, LOCAL_TABLE, batches.append, start="LATEST")
    api.post("/workouts", WORKOUT, token=user.token)
    pump.poll()
    service.on_stream(batches[0], lambda: 1000)
    assert receiver.requests == []
    [pending] = _items(local_aws, user, "WEBHOOKDELIVERY#")
    assert pending["attempts"]["N"] == "0"
    _run_schedule_at(clock, invoker, clock.now + timedelta(seconds=5))
    assert len(receiver.requests) == 1
    assert receiver.requests[0]["headers"]["Stride-Delivery-Attempt"] == "1"


def test_the_secret_never_reaches_the_logs(api, user, receiver, stream, capsys):
    hook = added(api, user, receiver.url)
    receiver.statuses = [500]
    api.post("/workouts", WORKOUT, token=user.token)
    stream.poll()
    output = capsys.readouterr()
    assert hook["secret"] not in output.out + output.err
    assert "webhook_delivery" in output.out


# Your data


def test_export_holds_webhooks_without_secrets_and_deletion_removes_everything(
    api, users, receiver, stream, local_aws, background
):
    person = users.create()
    hook = added(api, person, receiver.url)
    receiver.statuses = [500]
    api.post("/workouts", WORKOUT, token=person.token)
    stream.poll()
    export = api.get("/me/export", token=person.token).body
    [exported] = export["webhooks"]
    assert exported["id"] == hook["id"] and "secret" not in exported
    [waiting] = export["webhook_deliveries"]
    assert waiting["webhook_id"] == hook["id"] and waiting["attempts"] == 1
    assert hook["secret"] not in json.dumps(export)

    assert api.request("DELETE", "/me", token=person.token).status == 202

    background.drain()
    for prefix in ("WEBHOOK", "WEBHOOKS", "WEBHOOKDELIVERY#", "WEBHOOKDEAD#", ""):
        assert _items(local_aws, person, prefix) == []


def test_deleting_the_account_posts_none_of_its_data_anywhere(api, users, receiver, stream, background):
    """An erasure's own deletions are stream events; the webhooks go first, so none is delivered."""
    person = users.create()
    added(api, person, receiver.url, events=["task.deleted", "weight.deleted", "workout.deleted"])
    api.post("/tasks", {"title": "Private thing"}, token=person.token)
    api.post("/workouts", WORKOUT, token=person.token)
    stream.poll()
    deleted: list[str] = []  # sort keys, in the order the deletion sends them

    def record(params, **_):
        for requests in params["RequestItems"].values():
            deleted.extend(request["DeleteRequest"]["Key"]["SK"]["S"] for request in requests)

    events = deps.aws_client("dynamodb").meta.events
    events.register("provide-client-params.dynamodb.BatchWriteItem", record)
    try:
        assert api.request("DELETE", "/me", token=person.token).status == 202
        background.drain()
    finally:
        events.unregister("provide-client-params.dynamodb.BatchWriteItem", record)
    # In AWS the stream handler runs while the deletion goes on: the webhooks must be gone before
    # the first tracked item is.
    first_data = min(index for index, key in enumerate(deleted) if key.startswith(("TASK#", "WORKOUT#")))
    assert max(index for index, key in enumerate(deleted) if key.startswith("WEBHOOK#")) < first_data
    stream.poll()
    assert receiver.requests == []


def test_the_service_refuses_what_the_limit_forbids_with_a_clear_message(api, user, receiver):
    for number in range(5):
        added(api, user, f"{receiver.url}/{number}")
    answer = add(api, user, receiver.url)
    assert "delete one first" in answer.body["error"]["message"]


def test_the_documented_example_is_there_once():
    assert Path(ROOT / "docs" / "api.md").read_text().count("<!-- webhook-verify:start -->") == 1


@settings(max_examples=300, deadline=None)
@given(st.from_regex(URL_PATTERN, fullmatch=True).filter(lambda url: len(url) <= 2048))
def test_a_url_the_published_pattern_allows_passes_the_schema_and_is_then_accepted_or_a_422(url):
    # The fuzzer's ST202: a schema-valid URL is never a 400, and checking it never raises anything else.
    assert WebhookInput().load({"url": url, "events": EVENTS})["url"] == url
    try:
        WebhookDelivery(resolver=fake_dns(DNS)).check(url)
    except UrlRefused as refused:
        assert refused.reason


def test_the_local_pump_keeps_reading_after_a_cancelled_transaction(api, user, receiver, stream):
    # moto puts back a copy of the table when a transaction is cancelled: the pump must read the copy's stream.
    for number in range(5):
        added(api, user, f"{receiver.url}/{number}")
    assert add(api, user, receiver.url).status == 409  # a cancelled transaction
    stream.poll()
    api.post("/workouts", WORKOUT, token=user.token)
    assert stream.poll() >= 1
    assert len(receiver.requests) == 5


def test_a_workout_from_an_activity_file_is_delivered_with_its_summary_not_its_track(api, user, receiver, stream):
    from tests.api.test_activities import gpx

    added(api, user, receiver.url, ["workout.created"])
    answer = api.request(
        "POST", "/workouts/files", token=user.token, raw=gpx(), headers={"Content-Type": "application/gpx+xml"}
    )
    assert answer.status == 201, answer.body

    assert stream.poll() >= 1
    [delivery] = receiver.requests
    event = json.loads(delivery["body"])
    assert event["type"] == "workout.created"
    assert event["data"] == answer.body
    assert event["data"]["distance_m"] > 0 and event["data"]["splits"]
    assert len(delivery["body"]) < 10_000  # the figures and splits, not 500 points
    assert not {"track", "coordinates", "file_sha256"} & set(event["data"])

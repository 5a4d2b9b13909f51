"""The fast suite: the app through Chalice's test client, on moto's server running in-process
and provisioned from infra/ exactly as `make run` provisions it."""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Correct-Horse-9-Battery"
# The thread the local Cognito hands its CloudTrail events to the app's rules on.
CLOUDTRAIL_THREAD = "stride-cloudtrail"
# The machine's zone, kept before --time-zone moves this process ("" when TZ is unset), for the
# end-to-end stack and browser. In the environment, since xdist's workers start from the
# controller's, which has moved already.
os.environ.setdefault("STRIDE_MACHINE_TZ", os.environ.get("TZ", ""))
LOCAL_TABLE = json.loads((ROOT / ".chalice" / "config.json").read_text())["stages"]["local"]["environment_variables"][
    "TABLE_NAME"
]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--clock-shift-days",
        type=float,
        default=0.0,
        help="Run the app's clock this many days (fractions too) away from today: the suite passes at any date.",
    )
    parser.addoption(
        "--time-zone",
        default=None,
        help="Run the tests in this TZ (e.g. Pacific/Kiritimati): nothing may depend on the machine's zone.",
    )


def pytest_configure(config: pytest.Config) -> None:
    from chalicelib import clock

    clock.set_offset(timedelta(days=config.getoption("--clock-shift-days")))
    if zone := config.getoption("--time-zone"):
        _set_zone(zone)


def _set_zone(zone: str | None) -> None:
    if zone is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = zone
    time.tzset()


@contextmanager
def at_the_machines_date_and_zone() -> Iterator[None]:
    """The end-to-end tests talk to a stack and a browser in other processes, on the machine's
    clock and zone: the shift options move the unit and API suites only, so these tests and
    the processes they start stay on the machine's."""
    from chalicelib import clock

    offset, zone = clock.offset(), os.environ.get("TZ")
    clock.set_offset(timedelta(0))
    _set_zone(_machine_zone())
    try:
        yield
    finally:
        clock.set_offset(offset)
        _set_zone(zone)


def machine_environment() -> dict[str, str]:
    """os.environ as the machine set it, for a process an end-to-end test starts."""
    environment = {key: value for key, value in os.environ.items() if key != "TZ"}
    zone = _machine_zone()
    return environment | ({"TZ": zone} if zone is not None else {})


def _machine_zone() -> str | None:
    return os.environ["STRIDE_MACHINE_TZ"] or None


def pytest_report_header(config: pytest.Config) -> str:
    from chalicelib import clock

    return f"the app's clock: {clock.utc_now()} (shifted by {clock.offset()}), TZ={os.environ.get('TZ', '')}"


@pytest.hookimpl(tryfirst=True)  # before xdist's own, which reads the groups into the test ids
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """For `--dist loadgroup`: a test module runs on one worker (its module fixtures are built
    once), and every end-to-end test on the same one (one stack); those go first, as they are
    the longest group."""
    for item in items:
        group = "e2e" if item.get_closest_marker("e2e") else item.nodeid.partition("::")[0]
        if "packaged" in getattr(item, "fixturenames", ()):
            group = "package"  # one packaging of each stage (tests/unit/conftest.py)
            item.add_marker(pytest.mark.package)
        item.add_marker(pytest.mark.xdist_group(group))
    items.sort(key=lambda item: item.get_closest_marker("e2e") is None)


def pytest_xdist_node_collection_finished(node: Any, ids: list[str]) -> None:
    """pytest 9.2 keeps a test's id where pytest-xdist 3.8 no longer appends the group: every test
    was scheduled alone, two stacks ran at once, and nothing said so. Now such a run stops."""
    ungrouped = next((nodeid for nodeid in ids if "@" not in nodeid), None)
    if node.config.getoption("dist") == "loadgroup" and ungrouped is not None:
        pytest.exit(
            f"pytest-xdist did not group {ungrouped} (pytest {pytest.__version__}): keep pytest at a "
            "version whose test ids xdist's loadgroup can extend (requirements-dev.txt)",
            returncode=3,
        )


class AwsCalls:
    """Every AWS call the app makes, as "service.Operation", recorded through botocore's hooks."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.scans: list[str] = []

    def record(self, model: Any, **_: Any) -> None:
        if threading.current_thread().name == CLOUDTRAIL_THREAD:
            return  # another function's calls (the sign-in notices), made after the request, on their own
        name = f"{model.service_model.service_name}.{model.name}"
        if model.name == "Scan":
            self.scans.append(name)
        self.calls.append(name)

    def clear(self) -> None:
        self.calls.clear()


@pytest.fixture(scope="session")
def local_aws() -> Iterator[Any]:
    from chalicelib import deps
    from devtools.infra import stage_environment
    from devtools.local_aws import LocalAws, free_port

    aws = LocalAws(free_port())
    aws.start()
    aws.serve_in_process(deps.aws_session().events)
    environment = aws.provision("local")
    os.environ.update(environment)
    import app as stride

    # moto runs no Cognito trigger; the local Cognito runs the app's, as the deployed pool does.
    aws.run_triggers(stride.app, {**stage_environment("local"), **environment})
    yield aws
    aws.stop()


class BackgroundJobs:
    """The background worker as the local stack runs it: the template's rules put events and
    schedules on the jobs queue, `drain` runs the app's queue handler until the queue is empty."""

    def __init__(self, local_aws: Any):
        import app as stride
        from devtools.infra import stage_environment
        from devtools.local_events import LocalInvoker, LocalRules, QueuePump

        self.rules = LocalRules(local_aws)
        self.pump = QueuePump(local_aws, LocalInvoker(stride.app, stage_environment("local")))
        # User deletions in the local Cognito reach the rules, as CloudTrail's events do deployed.
        local_aws.cognito.publish = self.rules.publish

    def drain(self) -> int:
        """Runs every queued job (and what they queue) to the end; a job's failure is raised."""
        return self.pump.drain()


@pytest.fixture(scope="session")
def background(local_aws: Any) -> BackgroundJobs:
    return BackgroundJobs(local_aws)


@pytest.fixture(scope="session")
def aws_calls(local_aws: Any) -> AwsCalls:
    from chalicelib import deps

    recorder = AwsCalls()
    # Registered on the session before the app makes any client, so every client inherits it.
    deps.aws_session().events.register("before-call", recorder.record)
    return recorder


@pytest.fixture(autouse=True)
def no_scan(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fails any test during which the app called Scan, whatever status the request got."""
    yield
    if "aws_calls" in request.fixturenames:
        recorder = request.getfixturevalue("aws_calls")
        scans, recorder.scans[:] = list(recorder.scans), []
        assert not scans, "DynamoDB Scan called: Stride queries, it never scans"


@pytest.fixture
def calls(aws_calls: AwsCalls) -> AwsCalls:
    aws_calls.clear()
    return aws_calls


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: Any


class Api:
    """Chalice's test client with JSON in and out. Each request returns once what Cognito recorded
    for it reached the app's rules (`settle`): CloudTrail is late by design, and a test writing
    straight to the table next must not have a late sign-in notice write over it."""

    def __init__(self, client: Any, settle: Callable[[], bool]):
        self._client = client
        self._settle = settle

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
    ) -> Answer:
        sent = {"Content-Type": "application/json"} if body is not None or raw is not None else {}
        if token:
            sent["Authorization"] = token
        sent.update(headers or {})
        payload = raw if raw is not None else (json.dumps(body).encode() if body is not None else b"")
        response = getattr(self._client.http, method.lower())(path, headers=sent, body=payload)
        assert self._settle(), "CloudTrail's events of the request were not handled within 10 s"
        text = response.body.decode() if response.body else ""
        headers = dict(response.headers)
        if text and not headers.get("Content-Type", "application/json").startswith("application/json"):
            return Answer(response.status_code, headers, text)  # a file (a GPX track): as it is
        return Answer(response.status_code, headers, json.loads(text) if text else None)

    def get(self, path: str, **kwargs: Any) -> Answer:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> Answer:
        return self.request("POST", path, body, **kwargs)

    def put(self, path: str, body: Any = None, **kwargs: Any) -> Answer:
        return self.request("PUT", path, body, **kwargs)

    def patch(self, path: str, body: Any = None, **kwargs: Any) -> Answer:
        return self.request("PATCH", path, body, **kwargs)


def _dumped_as_its_schema_dumps(dump: Any, mismatches: list[str]) -> Any:
    """The responses' dump, checked on every response the suite sees: where a response schema has a
    shape (chalicelib.api.responses), the shape's body is the schema's own, key for key, in order.
    A difference fails the request (a 500) and is kept for the session's end, so a test that
    tolerates a failed request cannot hide it."""
    from chalicelib.api import responses

    def checked(response: str, result: Any) -> Any:
        body = dump(response, result)
        if responses.shape(response) is not None:
            shaped, expected = (
                json.dumps(value, default=repr) for value in (body, responses.schema(response).dump(result))
            )
            if shaped != expected:
                mismatches.append(f"{response}: shape {shaped} != schema {expected}")
                raise AssertionError(mismatches[-1])
        return body

    return checked


@pytest.fixture(scope="session")
def api(local_aws: Any, aws_calls: AwsCalls) -> Iterator[Api]:
    from chalice.local import LocalChalice
    from chalice.test import Client

    import app
    from chalicelib.api import responses

    mismatches: list[str] = []
    responses.dump = _dumped_as_its_schema_dumps(responses.dump, mismatches)  # type: ignore[method-assign]

    # Chalice keeps the request being served on the app object. Lambda serves one request at a time
    # per container, but the concurrency tests send requests from threads: keep it per thread, as
    # chalice's local server does (LocalChalice).
    app.app.__class__ = LocalChalice
    with Client(app.app, stage_name="local", project_dir=str(ROOT)) as client:
        yield Api(client, local_aws.cognito.cloudtrail_delivered)
    assert not mismatches, "shaped answers differ from their schemas' dumps:\n" + "\n".join(mismatches)


@dataclass
class User:
    email: str
    password: str
    user_id: str
    id_token: str
    access_token: str
    refresh_token: str

    @property
    def token(self) -> str:
        return self.id_token


class Users:
    """Signs people up through the API, as a client would (after Flask's AuthActions)."""

    def __init__(self, api: Api, aws: Any):
        self._api = api
        self._aws = aws

    @staticmethod
    def new_email() -> str:
        return f"user-{uuid.uuid4().hex[:12]}@example.com"

    def sign_up(self, email: str | None = None, password: str = PASSWORD, name: str = "Test Person") -> Answer:
        return self._api.post("/auth/signup", {"email": email or self.new_email(), "password": password, "name": name})

    def create(self, password: str = PASSWORD) -> User:
        email = self.new_email()
        signed_up = self.sign_up(email, password)
        assert signed_up.status == 201, signed_up.body
        assert self._api.post("/auth/confirm", {"email": email, "code": "123456"}).status == 200
        return self.log_in(email, password, signed_up.body["user_id"])

    def log_in(self, email: str, password: str, user_id: str) -> User:
        answer = self._api.post("/auth/login", {"email": email, "password": password})
        assert answer.status == 200, answer.body
        tokens = answer.body
        return User(email, password, user_id, tokens["id_token"], tokens["access_token"], tokens["refresh_token"])

    def grant(
        self, user: User, role: str | None = None, tenant_id: str | None = None, two_step: bool | None = None
    ) -> User:
        """Sets the caller's role and/or tenant as the server would, and gives `user` fresh tokens
        in place (a fixture's user keeps working with its new claims)."""
        attributes = {"custom:role": role, "custom:tenant_id": tenant_id}
        self._aws.client("cognito-idp").admin_update_user_attributes(
            UserPoolId=os.environ["USER_POOL_ID"],
            Username=user.email,
            UserAttributes=[{"Name": name, "Value": value} for name, value in attributes.items() if value],
        )
        if role:
            # Staff routes re-check the caller's member item, which the server writes with the role.
            self.join(tenant_id or self._tenant_of(user), user, role, two_step)
        fresh = self.log_in(user.email, user.password, user.user_id)
        user.id_token, user.access_token, user.refresh_token = fresh.id_token, fresh.access_token, fresh.refresh_token
        return user

    def _tenant_of(self, user: User) -> str:
        found = self._aws.client("cognito-idp").admin_get_user(
            UserPoolId=os.environ["USER_POOL_ID"], Username=user.email
        )
        return next(item["Value"] for item in found["UserAttributes"] if item["Name"] == "custom:tenant_id")

    def join(self, business_id: str, user: User, role: str = "member", two_step: bool | None = None) -> None:
        """The membership item the businesses routes write (TENANT#<b> / MEMBER#<sub>), written
        directly; staff as having two-step sign-in on (their staff routes need it) unless told."""
        self._aws.client("dynamodb").put_item(
            TableName=LOCAL_TABLE,
            Item={
                "PK": {"S": f"TENANT#{business_id}"},
                "SK": {"S": f"MEMBER#{user.user_id}"},
                "user_id": {"S": user.user_id},
                "email": {"S": user.email},
                "role": {"S": role},
                "joined_at": {"S": "2026-01-01T00:00:00.000Z"},
                "two_step": {"BOOL": role != "member" if two_step is None else two_step},
            },
        )

    def reset_code(self, email: str) -> str:
        """moto hands the code it would have e-mailed back in a response header."""
        response = self._aws.client("cognito-idp").forgot_password(
            ClientId=os.environ["APP_CLIENT_IDS"], Username=email
        )
        return response["ResponseMetadata"]["HTTPHeaders"]["x-moto-forgot-password-confirmation-code"]


@pytest.fixture(scope="session")
def users(api: Api, local_aws: Any) -> Users:
    return Users(api, local_aws)


@pytest.fixture
def user(users: Users) -> User:
    return users.create()


@pytest.fixture
def other_user(users: Users) -> User:
    return users.create()


@pytest.fixture(scope="session")
def tenants(api: Api, users: Users, local_aws: Any) -> Any:
    """Makes members of one business tenant, as the server would (custom attributes are the
    server's to set), with fresh tokens; their own data stays in their personal partition."""

    def members(count: int, tenant_id: str | None = None) -> list[User]:
        tenant_id = tenant_id or f"gym-{uuid.uuid4().hex[:10]}"
        cognito = local_aws.client("cognito-idp")
        made = []
        for _ in range(count):
            person = users.create()
            cognito.admin_update_user_attributes(
                UserPoolId=os.environ["USER_POOL_ID"],
                Username=person.email,
                UserAttributes=[{"Name": "custom:tenant_id", "Value": tenant_id}],
            )
            users.join(tenant_id, person)  # the member item the server writes with the claims
            made.append(users.log_in(person.email, person.password, person.user_id))
        return made

    return members

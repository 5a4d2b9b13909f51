"""One measurement in a fresh interpreter: `python bench/probe.py cold|warm stride|baseline [budget]`
(`budget`: with the per-tenant request budget on; off otherwise, like the baseline), or
`python bench/probe.py leases LOAD`: the per-tenant budget's DynamoDB writes per request when four
containers share a tenant that sends LOAD times its budget, steadily, for five minutes.

The spread of routes (`make bench`'s "Cold start, route by route"): `python bench/probe.py seed FILE`
writes the table (its definition from infra/stride.json, and the items the app itself wrote: 21
weights, 21 posts) into FILE; `python bench/probe.py route stride|baseline ROUTE FILE` loads FILE into
moto, then imports the app and serves ROUTE (one of ROUTES) as its first request (the baseline its one
GetItem), whatever the route, with the same set-up before the clock.

AWS is answered in-process: by moto (cold) or by one canned GetItem answer on both sides (warm),
so what is timed is the app's own path. Prints one JSON line."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUB = "11111111-2222-3333-4444-555555555555"
CLAIMS = {
    "sub": SUB,
    "token_use": "id",
    "aud": "bench-client",
    "email": "bench@example.com",
    "custom:tenant_id": "t-bench",
    "custom:role": "member",
}
ENVIRONMENT = {
    "STAGE": "bench",
    "TABLE_NAME": "bench",
    "MEDIA_BUCKET": "bench",
    "USER_POOL_ID": "us-east-1_bench",
    "APP_CLIENT_IDS": "bench-client",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "x",
    "AWS_SECRET_ACCESS_KEY": "x",
    "FRONTEND_ORIGIN": "http://127.0.0.1:5173",
    "TENANT_REQUESTS_PER_MINUTE": "off",
}
EVENT = {
    "resource": "/me/preferences",
    "path": "/me/preferences",
    "httpMethod": "GET",
    "headers": {"Authorization": "token"},
    "multiValueHeaders": {},
    "queryStringParameters": None,
    "multiValueQueryStringParameters": None,
    "pathParameters": None,
    "stageVariables": None,
    "body": None,
    "isBase64Encoded": False,
    "requestContext": {
        "resourcePath": "/me/preferences",
        "httpMethod": "GET",
        "requestId": "bench",
        "authorizer": {"claims": CLAIMS},
        "identity": {"sourceIp": "127.0.0.1"},
        "path": "/me/preferences",
    },
}


class Context:
    aws_request_id = "bench"
    function_name = "bench"
    memory_limit_in_mb = 512

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


def _load(which: str):
    # `which` may also be a folder holding an unpacked deployment.zip (app.py, chalicelib, chalice...).
    sys.path.insert(0, str({"stride": ROOT, "baseline": ROOT / "bench" / "baseline"}.get(which, which)))
    import app

    return app.app


def _create_table(client) -> None:
    client.create_table(
        TableName="bench",
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": "PK", "AttributeType": "S"},
            {"AttributeName": "SK", "AttributeType": "S"},
        ],
        KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}],
    )


def cold(which: str) -> dict:
    from moto import mock_aws  # set up before the clock starts: not part of either app

    with mock_aws():
        import boto3

        # A session of its own: neither app may find botocore's models already loaded.
        _create_table(boto3.session.Session().client("dynamodb", region_name="us-east-1"))
        started, started_cpu = time.perf_counter(), time.process_time()
        app = _load(which)
        imported, imported_cpu = time.perf_counter(), time.process_time()
        response = app(EVENT, Context())
        done, done_cpu = time.perf_counter(), time.process_time()
    assert response["statusCode"] == 200, response
    return {
        "which": which,
        "import_ms": (imported - started) * 1000,
        "first_request_ms": (done - imported) * 1000,
        "total_ms": (done - started) * 1000,
        # CPU time: what the process itself spent, whatever else the shared machine runs.
        "import_cpu_ms": (imported_cpu - started_cpu) * 1000,
        "first_request_cpu_ms": (done_cpu - imported_cpu) * 1000,
        "total_cpu_ms": (done_cpu - started_cpu) * 1000,
    }


PARTS = (
    ("botocore (the GetItem)", ("botocore/", "boto3/", "urllib3/", "email/", "http/")),
    ("marshmallow (dump)", ("marshmallow/",)),
    ("logging", ("logging/",)),
    ("json", ("json/",)),
    ("chalice (event, CORS, response)", ("chalice/",)),
    ("Stride (middleware, router, identity, service)", ("chalicelib/",)),
)


def profile(which: str, count: int = 1000) -> dict:
    """Where a warm request's time goes, by part (own time of each function, summed per part),
    with the calls a request makes: a measure the machine's load barely moves."""
    import cProfile
    import pstats

    app = _warm_app(which)
    for _ in range(200):
        app(EVENT, Context())
    profiler = cProfile.Profile()
    devnull = open(os.devnull, "w")  # noqa: SIM115
    stdout, sys.stdout = sys.stdout, devnull
    try:
        profiler.enable()
        for _ in range(count):
            app(EVENT, Context())
        profiler.disable()
    finally:
        sys.stdout = stdout
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    parts: dict[str, float] = {}
    calls = 0

    def part_of(filename: str, callers: dict) -> str:
        if filename == "~" and callers:  # a builtin: counted with the code that called it most
            filename = max(callers.items(), key=lambda caller: caller[1][2])[0][0]
        return next((name for name, marks in PARTS if any(mark in filename for mark in marks)), "other")

    for (filename, _, _), (_, ncalls, own, _, callers) in stats.items():
        calls += ncalls
        part = part_of(filename, callers)
        parts[part] = parts.get(part, 0.0) + own
    total = sum(parts.values())
    return {
        "which": which,
        "calls_per_request": calls / count,
        "share_by_part": {part: own / total for part, own in sorted(parts.items(), key=lambda item: -item[1])},
    }


def _warm_app(which: str):
    from botocore.awsrequest import AWSResponse

    class Raw:
        def __init__(self, body: bytes):
            self.body = body

        def stream(self, **_):
            yield self.body

    item = b'{"Item": {"PK": {"S": "x"}, "SK": {"S": "PREFERENCES"}, "units": {"S": "metric"}}}'
    # The budget's lease (UpdateItem, ALL_NEW): one request of the minute's 1000 leased so far.
    lease = b'{"Attributes": {"window": {"N": "0"}, "requests": {"N": "1"}}}'

    def canned(request, **_):
        body = lease if request.headers.get("X-Amz-Target", b"").endswith(b"UpdateItem") else item
        return AWSResponse(request.url, 200, {"Content-Type": "application/x-amz-json-1.0"}, Raw(body))

    import boto3

    boto3.DEFAULT_SESSION = None
    app = _load(which)
    if which == "stride":
        from chalicelib import deps

        deps.aws_session().events.register("before-send.dynamodb.*", canned)
    else:
        boto3.setup_default_session()
        boto3.DEFAULT_SESSION.events.register("before-send.dynamodb.*", canned)
    return app


def warm(which: str, count: int = 2000) -> dict:
    app = _warm_app(which)
    devnull = open(os.devnull, "w")  # noqa: SIM115
    stdout, sys.stdout = sys.stdout, devnull  # the request log line is part of the path, its terminal is not
    try:
        for _ in range(200):
            app(EVENT, Context())
        started, started_cpu = time.perf_counter(), time.process_time()
        for _ in range(count):
            response = app(EVENT, Context())
        elapsed, elapsed_cpu = time.perf_counter() - started, time.process_time() - started_cpu
    finally:
        sys.stdout = stdout
    assert response["statusCode"] == 200, response
    return {"which": which, "us_per_request": elapsed / count * 1e6, "cpu_us_per_request": elapsed_cpu / count * 1e6}


def leases(load: float, containers: int = 4, minutes: int = 5, budget: int = 1000) -> dict:
    from moto import mock_aws

    sys.path.insert(0, str(ROOT))
    from chalicelib.errors import TooManyRequests
    from chalicelib.repositories.throttle import TenantThrottle

    with mock_aws():
        import boto3

        client = boto3.client("dynamodb", region_name="us-east-1")
        _create_table(client)
        writes = []
        client.meta.events.register("before-call.dynamodb.UpdateItem", lambda **_: writes.append(1))
        now = [1_800_000_000.0]
        throttles = [TenantThrottle(client, "bench", budget, lambda: now[0]) for _ in range(containers)]
        offered = int(budget * load)
        admitted = 0
        for number in range(offered * minutes):
            now[0] += 60 / offered
            try:
                throttles[number % containers].admit("t-bench")
                admitted += 1
            except TooManyRequests:
                pass
    return {
        "load": load,
        "writes_per_request": len(writes) / admitted,
        "admitted_per_minute": admitted / minutes,
        "budget": budget,
    }


# The spread of routes a cold start is measured on: a list that signs its cursor (21 items: a page of
# 20 and a next_cursor, whose key is read from Secrets Manager on first use), a write, the stats, the
# feed (21 posts, a cursor too), an import of 10 records. Each: (method, path, query, body).
ROUTES: dict[str, tuple[str, str, dict[str, str] | None, object]] = {
    "GET /me/preferences": ("GET", "/me/preferences", None, None),
    "GET /weights": ("GET", "/weights", None, None),
    "POST /weights": (
        "POST",
        "/weights",
        None,
        {"measured_at": "2026-01-05T07:00:00Z", "weight": {"value": 80, "unit": "kg"}},
    ),
    "GET /stats/summary": ("GET", "/stats/summary", None, None),
    "GET /feed": ("GET", "/feed", None, None),
    "POST /me/import": (
        "POST",
        "/me/import",
        None,
        {
            "schema_version": 1,
            "weights": [
                {
                    "id": f"01HZZZZZZZZZZZZZZZZZZZZZ{n:02d}",
                    "measured_at": f"2026-01-0{n % 9 + 1}T07:00:00Z",
                    "weight": {"value": 80, "unit": "kg"},
                }
                for n in range(10)
            ],
        },
    ),
}
SEEDED = {"POST /weights": 21, "POST /posts": 21}
SECRET_NAME = "bench-cursor-key"  # noqa: S105 (a name, not a secret)
QUEUE_NAME = "bench-jobs"


def _event(method: str, path: str, query: dict[str, str] | None = None, body: object = None) -> dict:
    return {
        **EVENT,
        "resource": path,
        "path": path,
        "httpMethod": method,
        "headers": {"Authorization": "token", "Content-Type": "application/json"},
        "queryStringParameters": query,
        "multiValueQueryStringParameters": {k: [v] for k, v in query.items()} if query else None,
        "body": None if body is None else json.dumps(body),
        "requestContext": {**EVENT["requestContext"], "resourcePath": path, "httpMethod": method, "path": path},
    }


def _aws_set_up(table: dict) -> None:
    """The table (as the template declares it), a cursor key in Secrets Manager and the jobs queue,
    inside an active mock_aws; the environment names them as a deployed stage's does."""
    import boto3

    session = boto3.session.Session()  # its own: the app must find no botocore model loaded
    session.client("dynamodb", region_name="us-east-1").create_table(**table)
    secret = session.client("secretsmanager", region_name="us-east-1").create_secret(
        Name=SECRET_NAME, SecretString="k" * 64
    )
    queue = session.client("sqs", region_name="us-east-1").create_queue(QueueName=QUEUE_NAME)
    os.environ.update({"CURSOR_KEY_SECRET_ARN": secret["ARN"], "JOBS_QUEUE_URL": queue["QueueUrl"]})


def seed(path: str) -> dict:
    """The table's definition and the items Stride itself writes for ROUTES, into `path` (JSON)."""
    from moto import mock_aws

    sys.path.insert(0, str(ROOT))
    from devtools.infra import render

    properties = render("local")["Resources"]["Table"]["Properties"]
    table = {
        key: properties[key]
        for key in ("AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes", "LocalSecondaryIndexes")
        if key in properties
    }
    table.update(TableName="bench", BillingMode="PAY_PER_REQUEST")
    with mock_aws():
        import boto3

        _aws_set_up(table)
        from chalicelib.repositories.dynamo import home_partition, to_item

        client = boto3.client("dynamodb", region_name="us-east-1")
        profile = {
            "PK": home_partition(SUB),
            "SK": "PROFILE",
            "display_name": "Bench",
            "version": 1,
            "created_at": "2025-01-01T00:00:00.000Z",
        }
        client.put_item(TableName="bench", Item=to_item(profile))
        # A member of the gym (the claims' tenant): what a post's transaction checks.
        member = {"PK": f"TENANT#{CLAIMS['custom:tenant_id']}", "SK": f"MEMBER#{SUB}", "user_id": SUB, "role": "member"}
        client.put_item(TableName="bench", Item=to_item(member))
        stride = _load("stride")
        stdout, sys.stdout = sys.stdout, open(os.devnull, "w")  # noqa: SIM115 (the requests' log lines)
        for number in range(SEEDED["POST /weights"]):
            at = f"2025-12-{number + 1:02d}T07:00:00Z"
            body = {"measured_at": at, "weight": {"value": 80 + number / 10, "unit": "kg"}}
            response = stride(_event("POST", "/weights", body=body), Context())
            assert response["statusCode"] == 201, response
        for number in range(SEEDED["POST /posts"]):
            response = stride(_event("POST", "/posts", body={"text": f"Post {number}"}), Context())
            assert response["statusCode"] == 201, response
        sys.stdout = stdout
        items = [item for page in client.get_paginator("scan").paginate(TableName="bench") for item in page["Items"]]
    Path(path).write_text(json.dumps({"table": table, "items": items}))
    return {"items": len(items)}


def route(which: str, name: str, fixture: str) -> dict:
    """A cold start serving ROUTES[name] (the baseline: its one GetItem), after the same set-up."""
    from moto import mock_aws

    seeded = json.loads(Path(fixture).read_text())
    method, path, query, body = ROUTES[name]
    event = _event(method, path, query, body) if which != "baseline" else EVENT
    with mock_aws():
        import boto3

        answering = _time_moto()
        _aws_set_up(seeded["table"])
        client = boto3.session.Session().client("dynamodb", region_name="us-east-1")
        for start in range(0, len(seeded["items"]), 25):
            chunk = [{"PutRequest": {"Item": item}} for item in seeded["items"][start : start + 25]]
            client.batch_write_item(RequestItems={"bench": chunk})
        devnull = open(os.devnull, "w")  # noqa: SIM115 (the request's log line: its terminal is not the app)
        stdout, sys.stdout = sys.stdout, devnull
        clients = _record_clients()
        loaded = set(sys.modules)
        try:
            answering.clear()
            started, started_cpu = time.perf_counter(), time.process_time()
            app = _load(which)
            imported = time.perf_counter()
            response = app(event, Context())
            done, done_cpu = time.perf_counter(), time.process_time()
        finally:
            sys.stdout = stdout
    assert response["statusCode"] in (200, 201), response
    return {
        "which": which,
        "route": name,
        "status": response["statusCode"],
        "next_cursor": bool(json.loads(response["body"]).get("next_cursor")) if which != "baseline" else None,
        "import_ms": (imported - started) * 1000,
        "first_request_ms": (done - imported) * 1000,
        "total_ms": (done - started) * 1000,
        "total_cpu_ms": (done_cpu - started_cpu) * 1000,
        # moto answering the app's AWS calls, inside the clock: on AWS a round trip, not the app's work.
        "moto_ms": sum(wall for wall, _ in answering) * 1000,
        "moto_cpu_ms": sum(cpu for _, cpu in answering) * 1000,
        "aws_calls": len(answering),
        # What the cold start imported (Stride's own modules, marshmallow, e-mail's), and the AWS
        # clients it built: tests/unit/test_cold_imports.py pins them.
        "imported": sorted(name for name in set(sys.modules) - loaded if name.startswith(WATCHED_MODULES)),
        "clients": sorted(clients),
        "patterns_deferred": _patterns_deferred(),
    }


WATCHED_MODULES = ("chalicelib", "marshmallow", "email")


def _record_clients() -> list[str]:
    """The services of the AWS clients built from now on (by any new botocore session)."""
    from botocore import handlers

    clients: list[str] = []

    def record(event_name: str, **_: object) -> None:
        clients.append(event_name.rpartition(".")[2])

    handlers.BUILTIN_HANDLERS.append(("creating-client-class", record))
    return clients


def _patterns_deferred() -> bool | None:
    """Whether marshmallow's e-mail patterns were left to their first use (None: no marshmallow)."""
    validate = sys.modules.get("marshmallow.validate")
    return None if validate is None else type(validate.Email.DOMAIN_REGEX).__name__ == "_LazyPattern"


def _time_moto() -> list[tuple[float, float]]:
    """(wall, CPU) seconds of each request moto answers from now on, in this process."""
    from moto.core.botocore_stubber import BotocoreStubber

    answering: list[tuple[float, float]] = []
    answer = BotocoreStubber.process_request

    def timed(self, request):
        started, started_cpu = time.perf_counter(), time.process_time()
        try:
            return answer(self, request)
        finally:
            answering.append((time.perf_counter() - started, time.process_time() - started_cpu))

    BotocoreStubber.process_request = timed  # type: ignore[method-assign]
    return answering


if __name__ == "__main__":
    os.environ.update(ENVIRONMENT)
    mode, which = sys.argv[1], sys.argv[2]
    if sys.argv[3:] == ["budget"]:
        os.environ["TENANT_REQUESTS_PER_MINUTE"] = "1000"  # the canned answer satisfies its UpdateItem too
    if mode == "seed":
        print(json.dumps(seed(which)))
    elif mode == "route":
        print(json.dumps(route(which, sys.argv[3], sys.argv[4])), flush=True)
        # Ended as Lambda ends a container, without the interpreter's teardown: the collection at exit
        # walks moto's objects, far fewer of them in Stride's process (app.py freezes them) than in the
        # baseline's, which would put ~0.3 s into the baseline's whole process that no cold start has.
        os._exit(0)
    elif mode == "leases":
        print(json.dumps(leases(float(which))))
    elif mode == "profile":
        print(json.dumps(profile(which)))
    else:
        print(json.dumps(cold(which) if mode == "cold" else warm(which)))

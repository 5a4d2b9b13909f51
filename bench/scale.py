"""`make scale`: what each request costs one person as their history grows.

One person (in one gym tenant) with N weights, N workouts and N tasks spread over five years, for
N = 10, 100, 1,000 and 10,000, on the embedded local AWS (moto, as `make run` provisions it). Each
request route that reads or writes that history is called as API Gateway calls the Lambda (the
authorizer's claims in the event), after one warm-up call, and measured with botocore's hooks:
DynamoDB calls, items read, read units (RCU) and bytes read, and the CPU time of the request's own
thread (moto answers on another thread, so its work is not counted).

Read units are computed as DynamoDB bills them, from the items' sizes (attribute names and values,
`item_size`): a GetItem rounds its item up to 4 KB, a Query the sum of its page, a BatchGetItem each
item; an eventually consistent read is half a unit. moto does not report consumed capacity.

The person's running totals are built the way a deployed stage backfills them
(`RollupStore.rebuild`, devtools/rebuild_stats.py); the stream keeps them after that.

A request answered 202 (a large export, an import, the deletion) queued a job: the bench then runs
the jobs queue as the worker Lambda does (`deps.job_runner()`, continuations included) and
measures the background work the same way: every AWS call, DynamoDB's items and RCU, wall time,
and the worker thread's CPU time (the estimate of Lambda's below).

Writes its table into bench/results.md (between the scale markers) and prints it.

    python bench/scale.py [--sizes 10,100,1000,10000] [--only "stats/summary,DELETE /me"]
"""

from __future__ import annotations

import argparse
import base64
import json
import math
import os
import random
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "bench" / "results.md"
START = "<!-- scale:start -->"
END = "<!-- scale:end -->"
SUB = "5ca1e000-0000-4000-8000-000000000001"
TENANT = "gym-scale"
YEARS = 5
# A Lambda of 512 MB gets 512/1769 of a vCPU (1,769 MB is one full vCPU); this machine's core is
# taken as one vCPU, so a request's CPU time here is multiplied by this to estimate Lambda's.
LAMBDA_CPU_SHARE = 512 / 1769
OPEN_SHARE = 0.2  # a fifth of the tasks still open, their due dates spread over the years
# The worker's Lambda timeout (background_jobs in .chalice/config.json): a job's invocation must
# fit it (or continue in a new message, as the erasure does).
WORKER_TIMEOUT_SECONDS = 120


@dataclass
class Measure:
    calls: Counter[str] = field(default_factory=Counter)
    items: int = 0
    rcu: float = 0.0
    bytes: int = 0

    def total_calls(self) -> int:
        return sum(self.calls.values())


def _value_size(value: dict[str, Any]) -> int:
    (kind, inner), *_ = value.items()
    if kind == "S":
        return len(inner.encode())
    if kind == "N":
        return len(str(inner).lstrip("-").replace(".", "")) // 2 + 2
    if kind == "B":
        return len(inner) if isinstance(inner, bytes) else len(base64.b64decode(inner))
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "M":
        return 3 + sum(len(name.encode()) + _value_size(v) + 1 for name, v in inner.items())
    if kind == "L":
        return 3 + sum(_value_size(v) + 1 for v in inner)
    if kind in ("SS", "NS", "BS"):
        return sum(_value_size({kind[0]: v}) for v in inner)
    return 0


def item_size(item: dict[str, Any]) -> int:
    """An item's size as DynamoDB counts it: names and values."""
    return sum(len(name.encode()) + _value_size(value) for name, value in item.items())


def _units(size: int, consistent: bool) -> float:
    return max(1, math.ceil(size / 4096)) * (1.0 if consistent else 0.5)


class Recorder:
    """DynamoDB's calls, items, read units and bytes, from botocore's hooks on the app's client."""

    def __init__(self) -> None:
        self.current = Measure()
        self._params: dict[int, dict[str, Any]] = {}

    def before(self, model: Any, params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        self.current.calls[f"{model.service_model.service_name}.{model.name}"] += 1
        context["stride_params"] = params

    def after(self, http_response: Any, parsed: dict[str, Any], model: Any, context: dict[str, Any], **_: Any) -> None:
        params = context.get("stride_params", {})
        consistent = bool(params.get("ConsistentRead"))
        if model.name == "GetItem" and "Item" in parsed:
            size = item_size(parsed["Item"])
            self._add(1, size, _units(size, consistent))
        elif model.name == "Query":
            sizes = [item_size(item) for item in parsed.get("Items", [])]
            self._add(parsed.get("ScannedCount", len(sizes)), sum(sizes), _units(sum(sizes), consistent))
        elif model.name == "BatchGetItem":
            for items in parsed.get("Responses", {}).values():
                for item in items:
                    size = item_size(item)
                    self._add(1, size, _units(size, consistent))
        elif model.name == "TransactGetItems":
            for response in parsed.get("Responses", []):
                if "Item" in response:
                    size = item_size(response["Item"])
                    self._add(1, size, 2 * _units(size, True))

    def _add(self, items: int, size: int, units: float) -> None:
        self.current.items += items
        self.current.bytes += size
        self.current.rcu += units

    def measure(self) -> Measure:
        taken, self.current = self.current, Measure()
        return taken


class Context:
    aws_request_id = "scale"
    function_name = "scale"
    memory_limit_in_mb = 512

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


TEMPLATES = {"weights": "weight_id", "workouts": "workout_id", "tasks": "task_id"}


def _event(method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> dict[str, Any]:
    concrete, _, query = path.partition("?")
    params = dict(part.split("=", 1) for part in query.split("&")) if query else None
    parts = concrete.strip("/").split("/")
    resource_path, path_parameters = concrete, None
    if len(parts) == 2 and parts[0] in TEMPLATES:  # /weights/{weight_id}, as API Gateway names it
        resource_path = f"/{parts[0]}/{{{TEMPLATES[parts[0]]}}}"
        path_parameters = {TEMPLATES[parts[0]]: parts[1]}
    claims = {
        "sub": SUB,
        "token_use": "id",
        "aud": "scale-client",
        "email": "scale@example.com",
        "custom:tenant_id": TENANT,
        "custom:role": "member",
    }
    return {
        "resource": resource_path,
        "path": concrete,
        "httpMethod": method,
        "headers": {"Authorization": "token", "Content-Type": "application/json", **(headers or {})},
        "multiValueHeaders": {},
        "queryStringParameters": params,
        "multiValueQueryStringParameters": {k: [v] for k, v in params.items()} if params else None,
        "pathParameters": path_parameters,
        "stageVariables": None,
        "body": json.dumps(body) if body is not None else None,
        "isBase64Encoded": False,
        "requestContext": {
            "resourcePath": resource_path,
            "httpMethod": method,
            "requestId": str(uuid.uuid4()),
            "authorizer": {"claims": claims},
            "identity": {"sourceIp": "127.0.0.1"},
            "path": concrete,
        },
    }


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def seed(client: Any, table: str, size: int, now: datetime) -> dict[str, str]:
    """N weights, workouts and tasks over five years before `now`, written as the app writes them."""
    from chalicelib.ids import new_id
    from chalicelib.repositories.dynamo import home_partition, to_item

    partition = home_partition(SUB)
    span = timedelta(days=365 * YEARS)
    items = [
        {"PK": partition, "SK": "PROFILE", "display_name": "Scale", "created_at": _stamp(now - span), "version": 1}
    ]
    last: dict[str, str] = {}
    # Varied as a person's history is (an even spacing and one weight would pack into nothing):
    # moments up to half an hour either side, weights from 70 to 90 kg, durations and types mixed.
    rng = random.Random(size)  # noqa: S311 (a repeatable seed, not a secret)
    for number in range(size):
        moment = now - span + span * (number + 0.5) / size + timedelta(seconds=rng.randint(-1800, 1800))
        at = _stamp(moment)
        kilograms = Decimal(rng.randint(7000, 9000)) / 100
        stamp = {"created_at": at, "updated_at": at, "version": 1}
        ms = int(moment.timestamp() * 1000)
        weight_id, workout_id, task_id = new_id(ms), new_id(ms + 1), new_id(ms + 2)
        items.append(
            {
                "PK": partition,
                "SK": f"WEIGHT#{weight_id}",
                "TSK": f"WEIGHT#{at}#{weight_id}",
                "id": weight_id,
                "measured_at": at,
                "at": at,
                "weight_kg": kilograms,
                "entered": {"value": kilograms, "unit": "kg"},
                "note": "after the run",
                **stamp,
            }
        )
        items.append(
            {
                "PK": partition,
                "SK": f"WORKOUT#{workout_id}",
                "TSK": f"WORKOUT#{at}#{workout_id}",
                "id": workout_id,
                "started_at": at,
                "at": at,
                "duration_min": rng.choice((20, 30, 45, 60, 90)),
                "type": rng.choice(("strength", "cardio", "hiit", "mobility")),
                "title": "Morning run",
                **stamp,
            }
        )
        task: dict[str, Any] = {
            "PK": partition,
            "SK": f"TASK#{task_id}",
            "id": task_id,
            "title": "Stretch",
            "priority": "medium",
            "due_date": moment.date().isoformat(),
            **stamp,
        }
        if number % int(1 / OPEN_SHARE) == 0:
            task.update(done=False, OSK=task["due_date"])
        else:
            task.update(done=True, completed_at=at, TSK=f"TASK#{at}#{task_id}")
        items.append(task)
        last = {"weight": weight_id, "workout": workout_id, "task": task_id}
    for start in range(0, len(items), 25):
        requests = [{"PutRequest": {"Item": to_item(item)}} for item in items[start : start + 25]]
        while requests:
            answer = client.batch_write_item(RequestItems={table: requests})
            requests = answer.get("UnprocessedItems", {}).get(table, [])
    return last


def routes(last: dict[str, str], today: str) -> list[tuple[str, str, str, Any, str]]:
    """(label, method, path, body, note) of each route measured, in order (the deletion last)."""
    from chalicelib.ids import new_id

    year_ago = (datetime.fromisoformat(today) - timedelta(days=365)).date().isoformat()
    week_ago = (datetime.fromisoformat(today) - timedelta(days=6)).date().isoformat()
    weight = {"measured_at": f"{today}T07:00:00Z", "weight": {"value": 80, "unit": "kg"}}
    document = {
        "schema_version": 1,
        "weights": [
            {"id": new_id(), "measured_at": f"{today}T0{n}:00:00Z", "weight": {"value": 80, "unit": "kg"}}
            for n in range(10)
        ],
    }
    large = {
        "schema_version": 1,
        "weights": [
            {"id": new_id(), "measured_at": f"{today}T07:00:00Z", "weight": {"value": 80, "unit": "kg"}}
            for _ in range(1000)
        ],
    }
    return [
        ("GET /stats/summary (30 days)", "GET", "/stats/summary", None, DENSITY),
        ("GET /stats/summary (7 days)", "GET", f"/stats/summary?from={week_ago}&to={today}", None, DENSITY),
        ("GET /stats/summary (366 days)", "GET", f"/stats/summary?from={year_ago}&to={today}", None, DENSITY),
        ("GET /weights", "GET", "/weights", None, ""),
        ("GET /workouts", "GET", "/workouts", None, ""),
        ("GET /tasks", "GET", "/tasks", None, ""),
        ("GET /tasks?status=open", "GET", "/tasks?status=open", None, ""),
        ("GET /tasks?status=done", "GET", "/tasks?status=done", None, ""),
        ("GET /tasks?due_before", "GET", f"/tasks?due_before={week_ago}", None, "being fixed (tasks)"),
        ("GET /weights/{id}", "GET", f"/weights/{last['weight']}", None, ""),
        ("POST /weights", "POST", "/weights", weight, ""),
        ("PATCH /workouts/{id}", "PATCH", f"/workouts/{last['workout']}", {"duration_min": 50}, ""),
        ("PATCH /tasks/{id} (done)", "PATCH", f"/tasks/{last['task']}", {"done": True}, ""),
        ("GET /me/preferences", "GET", "/me/preferences", None, ""),
        (
            "POST /me/import (10 records)",
            "POST",
            "/me/import",
            document,
            "reads its records' keys (BatchGetItem), not the history's; issue 26 at 10,000: 10,001 items, 1,080 RCU",
        ),
        (
            "POST /me/import (1,000 records)",
            "POST",
            "/me/import",
            large,
            "202: checked and written by the worker (below)",
        ),
        (
            "GET /me/export",
            "GET",
            "/me/export",
            None,
            "202 past one read of 1,000 items: built by the worker (below); issue 26 at 10,000: 30,011 items, "
            "4,434 RCU, 12.9 s of CPU in the request",
        ),
        (
            "DELETE /me",
            "DELETE",
            "/me",
            None,
            "202: erased by the worker (below); issue 26 at 10,000: ~1,215 calls in the request, past 10 s",
        ),
    ]


DENSITY = (
    "RCU and bytes: the entries of the range's months, packed (~10 bytes an entry; at 10,000, 5 a day of each kind),"
    " not the history"
)

# What each route should read at most, whatever the history (items): a page is 20 + 1; the
# summary one month item a kind and month of its range (workouts from the Monday of its first
# week), the week counts of the streak's year before it (14 months), and the counter.
IDEAL = {
    "GET /stats/summary (30 days)": 2 + 2 + 14 + 2 + 1,
    "GET /stats/summary (7 days)": 2 + 2 + 14 + 2 + 1,
    "GET /stats/summary (366 days)": 13 + 13 + 13 + 1,
    "GET /weights": 21,
    "GET /workouts": 21,
    "GET /tasks": 21,
    "GET /tasks?status=open": 21,
    "GET /tasks?status=done": 21,
    "GET /tasks?due_before": 21,
    "GET /weights/{id}": 1,
    "POST /weights": 1,
    "PATCH /workouts/{id}": 1,
    "PATCH /tasks/{id} (done)": 1,
    "GET /me/preferences": 1,
    "POST /me/import (10 records)": 10,
    "POST /me/import (1,000 records)": 1,  # answered at once; the records are written in the background
    "GET /me/export": 1,  # answered at once; the document is built in the background
    "DELETE /me": 1,  # answered at once; the erasure runs in the background
}


def run_jobs(aws: Any, recorder: Recorder, others: Counter[str]) -> list[dict[str, Any]]:
    """Runs what the requests queued, as the worker Lambda does (one message an invocation,
    continuations included), each kind measured: calls, items, RCU, wall and CPU time."""
    from chalicelib import deps

    sqs = aws.client("sqs")
    url = os.environ["JOBS_QUEUE_URL"]
    runner = deps.job_runner()
    done: dict[str, dict[str, Any]] = {}
    devnull = open(os.devnull, "w")  # noqa: SIM115 (the job's log lines)
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1).get("Messages", []):
        [received] = messages
        kind = json.loads(received["Body"])["job"]
        recorder.measure()
        others.clear()
        invoked = time.monotonic()

        def remaining(invoked: float = invoked) -> float:
            return WORKER_TIMEOUT_SECONDS - (time.monotonic() - invoked)

        stdout, sys.stdout = sys.stdout, devnull
        started, cpu_started = time.monotonic(), time.thread_time()
        try:
            runner.run(received["Body"], remaining)
        finally:
            cpu, wall = time.thread_time() - cpu_started, time.monotonic() - started
            sys.stdout = stdout
        sqs.delete_message(QueueUrl=url, ReceiptHandle=received["ReceiptHandle"])
        taken = recorder.measure()
        row = done.setdefault(
            kind,
            {"job": kind, "invocations": 0, "calls": Counter(), "items": 0, "rcu": 0.0, "bytes": 0, "cpu": 0.0},
        )
        row["invocations"] += 1
        row["calls"].update(taken.calls)
        row["calls"].update(others)
        row.update(
            items=row["items"] + taken.items,
            rcu=row["rcu"] + taken.rcu,
            bytes=row["bytes"] + taken.bytes,
            cpu=row["cpu"] + cpu,
            wall=row.get("wall", 0.0) + wall,
            longest=max(row.get("longest", 0.0), wall),
        )
    return list(done.values())


def _discard_jobs(aws: Any) -> None:
    sqs = aws.client("sqs")
    url = os.environ["JOBS_QUEUE_URL"]
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        for received in messages:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=received["ReceiptHandle"])


def _forget(client: Any, table: str, sort_keys: list[str]) -> None:
    from chalicelib.repositories.dynamo import batch_delete, home_partition

    partition = home_partition(SUB)
    batch_delete(client, table, [{"PK": {"S": partition}, "SK": {"S": key}} for key in sort_keys])


def run_size(aws: Any, app: Any, recorder: Recorder, size: int, only: list[str], others: Counter[str]) -> Any:
    from chalicelib.domains.stats.store import RollupStore

    aws.empty_table()
    client = aws.client("dynamodb")
    table = os.environ["TABLE_NAME"]
    now = datetime.now(UTC)
    last = seed(client, table, size, now)
    RollupStore(client, table).rebuild(SUB)
    today = now.date().isoformat()
    measured: dict[str, dict[str, Any]] = {}
    jobs: dict[str, list[dict[str, Any]]] = {}
    devnull = open(os.devnull, "w")  # noqa: SIM115 (the request log lines)
    for label, method, path, body, note in routes(last, today):
        if only and not any(part in label for part in only):
            continue
        if method == "GET":  # warm: the container's first request reads preferences, the cursor key
            app(_event(method, path), Context())
            _discard_jobs(aws)  # what the warm-up queued (a second export) is not this request's
        recorder.measure()
        stdout, sys.stdout = sys.stdout, devnull
        started = time.thread_time()
        try:
            response = app(_event(method, path, body), Context())
        finally:
            cpu = time.thread_time() - started
            sys.stdout = stdout
        taken = recorder.measure()
        measured[label] = {
            "status": response["statusCode"],
            "calls": taken.total_calls(),
            "by_call": dict(taken.calls),
            "items": taken.items,
            "rcu": taken.rcu,
            "bytes": taken.bytes,
            "cpu_ms": cpu * 1000,
            "note": note,
        }
        print(
            f"  N={size:>6} {label:<32} {response['statusCode']} calls={taken.total_calls():>5} "
            f"items={taken.items:>6} rcu={taken.rcu:>8.1f} bytes={taken.bytes:>9} cpu={cpu * 1000:>8.1f} ms",
            file=sys.stderr,
        )
        if response["statusCode"] == 202:
            jobs[label] = run_jobs(aws, recorder, others)
            if method == "POST":  # the imported weights go again: the export and erasure see N, not N + 1,000
                _forget(client, table, [f"WEIGHT#{record['id']}" for record in body["weights"]])
            for job in jobs[label]:
                print(
                    f"  N={size:>6}   worker {job['job']:<24} x{job['invocations']} "
                    f"calls={sum(job['calls'].values()):>6} items={job['items']:>6} rcu={job['rcu']:>8.1f} "
                    f"wall={job['wall']:>7.1f} s cpu={job['cpu']:>6.1f} s",
                    file=sys.stderr,
                )
    return measured, jobs


def _ratio(value: float, base: float) -> str:
    if base == 0:
        return "—" if value == 0 else "∞"
    return f"{value / base:.2f}x"


def render_jobs(jobs: dict[int, dict[str, list[dict[str, Any]]]]) -> list[str]:
    """The background work the 202s queued, per size."""
    lines = [
        "",
        "### The background work (`make scale`)",
        "",
        "What the worker did for each request answered 202, run as the worker Lambda runs the jobs queue (one",
        "message an invocation, continuations included; `bench/scale.py` `run_jobs`): every AWS call, DynamoDB's",
        "items read and RCU, wall time on moto, and the worker thread's CPU time. Lambda's CPU time is estimated",
        f"as this machine's CPU time over {LAMBDA_CPU_SHARE:.2f} (the worker has 512 MB: 512/1,769 of a vCPU;",
        "this machine's core taken as one vCPU; a thread's CPU time hardly moves with the machine's other work);",
        "Lambda's time adds the round trips, estimated at 10 ms a DynamoDB or SQS call and 30 ms an S3 or",
        f"Cognito call. The worker's timeout is {WORKER_TIMEOUT_SECONDS} s; the erasure goes on in a new message when",
        "its time runs short, the export and the import run whole in one invocation.",
        "",
        "| request | job | N | invocations | calls | items read | RCU | CPU s (Lambda est.) | est. Lambda time s "
        "| wall s here |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for size, by_label in sorted(jobs.items()):
        for label, rows in by_label.items():
            for row in rows:
                calls = row["calls"]
                slow = sum(n for name, n in calls.items() if name.split(".")[0] in ("s3", "cognito-idp"))
                lambda_cpu = row["cpu"] / LAMBDA_CPU_SHARE
                estimate = lambda_cpu + 0.010 * (sum(calls.values()) - slow) + 0.030 * slow
                shown = ", ".join(f"{name} x{n}" for name, n in sorted(calls.items()))
                lines.append(
                    f"| `{label}` | `{row['job']}` | {size:,} | {row['invocations']} | {sum(calls.values()):,} "
                    f"({shown}) | {row['items']:,} | {row['rcu']:,.1f} | {row['cpu']:.1f} ({lambda_cpu:.1f}) | "
                    f"{estimate:.1f} | {row['wall']:.1f} |"
                )
    return lines


def render(results: dict[int, dict[str, dict[str, Any]]], jobs: dict[int, dict[str, list[dict[str, Any]]]]) -> str:
    sizes = sorted(results)
    small, large = sizes[0], sizes[-1]
    lines = [
        START,
        "## Reads at scale (`make scale`)",
        "",
        f"One person (in one gym tenant) with N weights, N workouts and N tasks over {YEARS} years",
        "(a fifth of the tasks open), on the embedded local AWS; each route called as API Gateway calls the",
        "Lambda, after a warm-up call, measured with botocore's hooks (`bench/scale.py`). RCU: computed from",
        "the items' sizes as DynamoDB bills them",
        "(eventually consistent reads half). CPU: the request thread's own CPU time (moto answers on another",
        f"thread), and at N = {large:,} as Lambda would take it at 512 MB ({LAMBDA_CPU_SHARE:.2f} of a vCPU:",
        f"times {1 / LAMBDA_CPU_SHARE:.2f}, this machine's core taken as one vCPU).",
        "Ideal: the items the route should read whatever the history (a page: 21; the summary: a month item a",
        "kind and month of its range, the small week counts of the streak's year, the open-task counter).",
        "",
        "| route | "
        + " | ".join(f"N={n:,} calls / items / RCU / KB" for n in sizes)
        + f" | N={large:,} / N={small:,} (calls, items, RCU) | items / ideal"
        + f" | CPU ms at N={large:,} (Lambda est.) | flat? | note |",
        "|---|" + "---|" * len(sizes) + "---|---|---|---|---|",
    ]
    for label in results[small]:
        if label not in results[large]:
            continue
        cells = []
        for n in sizes:
            row = results[n].get(label)
            cells.append(
                f"{row['calls']} / {row['items']:,} / {row['rcu']:.1f} / {row['bytes'] / 1024:.1f}"
                if row
                else "not measured"
            )
        a, b = results[large].get(label), results[small][label]
        if a is None:
            lines.append(f"| `{label}` | " + " | ".join(cells) + f" | | | | | {b['note']} |")
            continue
        ratios = ", ".join(_ratio(a[key], b[key]) for key in ("calls", "items", "rcu"))
        ideal = IDEAL.get(label, 1)
        flat = a["calls"] <= 2 * max(b["calls"], 1) and a["items"] <= max(2 * b["items"], ideal)
        lambda_ms = a["cpu_ms"] / LAMBDA_CPU_SHARE
        lines.append(
            f"| `{label}` | " + " | ".join(cells) + f" | {ratios} | {_ratio(a['items'], ideal)} | "
            f"{a['cpu_ms']:.0f} ({lambda_ms:,.0f}) | {'yes' if flat else '**no**'} | {a['note']} |"
        )
    lines += [
        "",
        "Flat: at the largest N, at most twice the smallest N's calls, and items within twice the smallest N's",
        "or within the ideal. A list page at N = 10 holds fewer than 20 items, and the summary at N = 10 finds",
        "only the few months with anything in them: their bound is the ideal, which holds at any N. The",
        "summary's RCU and bytes follow the entries inside the months of its range (a 366-day range reads a",
        "year of them), not the length of the history: at N = 10,000 the 30-day summary read 4,281 items,",
        "2.7 MB, 335 RCU before the running totals (issue 26); the e-mail run's weekly summary is its 7-day row.",
        *render_jobs(jobs),
        END,
    ]
    return "\n".join(lines)


def write(section: str) -> None:
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmarks\n"
    if START in text:
        before, _, rest = text.partition(START)
        _, _, after = rest.partition(END)
        text = before + section + after
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    RESULTS.write_text(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10,100,1000,10000")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--only", default="", help="measure only the routes whose label has one of these parts")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    only = [part for part in args.only.split(",") if part]

    from devtools.local_aws import LocalAws, free_port

    aws = LocalAws(free_port())
    aws.start()
    try:
        environment = aws.provision("local")
        os.environ.update(environment)
        secret = aws.client("secretsmanager").create_secret(Name="scale-cursor-key", SecretString="k" * 64)
        os.environ.update(
            {
                "STAGE": "scale",
                "TABLE_NAME": "stride-local",
                "MEDIA_BUCKET": "stride-local-media",
                "APP_CLIENT_IDS": "scale-client",
                "TENANT_REQUESTS_PER_MINUTE": "off",
                "CURSOR_KEY_SECRET_ARN": secret["ARN"],
                "FRONTEND_ORIGIN": "http://127.0.0.1:5173",
                "EMAIL_SENDER": "Stride <reminders@stride.local>",
                "PUBLIC_API_URL": "http://127.0.0.1:8000",
            }
        )
        os.environ.pop("CURSOR_KEY", None)
        import app as stride
        from chalicelib import deps

        recorder = Recorder()
        events = deps.aws_client("dynamodb").meta.events
        events.register("before-call.dynamodb", recorder.before)
        events.register("after-call.dynamodb", recorder.after)
        # The other services' calls (S3, SQS, Cognito: clients made on first use, after this).
        others: Counter[str] = Counter()

        def other(model: Any, **_: Any) -> None:
            if model.service_model.service_name != "dynamodb":
                others[f"{model.service_model.service_name}.{model.name}"] += 1

        deps.aws_session().events.register("before-call", other)
        results, jobs = {}, {}
        for size in sizes:
            print(f"N = {size:,}", file=sys.stderr)
            results[size], jobs[size] = run_size(aws, stride.app, recorder, size, only, others)
    finally:
        aws.stop()
    section = render(results, jobs)
    print(section)
    if not args.no_write:
        write(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())

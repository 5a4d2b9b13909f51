"""`make load`: 50 simulated users for 60 seconds of mixed reads and writes against the local stack
of `make run` (loopback only, a fixed number of users and a fixed duration), then every user's data
checked item by item against what the load wrote. Writes load/results.md."""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Load-test-pass-2026!"


class Client:
    def __init__(self, api: str):
        self.api = api
        self.latencies: list[float] = []
        self.errors: list[str] = []

    def call(self, method: str, path: str, body=None, token=None, expect=(200, 201, 204)):
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if data else {}
        if token:
            headers["Authorization"] = token
        request = urllib.request.Request(self.api + path, data=data, headers=headers, method=method)
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, text = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read()
        self.latencies.append((time.perf_counter() - started) * 1000)
        if status not in expect:
            self.errors.append(f"{method} {path}: {status} {text[:200]!r}")
        return json.loads(text) if text else None


def sign_up(client: Client, aws_endpoint: str, pool_id: str) -> str:
    import boto3

    email = f"load-{uuid.uuid4().hex[:12]}@example.com"
    client.call("POST", "/auth/signup", {"email": email, "password": PASSWORD, "name": "Load"})
    cognito = boto3.client(
        "cognito-idp",
        endpoint_url=aws_endpoint,
        region_name="us-east-1",
        aws_access_key_id="stride-local",
        aws_secret_access_key="stride-local",
    )
    cognito.admin_confirm_sign_up(UserPoolId=pool_id, Username=email)
    return client.call("POST", "/auth/login", {"email": email, "password": PASSWORD})["id_token"]


def simulate(client: Client, token: str, deadline: float, written: dict) -> None:
    rng = random.Random()
    while time.monotonic() < deadline:
        roll = rng.random()
        if roll < 0.3:
            day = f"2026-0{rng.randint(1, 9)}-{rng.randint(10, 28)}"
            created = client.call(
                "POST",
                "/weights",
                {"measured_at": day, "weight": {"value": rng.randint(600, 900) / 10, "unit": "kg"}},
                token,
            )
            if created:
                written["weights"][created["id"]] = created["weight_kg"]
        elif roll < 0.4:
            created = client.call("POST", "/tasks", {"title": f"t{rng.randint(1, 999)}"}, token)
            if created:
                written["tasks"].add(created["id"])
        elif roll < 0.7:
            client.call("GET", "/weights?limit=20", token=token)
        elif roll < 0.85:
            client.call("GET", "/stats/summary?from=2026-01-01&to=2026-09-30", token=token)
        else:
            client.call("GET", "/me/profile", token=token)


def verify(client: Client, token: str, written: dict) -> list[str]:
    problems, seen, cursor = [], {}, None
    while True:
        page = client.call(
            "GET", "/weights?limit=100" + (f"&cursor={urllib.parse.quote(cursor)}" if cursor else ""), token=token
        )
        seen.update({item["id"]: item["weight_kg"] for item in page["items"]})
        cursor = page["next_cursor"]
        if cursor is None:
            break
    if seen != written["weights"]:
        problems.append(f"weights: wrote {len(written['weights'])}, found {len(seen)} (or values differ)")
    tasks = client.call("GET", "/tasks?limit=100", token=token)
    if len(written["tasks"]) <= 100 and {item["id"] for item in tasks["items"]} != written["tasks"]:
        problems.append(f"tasks: wrote {len(written['tasks'])}, found {len(tasks['items'])}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument(
        "--quick", action="store_true", help="CI's mode: 10 users for 15 seconds; prints, writes no results file"
    )
    args = parser.parse_args()
    if args.quick:
        args.users, args.seconds = 10, 15
    process = subprocess.Popen(
        [sys.executable, "-m", "devtools.run", "--api-port", "18777", "--aws-port", "15777", "--no-demo"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        ready = next(line for line in process.stdout if line.startswith("READY "))
        _, api, aws_endpoint, pool_id, _ = ready.split()
        threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()  # drain its log
        client = Client(api)
        tokens = [sign_up(client, aws_endpoint, pool_id) for _ in range(args.users)]
        written = [{"weights": {}, "tasks": set()} for _ in tokens]
        clients = [Client(api) for _ in tokens]
        deadline = time.monotonic() + args.seconds
        started = time.monotonic()
        threads = [
            threading.Thread(target=simulate, args=(c, t, deadline, w))
            for c, t, w in zip(clients, tokens, written, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        latencies = sorted(latency for c in clients for latency in c.latencies)
        errors = [error for c in clients for error in c.errors]
        problems = [problem for c, t, w in zip(clients, tokens, written, strict=True) for problem in verify(c, t, w)]
    finally:
        process.terminate()
        process.wait(timeout=30)

    def percentile(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))]

    lines = [
        "# Load",
        "",
        f"Made by `make load` (`python load/run.py --users {args.users} --seconds {args.seconds}`) against "
        "the local stack of `make run` (chalice's local server and moto, one process, loopback) on 2 cores.",
        "",
        "| users | seconds | requests | requests/s | p50 ms | p95 ms | p99 ms | errors | data problems |",
        "|---|---|---|---|---|---|---|---|---|",
        f"| {args.users} | {elapsed:.0f} | {len(latencies)} | {len(latencies) / elapsed:.1f} "
        f"| {statistics.median(latencies):.1f} | {percentile(0.95):.1f} | {percentile(0.99):.1f} "
        f"| {len(errors)} | {len(problems)} |",
        "",
        "Mix per simulated user: 30% log a weight, 10% add a task, 30% list weights, 15% a 9-month summary, "
        "15% read the profile. Afterwards every user's weights are read back page by page and compared, id by id "
        "and value by value, with what the load wrote; tasks likewise.",
        "",
        "These are the local stack's numbers (moto serves one request at a time), not AWS's.",
        "",
    ]
    if errors or problems:
        lines += ["Errors and problems:", "", *[f"- {line}" for line in (errors + problems)[:20]], ""]
    if not args.quick:
        (ROOT / "load" / "results.md").write_text("\n".join(lines))
    print("\n".join(lines))
    return 1 if errors or problems else 0


if __name__ == "__main__":
    sys.exit(main())

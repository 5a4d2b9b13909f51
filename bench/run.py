"""`make bench`: measures what the README claims and writes bench/results.md."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
RUNS = 15
BUDGETED = "stride, tenant budget on"
# Published on-demand prices, us-east-1 (USD): API Gateway REST, Lambda x86, DynamoDB on-demand.
API_GATEWAY_PER_MILLION = 3.50
LAMBDA_PER_MILLION = 0.20
LAMBDA_PER_GB_SECOND = 0.0000166667
LAMBDA_MEMORY_GB = 0.5
DYNAMODB_PER_MILLION_WRITE_UNITS = 0.625
DYNAMODB_PER_MILLION_READ_UNITS = 0.125
# Request units a typical call uses (items under 1 KB; reads eventually consistent unless noted).
READ_UNITS = {"GetItem": 0.5, "BatchGetItem": 1.0, "Query": 0.5}
WRITE_UNITS = {"PutItem": 1, "UpdateItem": 1, "DeleteItem": 1, "TransactWriteItems": 4, "BatchWriteItem": 2}
# A typical mix of requests for a fitness app, by share of traffic.
MIX = {
    ("GET", "/weights"): 0.20,
    ("POST", "/weights"): 0.10,
    ("GET", "/feed"): 0.20,
    ("PUT", "/posts/{post_id}/like"): 0.10,
    ("GET", "/stats/summary"): 0.10,
    ("GET", "/me/profile"): 0.10,
    ("POST", "/workouts"): 0.05,
    ("GET", "/tasks"): 0.10,
    ("POST", "/auth/refresh"): 0.05,
}


def probe(mode: str, which: str, *options: str) -> dict:
    result = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "probe.py"), mode, which, *options],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        timeout=300,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def cold_start() -> dict:
    runs: dict[str, list[dict]] = defaultdict(list)
    for _ in range(RUNS):  # alternating, so drift in the machine hits both alike
        for which in ("stride", "baseline"):
            runs[which].append(probe("cold", which))
    return {
        which: {
            key: statistics.median(run[key] for run in found) for key in ("import_ms", "first_request_ms", "total_ms")
        }
        for which, found in runs.items()
    }


def warm_overhead() -> dict:
    runs: dict[str, list[float]] = defaultdict(list)
    for _ in range(5):
        for which in ("stride", "baseline"):
            runs[which].append(probe("warm", which)["us_per_request"])
        runs[BUDGETED].append(probe("warm", "stride", "budget")["us_per_request"])
    return {which: statistics.median(values) for which, values in runs.items()}


def heaviest_imports() -> list[tuple[str, int]]:
    environment = {
        "STAGE": "bench",
        "TABLE_NAME": "t",
        "MEDIA_BUCKET": "b",
        "USER_POOL_ID": "p",
        "APP_CLIENT_IDS": "c",
        "AWS_DEFAULT_REGION": "us-east-1",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [PYTHON, "-X", "importtime", "-c", "import app"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment,
        check=True,
    )
    rows = []
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "self" not in line:
            _, cumulative, name = line.split("|")
            rows.append((name.strip(), int(cumulative)))
    return sorted((row for row in rows if row[0] != "app"), key=lambda row: -row[1])[:10]


def budgets() -> list[tuple[str, str, dict]]:
    sys.path.insert(0, str(ROOT))
    from chalicelib.routes import ROUTERS

    return [(spec.method, spec.path, spec.budget) for router in ROUTERS for spec, _ in router.routes]


def package() -> tuple[int, dict[str, int]]:
    subprocess.run([PYTHON, "-m", "devtools.package", "--stage", "prod"], cwd=ROOT, check=True, capture_output=True)
    archive = ROOT / "build" / "prod" / "deployment.zip"
    parts: Counter[str] = Counter()
    with zipfile.ZipFile(archive) as bundle:
        for entry in bundle.infolist():
            top = entry.filename.split("/")[0]
            parts[top if top in ("chalicelib", "app.py") else top.split("-")[0]] += entry.compress_size
    return archive.stat().st_size, dict(parts.most_common())


def cost(routes: list[tuple[str, str, dict]], duration_ms: float) -> list[tuple[str, float]]:
    by_route = {(method, path): budget for method, path, budget in routes}
    public = {(method, path) for method, path, _ in routes if path.startswith("/auth/")}
    read = write = 0.0
    # The tenant's request counter: one UpdateItem (1 write unit) per authenticated request.
    counter = sum(share for route, share in MIX.items() if route not in public)
    for route, share in MIX.items():
        for call, count in by_route[route].items():
            service, operation = call.split(".")
            if service == "dynamodb":
                read += share * count * READ_UNITS.get(operation, 0)
                write += share * count * WRITE_UNITS.get(operation, 0)
    return [
        ("API Gateway (REST)", API_GATEWAY_PER_MILLION),
        ("Lambda requests", LAMBDA_PER_MILLION),
        (
            f"Lambda compute ({duration_ms:.0f} ms at {LAMBDA_MEMORY_GB * 1024:.0f} MB)",
            1e6 * duration_ms / 1000 * LAMBDA_MEMORY_GB * LAMBDA_PER_GB_SECOND,
        ),
        (f"DynamoDB reads ({read:.2f} units a request)", read * DYNAMODB_PER_MILLION_READ_UNITS),
        (f"DynamoDB writes ({write:.2f} units a request)", write * DYNAMODB_PER_MILLION_WRITE_UNITS),
        (
            f"DynamoDB writes of the tenant request budget ({counter:.2f} units a request)",
            counter * DYNAMODB_PER_MILLION_WRITE_UNITS,
        ),
    ]


def main() -> None:
    cold = cold_start()
    warm = warm_overhead()
    imports = heaviest_imports()
    routes = budgets()
    size, parts = package()
    # A request's Lambda time: Stride's own path measured above plus ~10 ms of DynamoDB round trips.
    prices = cost(routes, warm[BUDGETED] / 1000 + 10)
    cold_ratio = cold["stride"]["total_ms"] / cold["baseline"]["total_ms"]
    warm_ratio = warm["stride"] / warm["baseline"]
    lines = [
        "# Benchmarks",
        "",
        "Made by `make bench` (`python bench/run.py`) on this project's machine (2 cores).",
        "",
        "## Cold start",
        "",
        f"A fresh interpreter imports the app and serves its first authenticated `GET /me/preferences` "
        f"(AWS answered by moto in-process, set up before the clock starts). Median of {RUNS} runs each, alternating.",
        "",
        "| app | import (ms) | first request (ms) | total (ms) |",
        "|---|---|---|---|",
        *[
            f"| {which} | {v['import_ms']:.1f} | {v['first_request_ms']:.1f} | {v['total_ms']:.1f} |"
            for which, v in cold.items()
        ],
        "",
        f"Ratio Stride / baseline: **{cold_ratio:.2f}x** (target at most 1.25x: "
        f"{'met' if cold_ratio <= 1.25 else 'NOT met'}).",
        "",
        "Heaviest imports of `app.py` (cumulative, µs):",
        "",
        "| module | µs |",
        "|---|---|",
        *[f"| {name} | {micros} |" for name, micros in imports],
        "",
        "## Warm overhead",
        "",
        "Time per `GET /me/preferences` with DynamoDB answered by the same canned response on both sides "
        "(2,000 requests after 200 to warm up; median of 5 processes). The ratio compares like with like "
        "(the per-tenant request budget off, as the baseline has none); the budget's own cost is its row: "
        "the path of one more UpdateItem here, one more round trip (a few ms) deployed.",
        "",
        "| app | µs per request |",
        "|---|---|",
        *[f"| {which} | {value:.0f} |" for which, value in warm.items()],
        "",
        f"The per-tenant request budget adds **{warm[BUDGETED] - warm['stride']:.0f} µs** of Stride's own path "
        "a request (and one DynamoDB write).",
        "",
        f"Ratio: **{warm_ratio:.2f}x** (target at most 1.5x: {'met' if warm_ratio <= 1.5 else 'NOT met'}).",
        "",
        "## AWS calls per route",
        "",
        "Declared beside each route (`budget=`); `tests/api/test_call_budgets.py` runs a typical request of every "
        "route and fails when the calls differ or any Scan appears.",
        "",
        "| route | calls |",
        "|---|---|",
        *[
            f"| `{method} {path}` | {', '.join(f'{k} x{v}' for k, v in sorted(budget.items())) or 'none'} |"
            for method, path, budget in routes
        ],
        "",
        "## Package",
        "",
        f"`deployment.zip` from `chalice package --stage prod`: **{size / 1024:.0f} KiB** "
        f"(target under 1 MB: {'met' if size < 1024 * 1024 else 'NOT met'}).",
        "",
        "| part | compressed KiB |",
        "|---|---|",
        *[f"| {name} | {bytes_ / 1024:.1f} |" for name, bytes_ in parts.items()],
        "",
        "## Cost per million requests",
        "",
        "A typical mix: " + ", ".join(f"{m} {p} {share:.0%}" for (m, p), share in MIX.items()) + ". Published "
        "us-east-1 prices; DynamoDB units from the routes' calls (items under 1 KB, a transaction counted as "
        "4 write units).",
        "",
        "| part | $ per million requests |",
        "|---|---|",
        *[f"| {name} | {price:.2f} |" for name, price in prices],
        f"| **total** | **{sum(price for _, price in prices):.2f}** |",
        "",
    ]
    (ROOT / "bench" / "results.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()

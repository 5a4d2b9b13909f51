"""`make bench`: measures what docs/operations.md and the README claim and writes bench/results.md."""

from __future__ import annotations

import datetime
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
RUNS = 15
PACKAGE_RUNS = 7
# Warm processes of each: the warm ratio moved by ±0.1 between rounds of 5 on this shared machine.
WARM_RUNS = 9
BUDGETED = "stride, tenant budget on"
HISTORY = ROOT / "bench" / "history.json"
# The warm path's profile before issue 18's work (6b0ec3f), made by the same probe.
PROFILE_BEFORE = ROOT / "bench" / "profile-before.json"
PACKAGES = ROOT / "build" / "bench-package"
# The tenant's steady load for the budget's writes, as a share of its budget (four containers).
BUDGET_LOAD = 0.6
# The floor's target: Stride's cost per million at most this many times the floor's.
COST_TARGET = 1.08
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


COLD_KEYS = ("import_ms", "first_request_ms", "total_ms", "total_cpu_ms")

# Cold start route by route (issue 26): pairs of whole processes, Stride serving the route then the
# baseline its one GetItem, after the same set-up (bench/probe.py route).
ROUTE_PAIRS = 10
ROUTE_TARGET = 1.15
ROUTES = ("GET /me/preferences", "GET /weights", "POST /weights", "GET /stats/summary", "GET /feed", "POST /me/import")
ROUTE_NOTES = {
    "GET /weights": "a page of 20 and its signed next_cursor: the cursor key read from Secrets Manager",
    "GET /feed": "a page of 20 posts and its signed next_cursor",
    "POST /me/import": "10 weights; the import knows every domain's records (each domain's record schema and "
    "builder), and writes them in one transaction",
}
ROUTES_START, ROUTES_END = "<!-- cold-routes:start -->", "<!-- cold-routes:end -->"
FIXTURE = ROOT / "build" / "bench-routes.json"


def whole_process(*arguments: str) -> dict:
    """One probe as a whole process, timed from outside (wall, and its CPU from the OS's accounting
    of the reaped child), with what the probe measured inside."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    inside = probe(*arguments)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {**inside, "process_ms": wall * 1000, "process_cpu_ms": cpu * 1000}


def own_cpu_ms(run: dict) -> float:
    """The CPU of the app's cold start (import and first request) less moto's answering its AWS calls."""
    return run["total_cpu_ms"] - run["moto_cpu_ms"]


# CPU times inside the process too: on this shared machine a wall time moves with the other work.
RATIOS = {
    "process": lambda run: run["process_ms"],
    "process_cpu": lambda run: run["process_cpu_ms"],
    "cold": lambda run: run["total_cpu_ms"],
    "own": own_cpu_ms,
}


def cold_routes(pairs: int = ROUTE_PAIRS) -> dict:
    """Per route: the medians of each side and of the pairs' ratios (a pair: Stride's process, then
    the baseline's, one after the other, so the machine's drift hits both alike)."""
    probe("seed", str(FIXTURE))
    found: dict[str, list[tuple[dict, dict]]] = defaultdict(list)
    load = [os.getloadavg()[0]]
    for _ in range(pairs):
        for name in ROUTES:
            stride = whole_process("route", "stride", name, str(FIXTURE))
            baseline = whole_process("route", "baseline", name, str(FIXTURE))
            found[name].append((stride, baseline))
        load.append(os.getloadavg()[0])
    medians: dict = {"load": (min(load), statistics.median(load), max(load)), "routes": {}}
    for name, runs in found.items():
        row = {
            f"{side}_{key}": statistics.median(run[index][key] for run in runs)
            for index, side in enumerate(("stride", "baseline"))
            for key in ("process_ms", "process_cpu_ms", "total_cpu_ms", "moto_cpu_ms", "aws_calls")
        }
        row.update(
            {f"{ratio}_ratio": statistics.median(of(s) / of(b) for s, b in runs) for ratio, of in RATIOS.items()}
        )
        row["next_cursor"] = all(s["next_cursor"] for s, _ in runs)
        medians["routes"][name] = row
    return medians


def routes_section(measured: dict) -> str:
    low, middle, high = measured["load"]
    lines = [
        ROUTES_START,
        "## Cold start, route by route",
        "",
        f"Each route as the first request of a fresh process, in {ROUTE_PAIRS} alternating pairs against the "
        "bare Chalice app answering its one GetItem (`bench/probe.py route`), bytecode compiled for both. Both "
        "processes make the same set-up before the clock: moto, the table as the template declares it with the "
        "items Stride itself wrote (21 weights, 21 posts, written once by `bench/probe.py seed`), the cursor key "
        "in Secrets Manager, the jobs queue. Every figure is a median; a ratio is the median of the pairs' ratios "
        f"(robust to the machine's drift). Load average during the run: {low:.1f} to {high:.1f} (median "
        f"{middle:.1f}) on 2 cores shared with other work.",
        "",
        "- **whole process**: the process timed from outside, start to exit (Python's start, moto's import and "
        "the set-up included, the same on both sides; ended with `os._exit` as Lambda ends a container, "
        "without the interpreter's teardown): wall time, and its CPU time from the OS, the target's measure "
        "(the wall time of a pair moves with the machine's other work; its CPU time hardly does);",
        "- **cold start**: inside the process, the CPU time from the app's import to its first answer (moto "
        "answering in process, inside the clock);",
        "- **own**: the cold start less the CPU moto spent answering the app's AWS calls (on AWS, a round "
        "trip the app waits for), the app's own work.",
        "",
        "| route | Stride whole process (ms) | baseline whole process (ms) | whole process ratio | its CPU ratio "
        "| Stride cold start CPU (ms) | of which moto (ms) | baseline cold start CPU (ms) | cold start ratio "
        "| own ratio "
        f"| target {ROUTE_TARGET}x (whole process CPU / own) | what it does |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, row in measured["routes"].items():
        verdicts = ["met" if row[key] <= ROUTE_TARGET else "**NOT met**" for key in ("process_cpu_ratio", "own_ratio")]
        lines.append(
            f"| `{name}` | {row['stride_process_ms']:.0f} | {row['baseline_process_ms']:.0f} "
            f"| {row['process_ratio']:.2f}x | **{row['process_cpu_ratio']:.2f}x** | {row['stride_total_cpu_ms']:.1f} "
            f"| {row['stride_moto_cpu_ms']:.1f} | {row['baseline_total_cpu_ms']:.1f} | {row['cold_ratio']:.2f}x "
            f"| **{row['own_ratio']:.2f}x** | {' / '.join(verdicts)} | {ROUTE_NOTES.get(name, '')} |"
        )
    lines += ["", *ROUTE_FINDINGS, ROUTES_END]
    return "\n".join(lines)


# What a cold request of the routes above imports and builds, and what this round took out of it
# (bench/results.md states it; tests/unit/test_cold_imports.py pins what each imports).
ROUTE_FINDINGS = [
    "What the slower routes cost over the baseline, and what issue 26's round took out of them. Before and "
    "after measured in one run of 10 rounds, the tree before (be39826) interleaved with each pair (load "
    "average 5 to 14 on the 2 cores): whole-process CPU ratio before -> after, and the process's CPU.",
    "",
    "- **`POST /me/import`: 1.29x -> 1.15x (1,268 -> 1,146 ms of CPU; the baseline 999).** The account "
    "service imported marshmallow itself, before `chalicelib.schemas` could defer the e-mail patterns "
    "marshmallow compiles on import (~25 ms); it built Cognito's, S3's and SQS's clients for the export, the "
    "deletion and large imports (each loads its service's model: S3's 30-60 ms); and the e-mail domain's "
    "exports imported `email.policy` (~4 ms). Now a schema named by a manifest or a route loads "
    "`chalicelib.schemas` first (`chalicelib.names`), every client other than DynamoDB's is built on its "
    "first call (`deps.lazy_client`), and the SES adapter builds its policy on the first message. What "
    "remains is by design: one document covers every domain, so the import loads every domain's record "
    "schema and builder (~30 ms of imports), and writes in a transaction (moto's: a copy of the table).",
    "- **`GET /feed`: 1.12x -> 1.09x (1,111 -> 1,082 ms).** The social service held an S3 client, built "
    "on the first request, that only a post's deletion calls: now built then. What remains: marshmallow and "
    "the shared schema helpers for the page's query (`FeedQuery`, ~10 ms), the social service, and the "
    "cursor key (below).",
    "- **The cursor key (`GET /weights`, `GET /feed`): 1.08x -> 1.07x.** A full page signs its "
    "`next_cursor`, so the container's first list reads the key from Secrets Manager: a client of its own "
    "(its model, ~5-10 ms here) and, on AWS, one round trip. It is read once per container, only by a "
    "request that signs or checks a cursor; a list without a next page never reads it.",
    "- `GET /me/preferences`, `POST /weights`, `GET /stats/summary`: unchanged (1.01x, 1.03x, 1.05x before).",
    "- **Not met: the app's own part.** Less moto, a cold request of every route here but the preferences "
    "still spends 1.4-2x the baseline's CPU (the whole process holds the target because Python's start and "
    "the SDK's first client, the same on both sides, dominate it): the domain's service and store, "
    "marshmallow for a query or a body (~10 ms), the cursor key's client, and for the import every domain.",
    "",
    "`tests/unit/test_cold_imports.py` pins, for each route here, the domains a cold request imports and the "
    "AWS clients it builds, that marshmallow's patterns stay deferred, and that `email.policy` is not imported.",
    "",
]


def worst_route(measured: dict) -> dict:
    """The route whose cold start is the most over the baseline (whole-process CPU), for the rounds."""
    name, row = max(measured["routes"].items(), key=lambda item: item[1]["process_cpu_ratio"])
    return {"cold_routes_worst": round(row["process_cpu_ratio"], 2), "cold_routes_worst_route": name}


def write_routes_section(section: str) -> None:
    """Replaces the section between its markers in bench/results.md (or appends it)."""
    path = ROOT / "bench" / "results.md"
    text = path.read_text() if path.exists() else ""
    if ROUTES_START in text and ROUTES_END in text:
        before, _, rest = text.partition(ROUTES_START)
        _, _, after = rest.partition(ROUTES_END)
        text = before + section + after
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text)


def cold_start(candidates: dict[str, str], runs_each: int = RUNS) -> dict:
    """Median per candidate (name: what probe.py starts), alternating so drift hits all alike."""
    runs: dict[str, list[dict]] = defaultdict(list)
    for _ in range(runs_each):
        for name, which in candidates.items():
            runs[name].append(probe("cold", which))
    return {
        name: {key: statistics.median(run[key] for run in found) for key in COLD_KEYS} for name, found in runs.items()
    }


def unpacked(archive: Path) -> dict[str, str]:
    """The deployment.zip unpacked twice: as built (with bytecode) and with its sources only."""
    shutil.rmtree(PACKAGES, ignore_errors=True)
    folders = {
        "stride, deployment.zip": PACKAGES / "bytecode",
        "stride, deployment.zip without .pyc": PACKAGES / "source",
    }
    with zipfile.ZipFile(archive) as bundle:
        bundle.extractall(folders["stride, deployment.zip"])
        bundle.extractall(
            folders["stride, deployment.zip without .pyc"],
            [name for name in bundle.namelist() if not name.endswith(".pyc")],
        )
    return {name: str(folder) for name, folder in folders.items()}


def warm_overhead() -> dict:
    runs: dict[str, list[dict]] = defaultdict(list)
    for _ in range(WARM_RUNS):
        for which in ("stride", "baseline"):
            runs[which].append(probe("warm", which))
        runs[BUDGETED].append(probe("warm", "stride", "budget"))
    return {
        which: {key: statistics.median(run[key] for run in found) for key in ("us_per_request", "cpu_us_per_request")}
        for which, found in runs.items()
    }


def warm_profiles() -> dict[str, dict]:
    profiles = {"stride": probe("profile", "stride"), "baseline": probe("profile", "baseline")}
    if PROFILE_BEFORE.exists():
        profiles = {"stride before (6b0ec3f)": json.loads(PROFILE_BEFORE.read_text()), **profiles}
    return profiles


def profile_lines(profiles: dict[str, dict]) -> list[str]:
    parts = list(dict.fromkeys(part for found in profiles.values() for part in found["share_by_part"]))
    return [
        "| part | " + " | ".join(profiles) + " |",
        "|---|" + "---|" * len(profiles),
        "| Python calls a request | " + " | ".join(f"{p['calls_per_request']:.0f}" for p in profiles.values()) + " |",
        *[
            f"| {part} | " + " | ".join(f"{p['share_by_part'].get(part, 0):.1%}" for p in profiles.values()) + " |"
            for part in parts
        ],
    ]


def budget_writes() -> list[dict]:
    return [probe("leases", str(load)) for load in (0.2, BUDGET_LOAD, 1.0, 1.5)]


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
    from chalicelib.domains import routers

    return [(spec.method, spec.path, spec.budget) for router in routers() for spec, _ in router.routes]


def package() -> tuple[int, dict[str, int]]:
    # The example parameter values: the code package is the same whatever the stage's domain.
    command = [PYTHON, "-m", "devtools.package", "--stage", "prod", "--example"]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    archive = ROOT / "build" / "prod" / "deployment.zip"
    parts: Counter[str] = Counter()
    with zipfile.ZipFile(archive) as bundle:
        for entry in bundle.infolist():
            top = entry.filename.split("/")[0]
            parts[top if top in ("chalicelib", "app.py") else top.split("-")[0]] += entry.compress_size
    return archive.stat().st_size, dict(parts.most_common())


def cost(routes: list[tuple[str, str, dict]], duration_ms: float, budget_writes: float) -> list[tuple[str, float]]:
    """Stride's cost per million requests of the mix, part by part. The floor is the same without
    the per-tenant budget's writes and with the baseline's own path (see floor())."""
    by_route = {(method, path): budget for method, path, budget in routes}
    public = {(method, path) for method, path, _ in routes if path.startswith("/auth/")}
    read = write = 0.0
    # The tenant's request budget: one lease (an UpdateItem, 1 write unit) per `budget_writes` requests.
    counter = budget_writes * sum(share for route, share in MIX.items() if route not in public)
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


def floor(prices: list[tuple[str, float]], baseline_ms: float) -> float:
    """API Gateway, Lambda requests, the mix's own DynamoDB calls, and Lambda compute at the
    baseline's own path: what any app serving these requests this way pays."""
    compute = 1e6 * baseline_ms / 1000 * LAMBDA_MEMORY_GB * LAMBDA_PER_GB_SECOND
    fixed = [price for name, price in prices if not name.startswith(("Lambda compute", "DynamoDB writes of"))]
    return compute + sum(fixed)


def interpreter() -> str:
    return f"Python {platform.python_version()} ({platform.machine()})"


README = ROOT / "README.md"
README_START, README_END = "<!-- bench: written by make bench -->", "<!-- /bench -->"


def readme_figures(row: dict) -> str:
    """The README's line of figures: the latest round of bench/history.json."""
    return (
        f"Latest `make bench`, {row['date']} on {row['interpreter']}: cold start {row['cold']:.2f}x a bare Chalice "
        f"app ({row['cold_deployed']:.2f}x from `deployment.zip`), warm overhead {row['warm']:.2f}x, "
        f"${row['per_million']:.2f} per million requests, a {row['package_kib']} KiB package."
        + (
            f" Route by route, the slowest cold start {row['cold_routes_worst']:.2f}x the bare app "
            f"(`{row['cold_routes_worst_route']}`, whole-process CPU; target 1.15x)."
            if "cold_routes_worst" in row
            else ""
        )
        + " Targets and the trend across rounds: [bench/results.md](bench/results.md)."
    )


def write_readme(row: dict) -> None:
    text = README.read_text()
    before, _, rest = text.partition(README_START)
    _, _, after = rest.partition(README_END)
    README.write_text(f"{before}{README_START}\n{readme_figures(row)}\n{README_END}{after}")


def history(row: dict) -> list[dict]:
    rows = json.loads(HISTORY.read_text()) if HISTORY.exists() else []
    rows.append(row)
    HISTORY.write_text(json.dumps(rows, indent=1) + "\n")
    return rows


def main() -> None:
    routes = budgets()
    size, parts = package()
    compile_bytecode()
    cold = cold_start({"stride": "stride", "baseline": "baseline"})
    by_route = cold_routes()
    as_deployed = unpacked(ROOT / "build" / "prod" / "deployment.zip")
    packaged = cold_start({**as_deployed, "baseline": "baseline"}, PACKAGE_RUNS)
    warm = warm_overhead()
    profiles = warm_profiles()
    leases = budget_writes()
    writes = next(run["writes_per_request"] for run in leases if run["load"] == BUDGET_LOAD)
    imports = heaviest_imports()
    # A request's Lambda time: Stride's own path measured above plus ~10 ms of DynamoDB round trips.
    prices = cost(routes, warm[BUDGETED]["us_per_request"] / 1000 + 10, writes)
    total = sum(price for _, price in prices)
    lowest = floor(prices, warm["baseline"]["us_per_request"] / 1000 + 10)
    budget_cost = warm[BUDGETED]["us_per_request"] - warm["stride"]["us_per_request"]
    cold_ratio = cold["stride"]["total_ms"] / cold["baseline"]["total_ms"]
    cold_cpu_ratio = cold["stride"]["total_cpu_ms"] / cold["baseline"]["total_cpu_ms"]
    deployed_ratio = packaged["stride, deployment.zip"]["total_ms"] / packaged["baseline"]["total_ms"]
    warm_ratio = warm["stride"]["us_per_request"] / warm["baseline"]["us_per_request"]
    warm_cpu_ratio = warm["stride"]["cpu_us_per_request"] / warm["baseline"]["cpu_us_per_request"]
    rounds = history(
        {
            "date": datetime.date.today().isoformat(),
            "interpreter": interpreter(),
            "cold": round(cold_ratio, 2),
            "cold_deployed": round(deployed_ratio, 2),
            "warm": round(warm_ratio, 2),
            "package_kib": round(size / 1024),
            "per_million": round(total, 2),
            **worst_route(by_route),
        }
    )
    write_readme(rounds[-1])
    lines = [
        "# Benchmarks",
        "",
        f"Made by `make bench` (`python bench/run.py`) on this project's machine (2 cores, shared: other "
        f"work runs beside it, so medians and ratios are what to read), {interpreter()}.",
        "",
        "## Rounds",
        "",
        "| date | interpreter | cold ratio | cold ratio, deployment.zip | warm ratio | package (KiB) | $ per million |",
        "|---|---|---|---|---|---|---|",
        *[
            f"| {r['date']} | {r['interpreter']} | {r['cold']:.2f}x | "
            + (f"{r['cold_deployed']:.2f}x" if "cold_deployed" in r else "not measured")
            + f" | {r['warm']:.2f}x | {r['package_kib']} | {r['per_million']:.2f} |"
            for r in rounds
        ],
        "",
        "Cold ratio: the source tree, the method of every round; deployment.zip: the package as Lambda gets it "
        "(below).",
        "",
        "## Cold start",
        "",
        f"A fresh interpreter imports the app and serves its first authenticated `GET /me/preferences` "
        f"(AWS answered by moto in-process, set up before the clock starts). Median of {RUNS} runs each, alternating. "
        "Wall time, and the process's CPU time (less sensitive to the machine's other work).",
        "",
        "| app | import (ms) | first request (ms) | total (ms) | total CPU (ms) |",
        "|---|---|---|---|---|",
        *[
            f"| {which} | {v['import_ms']:.1f} | {v['first_request_ms']:.1f} | {v['total_ms']:.1f} "
            f"| {v['total_cpu_ms']:.1f} |"
            for which, v in cold.items()
        ],
        "",
        f"Ratio Stride / baseline: **{cold_ratio:.2f}x** (target at most 1.25x: "
        f"{'met' if cold_ratio <= 1.25 else 'NOT met'}); in CPU time {cold_cpu_ratio:.2f}x. "
        + "Bytecode is compiled beside the sources first (`compileall`), as on a developer's machine.",
        "",
        "What a cold `GET /me/preferences` costs Stride, and what this round took out of it (measured by "
        "preloading each part before the clock, fastest of 10 runs, on this machine):",
        "",
        "- **The import's garbage collection.** The first request's allocations triggered a collection that "
        "walked everything the import had made (~10 ms). `app.py` now ends with `gc.freeze()`: what the import "
        "made lives as long as the container and is never walked again. Part of that ~10 ms is an artefact of "
        "this bench (moto's objects share the process); on Lambda the collection is smaller, but it is paid.",
        "- **marshmallow and the domain's schemas** (~16 ms). 48 of the 50 response schemas only pick fields and "
        "convert scalars; their shapes are written down by `make openapi` (`chalicelib/response_shapes.json`) and "
        "a route with one answers without marshmallow. A route that loads a body or a query still imports its "
        "own domain's schemas on its first request.",
        "- **Every route module and manifest** (~4 ms). Routes are registered from `chalicelib/route_table.json`; "
        "a route imports its module on its first call.",
        "- **E-mail and zoneinfo** (~5 ms): the preferences service imports e-mail's code where a PUT needs it; "
        "zoneinfo (whose import reads sysconfig) on the first use of a zone.",
        "- **Frozen dataclasses** (~1 ms each to define): the kernel's are NamedTuples.",
        "",
        "Every route measured the same way, and what each costs: [Cold start, route by route]"
        "(#cold-start-route-by-route), below.",
        "",
        "What remains over the baseline is the kernel's import (middleware, router, identity, settings: ~7 ms) "
        "and the request's own path (~3 ms).",
        "",
        "The app as Lambda gets it: `deployment.zip` unpacked, with the bytecode `devtools.package` adds and "
        f"without it (Lambda's code directory is read-only: no bytecode is ever cached there). Median of "
        f"{PACKAGE_RUNS} runs each, alternating with the baseline.",
        "",
        "| app | import (ms) | first request (ms) | total (ms) | total CPU (ms) | ratio to the baseline |",
        "|---|---|---|---|---|---|",
        *[
            f"| {which} | {v['import_ms']:.1f} | {v['first_request_ms']:.1f} | {v['total_ms']:.1f} "
            f"| {v['total_cpu_ms']:.1f} | {v['total_ms'] / packaged['baseline']['total_ms']:.2f}x |"
            for which, v in packaged.items()
        ],
        "",
        "Other levers: `-X frozen_modules=on` is already the default of a release build of 3.13 (it freezes "
        "only the interpreter's start-up modules). SnapStart (Lambda, Python 3.12 and later) restores a "
        "snapshot taken after init instead of importing: it cannot be measured here; with it, init would "
        "rather import everything (every schema, the clients) before the snapshot.",
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
        f"(2,000 requests after 200 to warm up; median of {WARM_RUNS} processes). The ratio compares like with like "
        "(the per-tenant request budget off, as the baseline has none); the budget's own cost is its row: "
        "the path of one more UpdateItem here, one more round trip (a few ms) deployed.",
        "",
        "| app | µs per request | CPU µs per request |",
        "|---|---|---|",
        *[f"| {which} | {v['us_per_request']:.0f} | {v['cpu_us_per_request']:.0f} |" for which, v in warm.items()],
        "",
        f"The per-tenant request budget adds **{budget_cost:.0f} µs** of Stride's own path a request "
        "(a lease's UpdateItem, once per many requests).",
        "",
        f"Ratio: **{warm_ratio:.2f}x** (target at most 1.25x: {'met' if warm_ratio <= 1.25 else 'NOT met'}); "
        f"in CPU time {warm_cpu_ratio:.2f}x.",
        "",
        "Where a warm request's time goes (cProfile, 1,000 requests: each part's own time, a builtin counted with "
        "its caller; the calls a request makes hardly depend on the machine's load). Before: each request made a "
        "new marshmallow schema (copying its fields). Now a shaped response needs no marshmallow at all "
        "(`chalicelib/api/responses.py`), and the request line is written straight to stdout rather than "
        "through a log record (~35 µs a request in logging's record, caller lookup and handler).",
        "",
        *profile_lines(profiles),
        "",
        "## The per-tenant request budget",
        "",
        "DynamoDB writes per admitted request: four containers share one tenant (budget 1,000 a minute) that sends "
        "a steady load for five minutes (`bench/probe.py leases LOAD`, the throttle against moto, time driven).",
        "",
        "| load (share of the budget) | writes per request | admitted a minute |",
        "|---|---|---|",
        *[
            f"| {run['load']:.1f} | {run['writes_per_request']:.3f} | {run['admitted_per_minute']:.0f} |"
            for run in leases
        ],
        "",
        f"At {BUDGET_LOAD:.1f}: **{writes:.3f}** writes a request (target at most 0.05: "
        f"{'met' if writes <= 0.05 else 'NOT met'}).",
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
        f"`deployment.zip` from `chalice package --stage prod` and `devtools.package` (which adds the bytecode): "
        f"**{size / 1024:.0f} KiB** (target under 1 MB: {'met' if size < 1024 * 1024 else 'NOT met'}).",
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
        f"| **total** | **{total:.2f}** |",
        "",
        f"The floor (API Gateway, Lambda requests, the mix's own DynamoDB calls, Lambda compute at the baseline's "
        f"path): **{lowest:.2f}**. Stride is **{total / lowest:.3f}x** the floor (target at most {COST_TARGET}x: "
        f"{'met' if total / lowest <= COST_TARGET else 'NOT met'}).",
        "",
    ]
    lines += [routes_section(by_route), ""]
    (ROOT / "bench" / "results.md").write_text("\n".join(lines) + kept_sections())
    print("\n".join(lines))


def kept_sections() -> str:
    """What `make scale` and `make bench-activities` wrote into bench/results.md (between their
    markers), kept by this round."""
    path = ROOT / "bench" / "results.md"
    text = path.read_text() if path.exists() else ""
    kept = []
    for start, end in (
        ("<!-- scale:start -->", "<!-- scale:end -->"),
        ("<!-- email-run:start -->", "<!-- email-run:end -->"),
        ("<!-- activities:start -->", "<!-- activities:end -->"),
    ):
        if start in text and end in text:
            kept.append(start + text.split(start, 1)[1].split(end, 1)[0] + end)
    return "".join(f"\n{section}\n" for section in kept)


def routes_only() -> None:
    """`python bench/run.py --routes`: only the route-by-route cold start, into its section."""
    compile_bytecode()
    section = routes_section(cold_routes())
    write_routes_section(section)
    print(section)


def compile_bytecode() -> None:
    # Fresh bytecode beside the sources, as a developer's machine keeps it: stale .pyc files (this
    # machine sets PYTHONDONTWRITEBYTECODE) would time the compiler, not the app.
    subprocess.run([PYTHON, "-m", "compileall", "-q", "app.py", "chalicelib", "bench/baseline"], cwd=ROOT, check=True)


if __name__ == "__main__":
    routes_only() if sys.argv[1:] == ["--routes"] else main()

"""`make bench-web`: the web app on a phone, measured in Chromium with Playwright.

The phone profile: 4x CPU slowdown (CDP `Emulation.setCPUThrottlingRate`), 150 ms of latency and
1.6 Mbps down, 750 kbps up (`Network.emulateNetworkConditions`), a 390x844 viewport. Against the
local stack of `make run` (started here on free ports, with its demo user), served by
devtools/web.py as it serves `make run`: compressed as CloudFront compresses.

- Sign-in screen: a new browser context (empty cache: cold) opens /signin; then the same page
  opens it again (warm: the HTTP cache; service workers are blocked, see `new_page`). Time to
  first content: from the start of the navigation to the frame where the heading "Sign in to Stride" is on screen.
- Dashboard: the demo user signs in (unthrottled), then the tab is reloaded: cold once the
  browser's cache is cleared, warm with it. Time to first content: to the
  frame where the dashboard shows its data (the weekly count and the trend, no "Loading…").
  Round trips: the chain of requests after the page's own files (config.json, the API, CORS
  preflights), each one started after the one before it answered, up to the dashboard's data.
- Bundle sizes: every JS and CSS file of web/dist, raw, gzip (level 9) and brotli (quality 11, what
  the server sends Chromium); initial = the files index.html loads.

Medians of --runs runs (5 unless told). Writes its section of bench/results.md (between the
web markers) and prints it. Targets: cold at most 1.5x warm, initial JavaScript at most 80 KiB
gzip (issue 27's target; web/test/budget.test.ts guards 40 KiB since the app runs on Preact; sizes
here in KiB, 1,024 bytes), the dashboard's data at most 2 round trips after a reload.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from devtools.local_aws import free_port  # noqa: E402
from devtools.web import DIST, ensure_built  # noqa: E402

RESULTS = ROOT / "bench" / "results.md"
START, END = "<!-- web:start -->", "<!-- web:end -->"
HEADING = "## The web app on a phone (`make bench-web`)"
CHROMIUM = Path(os.environ.get("STRIDE_CHROMIUM", "/usr/bin/chromium"))
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"]
PHONE_VIEWPORT = {"width": 390, "height": 844}
CPU_SLOWDOWN = 4
LATENCY_MS = 150
DOWN_BPS, UP_BPS = 1_600_000, 750_000
TIMEOUT_MS = 60_000
TARGET_GZIP = 80 * 1024  # bytes of initial JavaScript, gzip level 9: issue 27's target
BUDGET_GZIP = 40 * 1024  # what web/test/budget.test.ts allows, since React runs on Preact
SIGN_IN_SHOWN = """() => {
  const heading = document.querySelector("h1");
  return heading && heading.textContent.includes("Sign in to Stride") ? performance.now() : false;
}"""
DASHBOARD_SHOWN = """() => {
  const main = document.querySelector("main.dashboard");
  const goal = document.querySelector('[data-testid="weekly-goal"]');
  return main && goal && !main.textContent.includes("Loading") ? performance.now() : false;
}"""


# --- bundle sizes ---------------------------------------------------------------------------


@dataclass
class Asset:
    name: str
    raw: int
    gzip: int
    brotli: int
    initial: bool


def initial_files(dist: Path) -> set[str]:
    """What index.html loads before anything shows: its module script and stylesheet, the modules
    it preloads, and every module those import statically (never a dynamic import())."""
    page = (dist / "index.html").read_text()
    named = set(re.findall(r'(?:src|href)="/(assets/[^"]+\.(?:js|css))"', page))
    pending = [name for name in named if name.endswith(".js")]
    while pending:
        code = (dist / pending.pop()).read_text()
        for imported in re.findall(r'(?:^|[;})\s])import\s*(?:[^"\'();]*?from\s*)?["\']\./([^"\']+\.js)["\']', code):
            name = f"assets/{imported}"
            if name not in named:
                named.add(name)
                pending.append(name)
    return named


def bundle_sizes(dist: Path = DIST) -> list[Asset]:
    import brotli

    initial = initial_files(dist)
    assets = []
    for path in sorted((dist / "assets").iterdir()):
        if path.suffix not in (".js", ".css"):
            continue
        body = path.read_bytes()
        name = f"assets/{path.name}"
        assets.append(
            Asset(
                name,
                len(body),
                len(gzip.compress(body, compresslevel=9, mtime=0)),
                len(brotli.compress(body, quality=11)),
                name in initial,
            )
        )
    return assets


# --- the local stack -------------------------------------------------------------------------


class Stack:
    """`python -m devtools.run` on free ports; stopped (SIGINT to its own process group) on exit."""

    def __init__(self) -> None:
        self.ports = {name: free_port() for name in ("STRIDE_API_PORT", "STRIDE_AWS_PORT", "STRIDE_WEB_PORT")}
        self.process: subprocess.Popen[str] | None = None
        self.web = f"http://127.0.0.1:{self.ports['STRIDE_WEB_PORT']}"
        self.api = f"http://127.0.0.1:{self.ports['STRIDE_API_PORT']}"
        self.email = "demo@stride.local"
        self.password = ""

    def __enter__(self) -> Stack:
        env = {**os.environ, **{name: str(port) for name, port in self.ports.items()}}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "devtools.run"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        assert self.process.stdout is not None
        deadline = time.monotonic() + 300
        seen = []
        for line in self.process.stdout:
            seen.append(line)
            found = re.match(r"^Demo user\s+\S+ / (\S+)", line)
            if found:
                self.password = found.group(1)
            if line.startswith("READY "):
                break
            if time.monotonic() > deadline:
                break
        if not self.password or not seen or not seen[-1].startswith("READY "):
            self.__exit__()
            raise SystemExit("the local stack did not start:\n" + "".join(seen[-40:]))
        # Its log is not read from here on: drain it so the stack never blocks on a full pipe.
        import threading

        threading.Thread(target=lambda: [None for _ in self.process.stdout or []], daemon=True).start()  # type: ignore[union-attr]
        return self

    def __exit__(self, *_: object) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


# --- the browser ---------------------------------------------------------------------------


@dataclass
class Request:
    url: str
    method: str
    kind: str
    start: float
    end: float | None = None


@dataclass
class NetworkLog:
    """The page's requests as CDP reports them (CORS preflights too), by request id."""

    requests: dict[str, Request] = field(default_factory=dict)

    def attach(self, cdp: Any) -> None:
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.loadingFinished", self._done)
        cdp.on("Network.loadingFailed", self._done)

    def _sent(self, event: dict[str, Any]) -> None:
        key = event["requestId"]
        if event.get("redirectResponse") or key in self.requests:
            key = f"{key}#{len(self.requests)}"
        request = event["request"]
        self.requests[key] = Request(request["url"], request["method"], event.get("type", ""), event["timestamp"])

    def _done(self, event: dict[str, Any]) -> None:
        request = self.requests.get(event["requestId"])
        if request is not None and request.end is None:
            request.end = event["timestamp"]

    def clear(self) -> None:
        self.requests.clear()

    def round_trips(self, web: str, until: str) -> tuple[int, list[str]]:
        """How many round trips in a row (each started after the one before answered) lead to the
        first request whose URL contains `until`, counting what is not the page's own files: the
        API's answers, /config.json, and a request's CORS preflight as one trip before it (CDP
        reports the preflight after the request it clears the way for). With the chain, in order."""
        counted = [
            request
            for request in sorted(self.requests.values(), key=lambda request: request.start)
            if request.url.startswith("http")
            and (not request.url.startswith(web) or request.url.startswith(f"{web}/config.json"))
        ]
        preflights = [request for request in counted if request.method == "OPTIONS"]
        actual = [request for request in counted if request.method != "OPTIONS"]
        chain_of: dict[int, list[str]] = {}
        for index, request in enumerate(actual):
            before = [
                chain_of[other]
                for other in range(index)
                if actual[other].end is not None and actual[other].end <= request.start  # type: ignore[operator]
            ]
            short = request.url.split("//", 1)[-1].split("/", 1)[-1].split("?", 1)[0]
            cleared = any(
                preflight.url == request.url
                and preflight.start >= request.start
                and (request.end is None or preflight.start <= request.end)
                for preflight in preflights
            )
            chain_of[index] = [*max(before, key=len, default=[]), *([f"OPTIONS {short}"] if cleared else [])]
            chain_of[index].append(f"{request.method} {short}")
            if until in request.url:
                return len(chain_of[index]), chain_of[index]
        return 0, []


def throttle(cdp: Any) -> None:
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": LATENCY_MS, "downloadThroughput": DOWN_BPS / 8, "uploadThroughput": UP_BPS / 8},
    )


def unthrottle(cdp: Any) -> None:
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )


def forget_cache(cdp: Any) -> None:
    """An empty cache, as on a first visit."""
    cdp.send("Network.clearBrowserCache")


def shown(page: Any, condition: str) -> float:
    return float(page.wait_for_function(condition, polling="raf", timeout=TIMEOUT_MS).json_value())


def new_page(browser: Any, stack: Stack) -> tuple[Any, Any, Any, NetworkLog]:
    # No service worker: its fetches escape the page's network emulation (CDP throttles the page's
    # target only), so a warm load through it would go at full speed, which no phone sees. The
    # warm load is the HTTP cache's: the page revalidated (ETag), the hashed assets kept.
    context = browser.new_context(
        viewport=PHONE_VIEWPORT, base_url=stack.web, is_mobile=True, has_touch=True, service_workers="block"
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    log = NetworkLog()
    log.attach(cdp)
    return context, page, cdp, log


def sign_in_run(browser: Any, stack: Stack) -> tuple[float, float]:
    context, page, cdp, _ = new_page(browser, stack)
    try:
        throttle(cdp)
        page.goto("/signin", wait_until="commit")
        cold = shown(page, SIGN_IN_SHOWN)
        page.wait_for_load_state("load")
        page.goto("/signin", wait_until="commit")
        warm = shown(page, SIGN_IN_SHOWN)
        return cold, warm
    finally:
        context.close()


@dataclass
class DashboardRun:
    cold: float
    warm: float
    # Round trips before the data: the cold reload (clearing the browser's cache drops the CORS
    # preflights it kept too, as on a first visit), and the warm one.
    trips_first: int
    chain_first: list[str]
    trips_next: int
    chain_next: list[str]


def dashboard_run(browser: Any, stack: Stack) -> DashboardRun:
    context, page, cdp, log = new_page(browser, stack)
    try:
        page.goto("/signin")
        page.get_by_label("E-mail").fill(stack.email)
        page.get_by_label("Password").fill(stack.password)
        page.get_by_role("button", name="Sign in").click()
        shown(page, DASHBOARD_SHOWN)
        throttle(cdp)
        forget_cache(cdp)
        log.clear()
        page.reload(wait_until="commit")
        cold = shown(page, DASHBOARD_SHOWN)
        trips_first, chain_first = log.round_trips(stack.web, "/stats/summary")
        page.wait_for_load_state("load")
        log.clear()
        page.reload(wait_until="commit")
        warm = shown(page, DASHBOARD_SHOWN)
        trips_next, chain_next = log.round_trips(stack.web, "/stats/summary")
        unthrottle(cdp)
        return DashboardRun(cold, warm, trips_first, chain_first, trips_next, chain_next)
    finally:
        context.close()


# --- the report ----------------------------------------------------------------------------


def kb(size: float) -> str:
    """KiB, one decimal."""
    return f"{size / 1024:.1f}"


def report(
    assets: list[Asset],
    runs: int,
    sign_in: list[tuple[float, float]],
    dashboard: list[DashboardRun],
) -> str:
    initial = [asset for asset in assets if asset.initial]
    initial_js_gzip = sum(asset.gzip for asset in initial if asset.name.endswith(".js"))
    lines = [
        f"Made by `make bench-web` (`python bench/web.py --runs {runs}`) on {datetime.now(UTC):%Y-%m-%d}, commit "
        f"{_commit()}, {_chromium()}; phone profile: {CPU_SLOWDOWN}x CPU slowdown, {LATENCY_MS} ms latency, "
        f"{DOWN_BPS / 1e6:.1f} Mbps down, {PHONE_VIEWPORT['width']}x{PHONE_VIEWPORT['height']}. Medians of {runs} runs "
        "(the machine is shared: read medians and ratios).",
        "",
        "Before (issue 27, the same profile): the sign-in heading 3.3 s cold, 1.0 s warm; one 341 KB bundle"
        " (104 KB gzip) served uncompressed; 4-5 round trips in a row before the dashboard's data"
        " (config, refresh, preferences, the data). On React (before Preact, commit 9d6634b): sign-in 1,177 ms"
        " cold, 559 ms warm (2.1x); initial JavaScript 78.3 KiB gzip, of which react-dom about 63 KB.",
        "",
        "| screen | cold (ms) | warm (ms) | cold / warm | target |",
        "|---|---|---|---|---|",
    ]
    for name, pairs in (
        ("sign-in, first content", sign_in),
        ("dashboard's data, after a reload", [(run.cold, run.warm) for run in dashboard]),
    ):
        cold = statistics.median(pair[0] for pair in pairs)
        warm = statistics.median(pair[1] for pair in pairs)
        ratio = cold / warm
        verdict = "met" if ratio <= 1.5 else "NOT met"
        lines.append(f"| {name} | {cold:.0f} | {warm:.0f} | {ratio:.2f}x | at most 1.5x: {verdict} |")
    first = statistics.median(run.trips_first for run in dashboard)
    following = statistics.median(run.trips_next for run in dashboard)
    longest_first = max(dashboard, key=lambda run: run.trips_first).chain_first
    longest_next = max(dashboard, key=lambda run: run.trips_next).chain_next
    lines += [
        "",
        "Round trips in a row before the dashboard's data after a reload (medians; a CORS preflight is one): "
        f"**{following:.0f}** on a reload (target at most 2: {'met' if following <= 2 else 'NOT met'}), "
        + " → ".join(f"`{step}`" for step in longest_next)
        + f"; **{first:.0f}** on the cold reload (clearing the browser's cache drops the preflights it kept"
        " too, as on a first visit): "
        + " → ".join(f"`{step}`" for step in longest_first)
        + ". The API lets the browser keep a preflight 2 hours (`Access-Control-Max-Age: 7200`).",
        "",
        f"Initial JavaScript (what index.html loads): **{kb(initial_js_gzip)} KiB gzip** ({initial_js_gzip:,} bytes) "
        f"(target at most {kb(TARGET_GZIP)} KiB: {'met' if initial_js_gzip <= TARGET_GZIP else 'NOT met'}; "
        f"budget at most {kb(BUDGET_GZIP)} KiB: {'met' if initial_js_gzip <= BUDGET_GZIP else 'NOT met'}); "
        f"{kb(sum(a.raw for a in initial if a.name.endswith('.js')))} KiB raw, "
        f"{kb(sum(a.brotli for a in initial if a.name.endswith('.js')))} KiB brotli (what Chromium is sent). "
        f"All JavaScript: {kb(sum(a.gzip for a in assets if a.name.endswith('.js')))} KiB gzip in "
        f"{sum(1 for a in assets if a.name.endswith('.js'))} files.",
        "",
        "| file | raw (KiB) | gzip (KiB) | brotli (KiB) | initial |",
        "|---|---|---|---|---|",
    ]
    for asset in sorted(assets, key=lambda asset: (not asset.initial, -asset.raw)):
        initial_mark = "yes" if asset.initial else ""
        lines.append(f"| {asset.name} | {kb(asset.raw)} | {kb(asset.gzip)} | {kb(asset.brotli)} | {initial_mark} |")
    return "\n".join(lines)


def _commit() -> str:
    completed = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return completed.stdout.strip() or "unknown"


def _chromium() -> str:
    completed = subprocess.run([str(CHROMIUM), "--version"], capture_output=True, text=True, check=False)
    return " ".join(completed.stdout.split()[:2]) or "Chromium"


def write_section(text: str, results: Path = RESULTS) -> None:
    section = f"{START}\n{HEADING}\n\n{text}\n{END}"
    current = results.read_text() if results.exists() else "# Benchmarks\n"
    if START in current and END in current:
        before, rest = current.split(START, 1)
        after = rest.split(END, 1)[1]
        results.write_text(before + section + after)
    else:
        results.write_text(current.rstrip("\n") + "\n\n" + section + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/results.md as it is")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    ensure_built(sys.stdout)
    assets = bundle_sizes()
    with Stack() as stack, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        try:
            # One round first, not counted: the server compresses each file once (as CloudFront's
            # edge keeps what it compressed) and the stack's first requests are its slowest.
            sign_in_run(browser, stack)
            dashboard_run(browser, stack)
            sign_in, dashboard = [], []
            for run in range(args.runs):
                sign_in.append(sign_in_run(browser, stack))
                dashboard.append(dashboard_run(browser, stack))
                print(f"run {run + 1}: sign-in {sign_in[-1]}, dashboard {dashboard[-1]}", flush=True)
        finally:
            browser.close()
    text = report(assets, args.runs, sign_in, dashboard)
    print(text)
    if not args.no_write:
        write_section(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

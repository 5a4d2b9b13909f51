"""`make smoke URL=...`: a short black-box journey against any deployed stage (or `make run`), one
PASS/FAIL/SKIP line per step; exits 1 when a step fails. Only the public API, over HTTP, stdlib only.

    python -m devtools.smoke --url https://api.fitco.io --email smoke@fitco.io --password ...
    python -m devtools.smoke --url https://api.fitco.io --signup you+smoke@fitco.io [--code 123456]

With an operator's test account (--email/--password, or SMOKE_EMAIL/SMOKE_PASSWORD), the journey
logs in, records a weight, reads it back, the summary and the export, streams the first video of
its library (the signed link fetched, its first byte only; SKIP when the library is empty), then
deletes the weight: the account stays for the next run. With --signup it signs a new account up through the real flow
(the code Cognito e-mails is asked for on the terminal, or given with --code), and ends by deleting
the account and checking it can no longer log in. Every request carries one X-Correlation-Id
(printed), to find the run in the logs.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

UNAMBIGUOUS_CHARACTERS = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class StepFailed(Exception):
    pass


class StepSkipped(Exception):
    """The stage or account has nothing for this step to check (said on its SKIP line)."""


@dataclass
class Answer:
    status: int
    body: Any


@dataclass
class Journey:
    url: str
    correlation_id: str
    timeout: float = 15.0
    token: str | None = None
    facts: dict[str, Any] = field(default_factory=dict)

    def call(self, method: str, path: str, body: Any = None, *, authorized: bool = True) -> Answer:
        headers = {"X-Correlation-Id": self.correlation_id, "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if authorized and self.token:
            headers["Authorization"] = self.token
        request = urllib.request.Request(self.url.rstrip("/") + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                status, text = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read()
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise StepFailed(f"{method} {path}: no answer ({error})") from None
        try:
            return Answer(status, json.loads(text) if text else None)
        except json.JSONDecodeError:
            raise StepFailed(f"{method} {path}: {status}, not JSON: {text[:120]!r}") from None

    def expect(self, answer: Answer, status: int, what: str) -> Any:
        if answer.status != status:
            error = (answer.body or {}).get("error", {}) if isinstance(answer.body, dict) else {}
            raise StepFailed(f"{what}: expected {status}, got {answer.status} {error.get('code', '')}".rstrip())
        return answer.body


def health(journey: Journey) -> str:
    body = journey.expect(journey.call("GET", "/health", authorized=False), 200, "GET /health")
    if body.get("status") != "ok":
        raise StepFailed(f"GET /health: status {body.get('status')!r}")
    return "ok"


def signup(journey: Journey) -> str:
    body = {"email": journey.facts["email"], "password": journey.facts["password"], "name": "Smoke Test"}
    journey.expect(journey.call("POST", "/auth/signup", body, authorized=False), 201, "POST /auth/signup")
    return journey.facts["email"]


def confirm(journey: Journey) -> str:
    code = journey.facts.get("code") or _ask(f"Code e-mailed to {journey.facts['email']}: ")
    body = {"email": journey.facts["email"], "code": code}
    journey.expect(journey.call("POST", "/auth/confirm", body, authorized=False), 200, "POST /auth/confirm")
    return "confirmed"


def login(journey: Journey) -> str:
    body = {"email": journey.facts["email"], "password": journey.facts["password"]}
    tokens = journey.expect(journey.call("POST", "/auth/login", body, authorized=False), 200, "POST /auth/login")
    journey.token = tokens["id_token"]
    return f"token for {tokens['expires_in']} s"


def record_weight(journey: Journey) -> str:
    measured = (datetime.now(UTC) - timedelta(minutes=1)).replace(microsecond=0).isoformat()
    body = {"weight": {"value": 72.4, "unit": "kg"}, "measured_at": measured, "note": "smoke test"}
    created = journey.expect(journey.call("POST", "/weights", body), 201, "POST /weights")
    journey.facts["weight_id"] = created["id"]
    return created["id"]


def read_weight(journey: Journey) -> str:
    path = f"/weights/{journey.facts['weight_id']}"
    weight = journey.expect(journey.call("GET", path), 200, f"GET {path}")
    if weight.get("note") != "smoke test":
        raise StepFailed(f"GET {path}: not the weight just written")
    return "read back"


def summary(journey: Journey) -> str:
    journey.expect(journey.call("GET", "/stats/summary"), 200, "GET /stats/summary")
    return "ok"


def export(journey: Journey) -> str:
    document = journey.expect(journey.call("GET", "/me/export"), 200, "GET /me/export")
    if "download_url" in document:  # a large export is a 5-minute link to the same document
        with urllib.request.urlopen(document["download_url"], timeout=journey.timeout) as response:
            document = json.loads(response.read())
    if journey.facts["weight_id"] not in [weight.get("id") for weight in document.get("weights", [])]:
        raise StepFailed("GET /me/export: the weight just written is not in it")
    return f"{len(document.get('weights', []))} weight(s)"


def stream_video(journey: Journey) -> str:
    """A video of the account's library streams: `/videos/{id}/stream` answers a signed link (CloudFront's
    where the stage has the video CDN, else S3's), and the link itself answers its first byte. Skipped
    when the library is empty (a smoke account that is a member of a gym with a video covers it)."""
    listing = journey.expect(journey.call("GET", "/videos?limit=1"), 200, "GET /videos")
    items = listing.get("items") or []
    if not items:
        raise StepSkipped("no video in this account's library")
    path = f"/videos/{items[0]['id']}/stream"
    link = journey.expect(journey.call("GET", path), 200, f"GET {path}")
    request = urllib.request.Request(link["url"], headers={"Range": "bytes=0-0"})
    try:
        with urllib.request.urlopen(request, timeout=journey.timeout) as response:
            status, host = response.status, urllib.parse.urlsplit(link["url"]).hostname
    except urllib.error.HTTPError as error:
        raise StepFailed(f"{path}: its signed link answers {error.code}") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise StepFailed(f"{path}: its signed link: no answer ({error})") from error
    if status not in (200, 206):
        raise StepFailed(f"{path}: its signed link answers {status}")
    return f"signed link answers {status} from {host}"


def delete_weight(journey: Journey) -> str:
    path = f"/weights/{journey.facts['weight_id']}"
    journey.expect(journey.call("DELETE", path), 204, f"DELETE {path}")
    journey.expect(journey.call("GET", path), 404, f"GET {path} after its deletion")
    return "deleted, now 404"


def delete_account(journey: Journey) -> str:
    journey.expect(journey.call("DELETE", "/me"), 202, "DELETE /me")
    journey.token = None
    body = {"email": journey.facts["email"], "password": journey.facts["password"]}
    answer = journey.call("POST", "/auth/login", body, authorized=False)
    if answer.status == 200:
        raise StepFailed("POST /auth/login still succeeds after DELETE /me")
    return f"deleted, login now {answer.status}"


def _ask(prompt: str) -> str:
    if not sys.stdin.isatty():
        raise StepFailed("no --code and no terminal to ask for the confirmation code on")
    return input(prompt).strip()


def steps(signing_up: bool) -> list[tuple[str, Callable[[Journey], str]]]:
    account = [("signup", signup), ("confirm", confirm)] if signing_up else []
    ending = [("delete account", delete_account)] if signing_up else [("delete weight", delete_weight)]
    core = [("login", login), ("weight", record_weight), ("read back", read_weight)]
    checks = [("summary", summary), ("export", export), ("video stream", stream_video)]
    return [("health", health), *account, *core, *checks, *ending]


def run(journey: Journey, signing_up: bool, out: Callable[[str], None] = print) -> bool:
    """Runs the steps in order; after a failure the rest are skipped (each needs the one before)."""
    out(f"smoke {journey.url} (X-Correlation-Id: {journey.correlation_id})")
    failed = False
    for name, step in steps(signing_up):
        if failed:
            out(f"SKIP {name}")
            continue
        started = time.perf_counter()
        try:
            detail = step(journey)
        except StepSkipped as why:
            out(f"SKIP {name}: {why}")
            continue
        except StepFailed as error:
            failed = True
            out(f"FAIL {name}: {error}")
            continue
        out(f"PASS {name}: {detail} ({(time.perf_counter() - started) * 1000:.0f} ms)")
    out("smoke: FAILED" if failed else "smoke: passed")
    return not failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="the stage's API, e.g. https://api.fitco.io")
    parser.add_argument("--email", default=os.environ.get("SMOKE_EMAIL"), help="an operator's test account")
    parser.add_argument("--password", default=os.environ.get("SMOKE_PASSWORD"))
    parser.add_argument("--signup", metavar="EMAIL", help="sign a new account up at EMAIL instead")
    parser.add_argument("--code", help="the sign-up confirmation code (asked for on the terminal otherwise)")
    args = parser.parse_args(argv)
    if not args.signup and not (args.email and args.password):
        parser.error("give --email and --password (or SMOKE_EMAIL and SMOKE_PASSWORD), or --signup EMAIL")
    journey = Journey(args.url, f"smoke-{secrets.token_hex(8)}")
    if args.signup:
        # Meets every class the pool's policy asks for, whatever the random part holds.
        password = "Sm0ke-" + "".join(secrets.choice(UNAMBIGUOUS_CHARACTERS) for _ in range(16)) + "-a1Z"
        journey.facts.update(email=args.signup, password=password, code=args.code)
    else:
        journey.facts.update(email=args.email, password=args.password)
    return 0 if run(journey, bool(args.signup)) else 1


if __name__ == "__main__":
    sys.exit(main())

"""`make fuzz`: schemathesis, driven by /openapi.json, against the local stack of `make run`.

It signs in as the demo user and as a second member (a peer): every operation runs as the demo
user, and `object_level_authorization` replays the demo user's reads as the peer, who must not
get the demo user's objects. All checks, every phase (examples, coverage, fuzzing, stateful).

`--quick` (CI) generates at least MIN_QUICK_REQUESTS requests; without it, more examples per
operation. fuzz/hooks.py keeps valid cases valid where a rule depends on the clock (see there).

Two operations are left out, because they would end the fuzzer's own session: `DELETE /me`
deletes the account it is signed in with, and `POST /auth/reset-password` changes its password
(locally, moto accepts any reset code, and schemathesis reuses the e-mail GET /me answered).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
API_PORT, AWS_PORT = "18901", "15901"
MIN_QUICK_REQUESTS = 2000
EXAMPLES = {"quick": 15, "full": 250}
# Operations run on this many threads at once: a request spends most of its time waiting on the
# local stack (HTTP, then moto), so one at a time leaves both cores idle most of the run.
WORKERS = 4
PEER_EMAIL, PEER_PASSWORD = "peer@stride.local", "Peer-fuzz-pass-2026!"
LEFT_OUT = ("delete_account", "reset_password")
# ST202 (positive_data_acceptance) allows these. The default set plus 422: the API's answer to a
# schema-valid request that refers to something in the wrong state (an avatar id that is not a
# confirmed upload of yours, an Idempotency-Key reused with another body). Whether an id names a
# ready upload is data, not shape; the 422s are documented on the operations that answer them.
# And 412: a well-formed If-Match naming a version the item is no longer (or never was) at.
ACCEPTED_STATUSES = ["2xx", "3xx", "401", "403", "404", "409", "412", "422", "429", "5xx"]
# ST201 (negative_data_rejection): the default set plus 413, the contract's answer to an upload
# declared larger than its purpose allows (the document states each purpose's limit).
REJECTED_STATUSES = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429", "5xx"]
# Operations whose valid bodies depend on something no static schema can state, so a 400 there
# answers a schema-valid request rightly: a confirmation code must be the one e-mailed to the
# address (Cognito's own answer to a wrong one is a 400), and a submission's answers must fit the
# questions of the assessment named in the path (the contract asks for a 400 listing them), and an
# unsubscribe token must be one the app signed (a forged one is a 400, like a forged cursor).
DATA_BOUND = ("confirm_sign_up", "submit_assessment", "unsubscribe", "unsubscribe_one_click")


def _post(api: str, path: str, body: dict) -> dict:
    request = urllib.request.Request(
        f"{api}{path}", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def _user(name: str, email: str, password: str) -> dict:
    login = {"email": email, "password": password}
    return {
        "name": name,
        "loginEndpointAuth": {
            "endpoint": "/auth/login",
            "verb": "POST",
            "contentType": "application/json",
            "payloadRaw": json.dumps(login),
            "token": {
                "extractFrom": "body",
                "extractSelector": "/id_token",
                "sendIn": "header",
                "sendName": "Authorization",
            },
        },
    }


def write_config(directory: Path, demo: tuple[str, str]) -> Path:
    auth = directory / "users.json"
    auth.write_text(json.dumps({"auth": [_user("demo", *demo), _user("peer", PEER_EMAIL, PEER_PASSWORD)]}))
    config = directory / "schemathesis.toml"
    config.write_text(
        "[auth.wfc]\n"
        f"path = {json.dumps(str(auth))}\n"
        'user = "demo"\n'
        'peers = ["demo", "peer"]\n'
        "\n[checks.positive_data_acceptance]\n"
        f"expected-statuses = {json.dumps(ACCEPTED_STATUSES)}\n"
        "\n[checks.negative_data_rejection]\n"
        f"expected-statuses = {json.dumps(REJECTED_STATUSES)}\n"
        + "".join(
            f"\n[[operations]]\ninclude-operation-id = {json.dumps(name)}\n"
            f"checks.positive_data_acceptance.expected-statuses = {json.dumps([*ACCEPTED_STATUSES, '400'])}\n"
            for name in DATA_BOUND
        )
    )
    return config


def generated(output: str) -> int:
    match = re.search(r"(\d+) generated", output)
    return int(match.group(1)) if match else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--only", metavar="REGEX", help="only the operations whose path matches (e.g. ^/workouts/files)"
    )
    parser.add_argument("--max-time", metavar="SECONDS", type=int, help="a time budget for the whole run")
    args = parser.parse_args()
    stack = subprocess.Popen(
        # No web app: the fuzzer needs the API only (and CI builds the web app beside it).
        [sys.executable, "-m", "devtools.run", "--api-port", API_PORT, "--aws-port", AWS_PORT, "--no-web"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        banner = ""
        for line in stack.stdout:
            banner += line
            if line.startswith("READY "):
                break
        # Keep reading its request log: a full pipe would block every request thread mid-write.
        threading.Thread(target=lambda: [None for _ in stack.stdout], daemon=True).start()
        api = banner.strip().splitlines()[-1].split()[1]
        demo = re.search(r"Demo user\s+(\S+) / (\S+)", banner).groups()
        _post(api, "/auth/signup", {"email": PEER_EMAIL, "password": PEER_PASSWORD, "name": "Peer"})
        _post(api, "/auth/confirm", {"email": PEER_EMAIL, "code": "000000"})  # moto takes any code
        with tempfile.TemporaryDirectory() as directory:
            config = write_config(Path(directory), demo)
            command = [
                str(Path(sys.executable).parent / "schemathesis"),
                "--config-file",
                str(config),
                "run",
                f"{api}/openapi.json",
                "--checks",
                "all",
                "-n",
                str(EXAMPLES["quick" if args.quick else "full"]),
                "--workers",
                str(WORKERS),
                *[option for name in LEFT_OUT for option in ("--exclude-operation-id", name)],
                *(["--include-path-regex", args.only] if args.only else []),
                *(["--max-time", str(args.max_time)] if args.max_time else []),
            ]
            environment = {**os.environ, "SCHEMATHESIS_HOOKS": "fuzz.hooks", "PYTHONPATH": str(ROOT)}
            run = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, text=True)
            output = ""
            for line in run.stdout:
                sys.stdout.write(line)
                output += line
            code = run.wait()
        count = generated(output)
        print(f"make fuzz: {count} requests generated, schemathesis exit code {code}")
        if args.quick and not args.only and count < MIN_QUICK_REQUESTS:
            print(f"make fuzz: quick mode must generate at least {MIN_QUICK_REQUESTS} requests")
            return code or 1
        return code
    finally:
        stack.terminate()
        stack.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())

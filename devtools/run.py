"""`make run`: the embedded AWS, the API on http://127.0.0.1:8000, the web app on
http://127.0.0.1:5173 (when node and npm are there to build it), and a demo user.

One process: Ctrl-C (or SIGTERM) stops the API and moto together and leaves nothing behind,
within STOP_GRACE_SECONDS whatever it is doing: a signal during the start aborts the start (and
what had started is stopped); a stop that hangs, or a second signal, ends the process at once.
Each step of the start prints a `Starting: ...` line, so a log shows where a slow start was.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import secrets
import signal
import sys
import threading
import urllib.request
import warnings
from collections.abc import Callable
from types import FrameType
from typing import Any, TextIO

DEMO_EMAIL = "demo@stride.local"
# What a stop may take (the servers' loops notice a shutdown within half a second); past it the
# process ends anyway: a stack that outlives its Ctrl-C holds its ports.
STOP_GRACE_SECONDS = 7.0


class Interrupted(BaseException):
    """A signal arrived while the stack was starting: the start is abandoned where it is."""


SIGNAL_POLL_SECONDS = 0.2


class Stopper:
    """SIGINT and SIGTERM. The first sets `event` (the running stack stops) and, while the stack
    is still starting, raises Interrupted in the main thread, so no step of the start (an npm
    build, provisioning, the demo sign-up) runs on after it. A stop that takes longer than
    `grace` seconds, or a second signal, ends the process at once (`exit`, os._exit by default:
    it frees the ports whatever a thread is stuck in). Messages go straight to the file
    descriptor: the main thread may hold the lock of sys.stdout when they are written."""

    def __init__(self, grace: float = STOP_GRACE_SECONDS, exit: Callable[[int], Any] = os._exit, fd: int = 1):
        self.event = threading.Event()
        self.stopped = threading.Event()  # set once everything that started is stopped
        self.interruptible = True  # while starting; not once ready, nor while stopping
        self._grace = grace
        self._exit = exit
        self._fd = fd
        self._watch_lock = threading.Lock()
        self._watching = False

    def install(self) -> None:
        signal.signal(signal.SIGTERM, self.handle)
        signal.signal(signal.SIGINT, self.handle)

    def handle(self, signum: int, _frame: FrameType | None = None) -> None:
        name = signal.Signals(signum).name
        if self.event.is_set():
            self.force(f"a second {name}")
            return
        self.event.set()
        self.arm()
        if self.interruptible:
            self.interruptible = False
            raise Interrupted(name)

    def arm(self) -> None:
        """The stop has begun (a signal, or a start that failed): it has `grace` seconds."""
        with self._watch_lock:
            if self._watching:
                return
            self._watching = True
        threading.Thread(target=self._watch, name="stride-stop-watch", daemon=True).start()

    def _watch(self) -> None:
        if not self.stopped.wait(self._grace):
            self.force(f"still stopping after {self._grace:g} s")

    def force(self, why: str) -> None:
        os.write(self._fd, f"Stopped (forced: {why}).\n".encode())
        self._exit(0)


def step(out: TextIO, what: str) -> None:
    print(f"Starting: {what}", file=out, flush=True)


def _post(url: str, payload: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def seed_demo_user(api: str, aws: Any, pool_id: str) -> str:
    """Signs the demo user up through the API itself, then confirms it and its address as an
    admin would (an admin's confirmation verifies no address; invitations want a verified one)."""
    password = f"Demo-{secrets.token_urlsafe(9)}-7a"
    _post(f"{api}/auth/signup", {"email": DEMO_EMAIL, "password": password, "name": "Demo Athlete"})
    cognito = aws.client("cognito-idp")
    cognito.admin_confirm_sign_up(UserPoolId=pool_id, Username=DEMO_EMAIL)
    verified = [{"Name": "email_verified", "Value": "true"}]
    cognito.admin_update_user_attributes(UserPoolId=pool_id, Username=DEMO_EMAIL, UserAttributes=verified)
    return password


def banner(api: str, aws_endpoint: str, password: str | None, web: str, dev_token: str) -> str:
    lines = [
        f"Stride API   {api}",
        web,
        f"Local AWS    {aws_endpoint} (moto)",
        f"OpenAPI      {api}/openapi.json",
        f"Dev tools    {api}/dev/ with the header X-Dev-Token: {dev_token} (this run only)",
    ]
    if password:
        login = json.dumps({"email": DEMO_EMAIL, "password": password})
        lines += [
            f"Demo user    {DEMO_EMAIL} / {password}",
            "",
            "Try it:",
            f"  TOKEN=$(curl -s -X POST {api}/auth/login -H 'Content-Type: application/json' -d '{login}' "
            "| python3 -c 'import sys, json; print(json.load(sys.stdin)[\"id_token\"])')",
            f'  curl -s {api}/me -H "Authorization: Bearer $TOKEN"',
        ]
    lines += ["", "Ctrl-C stops everything."]
    return "\n".join(lines)


def prepare_web(args: argparse.Namespace) -> tuple[Any, str]:
    """web/dist (built if stale) and the banner's line; (None, why not) when it is skipped."""
    if args.no_web:
        return None, "Web app      skipped (--no-web)"
    from devtools.local_aws import ensure_port_free
    from devtools.web import WebBuildFailed, WebUnavailable, ensure_built

    ensure_port_free(args.web_port, "the web app (STRIDE_WEB_PORT chooses another)")
    try:
        dist = ensure_built(sys.stdout)
    except (WebUnavailable, WebBuildFailed) as reason:
        print(f"Web app skipped: {reason}. The API runs without it.", flush=True)
        return None, f"Web app      skipped: {reason}"
    return dist, f"Web app      http://127.0.0.1:{args.web_port}"


def main(argv: list[str] | None = None) -> int:
    # Installed first: a Ctrl-C or SIGTERM at any point from here on stops everything that started.
    stopper = Stopper()
    stopper.install()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--api-port", type=int, default=int(os.environ.get("STRIDE_API_PORT", 8000)))
    parser.add_argument("--aws-port", type=int, default=int(os.environ.get("STRIDE_AWS_PORT", 5100)))
    parser.add_argument("--web-port", type=int, default=int(os.environ.get("STRIDE_WEB_PORT", 5173)))
    parser.add_argument("--no-web", action="store_true", help="do not build or serve the web app")
    parser.add_argument("--no-demo", action="store_true", help="do not create the demo user")
    args = parser.parse_args(argv)

    # moto's and chalice's own per-request lines drown the API's JSON log: keep errors only.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message=".*is not a supported in local mode.*")
    try:
        return _serve(args, stopper)
    except Interrupted as signal_name:  # before anything started (the local AWS's imports take seconds)
        print(f"{signal_name} while starting: the start is abandoned.\nStopped.", flush=True)
        return 0
    finally:
        stopper.stopped.set()


def _serve(args: argparse.Namespace, stopper: Stopper) -> int:
    from devtools.local_aws import LocalAws, ensure_port_free

    ensure_port_free(args.api_port, "the API")
    ensure_port_free(args.aws_port, "the local AWS")
    web_origin = f"http://127.0.0.1:{args.web_port}"
    # Each part is named here once it runs, so the stop stops exactly what runs (a server whose
    # loop never started would wait for it forever).
    aws = server = web = None
    try:
        web_dist, web_line = prepare_web(args)
        step(sys.stdout, f"the local AWS (moto) on 127.0.0.1:{args.aws_port}")
        starting_aws = LocalAws(args.aws_port)
        starting_aws.start()
        aws = starting_aws
        step(sys.stdout, "the user pool, table and bucket, from infra/stride.json")
        environment = aws.provision("local", web_origin=web_origin if web_dist else None)
        os.environ.update(environment)
        step(sys.stdout, f"the API on 127.0.0.1:{args.api_port}")
        from devtools.local_gateway import build_server, new_dev_token

        dev_token = new_dev_token()
        # CORS allows the web app's origin, whichever port it is on.
        built = build_server("127.0.0.1", args.api_port, dev_token, frontend_origin=web_origin if web_dist else None)
        threading.Thread(target=built.server.serve_forever, name="stride-api", daemon=True).start()
        server = built
        # What Lambda does for the event handlers: the table's stream and the schedules.
        from devtools import local_events
        from devtools.infra import stage_environment

        # The handlers run in this process and put their environment into os.environ while they
        # run: it must be the API's own (the web app's origin, this server's URL, as build_server
        # set them), or a request answered meanwhile reads the stage's defaults (port 5173 refused
        # the web app as a foreign page; /openapi.json named port 8000).
        stage = {
            name: os.environ.get(name, value) for name, value in {**stage_environment("local"), **environment}.items()
        }
        aws.run_triggers(sys.modules["app"].app, stage)
        local_events.start(aws, sys.modules["app"].app, stage["TABLE_NAME"], stage, stopper.event)
        api = f"http://127.0.0.1:{args.api_port}"
        if web_dist:
            from devtools.web import WebServer

            step(sys.stdout, f"the web app on 127.0.0.1:{args.web_port}")
            # The API signs links to the local bucket: uploads, images and videos come from there.
            serving = WebServer("127.0.0.1", args.web_port, api_origin=api, media_origins=(aws.endpoint,))
            serving.start()
            web = serving
        password = None
        if not args.no_demo:
            step(sys.stdout, f"the demo user {DEMO_EMAIL}")
            password = seed_demo_user(api, aws, environment["USER_POOL_ID"])
        stopper.interruptible = False
        if stopper.event.is_set():  # a signal between the last step and here
            return 0
        print(banner(api, aws.endpoint, password, web_line, dev_token), flush=True)
        print(f"READY {api} {aws.endpoint} {environment['USER_POOL_ID']} {environment['APP_CLIENT_IDS']}", flush=True)
        # In short waits, not one long one: a signal the kernel hands to another thread (the API's,
        # busy with a request) only sets a flag the main thread acts on when it next wakes, and a
        # wait with no timeout never woke (make load's SIGTERM left the stack running for minutes).
        while not stopper.event.wait(SIGNAL_POLL_SECONDS):
            pass
    except Interrupted as signal_name:
        print(f"{signal_name} while starting: the start is abandoned.", flush=True)
    finally:
        stopper.interruptible = False  # a signal now only hurries the stop along
        stopper.arm()
        if web is not None:
            web.stop()
        if server is not None:
            server.shutdown()
            server.server.server_close()
        if aws is not None:
            aws.stop()
        print("Stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

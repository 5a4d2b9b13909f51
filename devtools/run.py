"""`make run`: the embedded AWS, the API on http://127.0.0.1:8000, the web app on
http://127.0.0.1:5173 (when node and npm are there to build it), and a demo user.

One process: Ctrl-C (or SIGTERM) stops the API and moto together and leaves nothing behind.
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
from typing import Any

DEMO_EMAIL = "demo@stride.local"


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
    from devtools.local_aws import LocalAws, ensure_port_free

    # Installed first: a Ctrl-C at any point from here on stops everything that started.
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    ensure_port_free(args.api_port, "the API")
    ensure_port_free(args.aws_port, "the local AWS")
    web_dist, web_line = prepare_web(args)
    web_origin = f"http://127.0.0.1:{args.web_port}"
    aws = LocalAws(args.aws_port)
    aws.start()
    server = web = None
    try:
        environment = aws.provision("local", web_origin=web_origin if web_dist else None)
        os.environ.update(environment)
        from devtools.local_gateway import build_server, new_dev_token

        dev_token = new_dev_token()
        # CORS allows the web app's origin, whichever port it is on.
        server = build_server("127.0.0.1", args.api_port, dev_token, frontend_origin=web_origin if web_dist else None)
        threading.Thread(target=server.server.serve_forever, name="stride-api", daemon=True).start()
        # What Lambda does for the event handlers: the table's stream and the schedules.
        from devtools import local_events
        from devtools.infra import stage_environment

        stage = {**stage_environment("local"), **environment}
        aws.run_triggers(sys.modules["app"].app, stage)
        local_events.start(aws, sys.modules["app"].app, stage["TABLE_NAME"], stage, stop)
        api = f"http://127.0.0.1:{args.api_port}"
        if web_dist:
            from devtools.web import WebServer

            # The API signs links to the local bucket: uploads, images and videos come from there.
            web = WebServer("127.0.0.1", args.web_port, api_origin=api, media_origins=(aws.endpoint,))
            web.start()
        password = None if args.no_demo else seed_demo_user(api, aws, environment["USER_POOL_ID"])
        print(banner(api, aws.endpoint, password, web_line, dev_token), flush=True)
        print(f"READY {api} {aws.endpoint} {environment['USER_POOL_ID']} {environment['APP_CLIENT_IDS']}", flush=True)
        stop.wait()
    finally:
        if web is not None:
            web.stop()
        if server is not None:
            server.shutdown()
            server.server.server_close()
        aws.stop()
        print("Stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

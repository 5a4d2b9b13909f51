"""Webhooks over real HTTP on the local stack: its stream pump hands the new workout to the
delivery handler, which POSTs it, signed, to a receiver on this machine."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.api.test_webhooks import readme_verifier
from tests.e2e.test_journey import _new_user


def test_a_receiver_gets_a_signed_delivery_for_a_new_workout(stack):
    received: list[tuple[dict, bytes]] = []
    arrived = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((dict(self.headers), body))
            self.send_response(204)
            self.end_headers()
            arrived.set()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        _, _, login = _new_user(stack)
        token = login["id_token"]
        url = f"http://127.0.0.1:{server.server_address[1]}/stride"
        hook = stack.call("POST", "/me/webhooks", {"url": url, "events": ["workout.created"]}, token=token)
        assert hook.status == 201, hook.body
        workout = {"started_at": "2026-01-02T18:00:00-05:00", "duration_min": 30, "type": "cardio", "title": "Run"}
        started = time.monotonic()
        created = stack.call("POST", "/workouts", workout, token=token)
        assert created.status == 201

        assert arrived.wait(10), f"no delivery within 10 seconds; the stack said:\n{stack.output.text[-4000:]}"
        took = time.monotonic() - started
        [(headers, body)] = received
        assert readme_verifier()(hook.body["secret"], headers["Stride-Signature"], body)
        event = json.loads(body)
        assert event["type"] == "workout.created" and event["data"] == created.body
        assert headers["Stride-Event-Id"] == event["id"]
        print(f"delivered {took:.2f} s after the POST")
        listed = stack.call("GET", "/me/webhooks", token=token).body["items"]
        assert listed[0]["status"] == "active" and "secret" not in listed[0]
    finally:
        server.shutdown()
        server.server_close()

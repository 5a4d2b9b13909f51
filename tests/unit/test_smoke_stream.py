"""`make smoke`'s video step against a small HTTP stand-in for a stage: the stream route's signed link
is fetched (first byte), a link the CDN refuses fails the step, an empty library skips it."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from devtools import smoke


class Stage:
    def __init__(self) -> None:
        self.videos: list[dict[str, Any]] = [{"id": "v1"}]
        self.link_status = 206
        self.ranges: list[str | None] = []


@pytest.fixture
def stage() -> Iterator[tuple[Stage, str]]:
    state = Stage()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _answer(self, status: int, body: Any) -> None:
            data = json.dumps(body).encode() if not isinstance(body, bytes) else body
            self.send_response(status)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            host = f"http://127.0.0.1:{self.server.server_address[1]}"
            if self.path == "/videos?limit=1":
                self._answer(200, {"items": state.videos, "next_cursor": None})
            elif self.path == "/videos/v1/stream":
                self._answer(200, {"url": f"{host}/signed/v1?Signature=abc", "expires_in": 300})
            elif self.path.startswith("/signed/v1"):
                state.ranges.append(self.headers.get("Range"))
                self._answer(state.link_status, b"\x00" if state.link_status < 400 else b"AccessDenied")
            else:
                self._answer(404, {"error": {"code": "not_found", "message": "no"}})

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield state, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def journey(url: str) -> smoke.Journey:
    return smoke.Journey(url, "smoke-test", timeout=5, token="token")


def test_the_stream_step_fetches_the_signed_links_first_byte(stage: tuple[Stage, str]) -> None:
    state, url = stage
    assert smoke.stream_video(journey(url)) == "signed link answers 206 from 127.0.0.1"
    assert state.ranges == ["bytes=0-0"]


def test_a_link_the_cdn_refuses_fails_the_step(stage: tuple[Stage, str]) -> None:
    state, url = stage
    state.link_status = 403
    with pytest.raises(smoke.StepFailed, match="its signed link answers 403"):
        smoke.stream_video(journey(url))


def test_an_empty_library_skips_the_step(stage: tuple[Stage, str]) -> None:
    state, url = stage
    state.videos = []
    with pytest.raises(smoke.StepSkipped, match="no video"):
        smoke.stream_video(journey(url))


def test_the_video_step_runs_after_the_export() -> None:
    names = [name for name, _ in smoke.steps(signing_up=False)]
    assert names.index("video stream") == names.index("export") + 1

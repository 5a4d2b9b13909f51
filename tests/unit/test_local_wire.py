"""The local AWS without the wire (devtools/local_wire.py): a botocore request for the local endpoint
reaches the WSGI app whole, its answer comes back whole, and any other request keeps the wire."""

from __future__ import annotations

import io
from typing import Any

from botocore.awsrequest import AWSRequest

from devtools.local_wire import InProcess, _Wireless

ENDPOINT = "http://127.0.0.1:4566"


class App:
    def __init__(self) -> None:
        self.environ: dict[str, Any] = {}

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        self.environ = {**environ, "body": environ["wsgi.input"].read()}
        start_response("201 Created", [("Content-Type", "application/json"), ("x-amzn-requestid", "r1")])
        return [b'{"a":', b" 1}"]


class Wire:
    def __init__(self) -> None:
        self.sent: list[str] = []

    def send(self, request: Any) -> str:
        self.sent.append(request.url)
        return "over the wire"

    def close(self) -> None:
        self.sent.append("closed")


def _prepared(url: str, body: Any = b"", headers: dict[str, str] | None = None) -> Any:
    return AWSRequest(method="PUT", url=url, data=body, headers=headers or {}).prepare()


def test_a_request_for_the_endpoint_reaches_the_app_whole_and_its_answer_comes_back() -> None:
    app, wire = App(), Wire()
    session = _Wireless(InProcess(app, ENDPOINT), wire)
    request = _prepared(
        f"{ENDPOINT}/bucket/a%20b.json?uploads=1", b"payload", {"X-Amz-Target": "T", "Expect": "100-continue"}
    )

    answer = session.send(request)

    assert (answer.status_code, answer.headers["x-amzn-requestid"], answer.content) == (201, "r1", b'{"a": 1}')
    seen = app.environ
    assert (seen["REQUEST_METHOD"], seen["PATH_INFO"], seen["QUERY_STRING"]) == ("PUT", "/bucket/a b.json", "uploads=1")
    assert (seen["HTTP_HOST"], seen["REMOTE_ADDR"], seen["HTTP_X_AMZ_TARGET"]) == ("127.0.0.1:4566", "127.0.0.1", "T")
    assert seen["body"] == b"payload" and seen["CONTENT_LENGTH"] == "7"
    assert "HTTP_EXPECT" not in seen  # nothing on a wire to wait for
    assert wire.sent == []


def test_a_streamed_body_is_read_and_handed_on() -> None:
    app = App()
    _Wireless(InProcess(app, ENDPOINT), Wire()).send(_prepared(f"{ENDPOINT}/", io.BytesIO(b"streamed")))
    assert app.environ["body"] == b"streamed"


def test_any_other_address_keeps_the_wire() -> None:
    app, wire = App(), Wire()
    session = _Wireless(InProcess(app, ENDPOINT), wire)
    for url in ("https://s3.amazonaws.com/bucket", "http://127.0.0.1:45660/", "http://127.0.0.1:4566.evil/"):
        assert session.send(_prepared(url)) == "over the wire"
    session.close()
    assert wire.sent == [
        "https://s3.amazonaws.com/bucket",
        "http://127.0.0.1:45660/",
        "http://127.0.0.1:4566.evil/",
        "closed",
    ]
    assert app.environ == {}

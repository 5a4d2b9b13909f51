"""The local AWS without the wire, for the test suite: a client's request for the local endpoint
is handed straight to the WSGI app the server runs (guard, strict Cognito, one request at a time,
moto). Over HTTP every call also cost a connection and a thread (werkzeug's server closes each
one): about a quarter of the suite's time. Browsers, `make run`'s processes and presigned URLs
still come over HTTP.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any
from urllib.parse import urlsplit

from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from werkzeug.datastructures import Headers
from werkzeug.test import EnvironBuilder, run_wsgi_app


class _Body(BytesIO):
    """What botocore reads a response from (urllib3's `stream`, over bytes in hand)."""

    def stream(self, **_: Any) -> Any:
        while chunk := self.read(65536):
            yield chunk


class InProcess:
    """A botocore HTTP session (what `Endpoint` sends through) that answers the requests for
    `endpoint` from `app`, and sends the rest as before. It takes the wire's place, below every
    `before-send` handler, so what a test injects there still answers first."""

    def __init__(self, app: Any, endpoint: str):
        self._app = app
        self._endpoint = endpoint.rstrip("/") + "/"

    def take_the_wire_of(self, client: Any) -> None:
        wire = client._endpoint.http_session
        client._endpoint.http_session = _Wireless(self, wire)

    def register(self, events: Any) -> None:
        """Every client made from the session of `events` from now on goes without the wire."""
        in_process = self

        class WithoutTheWire:
            def __init__(self, *args: Any, **kwargs: Any):
                super().__init__(*args, **kwargs)
                in_process.take_the_wire_of(self)

        def add_base(base_classes: list[type], **_: Any) -> None:
            base_classes.insert(0, WithoutTheWire)

        events.register("creating-client-class", add_base)

    def answers(self, url: str) -> bool:
        return (url + "/").startswith(self._endpoint)

    def send(self, request: AWSPreparedRequest) -> AWSResponse:
        url = urlsplit(request.url)
        body = request.body
        if hasattr(body, "read"):
            body = body.read()
        headers = Headers(
            [(name, value.decode() if isinstance(value, bytes) else value) for name, value in request.headers.items()]
        )
        headers.pop("Expect", None)  # no wire, so nothing to wait for
        environ = EnvironBuilder(
            method=request.method,
            base_url=f"{url.scheme}://{url.netloc}",
            path=url.path or "/",
            query_string=url.query,
            headers=headers,
            data=body or b"",
            environ_base={"REMOTE_ADDR": "127.0.0.1"},
        ).get_environ()
        answer, status, response_headers = run_wsgi_app(self._app, environ, buffered=True)
        return AWSResponse(request.url, int(status.split(" ", 1)[0]), dict(response_headers), _Body(b"".join(answer)))


class _Wireless:
    """One client's HTTP session: the local endpoint's requests in process, the rest on the wire."""

    def __init__(self, in_process: InProcess, wire: Any):
        self._in_process = in_process
        self._wire = wire

    def send(self, request: AWSPreparedRequest) -> AWSResponse:
        if self._in_process.answers(request.url):
            return self._in_process.send(request)
        return self._wire.send(request)

    def close(self) -> None:
        self._wire.close()

"""`chalice local`, with the checks API Gateway makes and chalice's local gateway does not.

chalice's LocalGatewayAuthorizer base64-decodes the token without checking its signature, and
drops the connection when the header is not a JWT (an IndexError). Here the token is verified
first (the app's own LocalTokenVerifier) and refused with a 401 in the API's envelope; unknown
routes answer 404 in the envelope, as the deployed API's gateway responses do.

Every request's body is read off the connection before it is answered, whatever answers it: a
body left unread on a keep-alive connection would be parsed as the next request's first line.
For the same reason an answer to HEAD carries no body. Errors of the HTTP layer itself (a
header over 64 KB: 431) answer in the envelope too. The access log shows paths without their
query strings and with secret path parameters (an invitation's code) masked. `/dev/*` answers
only 127.0.0.1 with the run's own token (X-Dev-Token, printed at start). A browser's request from
a page other than the local web app's (its `Origin`, or `Sec-Fetch-Site: cross-site`) answers 403:
any site the developer visits could otherwise drive the local API.
"""

from __future__ import annotations

import functools
import hmac
import json
import os
import secrets
import uuid
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import Any

from chalice.app import CognitoUserPoolAuthorizer
from chalice.cli.factory import CLIFactory
from chalice.deploy.validate import validate_routes
from chalice.local import (
    ChaliceRequestHandler,
    CustomLocalChalice,
    ForbiddenError,
    HeaderType,
    LocalChalice,
    LocalDevServer,
    LocalGateway,
    LocalGatewayAuthorizer,
    LocalGatewayException,
    NotAuthorizedError,
    RouteMatcher,
)

from chalicelib import deps
from chalicelib.errors import StrideError, envelope
from chalicelib.identity import bearer_token
from devtools import dev_routes

DEV_TOKEN_HEADER = "X-Dev-Token"  # noqa: S105 (a header name)
# Path parameters that are secrets: shown as *** in the access log.
SECRET_PARAMS = frozenset({"code"})


def _envelope_bytes(code: str, message: str) -> bytes:
    return json.dumps(envelope(code, message, str(uuid.uuid4()))).encode()


def _gateway_headers() -> dict[str, str]:
    """What the deployed API's gateway responses carry: the browser can read the error."""
    return {
        "Content-Type": "application/json",
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
        "Access-Control-Allow-Origin": os.environ.get("FRONTEND_ORIGIN", ""),
    }


def foreign_page(origin: str | None, fetch_site: str | None) -> str | None:
    """Why a request from a browser is refused: it comes from a page other than the local web
    app's (FRONTEND_ORIGIN). Callers that are not browsers send neither header and pass."""
    allowed = os.environ.get("FRONTEND_ORIGIN", "")
    if origin is not None and origin != allowed:
        return f"The local API answers the local web app's pages ({allowed}) only, not {origin!r}."
    if origin is None and fetch_site == "cross-site":
        return f"The local API answers the local web app's pages ({allowed}) only, not another site's."
    return None


class VerifyingAuthorizer(LocalGatewayAuthorizer):
    def __init__(self, app_object: Any, verifier: Any):
        super().__init__(app_object)
        self._verifier = verifier

    def authorize(self, raw_path: str, lambda_event: Any, lambda_context: Any) -> Any:
        route = self._route_for_event(lambda_event)
        if route is not None and isinstance(route.authorizer, CognitoUserPoolAuthorizer):
            headers = lambda_event.get("headers") or {}
            try:
                self._verifier.verify(bearer_token(headers.get("authorization")))
            except StrideError as error:
                raise NotAuthorizedError(_gateway_headers(), _envelope_bytes(error.code, error.message)) from error
        return super().authorize(raw_path, lambda_event, lambda_context)


class StrideRequestHandler(ChaliceRequestHandler):
    def __init__(
        self,
        request: Any,
        client_address: Any,
        server: Any,
        app_object: Any,
        config: Any,
        verifier: Any,
        dev_token: str,
    ):
        self.local_gateway = LocalGateway(app_object, config)
        # chalice offers no hook for the local authorizer; replace the one it made.
        self.local_gateway._authorizer = VerifyingAuthorizer(app_object, verifier)
        self._dev_token = dev_token
        BaseHTTPRequestHandler.__init__(self, request, client_address, server)

    def _generic_handle(self) -> None:
        refusal = foreign_page(self.headers.get("Origin"), self.headers.get("Sec-Fetch-Site"))
        if refusal is not None:  # another site's page, driving the developer's browser
            self._read_body()
            self._send_http_response(403, _gateway_headers(), _envelope_bytes("forbidden_origin", refusal))
            return
        if self.path.startswith(dev_routes.PREFIX):  # local-only tools, never the app's routes
            self._read_body()
            if not self._dev_caller():
                body = _envelope_bytes("forbidden", f"/dev/ answers 127.0.0.1 with this run's {DEV_TOKEN_HEADER}.")
                self._send_http_response(403, _gateway_headers(), body)
                return
            status, body = dev_routes.answer(self.local_gateway._app_object, self.command, self.path)
            self._send_http_response(status, {**_gateway_headers(), "Cache-Control": "no-store"}, body)
            return
        super()._generic_handle()

    do_GET = do_POST = do_HEAD = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _generic_handle

    def _dev_caller(self) -> bool:
        given = self.headers.get(DEV_TOKEN_HEADER) or ""
        return self.client_address[0] == "127.0.0.1" and hmac.compare_digest(given.encode(), self._dev_token.encode())

    def _send_http_response_with_body(self, code: int, headers: HeaderType, body: str | bytes) -> None:
        if self.command == "HEAD":  # the headers GET would have, no body: the connection stays in step
            data = body if isinstance(body, bytes) else body.encode()
            self.send_response(code)
            self._send_headers({"Content-Type": "application/json", **headers, "Content-Length": str(len(data))})
            return
        super()._send_http_response_with_body(code, headers, body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own refusals (a header line over 64 KB: 431, a malformed request line),
        in the envelope instead of its HTML page; the connection closes, as http.server does."""
        phrase = HTTPStatus(code).phrase if code in HTTPStatus._value2member_map_ else "Error"
        self.log_error("code %d, message %s", code, message or phrase)
        body = _envelope_bytes(phrase.lower().replace(" ", "_"), message or phrase)
        self.send_response(code, message)
        self.send_header("Connection", "close")
        for name, value in {**_gateway_headers(), "Content-Length": str(len(body))}.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_request(self, code: Any = "-", size: Any = "-") -> None:
        if isinstance(code, HTTPStatus):
            code = code.value
        self.log_message('"%s %s" %s %s', self.command, self._loggable_path(), code, size)

    def _loggable_path(self) -> str:
        """The path without its query (an unsubscribe token, a cursor) and with secret path
        parameters masked (an invitation's code)."""
        path = (getattr(self, "path", "") or "").split("?", 1)[0]
        try:
            match = RouteMatcher(list(self.local_gateway._app_object.routes)).match_route(path)
        except ValueError:
            return path
        parts = path.split("/")
        for index, template in enumerate(match.route.split("/")):
            if template.strip("{}") in SECRET_PARAMS and index < len(parts):
                parts[index] = "***"
        return "/".join(parts)

    def _parse_payload(self) -> tuple[HeaderType, bytes | None]:
        return dict(self.headers), self._read_body()

    def _read_body(self) -> bytes | None:
        """The body Content-Length declares. Without a length that frames it (chunked, or a value
        that is not a number), the connection is closed after the answer rather than misread."""
        if self.headers.get("transfer-encoding"):
            self.close_connection = True
            return None
        declared = (self.headers.get("content-length") or "0").strip()
        if not declared.isdigit():
            self.close_connection = True
            return None
        length = int(declared)
        return self.rfile.read(length) if length else None

    def _allowed_methods(self) -> list[str] | None:
        """The methods the app declares on this path, or None when no route matches it."""
        app = self.local_gateway._app_object
        try:
            route = RouteMatcher(list(app.routes)).match_route(self.path).route
        except ValueError:
            return None
        return sorted(app.routes[route])

    def _method_not_allowed(self) -> None:
        # BaseHTTPRequestHandler answers a method it has no handler for with an HTML 501; the app's
        # own 405 (a declared path, an undeclared method) carries Allow, and so does this one.
        self._read_body()
        allowed = self._allowed_methods()
        if allowed is None:
            body = _envelope_bytes("not_found", "No route matches this path.")
            self._send_http_response(404, _gateway_headers(), body)
            return
        body = _envelope_bytes("method_not_allowed", "Unsupported method.")
        self._send_http_response(405, {**_gateway_headers(), "Allow": ", ".join(allowed)}, body)

    def __getattr__(self, name: str) -> Any:
        # Any method chalice's handler does not take (TRACE, CONNECT, QUERY, ...): do_<METHOD>.
        if name.startswith("do_"):
            return self._method_not_allowed
        raise AttributeError(name)

    def _send_error_response(self, error: LocalGatewayException) -> None:
        if isinstance(error, ForbiddenError):
            # API Gateway's "Missing Authentication Token" is its answer for an unknown route.
            body = _envelope_bytes("not_found", "No route matches this path.")
            self._send_http_response(404, _gateway_headers(), body)
            return
        self._send_http_response(error.CODE, {**_gateway_headers(), **error.headers}, error.body)


def new_dev_token() -> str:
    return secrets.token_urlsafe(24)


def build_server(
    host: str, port: int, dev_token: str, stage: str = "local", frontend_origin: str | None = None
) -> LocalDevServer:
    """What `chalice local --stage local` builds, with the verifying authorizer. `frontend_origin`
    replaces the stage's FRONTEND_ORIGIN (the web app on another port): the stage's variables
    are put into os.environ over anything already there, so it is passed as chalice's own
    user-provided value, which wins over the stage's."""
    factory = CLIFactory(os.getcwd(), environ=os.environ)
    overrides = {"environment_variables": {"FRONTEND_ORIGIN": frontend_origin}} if frontend_origin else None
    config = factory.create_config_obj(chalice_stage_name=stage, user_provided_params=overrides)
    app_object = config.chalice_app  # imports app.py with the stage's variables in os.environ
    # Links the app writes (an e-mail's unsubscribe link) point at this server, whatever its port.
    os.environ["PUBLIC_API_URL"] = f"http://{host}:{port}"
    validate_routes(app_object.routes)
    CustomLocalChalice.__bases__ = (LocalChalice, app_object.__class__)
    app_object.__class__ = CustomLocalChalice
    handler = functools.partial(StrideRequestHandler, verifier=deps.token_verifier(), dev_token=dev_token)
    return LocalDevServer(app_object, config, host, port, handler_cls=handler)

"""What stands between the local AWS (moto's server on 127.0.0.1) and a web page the developer
happens to visit.

moto answers any caller with any credentials, and a browser lets any page send requests to
127.0.0.1: without this layer a page could wipe the stack (`POST /moto-api/reset/`) or make itself
an admin of any business (`AdminUpdateUserAttributes` with made-up keys). So, in front of moto:

- moto's own admin routes (`/moto-api/...`: reset, dashboard, seeding, state) answer 403 to every
  caller over HTTP; the stack changes moto's state in-process, never through them;
- a request whose `Origin` is not the local web app's is refused (403), and so is one a browser
  marks `Sec-Fetch-Site: cross-site` without an `Origin` (an image or form of another site);
  callers that are not browsers (boto3, the API, curl) send neither and pass;
- a request whose `Host` is not the loopback address is refused (a DNS-rebinding page names its
  own host);
- an S3 POST upload must satisfy its signed policy (devtools/local_s3.py), as S3 requires.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from typing import Any
from xml.sax.saxutils import escape

from devtools.local_s3 import post_policy_refusal

MOTO_ADMIN_PREFIX = "/moto-api"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]"})


def _host_name(host: str) -> str:
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class LocalOnly:
    """The WSGI layer. `allowed_origins` is set when the stack is provisioned (the web app's
    origin); until then no browser is let in."""

    def __init__(self, app: Any):
        self._app = app
        self.allowed_origins: frozenset[str] = frozenset()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        refusal = self.refusal(environ)
        if refusal is None and _is_post_upload(environ):
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            environ["wsgi.input"] = io.BytesIO(body)
            upload_refusal = post_policy_refusal(environ)
            environ["wsgi.input"] = io.BytesIO(body)
            if upload_refusal is not None:
                return self._refuse(environ, start_response, *upload_refusal, xml=True)
        if refusal is not None:
            return self._refuse(environ, start_response, "AccessDenied", refusal)
        return self._app(environ, start_response)

    def refusal(self, environ: dict[str, Any]) -> str | None:
        """Why a request is refused before moto sees it, or None."""
        path = environ.get("PATH_INFO") or ""
        if path == MOTO_ADMIN_PREFIX or path.startswith(MOTO_ADMIN_PREFIX + "/"):
            return "moto's admin routes (/moto-api/) are not served by the local AWS."
        host = _host_name(environ.get("HTTP_HOST") or "127.0.0.1")
        if host.lower() not in LOOPBACK_HOSTS:
            return f"The local AWS answers requests for 127.0.0.1 only, not for {host!r}."
        origin = environ.get("HTTP_ORIGIN")
        if origin is not None and origin not in self.allowed_origins:
            return f"The local AWS answers the local web app's pages only, not {origin!r}."
        if origin is None and environ.get("HTTP_SEC_FETCH_SITE") == "cross-site":
            return "The local AWS answers the local web app's pages only, not another site's."
        return None

    def _refuse(
        self, environ: dict[str, Any], start_response: Any, code: str, message: str, xml: bool = False
    ) -> list[bytes]:
        if xml:  # S3's own error document
            body = f"<Error><Code>{escape(code)}</Code><Message>{escape(message)}</Message></Error>".encode()
        else:
            body = json.dumps({"__type": code, "Code": code, "message": message}).encode()
        content_type = "application/xml" if xml else "application/json"
        headers = [("Content-Type", content_type), ("Content-Length", str(len(body)))]
        origin = environ.get("HTTP_ORIGIN")
        if origin in self.allowed_origins:  # the web app may read why its upload was refused
            headers.append(("Access-Control-Allow-Origin", origin))
        start_response("403 Forbidden", headers)
        return [body]


def _is_post_upload(environ: dict[str, Any]) -> bool:
    """A browser-style S3 POST upload: multipart form data posted to a bucket."""
    content_type = environ.get("CONTENT_TYPE") or ""
    path = (environ.get("PATH_INFO") or "").strip("/")
    posted = environ.get("REQUEST_METHOD") == "POST" and content_type.startswith("multipart/form-data")
    return posted and "/" not in path

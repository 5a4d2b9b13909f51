"""The web client (web/): built with npm when stale, served from web/dist beside the API.

The server is Python's own: web/dist's files, index.html for any other path (the app routes in
the browser), /config.json telling the page where the API is (index.html says it too, in a
<meta name="stride-api">, so a page starts without asking), and a Content-Security-Policy that
allows nothing but this origin, the API and the media origins the API signs links to. Text files
are compressed as CloudFront compresses them (`negotiate_encoding`): br or gzip, whichever the
browser accepts (br first), 1,000 bytes to 10 MB, with `Vary: Accept-Encoding`.

`python -m devtools.web --build` builds only (CI, `make web`).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import html
import json
import shutil
import subprocess
import sys
import threading
from collections.abc import Sequence
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import brotli

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
DIST = WEB / "dist"
# What the build reads: a change to any of these makes web/dist stale. The API's document too: the
# client's types are generated from it (src/generated/, by `npm run openapi`) at every build.
_SOURCES = ("src", "public", "index.html", "package.json", "package-lock.json", "tsconfig.json", "vite.config.ts")
DOCUMENT = ROOT / "chalicelib" / "openapi.json"


class WebUnavailable(Exception):
    """This machine cannot build the web app (no node or npm, or a node too old): the API runs on,
    and the browser tests skip saying why."""


class WebBuildFailed(Exception):
    """npm could build here and did not: the web app is broken, which is a failure, not a skip."""


def content_security_policy(api_origin: str, media_origins: Sequence[str] = ()) -> str:
    """Nothing but this origin, the API, and the origins of the media the API signs links to
    (the bucket that takes uploads and serves images and videos, the video CDN): named hosts,
    no wildcard, no inline script or style."""
    media = "".join(f" {origin}" for origin in media_origins)
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src 'self'{media}",
            f"media-src{media or " 'none'"}",
            "font-src 'self'",
            "manifest-src 'self'",
            f"connect-src 'self' {api_origin}{media}",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def _newest(paths: list[Path]) -> float:
    newest = 0.0
    for path in paths:
        if path.is_dir():
            newest = max([newest, *(child.stat().st_mtime for child in path.rglob("*") if child.is_file())])
        elif path.exists():
            newest = max(newest, path.stat().st_mtime)
    return newest


def build_is_stale() -> bool:
    built = DIST / "index.html"
    sources = [WEB / name for name in _SOURCES if name != "src"] + [DOCUMENT]
    # src/generated/ is written by the build itself: it cannot make the build stale.
    sources += [path for path in (WEB / "src").iterdir() if path.name != "generated"]
    return not built.exists() or _newest(sources) > built.stat().st_mtime


def _modules_are_stale() -> bool:
    installed = WEB / "node_modules" / ".package-lock.json"
    return not installed.exists() or (WEB / "package-lock.json").stat().st_mtime > installed.stat().st_mtime


def _npm(*args: str, log: Any) -> None:
    print(f"web: npm {' '.join(args)}", file=log, flush=True)
    completed = subprocess.run(
        ["npm", *args], cwd=WEB, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False
    )
    if completed.returncode != 0:
        print(completed.stdout, file=log, flush=True)
        raise WebBuildFailed(f"`npm {' '.join(args)}` failed (exit {completed.returncode})")


def node_is_recent(version: str) -> bool:
    """Whether `node --version`'s answer (v20.20.2) is one Vite 8 runs on: ^20.19 || >=22.12."""
    try:
        major, minor = (int(part) for part in version.lstrip("v").split(".")[:2])
    except ValueError:
        return False
    return (major == 20 and minor >= 19) or (major == 22 and minor >= 12) or major > 22


def ensure_built(log: Any = sys.stderr) -> Path:
    """web/dist, built first when missing or older than its sources (npm ci first when needed)."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        raise WebUnavailable("node and npm are not on PATH")
    version = subprocess.run(["node", "--version"], capture_output=True, text=True, check=False).stdout.strip()
    if not node_is_recent(version):
        raise WebUnavailable(f"node {version or '(unknown version)'} is older than Vite needs (20.19 or 22.12)")
    if _modules_are_stale():
        _npm("ci", "--no-audit", "--no-fund", log=log)
    if build_is_stale():
        _npm("run", "build", log=log)
    return DIST


# What CloudFront compresses (its "file types that CloudFront compresses" list, for the types
# web/dist holds), and only between these sizes; smaller files are not worth it.
COMPRESSIBLE = frozenset(
    {
        "text/html",
        "text/css",
        "text/javascript",
        "application/javascript",
        "application/json",
        "application/manifest+json",
        "image/svg+xml",
        "text/plain",
    }
)
MIN_COMPRESSED, MAX_COMPRESSED = 1_000, 10_000_000
API_META = "stride-api"


def negotiate_encoding(accept_encoding: str | None, content_type: str, size: int) -> str | None:
    """What CloudFront would answer with: "br" when the browser accepts it, else "gzip" when it
    accepts that, else None; None too for a type it does not compress or a size out of range.
    (A coding with q=0 is refused, as RFC 9110 says.)"""
    if content_type.split(";", 1)[0].strip() not in COMPRESSIBLE or not MIN_COMPRESSED <= size <= MAX_COMPRESSED:
        return None
    accepted = set()
    for part in (accept_encoding or "").split(","):
        name, *params = (piece.strip() for piece in part.split(";"))
        quality = next((param[2:] for param in params if param.startswith("q=")), "1")
        try:
            if float(quality) > 0:
                accepted.add(name.lower())
        except ValueError:
            pass  # an unreadable weight accepts nothing
    return next((coding for coding in ("br", "gzip") if coding in accepted), None)


def compress(body: bytes, coding: str) -> bytes:
    if coding == "br":
        return bytes(brotli.compress(body, quality=11))
    return gzip.compress(body, compresslevel=9, mtime=0)


def with_api_origin(page: bytes, api_origin: str) -> bytes:
    """index.html naming the API in a <meta>: the page reads it at once instead of asking for
    /config.json first (one round trip less before anything shows). A meta is no script: the CSP
    allows it. And a preconnect to the API (`crossorigin`: the client's requests carry no
    credentials), so its connection (TCP, TLS) opens while the page's script downloads."""
    origin = html.escape(api_origin, quote=True)
    tags = f'<meta name="{API_META}" content="{origin}" /><link rel="preconnect" href="{origin}" crossorigin />'
    return page.replace(b"</head>", tags.encode() + b"</head>", 1)


class WebHandler(SimpleHTTPRequestHandler):
    server_version = "StrideWeb"
    sys_version = ""
    # Connections kept open between requests, as CloudFront keeps them (every answer has a length).
    protocol_version = "HTTP/1.1"

    def __init__(
        self,
        *args: Any,
        api_origin: str,
        root: Path,
        media_origins: Sequence[str] = (),
        compressed: dict[tuple[str, float, str], bytes] | None = None,
        **kwargs: Any,
    ):
        self.api_origin = api_origin
        self.media_origins = media_origins
        # The server's cache of compressed files, by (path, modification time, coding).
        self.compressed = {} if compressed is None else compressed
        super().__init__(*args, directory=str(root), **kwargs)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the API's JSON log is the one worth reading

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", content_security_policy(self.api_origin, self.media_origins))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("X-Frame-Options", "DENY")
        # Hashed assets never change; everything else is looked at again on every load.
        cache = "public, max-age=31536000, immutable" if self.path.startswith("/assets/") else "no-cache"
        self.send_header("Cache-Control", cache)
        super().end_headers()

    def do_GET(self) -> None:
        if self._route():
            self._send_file()

    def do_HEAD(self) -> None:
        if self._route():
            self._send_file()

    def _send_file(self) -> None:
        """The file at self.path, compressed when the browser accepts it (and the type is one
        CloudFront compresses), index.html with the API's origin in it, each with an ETag."""
        path = Path(self.translate_path(self.path))
        if not path.is_file():
            self.send_error(404, "File not found")
            return
        content_type = self.guess_type(str(path))
        modified = path.stat().st_mtime
        body = path.read_bytes()
        if path.name == "index.html":
            body = with_api_origin(body, self.api_origin)
        coding = negotiate_encoding(self.headers.get("Accept-Encoding"), content_type, len(body))
        if coding is not None:
            key = (str(path), modified, coding)
            if key not in self.compressed:
                self.compressed[key] = compress(body, coding)
            body = self.compressed[key]
        tag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
        if self.headers.get("If-None-Match") == tag:
            self.send_response(304)
            self.send_header("ETag", tag)
            self._vary(content_type)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", tag)
        if coding is not None:
            self.send_header("Content-Encoding", coding)
        self._vary(content_type)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _vary(self, content_type: str) -> None:
        # A cache between here and the browser keeps one copy per coding of what can be compressed.
        if content_type.split(";", 1)[0] in COMPRESSIBLE:
            self.send_header("Vary", "Accept-Encoding")

    def _route(self) -> bool:
        """Answers /config.json itself (False); sends any path that is no file to index.html."""
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path == "/config.json":
            body = json.dumps({"api": self.api_origin}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return False
        if not path.startswith("/assets/") and not Path(self.translate_path(path)).is_file():
            self.path = "/index.html"  # the app's own routes: /signin, /feed, ...
        return True


class WebServer:
    def __init__(self, host: str, port: int, api_origin: str, root: Path = DIST, media_origins: Sequence[str] = ()):
        handler = partial(WebHandler, api_origin=api_origin, root=root, media_origins=media_origins, compressed={})
        self.server = ThreadingHTTPServer((host, port), handler)
        self.server.daemon_threads = True
        self.address = f"http://{host}:{port}"

    def start(self) -> None:
        threading.Thread(target=self.server.serve_forever, name="stride-web", daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", action="store_true", help="build web/dist if stale, then exit")
    args = parser.parse_args(argv)
    if args.build:
        try:
            print(f"web: {ensure_built(sys.stdout)} is current", flush=True)
        except WebUnavailable as reason:  # this machine cannot: the browser tests will say they skip
            print(f"web: not built here: {reason}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The web app's local server (devtools/web.py): files, the app's routes, its config, its CSP, and
compression as CloudFront does it."""

from __future__ import annotations

import gzip
import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import brotli
import pytest

from devtools.local_aws import free_port
from devtools.web import WebServer, content_security_policy, negotiate_encoding

API = "http://127.0.0.1:8123"


@pytest.fixture
def web(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><head><title>app</title></head>")
    (tmp_path / "assets" / "index-abc.js").write_text("console.log(1)")
    (tmp_path / "assets" / "big-abc.js").write_text(BIG_SCRIPT)
    (tmp_path / "assets" / "photo-abc.png").write_bytes(b"\x89PNG" + bytes(4000))
    (tmp_path.parent / "secret.txt").write_text("not served")
    server = WebServer("127.0.0.1", free_port(), api_origin=API, root=tmp_path)
    server.start()
    yield server.address
    server.stop()


BIG_SCRIPT = "export const numbers = [" + ",".join(str(n) for n in range(2000)) + "];\n"


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={name.replace("_", "-"): value for name, value in headers.items()})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_the_apps_own_routes_get_index_html_with_the_csp(web):
    status, headers, body = _get(f"{web}/feed")
    assert status == 200 and b"<title>app</title>" in body
    assert b'<meta name="stride-api" content="http://127.0.0.1:8123" />' in body  # no /config.json round trip
    assert b'<link rel="preconnect" href="http://127.0.0.1:8123" crossorigin /></head>' in body
    assert headers["Content-Security-Policy"] == content_security_policy(API)
    assert "connect-src 'self' http://127.0.0.1:8123" in headers["Content-Security-Policy"]
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["Cache-Control"] == "no-cache"


def test_the_api_origin_is_escaped_in_the_page():
    from devtools.web import with_api_origin

    page = with_api_origin(b"<head></head>", 'https://api.example/"><script>x</script>')
    assert b"<script>" not in page and b"&quot;&gt;&lt;script&gt;" in page


def test_hashed_assets_are_served_and_cached_and_missing_ones_are_404(web):
    status, headers, body = _get(f"{web}/assets/index-abc.js")
    assert status == 200 and body == b"console.log(1)" and "immutable" in headers["Cache-Control"]
    assert _get(f"{web}/assets/gone.js")[0] == 404


def test_config_json_names_the_api(web):
    status, headers, body = _get(f"{web}/config.json")
    assert status == 200 and json.loads(body) == {"api": API}
    assert headers["Content-Type"] == "application/json"


def test_nothing_outside_the_build_is_served(web):
    status, _, body = _get(f"{web}/../secret.txt")
    assert b"not served" not in body
    assert status == 200 and b"<title>app</title>" in body  # the app's page, not the file


@pytest.mark.parametrize(
    ("version", "recent"),
    [
        ("v20.20.2", True),
        ("v20.19.0", True),
        ("v20.18.3", False),
        ("v18.19.0", False),
        ("v21.7.0", False),
        ("v22.11.0", False),
        ("v22.12.0", True),
        ("v24.1.0", True),
        ("", False),
        ("not a version", False),
    ],
)
def test_a_node_too_old_for_vite_is_a_reason_to_skip_not_a_broken_build(version, recent):
    from devtools.web import node_is_recent

    assert node_is_recent(version) is recent


def test_a_newer_api_document_makes_the_build_stale_and_the_generated_types_do_not(tmp_path, monkeypatch):
    import os

    from devtools import web

    built = tmp_path / "dist" / "index.html"
    built.parent.mkdir()
    built.write_text("<!doctype html>")
    document = tmp_path / "openapi.json"
    document.write_text("{}")
    monkeypatch.setattr(web, "DIST", built.parent)
    monkeypatch.setattr(web, "DOCUMENT", document)
    # Every source the build reads (public/ too: the service worker), src/generated/ aside.
    sources = [web.WEB / name for name in web._SOURCES if name != "src"]
    newest_source = web._newest(sources + [path for path in (web.WEB / "src").iterdir() if path.name != "generated"])
    os.utime(built, (newest_source + 10, newest_source + 10))
    os.utime(document, (newest_source, newest_source))
    assert not web.build_is_stale()
    os.utime(document, (newest_source + 20, newest_source + 20))
    assert web.build_is_stale()


def test_the_csp_names_the_media_origins_for_uploads_images_and_videos_and_nothing_else():
    csp = content_security_policy(API, ("http://127.0.0.1:9000",))
    directives = dict(directive.split(" ", 1) for directive in csp.split("; "))
    assert directives["connect-src"] == f"'self' {API} http://127.0.0.1:9000"
    assert directives["img-src"] == "'self' http://127.0.0.1:9000"
    assert directives["media-src"] == "http://127.0.0.1:9000"
    assert directives["script-src"] == "'self'" and directives["default-src"] == "'none'"
    assert "media-src 'none'" in content_security_policy(API)


@pytest.mark.parametrize(
    ("accept", "coding"),
    [
        ("gzip, deflate, br, zstd", "br"),  # Chromium's: br first, as CloudFront chooses
        ("gzip, deflate", "gzip"),
        ("br;q=0, gzip;q=0.5", "gzip"),
        ("br;q=0, gzip;q=0", None),
        ("identity", None),
        ("deflate", None),
        ("", None),
        ("GZIP;q=0.8", "gzip"),
        ("br;q=nonsense, gzip", "gzip"),
    ],
)
def test_the_coding_is_the_one_cloudfront_would_choose(accept, coding):
    assert negotiate_encoding(accept, "text/javascript", 5_000) == coding


@pytest.mark.parametrize(
    ("content_type", "size", "compressed"),
    [
        ("text/html", 5_000, True),
        ("text/css", 5_000, True),
        ("application/json", 5_000, True),
        ("image/svg+xml", 5_000, True),
        ("application/manifest+json", 5_000, True),
        ("image/png", 5_000, False),  # compressed already
        ("video/mp4", 5_000, False),
        ("text/javascript", 999, False),  # CloudFront's floor: 1,000 bytes
        ("text/javascript", 1_000, True),
        ("text/javascript", 10_000_001, False),  # and its ceiling: 10 MB
    ],
)
def test_only_text_types_between_cloudfronts_sizes_are_compressed(content_type, size, compressed):
    assert (negotiate_encoding("gzip, br", content_type, size) is not None) is compressed


def test_a_script_comes_compressed_with_brotli_or_gzip_as_accepted_and_varies_on_it(web):
    status, headers, body = _get(f"{web}/assets/big-abc.js", Accept_Encoding="gzip, deflate, br")
    assert status == 200 and headers["Content-Encoding"] == "br" and headers["Vary"] == "Accept-Encoding"
    assert brotli.decompress(body).decode() == BIG_SCRIPT
    assert int(headers["Content-Length"]) == len(body) < len(BIG_SCRIPT) / 2
    assert "immutable" in headers["Cache-Control"] and headers["Content-Type"] == "text/javascript"

    status, headers, body = _get(f"{web}/assets/big-abc.js", Accept_Encoding="gzip")
    assert status == 200 and headers["Content-Encoding"] == "gzip" and headers["Vary"] == "Accept-Encoding"
    assert gzip.decompress(body).decode() == BIG_SCRIPT

    status, headers, body = _get(f"{web}/assets/big-abc.js")  # a client that asks for no coding
    assert status == 200 and "Content-Encoding" not in headers and body.decode() == BIG_SCRIPT
    assert headers["Vary"] == "Accept-Encoding"


def test_images_and_small_files_are_sent_as_they_are(web):
    status, headers, body = _get(f"{web}/assets/photo-abc.png", Accept_Encoding="gzip, br")
    assert status == 200 and "Content-Encoding" not in headers and "Vary" not in headers
    assert body.startswith(b"\x89PNG") and len(body) == 4004
    status, headers, body = _get(f"{web}/assets/index-abc.js", Accept_Encoding="gzip, br")
    assert status == 200 and "Content-Encoding" not in headers and body == b"console.log(1)"


def test_a_page_it_already_has_is_not_sent_again(web):
    status, headers, body = _get(f"{web}/assets/big-abc.js", Accept_Encoding="br")
    tag = headers["ETag"]
    status, again, body = _get(f"{web}/assets/big-abc.js", Accept_Encoding="br", If_None_Match=tag)
    assert status == 304 and body == b"" and again["ETag"] == tag and again["Vary"] == "Accept-Encoding"
    # The gzip copy is another representation: its own tag, sent in full.
    status, headers, body = _get(f"{web}/assets/big-abc.js", Accept_Encoding="gzip", If_None_Match=tag)
    assert status == 200 and headers["ETag"] != tag and gzip.decompress(body).decode() == BIG_SCRIPT


def test_a_folder_is_no_listing(web):
    assert _get(f"{web}/assets/")[0] == 404


def test_one_connection_carries_several_requests_a_head_with_no_body_among_them(web):
    import http.client
    from urllib.parse import urlsplit

    address = urlsplit(web)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=5)
    try:
        connection.request("HEAD", "/assets/big-abc.js", headers={"Accept-Encoding": "gzip"})
        head = connection.getresponse()
        assert head.status == 200 and head.read() == b"" and head.getheader("Content-Encoding") == "gzip"
        connection.request("GET", "/assets/big-abc.js", headers={"Accept-Encoding": "gzip"})
        body = connection.getresponse()
        assert body.version == 11 and int(body.getheader("Content-Length")) == int(head.getheader("Content-Length"))
        assert gzip.decompress(body.read()).decode() == BIG_SCRIPT
        connection.request("GET", "/assets/gone.js")
        missing = connection.getresponse()
        assert missing.status == 404
        missing.read()
        connection.request("GET", "/config.json")
        assert json.loads(connection.getresponse().read()) == {"api": API}
    finally:
        connection.close()

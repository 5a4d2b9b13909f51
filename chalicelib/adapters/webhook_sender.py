"""Sends one webhook request, and decides which addresses a webhook may reach at all.

Server-side request forgery (OWASP API7) is the risk: a user names the URL, Stride's Lambda
sends to it. So a URL is checked when it is registered and again at every delivery, after its
host is resolved: https only; no user name or password in it; every address the host resolves
to must be a public unicast address (never private, loopback, link-local, the metadata
service, shared, multicast, reserved or unspecified, nor an IPv6 form that embeds one of
those). The connection then goes to the very address that was checked (pinned: no second DNS
lookup, so a name that resolves differently a moment later cannot slip through), while the
Host header, TLS SNI and certificate check use the URL's host name. Timeouts are short, no
redirect is followed (a 3xx is a failure) and at most a few bytes of the answer are read.

Stage local only, and only there, also accepts `http://127.0.0.1:<port>/...`: the end-to-end
tests run a receiver on the machine. And stage local sends to nothing else: a webhook there may
name any public https URL (the API's contract is the same), but its deliveries fail without a
connection, so `make run`, the tests and the fuzzer never reach the internet.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

MAX_URL_LENGTH = 2048
CONNECT_TIMEOUT_SECONDS = 2.0
TOTAL_TIMEOUT_SECONDS = 3.0
MAX_ANSWER_BYTES = 1024
LOCAL_HTTP_HOST = "127.0.0.1"
USER_AGENT = "Stride-Webhooks/1"

# Ranges `ipaddress` does not already call non-global, named so a reader sees them refused.
_METADATA = (ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254"))
_SHARED = ipaddress.ip_network("100.64.0.0/10")
# The deprecated 6to4 relay anycast range: public by the registry's flags, nobody's receiver.
_RELAY_ANYCAST = ipaddress.ip_network("192.88.99.0/24")
# A name must resolve within this: whoever owns a domain decides how slowly its DNS answers.
RESOLVE_TIMEOUT_SECONDS = 2.0
_resolvers = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="webhook-dns")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# What an IPv4 literal can be written with, in any base inet_aton reads.
_NUMERIC_HOST = set("0123456789abcdefx.")

Resolver = Callable[[str, int], Iterable[str]]


class UrlRefused(Exception):
    """The URL may not be used: `reason` says why, in words a user can act on."""

    def __init__(self, reason: str, *, unresolvable: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.unresolvable = unresolvable


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect (the pinned address) and what to ask for."""

    scheme: str
    host: str
    port: int
    path: str
    address: str


@dataclass(frozen=True)
class Outcome:
    delivered: bool
    status: int | None
    error: str | None


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the host resolves to (A and AAAA), within RESOLVE_TIMEOUT_SECONDS."""
    lookup = _resolvers.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    try:
        infos = lookup.result(timeout=RESOLVE_TIMEOUT_SECONDS)
    except concurrent.futures.TimeoutError as exc:
        raise UrlRefused("The host name did not resolve in time.", unresolvable=True) from exc
    except (socket.gaierror, UnicodeError) as exc:
        raise UrlRefused("The host name does not resolve.", unresolvable=True) from exc
    return [str(info[4][0]) for info in infos]


def address_problem(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why this address may not be reached, or None for a public unicast address."""
    if address in _METADATA:
        return "the cloud metadata service"
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour or (address.teredo or (None, None))[1]
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return address_problem(embedded) or "an IPv6 form of an IPv4 address"
    checks = (
        (address.is_loopback, "a loopback address"),
        (address.is_link_local, "a link-local address"),
        (address.is_private, "a private address"),
        (address.is_multicast, "a multicast address"),
        (address.is_unspecified, "an unspecified address"),
        (address.is_reserved, "a reserved address"),
        (isinstance(address, ipaddress.IPv4Address) and address in _SHARED, "a shared (carrier-grade NAT) address"),
        (isinstance(address, ipaddress.IPv4Address) and address in _RELAY_ANYCAST, "a 6to4 relay address"),
        (isinstance(address, ipaddress.IPv6Address) and address.is_site_local, "a site-local address"),
        (not address.is_global, "an address that is not public"),
    )
    return next((reason for refused, reason in checks if refused), None)


def _literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a host written as an IP literal means, in any spelling a resolver accepts
    (2130706433, 0x7f.1 and 0177.0.0.1 are all 127.0.0.1), or None for a host name."""
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    if set(host) <= _NUMERIC_HOST:
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def _parts(url: str, allow_local_http: bool) -> tuple[str, str, int, str]:
    """The URL's scheme, host, port and path, once it passes every check that needs no DNS."""
    parts, port = _split(url)
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower().rstrip(".")
    refusal = _refusal(parts, scheme, host, allow_local_http)
    if refusal is not None:
        raise UrlRefused(refusal)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return scheme, host, port or (443 if scheme == "https" else 80), path


def _split(url: str) -> tuple[SplitResult, int | None]:
    """The URL read as a URL: bounded in length, printable, with a port that is a port."""
    if not isinstance(url, str) or len(url) > MAX_URL_LENGTH:
        raise UrlRefused(f"At most {MAX_URL_LENGTH} characters.")
    if any(ord(char) <= 32 or ord(char) == 127 for char in url):
        raise UrlRefused("No spaces or control characters.")
    try:
        parts = urlsplit(url)
        return parts, parts.port
    except ValueError as exc:
        raise UrlRefused("Not a valid URL.") from exc


def _refusal(parts: SplitResult, scheme: str, host: str, allow_local_http: bool) -> str | None:
    """Why a readable URL may not be a webhook's, first reason first, or None."""
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        return "No user name or password in the URL."
    if not host:
        return "The URL needs a host."
    if parts.fragment:
        return "No #fragment: it is never sent."
    local_receiver = allow_local_http and scheme == "http" and host == LOCAL_HTTP_HOST
    if scheme != "https" and not local_receiver:
        return "Only https URLs."
    return None


class WebhookDelivery:
    """Checks webhook URLs and sends signed requests to them (see the module's docstring)."""

    def __init__(
        self,
        allow_local_http: bool = False,
        local_only: bool = False,
        resolver: Resolver = system_resolver,
        tls: ssl.SSLContext | None = None,
        connect_timeout: float = CONNECT_TIMEOUT_SECONDS,
        total_timeout: float = TOTAL_TIMEOUT_SECONDS,
    ):
        self._allow_local_http = allow_local_http
        self._local_only = local_only
        self._resolver = resolver
        self._tls = tls
        self._connect_timeout = connect_timeout
        self._total_timeout = total_timeout

    def check(self, url: str) -> Target:
        """The URL resolved to the one address a request may go to; UrlRefused otherwise."""
        scheme, host, port, path = _parts(url, self._allow_local_http)
        literal = _literal(host)
        if scheme == "http":  # stage local's receiver: exactly 127.0.0.1, nothing to resolve
            return Target(scheme, host, port, path, LOCAL_HTTP_HOST)
        if literal is not None:
            addresses = [str(literal)]
        else:
            addresses = list(self._resolver(host, port))
            if not addresses:
                raise UrlRefused("The host name does not resolve.", unresolvable=True)
        for text in addresses:
            problem = address_problem(ipaddress.ip_address(text.split("%", 1)[0]))
            if problem:
                where = "The URL names" if literal is not None else "The host resolves to"
                raise UrlRefused(f"{where} {problem}, which webhooks may not reach.")
        return Target(scheme, host, port, path, addresses[0])

    def send(self, url: str, body: bytes, headers: dict[str, str]) -> Outcome:
        """One POST. Delivered means a 2xx answer; anything else (a refused URL, a timeout, a
        redirect, an error status) is a failure with a short reason, never an exception."""
        try:
            target = self.check(url)
        except UrlRefused as refused:
            return Outcome(False, None, refused.reason)
        if self._local_only and target.address != LOCAL_HTTP_HOST:
            return Outcome(False, None, f"stage local delivers to http://{LOCAL_HTTP_HOST} only")
        connection = self._connection(target)
        # The whole exchange has one deadline: a receiver dripping bytes cannot hold the Lambda.
        watchdog = threading.Timer(self._connect_timeout + self._total_timeout, _abort, (connection,))
        watchdog.daemon = True
        watchdog.start()
        started = time.monotonic()
        try:
            connection.request(
                "POST",
                target.path,
                body=body,
                headers={"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers},
            )
            response = connection.getresponse()
            response.read(MAX_ANSWER_BYTES)
            status = response.status
        except (OSError, http.client.HTTPException, ValueError) as exc:
            late = time.monotonic() - started >= self._connect_timeout + self._total_timeout - 0.05
            return Outcome(False, None, "timed out" if late or isinstance(exc, TimeoutError) else _reason(exc))
        finally:
            watchdog.cancel()
            connection.close()
        if 200 <= status < 300:
            return Outcome(True, status, None)
        if 300 <= status < 400:
            return Outcome(False, status, f"HTTP {status}: redirects are not followed")
        return Outcome(False, status, f"HTTP {status}")

    def _connection(self, target: Target) -> http.client.HTTPConnection:
        if target.scheme == "http":
            return _PinnedHTTPConnection(
                target.host, target.port, target.address, self._connect_timeout, self._total_timeout
            )
        context = self._tls or ssl.create_default_context()
        return _PinnedHTTPSConnection(
            target.host, target.port, target.address, self._connect_timeout, self._total_timeout, context
        )


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ssl.SSLCertVerificationError):
        return "TLS certificate not valid for the host"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    return type(exc).__name__


def _abort(connection: http.client.HTTPConnection) -> None:
    sock = connection.sock
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the checked address; the Host header still names the URL's host."""

    def __init__(self, host: str, port: int, address: str, timeout: float, read_timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address
        self._read_timeout = read_timeout

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock.settimeout(self._read_timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """TLS to the checked address, with SNI and the certificate check for the URL's host name."""

    def __init__(
        self, host: str, port: int, address: str, timeout: float, read_timeout: float, context: ssl.SSLContext
    ):
        super().__init__(host, port, timeout=timeout, context=context)
        self._address = address
        self._read_timeout = read_timeout
        self._tls_context = context

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        raw.settimeout(self._read_timeout)
        self.sock = self._tls_context.wrap_socket(raw, server_hostname=self.host)

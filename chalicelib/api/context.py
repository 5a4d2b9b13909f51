"""Per-request values the middleware sets and the handlers read (thread- and request-safe)."""

from __future__ import annotations

from contextvars import ContextVar

from chalicelib.identity import Identity

request_id: ContextVar[str] = ContextVar("request_id", default="-")
identity: ContextVar[Identity | None] = ContextVar("identity", default=None)

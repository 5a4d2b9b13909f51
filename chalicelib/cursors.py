"""Opaque, signed pagination cursors, bound to who asked and for which list.

A cursor carries the position DynamoDB gave (the last key, without the partition: that is the
caller's own and is rebuilt from their identity) and an HMAC over it and its binding. Edited,
replayed by another user, or used on another list or query: the signature fails, a 400.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from typing import Any

from chalicelib.errors import InvalidInput

_INVALID = "The cursor is not valid for this list."


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class CursorCodec:
    def __init__(self, key: bytes):
        if len(key) < 32:
            raise ValueError("the cursor signing key must have at least 32 bytes")
        self._key = key

    def _signature(self, payload: str, binding: str) -> str:
        mac = hmac.new(self._key, f"{binding}\n{payload}".encode(), hashlib.sha256).digest()
        return _b64encode(mac[:20])

    def encode(self, position: dict[str, Any], binding: str) -> str:
        payload = _b64encode(json.dumps(position, sort_keys=True, separators=(",", ":")).encode())
        return f"{payload}.{self._signature(payload, binding)}"

    def decode(self, cursor: str, binding: str) -> dict[str, Any]:
        payload, _, signature = cursor.partition(".")
        expected = self._signature(payload, binding).encode()
        if not payload or not hmac.compare_digest(signature.encode("utf-8", "replace"), expected):
            raise InvalidInput(_INVALID, code="invalid_cursor")
        try:
            position = json.loads(_b64decode(payload))
        except (ValueError, binascii.Error) as exc:  # signed by us, so never expected
            raise InvalidInput(_INVALID, code="invalid_cursor") from exc
        return position


class Pages:
    """One request's cursors for a list: where its page starts (None: the first page), and the
    cursor of the page after it. Both are bound to the caller, the list and the query."""

    def __init__(self, codec: CursorCodec, user_id: str, tenant_id: str, list_name: str, query: dict[str, Any]):
        self._codec = codec
        self._binding = binding(user_id, tenant_id, list_name, query)
        self.start = codec.decode(query["cursor"], self._binding) if query.get("cursor") else None

    def next_cursor(self, last: dict[str, Any] | None) -> str | None:
        """The cursor after the page that ended at `last` (None: that was the last page)."""
        return self._codec.encode(last, self._binding) if last else None


def binding(user_id: str, tenant_id: str, list_name: str, query: dict[str, Any]) -> str:
    """What a cursor is valid for: this user, this list, this query (the page size aside)."""
    shape = {key: str(value) for key, value in sorted(query.items()) if key not in ("limit", "cursor")}
    return json.dumps([user_id, tenant_id, list_name, shape], separators=(",", ":"))

"""Request bodies: size, media type, JSON syntax, then the schema."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from chalicelib.errors import InvalidInput, PayloadTooLarge, UnsupportedMediaType

MAX_BODY_BYTES = 1024 * 1024
MAX_IMPORT_BYTES = 4 * 1024 * 1024  # an export file; Lambda takes 6 MB at most, escaped in an event
# The OpenAPI document publishes these two patterns as the headers' schemas (devtools/openapi.py).
IF_MATCH_PATTERN = r'^(?:W/)?"?([0-9]{1,9})"?$'
_IF_MATCH = re.compile(IF_MATCH_PATTERN)
ANY_VERSION = "*"
IDEMPOTENCY_KEY_PATTERN = r"^[A-Za-z0-9_.:-]{1,128}$"
_IDEMPOTENCY_KEY = re.compile(IDEMPOTENCY_KEY_PATTERN)

if TYPE_CHECKING:
    from marshmallow import Schema


MAX_EXPONENT = 30  # 1e30: beyond anything Stride measures, and far from 1e999999999's cost


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON")


def parse_json_number(text: str) -> Decimal:
    number = Decimal(text)
    if abs(number.adjusted()) > MAX_EXPONENT:
        # Turning 1e999999999 into an int would take the process minutes: refuse it here.
        raise ValueError("number out of range")
    return number


def parse_json_integer(text: str) -> int:
    # The same bound as a number with a fraction or an exponent: fewer than 10**31.
    if len(text.lstrip("-")) > MAX_EXPONENT + 1:
        raise ValueError("number out of range")
    return int(text)


def _check_text(value: Any) -> None:
    """JSON may escape lone surrogates (\\ud800), which no store can encode: refuse them."""
    if isinstance(value, str):
        value.encode("utf-8")
    elif isinstance(value, dict):
        for key, inner in value.items():
            key.encode("utf-8")
            _check_text(inner)
    elif isinstance(value, list):
        for inner in value:
            _check_text(inner)


def _media_type(content_type: str | None) -> str:
    return (content_type or "application/json").split(";")[0].strip().lower()


def parse_json(raw: bytes | None, content_type: str | None, limit: int = MAX_BODY_BYTES) -> Any:
    raw = raw or b""
    if len(raw) > limit:
        raise PayloadTooLarge(f"The body is larger than {limit} bytes.")
    if not raw.strip():
        raise InvalidInput("A JSON body is required.", code="missing_body")
    if _media_type(content_type) != "application/json":
        raise UnsupportedMediaType("Send the body as application/json.")
    try:
        # Decimal, not float: 180.4 must stay 180.4 all the way to DynamoDB.
        document = json.loads(
            raw, parse_float=parse_json_number, parse_int=parse_json_integer, parse_constant=_refuse_constant
        )
        _check_text(document)
        return document
    except (ValueError, UnicodeError, RecursionError) as exc:
        raise InvalidInput(
            "The body is not valid JSON (or holds a number or text no store can keep).", code="malformed_json"
        ) from exc


def load(schema: Schema, raw: bytes | None, content_type: str | None) -> dict[str, Any]:
    from marshmallow import ValidationError  # imported already, with the schema: not at app import

    data = parse_json(raw, content_type)
    if not isinstance(data, dict):
        raise InvalidInput("The body must be a JSON object.")
    try:
        return schema.load(data)
    except ValidationError as exc:
        raise InvalidInput("The request body is invalid.", details=_as_dict(exc.messages)) from exc


def _as_dict(messages: Any) -> dict[str, Any]:
    return messages if isinstance(messages, dict) else {"_schema": messages}


def load_query(schema: Schema, params: dict[str, str] | None) -> dict[str, Any]:
    from marshmallow import ValidationError  # imported already, with the schema: not at app import

    try:
        return schema.load(dict(params or {}))
    except ValidationError as exc:
        raise InvalidInput("The query string is invalid.", details=_as_dict(exc.messages)) from exc


def if_match(header: str | None) -> int | None:
    """If-Match carries the version the client last saw: 3, "3" or W/"3"."""
    if header is None or header.strip() == ANY_VERSION:  # "*": any version, as HTTP has it
        return None
    match = _IF_MATCH.fullmatch(header.strip())
    if not match:
        raise InvalidInput('If-Match must be the item\'s version, for example "3".', code="invalid_if_match")
    return int(match.group(1))


def idempotency_key(header: str | None) -> str | None:
    if header is None:
        return None
    if not _IDEMPOTENCY_KEY.fullmatch(header):
        raise InvalidInput(
            "Idempotency-Key must be 1 to 128 letters, digits or _.:- characters.", code="invalid_idempotency_key"
        )
    return header


class Payload(NamedTuple):
    """A body the view decodes itself: JSON (already parsed, with the same checks), text, or the
    bytes of a binary media type (a file the view parses: `data`)."""

    media_type: str
    document: Any = None
    text: str = ""
    data: bytes = b""


_TEXT_TYPES = ("application/json", "application/x-www-form-urlencoded", "multipart/form-data")


def is_binary(media_type: str) -> bool:
    """A raw body's media type that API Gateway must pass as bytes (its binary media types):
    anything but JSON, forms and text/*."""
    return media_type not in _TEXT_TYPES and not media_type.startswith("text/")


def payload(raw: bytes | None, content_type: str | None, accepted: tuple[str, ...]) -> Payload:
    media_type = _media_type(content_type)
    if media_type not in accepted:
        raise UnsupportedMediaType(f"Send the body as one of: {', '.join(accepted)}.")
    if media_type == "application/json":
        return Payload(media_type, document=parse_json(raw, content_type, MAX_IMPORT_BYTES))
    raw = raw or b""
    if len(raw) > MAX_IMPORT_BYTES:
        raise PayloadTooLarge(f"The body is larger than {MAX_IMPORT_BYTES} bytes.")
    if is_binary(media_type):
        if not raw:
            raise InvalidInput("The body is empty: send the file.", code="missing_body")
        return Payload(media_type, data=raw)
    try:
        return Payload(media_type, text=raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InvalidInput("The body is not UTF-8 text.", code="malformed_text") from exc

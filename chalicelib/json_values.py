"""Values as stored (Decimal, what DynamoDB gives back) and as JSON shows them."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any


def json_number(number: Decimal) -> int | float:
    """A stored number as JSON shows it: 80 for 80.0, 80.5 for 80.5."""
    return int(number) if number == number.to_integral_value() else float(number)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return json_number(value)
    raise TypeError(f"cannot export {type(value).__name__}")


def encode(document: dict[str, Any]) -> bytes:
    """A document of stored values as compact JSON (an export, a webhook's body)."""
    return json.dumps(document, default=_json_default, separators=(",", ":")).encode()

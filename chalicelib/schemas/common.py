"""Field types and base schemas every domain shares."""

from __future__ import annotations

import functools
import re
from datetime import date, datetime
from decimal import Decimal
from importlib import resources
from typing import Any

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validate

from chalicelib.json_values import json_number
from chalicelib.timeutil import GivenDate, GivenDateTime


class WholeMatch(validate.Regexp):
    """`validate.Regexp` on the whole value: marshmallow's uses `re.match`, with which `^…$`
    accepts a trailing newline. The pattern stays ECMAScript for the OpenAPI document."""

    def __call__(self, value: Any) -> Any:
        if self.regex.fullmatch(value) is None:
            raise ValidationError(self._format_error(value))
        return value


class StrictSchema(Schema):
    """Unknown fields are refused by name; nothing is silently dropped.

    `OPENAPI_EXTRA`, on a schema that has one, is what the OpenAPI document says of it beyond its
    fields: a rule the schema's fields cannot carry, which a service checks (devtools/openapi.py).
    """

    class Meta:
        unknown = RAISE


# Any JSON value, where a body takes anything (the keys of an export that an import ignores): the
# body parser (chalicelib/api/body.py) refuses a number beyond 1e±30, at any depth. Spelled out
# level by level, not as a schema that refers to itself, which generators cannot type
# (openapi-typescript's output fails tsc --strict): numbers are bounded down to JSON_VALUE_DEPTH
# levels, and below that any array or object is allowed, as the API allows it (a document that
# refused deeper values would be stricter than the API).
JSON_VALUE_NAME = "JsonValue"
JSON_VALUE_DEPTH = 6
_JSON_SCALAR_NAME = "JsonScalar"
_JSON_SCALAR: dict[str, Any] = {
    "anyOf": [
        {"type": ["null", "boolean", "string"]},
        {"type": "number", "const": 0},
        {"type": "number", "minimum": 1e-30, "exclusiveMaximum": 1e31},
        {"type": "number", "maximum": -1e-30, "exclusiveMinimum": -1e31},
    ]
}
_JSON_DEEPER_NAME = "JsonDeeper"
# Named, not inline: openapi-python-client cannot parse an inline array or object inside a union.
_JSON_DEEPER_PARTS: dict[str, dict[str, Any]] = {
    "JsonAnyArray": {"type": "array", "items": {}},
    "JsonAnyObject": {"type": "object", "additionalProperties": {}},
}
_JSON_DEEPER: dict[str, Any] = {
    "description": "A JSON value (number bounds are not restated this deep).",
    "anyOf": [{"$ref": f"#/components/schemas/{name}"} for name in (_JSON_SCALAR_NAME, *_JSON_DEEPER_PARTS)],
}


def json_value_schemas() -> dict[str, dict[str, Any]]:
    """The components: JsonScalar, JsonDeeper (a scalar, or any array or object), then JsonValue1
    (a scalar, or an array or object of JsonDeeper), ... up to JsonValue."""
    schemas = {_JSON_SCALAR_NAME: _JSON_SCALAR, **_JSON_DEEPER_PARTS, _JSON_DEEPER_NAME: _JSON_DEEPER}
    inner = _JSON_DEEPER_NAME
    for depth in range(1, JSON_VALUE_DEPTH + 1):
        name = JSON_VALUE_NAME if depth == JSON_VALUE_DEPTH else f"{JSON_VALUE_NAME}{depth}"
        ref = {"$ref": f"#/components/schemas/{inner}"}
        scalar = {"$ref": f"#/components/schemas/{_JSON_SCALAR_NAME}"}
        schemas[name] = {
            "description": f"A JSON value; numbers within 1e±30 down to {depth} levels deep.",
            "anyOf": [scalar, {"type": "array", "items": ref}, {"type": "object", "additionalProperties": ref}],
        }
        inner = name
    return schemas


# The services refuse a PATCH that names no field (400 `empty_patch`).
AT_LEAST_ONE_FIELD: dict[str, Any] = {"minProperties": 1}


class ResponseSchema(Schema):
    """What the API answers. Published without additionalProperties: false, so a client that
    validates answers keeps working when a later version adds a field."""

    class Meta:
        unknown = EXCLUDE


class StrictBoolean(fields.Boolean):
    """Only JSON true or false: "yes", 1 or "false" are refused rather than guessed."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


def _reasonable(number: Decimal) -> bool:
    """Finite and within 1e±30: turning 1e999999999 into an int would take minutes."""
    return number.is_finite() and abs(number.adjusted()) <= 30


class StrictInteger(fields.Integer):
    """A JSON integer: no strings, no fractions, no booleans."""

    def __init__(self, **kwargs: Any):
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> int:
        if isinstance(value, bool) or (isinstance(value, Decimal) and value != value.to_integral_value()):
            raise self.make_error("invalid")
        if isinstance(value, Decimal):
            value = int(value)
        return super()._deserialize(value, attr, data, **kwargs)


MAX_SIGNIFICANT_DIGITS = 15


class Number(fields.Decimal):
    """A JSON number kept as Decimal (no float drift), rendered back as a JSON number.

    More decimal places than `places` is refused, never rounded: health data is stored as given.
    """

    def __init__(self, *, places: int, minimum: float, maximum: float, **kwargs: Any):
        super().__init__(
            allow_nan=False,
            validate=validate.Range(min=Decimal(str(minimum)), max=Decimal(str(maximum))),
            metadata={"type": "number", "minimum": minimum, "maximum": maximum},
            **kwargs,
        )
        self.max_places = places

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
            raise self.make_error("invalid")
        if isinstance(value, Decimal) and not _reasonable(value):
            raise self.make_error("invalid")
        number = super()._deserialize(value, attr, data, **kwargs)
        if not number.is_finite():
            raise self.make_error("special")
        digits = number.as_tuple()
        if len(digits.digits) > MAX_SIGNIFICANT_DIGITS:
            raise ValidationError(f"At most {MAX_SIGNIFICANT_DIGITS} significant digits.")
        if int(digits.exponent) < -self.max_places and number != number.quantize(Decimal(1).scaleb(-self.max_places)):
            raise ValidationError(f"At most {self.max_places} decimal places.")
        return Decimal(int(number)) if number == number.to_integral_value() else number

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> Any:
        return None if value is None else json_number(Decimal(value))


class StoredJson(fields.Raw):
    """A stored JSON value (an assessment's answer or bound): Decimals go out as JSON numbers."""

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> Any:
        return json_number(value) if isinstance(value, Decimal) else value


_DATE = re.compile(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_DATE_TIME = re.compile(
    r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?([Zz]|[+-][0-9]{2}:[0-5][0-9])\Z"
)
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100

# What a Moment accepts, spelled out for the OpenAPI document (a test checks it against the
# loader, day by day): real calendar days of 1900-2100, hours 00-23, offsets under 24 hours.
_YEAR = "(?:19[0-9]{2}|20[0-9]{2}|2100)"
_LEAP_YEAR = "(?:19(?:0[48]|[2468][048]|[13579][26])|20(?:0[048]|[2468][048]|[13579][26]))"


def _date_pattern(year: str, leap_year: str) -> str:
    return (
        f"(?:{year}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
        f"|02-(?:0[1-9]|1[0-9]|2[0-8]))|{leap_year}-02-29)"
    )


DATE_PATTERN = _date_pattern(_YEAR, _LEAP_YEAR)
# Days of 1900-2019: in the past whenever the document is read.
PAST_DATE_PATTERN = _date_pattern(
    "(?:19[0-9]{2}|20[01][0-9])", "(?:19(?:0[48]|[2468][048]|[13579][26])|20(?:0[048]|1[26]))"
)
_TIME_PATTERN = (
    "(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\\.[0-9]{1,6})?(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
)
DATE_TIME_PATTERN = f"{DATE_PATTERN}[Tt]{_TIME_PATTERN}"


class Moment(fields.Field[Any]):
    """An RFC 3339 date-time with its offset, or a date: loads as an aware datetime or a date."""

    def __init__(self, *, date_only: bool = False, **kwargs: Any):
        description = "A date (YYYY-MM-DD)" if date_only else "An RFC 3339 date-time with offset, or a date"
        pattern = f"^{DATE_PATTERN}$" if date_only else f"^(?:{DATE_PATTERN}|{DATE_TIME_PATTERN})$"
        metadata = {"type": "string", "description": description, "pattern": pattern, **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)
        self.date_only = date_only

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> date | datetime:
        if not isinstance(value, str):
            raise ValidationError("Not a valid date.")
        try:
            if _DATE.match(value):
                moment: GivenDate | GivenDateTime = GivenDate.fromisoformat(value)
            elif _DATE_TIME.match(value) and not self.date_only:
                moment = GivenDateTime.fromisoformat(value.upper().replace("Z", "+00:00"))
            else:
                raise ValueError(value)
            moment.text = value
        except ValueError as exc:
            expected = "a date (YYYY-MM-DD)" if self.date_only else "a date or an RFC 3339 date-time with offset"
            raise ValidationError(f"Not {expected}.") from exc
        if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
            raise ValidationError(f"Must be between {EARLIEST_YEAR} and {LATEST_YEAR}.")
        return moment

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> Any:
        return value.isoformat() if isinstance(value, (date, datetime)) else value


@functools.cache
def time_zones() -> tuple[str, ...]:
    """The zones of the pinned tzdata package (shipped with the Lambda), not of whatever machine
    runs the code: what is accepted, and what the OpenAPI document lists, is the same everywhere."""
    return tuple(sorted(resources.files("tzdata").joinpath("zones").read_text().split()))


def validate_timezone(name: str) -> None:
    if name not in time_zones():
        raise ValidationError("Not a known IANA time zone, for example Europe/Paris or America/New_York.")


# Every name of time_zones() matches (a test checks it): letters first, then letters, digits and
# _+- in up to three parts (Etc/GMT+10, America/Argentina/Buenos_Aires, EST5EDT).
TIMEZONE_PATTERN = r"^[A-Za-z][A-Za-z0-9_+-]{0,29}(?:/[A-Za-z][A-Za-z0-9_+-]{0,29}){0,2}$"
TIMEZONE_LIST_URL = "https://en.wikipedia.org/wiki/List_of_tz_database_time_zones"


class TimeZone(fields.String):
    """An IANA zone name. Published as a pattern and a link to the list, not as an enum of ~600
    names: generators make an enum member of each, and GMT0, GMT+0 and GMT-0 collide in Python.
    The API still accepts only the names of its pinned tzdata."""

    def __init__(self, **kwargs: Any):
        metadata = {
            "pattern": TIMEZONE_PATTERN,
            "description": "An IANA time zone name of the tz database (the TZ identifiers of "
            f"{TIMEZONE_LIST_URL}), for example Europe/Paris, America/New_York or UTC. "
            "A name the database does not know is a 400.",
            "examples": ["Europe/Paris", "America/New_York", "UTC"],
        }
        super().__init__(validate=validate_timezone, metadata=metadata, **kwargs)


# The addresses Stride takes: a local part of at most 64 common characters (dots inside it) and a
# domain of letters, digits and hyphens whose top-level label is 2-63 letters (a DNS label's most:
# `.photography`, `.international`). Every address it matches is one the user pool takes (moto's
# too), so a schema-valid address is never refused downstream with a less clear error; an IDN
# top-level domain (`xn--...`) is not taken, as moto's pool refuses it. The pattern is the whole
# rule (no `format: email` beside it, whose variants differ), and it has no lookaround, so a
# fuzzer can generate from it. web/src/validation.ts uses the same pattern (a test compares them).
EMAIL_PATTERN = (
    r"^[A-Za-z0-9_](?:[A-Za-z0-9_.%+-]{0,62}[A-Za-z0-9_%+-])?"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
_EMAIL = re.compile(EMAIL_PATTERN.replace("$", r"\Z"))


class Email(fields.String):
    """An e-mail address, lower-cased: the user pool treats addresses case-insensitively,
    and so does Stride, whether or not the pool it talks to (moto) does."""

    def __init__(self, **kwargs: Any):
        # 128: the longest username a Cognito user pool accepts.
        super().__init__(validate=validate.Length(max=128), metadata={"pattern": EMAIL_PATTERN}, **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        address = super()._deserialize(value, attr, data, **kwargs)
        if not _EMAIL.match(address):
            raise ValidationError(
                "Not a valid e-mail address: letters, digits and . _ % + - before the @ (starting with a letter,"
                " a digit or _), a plain domain after it."
            )
        return address.lower()


class ErrorBody(ResponseSchema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    details = fields.Dict(required=True)


class ErrorEnvelope(ResponseSchema):
    error = fields.Nested(ErrorBody, required=True)
    request_id = fields.String(required=True)


class Message(ResponseSchema):
    message = fields.String(required=True)

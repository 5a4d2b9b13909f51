"""Response bodies dumped from a shape: the field list of a response schema whose marshmallow dump
only picks fields and converts scalars, written down ahead of time (chalicelib/response_shapes.json,
made by `make openapi` from the schemas). A route with such a response answers without importing
marshmallow or its domain's schemas, which is most of a cold GET's own cost; any other response is
dumped by its schema (`dump` below picks, `schema` makes the instance).

A shape does what marshmallow's dump does, value for value and key for key (the API suite compares
the two on every response it sees):
  "str" str(value), bytes decoded; "int" int(value); "float" float(value); "raw" the value as it is;
  "dict" a shallow copy; ["map", key kind, value kind] (either null: as it is); ["list", kind];
  ["object", fields]; ["objects", fields] (many); and the project's own numbers: "number" a stored
  number as JSON shows it (schemas.common.Number), "json" a stored JSON value (schemas.common.StoredJson).
An object's fields are [attribute, key, kind]: an attribute the value lacks is left out; None stays None.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from chalicelib import generated
from chalicelib.json_values import json_number
from chalicelib.names import import_named

if TYPE_CHECKING:
    from marshmallow import Schema

# A schema named by where it lives, "chalicelib.domains.weights.schemas:WeightInput": a route imports
# its schemas on its first request, so a cold start pays for one domain's, not all of them.
SchemaName = str

SHAPES_FILE = generated.path("response_shapes.json")
_MISSING = object()

Fields = list[list[Any]]


@functools.cache
def _shapes() -> dict[str, Fields]:
    shapes: dict[str, Fields] = generated.load("response_shapes.json")
    return shapes


def shape(schema_name: str) -> Fields | None:
    """The shape of a response schema, or None when only the schema itself can dump it."""
    return _shapes().get(schema_name)


@functools.cache
def schema(name: SchemaName) -> Schema:
    """One instance per schema, made on first use and kept: loading and dumping keep no state
    on the instance, and making one copies every declared field."""
    import chalicelib.schemas  # noqa: F401 (before any domain's schemas: it defers marshmallow's patterns)

    return import_named(name)()


def dump(response: SchemaName, result: Any) -> Any:
    """A result as its response schema shows it: by the schema's shape where it has one, so the
    route answers without marshmallow, by the schema itself otherwise."""
    fields = shape(response)
    return dump_shape(fields, result) if fields is not None else schema(response).dump(result)


def dump_shape(fields: Fields, value: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for attribute, key, kind in fields:
        found = _get(value, attribute)
        if found is not _MISSING:
            out[key] = _convert(kind, found)
    return out


def _get(value: Any, attribute: str) -> Any:
    # marshmallow's get_value: an item first, then an attribute. A plain dict (what services
    # return) takes the quick way to the same answer.
    if type(value) is dict:
        found = value.get(attribute, _MISSING)
        return found if found is not _MISSING else getattr(value, attribute, _MISSING)
    if not hasattr(value, "__getitem__"):
        return getattr(value, attribute, _MISSING)
    try:
        return value[attribute]
    except (KeyError, IndexError, TypeError, AttributeError):
        return getattr(value, attribute, _MISSING)


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _json_value(value: Any) -> Any:
    return json_number(value) if isinstance(value, Decimal) else value


_SCALARS: dict[str, Callable[[Any], Any]] = {
    "raw": lambda value: value,
    "str": _text,
    "int": int,
    "float": float,
    "dict": dict,
    "number": lambda value: json_number(Decimal(value)),
    "json": _json_value,
}


def _convert(kind: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(kind, str):
        return _SCALARS[kind](value)
    tag, inner, *more = kind
    if tag == "list":
        return [_convert(inner, each) for each in value]
    if tag == "object":
        return dump_shape(inner, value)
    if tag == "objects":
        return [dump_shape(inner, each) for each in value]
    keys = {key: key if inner is None else _convert(inner, key) for key in value}  # "map"
    return {keys[key]: each if more[0] is None else _convert(more[0], each) for key, each in value.items()}

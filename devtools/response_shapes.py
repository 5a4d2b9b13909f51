"""Writes chalicelib/response_shapes.json: the shape (chalicelib.api.responses) of each response
schema whose dump only picks fields and converts scalars, so its routes answer without marshmallow.
A schema with a dump hook, a default, a dotted attribute or a field with a dump of its own (a
Decimal's places, JsonValue...) gets no shape and is dumped by marshmallow.

    python -m devtools.response_shapes --output chalicelib/response_shapes.json   # `make openapi`
    python -m devtools.response_shapes --check                                    # exit 1 when stale
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from marshmallow import Schema, fields, missing

from chalicelib.api.responses import SHAPES_FILE
from chalicelib.api.router import schema
from chalicelib.domains import routers
from chalicelib.domains.coaching.assessment_schemas import JsonValue
from chalicelib.schemas.common import Number
from devtools import generated_file

DOCUMENT = Path(SHAPES_FILE).resolve()
_DUMP_HOOKS = ("pre_dump", "post_dump")
# A field class, and the kind of chalicelib.api.responses that dumps as it does (when no subclass
# dumps in a way of its own).
_SCALARS: tuple[tuple[type[fields.Field], str], ...] = (
    (fields.String, "str"),
    (fields.Integer, "int"),
    (fields.Float, "float"),
    (fields.Boolean, "raw"),
    (fields.Raw, "raw"),
    (Number, "number"),
    (JsonValue, "json"),
)


class NoShape(Exception):
    """The schema's dump does more than a shape can say."""


def _own_dump(field: fields.Field, base: type[fields.Field]) -> bool:
    """The field dumps as `base` does (no _serialize or number format of its own)."""
    kind = type(field)
    same = kind._serialize is base._serialize
    if isinstance(field, fields.Number) and base is not Number:
        same = same and kind._format_num is base._format_num and not field.as_string  # type: ignore[attr-defined]
    return same


def kind_of(field: fields.Field) -> Any:
    if field.dump_default is not missing:
        raise NoShape(f"{field!r} has a dump default")
    for base, kind in _SCALARS:
        if isinstance(field, base) and _own_dump(field, base):
            return kind
    if isinstance(field, fields.List) and _own_dump(field, fields.List):
        return ["list", kind_of(field.inner)]
    if type(field) is fields.Nested and not (field.only or field.exclude):
        return ["objects" if field.many else "object", fields_of(field.schema)]
    if isinstance(field, fields.Dict) and _own_dump(field, fields.Mapping):
        if field.key_field is None and field.value_field is None:
            return "dict"
        key, value = (None if inner is None else kind_of(inner) for inner in (field.key_field, field.value_field))
        return ["map", key, value]
    raise NoShape(f"{field!r} dumps in its own way")


def fields_of(instance: Schema) -> list[list[Any]]:
    hooks = getattr(instance, "_hooks", {})
    if any(hooks.get(name) for name in _DUMP_HOOKS) or instance.only or instance.exclude:
        raise NoShape(f"{type(instance).__name__} has dump hooks or options")
    if type(instance).get_attribute is not Schema.get_attribute or instance.dict_class is not dict:
        raise NoShape(f"{type(instance).__name__} reads or builds objects its own way")
    shaped = []
    for name, field in instance.dump_fields.items():
        attribute = field.attribute or name
        if "." in attribute:
            raise NoShape(f"{type(instance).__name__}.{name} reads a dotted attribute")
        shaped.append([attribute, field.data_key or name, kind_of(field)])
    return shaped


def build() -> dict[str, Any]:
    names = sorted({spec.response for router in routers() for spec, _ in router.routes if spec.response})
    shapes = {}
    for name in names:
        try:
            shapes[name] = fields_of(schema(name))
        except NoShape:
            continue
    return shapes


def render(shapes: dict[str, Any]) -> str:
    # One schema a line: small to read on a cold start, and a change shows as that schema's line.
    lines = [f"{json.dumps(name)}:{json.dumps(shape, separators=(',', ':'))}" for name, shape in sorted(shapes.items())]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def main(argv: list[str] | None = None) -> int:
    return generated_file.main(argv, DOCUMENT, render(build()))


if __name__ == "__main__":
    sys.exit(main())

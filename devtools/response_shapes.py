"""Writes chalicelib/response_shapes.json: the shape (chalicelib.api.responses) of each response
schema whose dump only picks fields and converts scalars, so its routes answer without marshmallow.
A schema with a dump hook, a default, a dotted attribute or a field with a dump of its own (a
Decimal's places, StoredJson...) gets no shape and is dumped by marshmallow.

    python -m devtools.response_shapes --output chalicelib/response_shapes.json   # `make openapi`
    python -m devtools.response_shapes --check                                    # exit 1 when stale
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from marshmallow import Schema, fields, missing

from chalicelib.api.responses import SHAPES_FILE, schema
from chalicelib.domains import routers
from chalicelib.schemas.common import Number, StoredJson
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
    (StoredJson, "json"),
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


def _reads_plainly(field: fields.Field) -> bool:
    """The field finds its value as marshmallow's Field does (an item, then an attribute)."""
    kind = type(field)
    return (
        kind.serialize is fields.Field.serialize
        and kind.get_value is fields.Field.get_value
        and kind._CHECK_ATTRIBUTE
        and field.dump_default is missing
    )


def kind_of(field: fields.Field, within: tuple[type[Schema], ...] = ()) -> Any:
    if not _reads_plainly(field):
        raise NoShape(f"{field!r} finds or defaults its value in its own way")
    for base, kind in _SCALARS:
        if isinstance(field, base) and _own_dump(field, base):
            return kind
    if isinstance(field, fields.List) and _own_dump(field, fields.List):
        return ["list", kind_of(field.inner, within)]
    if type(field) is fields.Nested and not (field.only or field.exclude):
        nested = field.schema
        return ["objects" if field.many or nested.many else "object", fields_of(nested, within)]
    if isinstance(field, fields.Dict) and _own_dump(field, fields.Mapping):
        if field.key_field is None and field.value_field is None:
            return "dict"
        key, value = (
            None if inner is None else kind_of(inner, within) for inner in (field.key_field, field.value_field)
        )
        return ["map", key, value]
    raise NoShape(f"{field!r} dumps in its own way")


def fields_of(instance: Schema, within: tuple[type[Schema], ...] = ()) -> list[list[Any]]:
    schema_class = type(instance)
    if schema_class in within:
        raise NoShape(f"{schema_class.__name__} contains itself")
    hooks = getattr(instance, "_hooks", {})
    if any(hooks.get(name) for name in _DUMP_HOOKS) or instance.only or instance.exclude:
        raise NoShape(f"{schema_class.__name__} has dump hooks or options")
    own_ways = (schema_class.dump, schema_class._serialize, schema_class.get_attribute)
    if own_ways != (Schema.dump, Schema._serialize, Schema.get_attribute) or instance.dict_class is not dict:
        raise NoShape(f"{schema_class.__name__} reads or builds objects its own way")
    shaped = []
    for name, field in instance.dump_fields.items():
        attribute = name if field.attribute is None else field.attribute
        if "." in attribute:
            raise NoShape(f"{schema_class.__name__}.{name} reads a dotted attribute")
        key = name if field.data_key is None else field.data_key
        shaped.append([attribute, key, kind_of(field, (*within, schema_class))])
    return shaped


# The response schemas marshmallow dumps, on purpose: each of their routes imports marshmallow and
# its domain's schemas on a cold start. A schema that loses its shape by accident fails `build`.
DUMPED_BY_MARSHMALLOW = {
    "chalicelib.domains.account.schemas:Export": "keeps every key of the export, declared or not (post_dump)",
    "chalicelib.domains.account.schemas:ImportResult": "its counts keep every domain's key (post_dump)",
}


class UnexpectedShape(Exception):
    """A schema got or lost a shape without DUMPED_BY_MARSHMALLOW saying so."""


def build() -> dict[str, Any]:
    names = sorted({spec.response for router in routers() for spec, _ in router.routes if spec.response})
    shapes, problems = {}, []
    for name in names:
        try:
            shapes[name] = fields_of(schema(name))
        except NoShape as reason:
            if name not in DUMPED_BY_MARSHMALLOW:
                problems.append(
                    f"{name} gets no shape ({reason}): its routes would import marshmallow on a cold start."
                    " Prefer a plain field the service fills, or list it in DUMPED_BY_MARSHMALLOW with why."
                )
    problems += [
        f"{name} is in DUMPED_BY_MARSHMALLOW but {'has a shape' if name in shapes else 'is no response'}: take it out."
        for name in DUMPED_BY_MARSHMALLOW
        if name in shapes or name not in names
    ]
    if problems:
        raise UnexpectedShape("devtools/response_shapes.py:\n  " + "\n  ".join(problems))
    return shapes


def render(shapes: dict[str, Any]) -> str:
    # One schema a line: small to read on a cold start, and a change shows as that schema's line.
    lines = [f"{json.dumps(name)}:{json.dumps(shape, separators=(',', ':'))}" for name, shape in sorted(shapes.items())]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def main(argv: list[str] | None = None) -> int:
    try:
        shapes = build()
    except UnexpectedShape as problem:
        print(problem, file=sys.stderr)
        return 1
    return generated_file.main(argv, DOCUMENT, render(shapes))


if __name__ == "__main__":
    sys.exit(main())

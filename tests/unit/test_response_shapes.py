"""Response shapes (chalicelib.api.responses): the committed file is current, a schema whose dump a
shape cannot repeat gets none, and a shape dumps what marshmallow dumps, edge values included.
The API suite also compares the two on every response it sees (tests/conftest.py)."""

from __future__ import annotations

import json
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from marshmallow import Schema, fields, post_dump

from chalicelib.api import responses
from chalicelib.schemas.common import Number, ResponseSchema, StoredJson
from devtools import response_shapes


def test_the_preferences_answer_has_a_shape():
    assert responses.shape("chalicelib.domains.me.preferences_schemas:Preferences") is not None
    assert responses.shape("chalicelib.domains.account.schemas:Export") is None  # it has a post_dump hook


class Inner(ResponseSchema):
    name = fields.String()
    count = fields.Integer()


class Everything(ResponseSchema):
    text = fields.String()
    whole = fields.Integer()
    fraction = fields.Float()
    flag = fields.Boolean()
    anything = fields.Raw()
    mapping = fields.Dict()
    typed = fields.Dict(keys=fields.String(), values=fields.Integer())
    words = fields.List(fields.String())
    inner = fields.Nested(Inner)
    inners = fields.Nested(Inner, many=True)
    listed = fields.List(fields.Nested(Inner))
    stored = Number(places=2, minimum=0, maximum=1000)
    answer = StoredJson()
    renamed = fields.String(data_key="from")
    blank = fields.String(data_key="")
    secret = fields.String(load_only=True)
    many_by_schema = fields.Nested(Inner(many=True))


VALUES: list[dict[str, Any]] = [
    {},
    dict.fromkeys(Everything().fields),
    {
        "text": b"bytes",
        "whole": Decimal("7"),
        "fraction": Decimal("2.5"),
        "flag": 1,
        "anything": {"a": [Decimal("1.5")]},
        "mapping": {"k": Decimal("3")},
        "typed": {"a": Decimal("4"), "b": None},
        "words": ["x", 3, None],
        "inner": {"name": 5, "count": "9", "extra": "left out"},
        "inners": [{"name": "a"}, {}],
        "listed": [{"count": Decimal("2")}, None],
        "stored": Decimal("80.0"),
        "answer": Decimal("1.25"),
        "renamed": "x",
        "blank": "an empty key",
        "secret": "never shown",
        "many_by_schema": [{"name": "one"}, {"count": 2}],
        "unknown": "left out",
    },
    {"stored": Decimal("80.5"), "answer": "text", "inner": None, "inners": None, "whole": 3.9, "fraction": 2},
    {"listed": [SimpleNamespace(name="an object", count=Decimal("2"))], "inner": 5},  # read as marshmallow reads
]


@pytest.mark.parametrize("value", VALUES)
def test_a_shape_dumps_what_the_schema_dumps(value):
    shape = response_shapes.fields_of(Everything())
    shaped = responses.dump_shape(shape, value)
    assert json.dumps(shaped, default=repr) == json.dumps(Everything().dump(value), default=repr)


def test_a_shape_survives_its_file_as_json():
    shape = json.loads(json.dumps(response_shapes.fields_of(Everything())))
    assert responses.dump_shape(shape, VALUES[2]) == Everything().dump(VALUES[2])


class Hooked(ResponseSchema):
    name = fields.String()

    @post_dump
    def shout(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        return {key: value.upper() for key, value in data.items()}


class OwnDump(fields.String):
    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> Any:
        return "never the value"


class OwnSerialize(fields.String):
    def serialize(self, attr: str, obj: Any, accessor: Any = None, **kwargs: Any) -> Any:
        return "never the value"


class OwnGetValue(fields.String):
    def get_value(self, obj: Any, attr: str, accessor: Any = None, default: Any = None) -> Any:
        return "never the value"


class Unchecked(fields.String):
    _CHECK_ATTRIBUTE = False


class WithOwnSerialize(ResponseSchema):
    serialized = OwnSerialize()


class WithOwnGetValue(ResponseSchema):
    found = OwnGetValue()


class WithUnchecked(ResponseSchema):
    always = Unchecked()


class OwnSchemaDump(ResponseSchema):
    name = fields.String()

    def dump(self, obj: Any, *, many: bool | None = None) -> Any:
        return {"name": "never the value"}


class ContainsItself(ResponseSchema):
    name = fields.String()
    child = fields.Nested(lambda: ContainsItself())


class Defaulted(ResponseSchema):
    name = fields.String(dump_default="someone")


class Dotted(ResponseSchema):
    name = fields.String(attribute="person.name")


class WithOwnField(Schema):
    name = OwnDump()


class NestedOnly(ResponseSchema):
    inner = fields.Nested(Inner, only=("name",))


@pytest.mark.parametrize(
    "schema",
    [
        *(Hooked, Defaulted, Dotted, WithOwnField, NestedOnly),
        *(WithOwnSerialize, WithOwnGetValue, WithUnchecked, OwnSchemaDump, ContainsItself),
    ],
)
def test_a_schema_whose_dump_does_more_gets_no_shape(schema):
    with pytest.raises(response_shapes.NoShape):
        response_shapes.fields_of(schema())


def test_a_response_schema_that_loses_its_shape_by_accident_fails_the_generator(monkeypatch):
    name = "chalicelib.domains.me.preferences_schemas:Preferences"
    real = response_shapes.fields_of

    def as_if_a_function_field_were_added(instance: Schema, within: tuple[type[Schema], ...] = ()) -> Any:
        if type(instance).__name__ == "Preferences":
            raise response_shapes.NoShape("<fields.Function> dumps in its own way")
        return real(instance, within)

    monkeypatch.setattr(response_shapes, "fields_of", as_if_a_function_field_were_added)
    with pytest.raises(response_shapes.UnexpectedShape, match=f"{name} gets no shape .*fields.Function"):
        response_shapes.build()
    monkeypatch.setitem(response_shapes.DUMPED_BY_MARSHMALLOW, name, "reads its zone's rules")
    assert name not in response_shapes.build()


def test_a_schema_listed_as_dumped_by_marshmallow_must_need_it(monkeypatch, capsys):
    for listed in ("chalicelib.domains.me.preferences_schemas:Preferences", "chalicelib.domains.gone:Schema"):
        monkeypatch.setitem(response_shapes.DUMPED_BY_MARSHMALLOW, listed, "")
    assert response_shapes.main(["--check"]) == 1
    said = capsys.readouterr().err
    assert "Preferences is in DUMPED_BY_MARSHMALLOW but has a shape" in said
    assert "chalicelib.domains.gone:Schema is in DUMPED_BY_MARSHMALLOW but is no response" in said

"""Export and import documents, built from the installed domains' manifests: a domain that keeps
data is in both without being listed here. An exported record is what POST takes, plus its id
and times (each domain's record schema)."""

from __future__ import annotations

from typing import Any

from marshmallow import INCLUDE, Schema, fields, post_dump, validate

from chalicelib import domains
from chalicelib.manifest import import_named
from chalicelib.schemas.common import DATE_PATTERN, ResponseSchema, StrictInteger


def _importable() -> list[tuple[str, type[Schema]]]:
    return [(listed.name, import_named(listed.record_schema)) for listed in domains.records() if listed.record_schema]


class _Document(Schema):
    class Meta:
        unknown = INCLUDE

    # Any other key of an export is taken and ignored. Stated as any value, not as JsonValue: a typed
    # client's index signature must take the declared fields' types too (orval's does not compile
    # otherwise: an array of records is no JsonValue to TypeScript).
    OPENAPI_EXTRA = {"additionalProperties": {"description": "Any other key of an export (any JSON value): ignored."}}


def _document() -> type[Schema]:
    """What POST /me/import reads of an export (for the document: the service checks it, record by
    record, with each domain's record schema). Other keys of an export are there and ignored."""
    declared: dict[str, Any] = {
        "schema_version": StrictInteger(required=True, validate=validate.OneOf([1])),
        **{name: fields.List(fields.Nested(record), allow_none=True) for name, record in _importable()},
    }
    return _Document.from_dict(declared, name="ImportDocument")


ImportDocument = _document()


# A CSV of weights, as the document describes it: a header, then rows of a date (any real day of
# 1900-2100, as every date the API takes), a weight of at most three decimals within the plausible
# range of its unit (20-500 kg), and the unit. The parser also forgives what this pattern leaves out
# (spaces, upper-case units, other columns, date-times), and refuses a date more than a day in the
# future, which no static pattern can say: the description says it.
_DECIMALS = r"(?:\.[0-9]{1,3})?"
_KG = rf"(?:(?:[2-9][0-9]|[1-4][0-9]{{2}}){_DECIMALS}|500(?:\.0{{1,3}})?),kg"
_LB = (
    rf"(?:44\.09[3-9]|44\.[1-9][0-9]{{0,2}}|(?:4[5-9]|[5-9][0-9]|[1-9][0-9]{{2}}|10[0-9]{{2}}|110[01]){_DECIMALS}"
    r"|1102(?:\.(?:[0-2][0-9]{0,2}|3(?:0[0-9]?|1[01]?)?))?),lb"
)
WEIGHTS_CSV = {
    "type": "string",
    "description": "date,weight,unit then one row per weight, at most 10,000; a date more than a day "
    "in the future is refused (400)",
    "pattern": rf"^date,weight,unit(?:\r?\n{DATE_PATTERN},(?:{_KG}|{_LB})){{1,10000}}\r?\n?$",
}


class ExportAccount(ResponseSchema):
    user_id = fields.String(required=True)
    email = fields.String(required=True)
    tenant_id = fields.String(required=True)


class WholeDocument(ResponseSchema):
    """Dumps every key the account service put in the document, declared or not: the declared
    fields (from the manifests) describe it, and a key they miss is still never dropped."""

    @post_dump(pass_original=True)
    def keep_undeclared(self, data: dict[str, Any], original: Any, **kwargs: Any) -> dict[str, Any]:
        return {**original, **data} if isinstance(original, dict) else data


def _described(description: str) -> dict[str, Any]:
    return {"metadata": {"description": description}} if description else {}


def _export() -> type[Schema]:
    """Inline, the whole document; past the size limit, `download_url` to the same document."""
    data = {
        name: fields.List(fields.Dict(), **_described(description))
        if listed
        else fields.Dict(allow_none=True, **_described(description))
        for name, description, listed in domains.exported_names()
    }
    declared: dict[str, Any] = {
        "schema_version": fields.Integer(required=True),
        "exported_at": fields.String(required=True, metadata={"format": "date-time"}),
        "account": fields.Nested(ExportAccount),
        **data,
        "download_url": fields.String(metadata={"description": "Pre-signed GET, valid for expires_in seconds"}),
        "expires_in": fields.Integer(),
        "size_bytes": fields.Integer(),
    }
    return WholeDocument.from_dict(declared, name="Export")


Export = _export()
DomainCounts = WholeDocument.from_dict({name: fields.Integer() for name, _ in _importable()}, name="DomainCounts")


class ImportResult(ResponseSchema):
    imported = fields.Nested(DomainCounts, required=True)
    skipped = fields.Nested(DomainCounts, required=True, metadata={"description": "Already there: not written again"})

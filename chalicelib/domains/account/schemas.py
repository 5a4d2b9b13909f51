"""Export and import documents, built from the installed domains' manifests: a domain that keeps
data is in both without being listed here. An exported record is what POST takes, plus its id
and times (each domain's record schema)."""

from __future__ import annotations

from typing import Any

from marshmallow import INCLUDE, Schema, fields, post_dump, validate

from chalicelib import domains
from chalicelib.manifest import import_named
from chalicelib.schemas.common import ResponseSchema, StrictInteger


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


def _csv_shape() -> dict[str, Any]:
    """The CSV that POST /me/import takes, as the one domain declaring a CSV format describes it."""
    shapes = [import_named(listed.csv.shape) for listed in domains.records() if listed.csv is not None]
    if len(shapes) > 1:
        raise ValueError("At most one domain may declare a CSV format: POST /me/import takes one kind of CSV.")
    return shapes[0] if shapes else {"type": "string", "description": "No domain imports a CSV."}


CSV_IMPORT = _csv_shape()


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


class ErasureAccepted(ResponseSchema):
    status = fields.String(
        required=True,
        validate=validate.OneOf(["erasing"]),
        metadata={
            "description": "Signed out, sign-in and writes refused from now; the data is being erased in the "
            "background (minutes at most)"
        },
    )


class ExportArchive(ResponseSchema):
    download_url = fields.String(
        required=True, metadata={"description": "A pre-signed GET of the zip, valid for expires_in seconds"}
    )
    size_bytes = fields.Integer(required=True)
    files = fields.Integer(required=True, metadata={"description": "GPX files in it (tracks/<date>-<title>.gpx)"})


class ExportJob(ResponseSchema):
    id = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(["running", "ready"]))
    exported_at = fields.String(metadata={"format": "date-time"})
    download_url = fields.String(metadata={"description": "Once ready: a pre-signed GET, valid for expires_in seconds"})
    expires_in = fields.Integer()
    size_bytes = fields.Integer()
    tracks = fields.Nested(
        ExportArchive,
        metadata={"description": "Once ready, when you have workouts from activity files: their GPX files in a zip"},
    )


class ImportFailure(ResponseSchema):
    code = fields.String(
        required=True,
        metadata={"description": "validation_error (details: per-row errors), import_lease_lost (rolled back)"},
    )
    message = fields.String(required=True)
    details = fields.Dict(
        metadata={"description": "Per-row errors as an inline import answers them (the first 100 rows)"}
    )


class ImportJob(ResponseSchema):
    id = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(["running", "done", "failed"]))
    # Plain maps (a count a domain, as ImportResult's): the poll answers without marshmallow.
    imported = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={"description": "Once done"})
    skipped = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "Once done: already there, not written again"},
    )
    error = fields.Nested(ImportFailure, metadata={"description": "Once failed: nothing of the import was kept"})

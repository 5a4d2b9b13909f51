"""Export and import documents. An exported record is what POST takes, plus its id and times."""

from __future__ import annotations

from marshmallow import fields, validate

from chalicelib.ids import PATTERN as ID_PATTERN
from chalicelib.schemas.common import Moment, ResponseSchema, StrictInteger, StrictSchema
from chalicelib.schemas.tasks import TaskInput
from chalicelib.schemas.weights import WeightInput
from chalicelib.schemas.workouts import WorkoutInput


class RecordMeta(StrictSchema):
    id = fields.String(required=True, validate=validate.Regexp(ID_PATTERN, error="Not a Stride id."))
    created_at = Moment()
    updated_at = Moment()
    version = StrictInteger(validate=validate.Range(min=1))


class WeightRecord(RecordMeta, WeightInput):
    pass


class WorkoutRecord(RecordMeta, WorkoutInput):
    pass


class TaskRecord(RecordMeta, TaskInput):
    completed_at = Moment()


class ExportAccount(ResponseSchema):
    user_id = fields.String(required=True)
    email = fields.String(required=True)
    tenant_id = fields.String(required=True)


class Export(ResponseSchema):
    """Inline, the whole document; past the size limit, `download_url` to the same document."""

    schema_version = fields.Integer(required=True)
    exported_at = fields.String(required=True, metadata={"format": "date-time"})
    account = fields.Nested(ExportAccount)
    profile = fields.Dict(allow_none=True)
    preferences = fields.Dict(allow_none=True)
    weights = fields.List(fields.Dict(), metadata={"description": "As POST /weights takes them, with id and times"})
    workouts = fields.List(fields.Dict())
    tasks = fields.List(fields.Dict())
    media = fields.List(
        fields.Dict(), metadata={"description": "What was uploaded and where it is used (not the files)"}
    )
    posts = fields.List(fields.Dict())
    comments = fields.List(fields.Dict())
    likes = fields.List(fields.Dict())
    sharing = fields.Dict(allow_none=True, metadata={"description": "Whether coaches may see what follows"})
    assessment_submissions = fields.List(fields.Dict(), metadata={"description": "Answers and scores"})
    programs = fields.List(fields.Dict(), metadata={"description": "Programs, sessions done included"})
    download_url = fields.String(metadata={"description": "Pre-signed GET, valid for expires_in seconds"})
    expires_in = fields.Integer()
    size_bytes = fields.Integer()


class DomainCounts(ResponseSchema):
    weights = fields.Integer()
    workouts = fields.Integer()
    tasks = fields.Integer()


class ImportResult(ResponseSchema):
    imported = fields.Nested(DomainCounts, required=True)
    skipped = fields.Nested(DomainCounts, required=True, metadata={"description": "Already there: not written again"})

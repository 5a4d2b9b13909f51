"""Export and import documents. An exported record is what POST takes, plus its id and times."""

from __future__ import annotations

from marshmallow import INCLUDE, Schema, fields, validate

from chalicelib.ids import PATTERN as ID_PATTERN
from chalicelib.schemas.common import (
    JSON_VALUE_NAME,
    PAST_DATE_PATTERN,
    Moment,
    ResponseSchema,
    StrictInteger,
    StrictSchema,
    WholeMatch,
)
from chalicelib.schemas.tasks import TaskInput
from chalicelib.schemas.weights import WeightInput
from chalicelib.schemas.workouts import WorkoutInput


class RecordMeta(StrictSchema):
    id = fields.String(required=True, validate=WholeMatch(ID_PATTERN, error="Not a Stride id."))
    created_at = Moment()
    updated_at = Moment()
    # A count of edits: JavaScript's largest exact integer is far beyond any, and within what the
    # API parses at all (fewer than 10**31, which make fuzz found a version past).
    version = StrictInteger(validate=validate.Range(min=1, max=2**53 - 1))


class WeightRecord(RecordMeta, WeightInput):
    pass


class WorkoutRecord(RecordMeta, WorkoutInput):
    pass


class TaskRecord(RecordMeta, TaskInput):
    completed_at = Moment()


class ImportDocument(Schema):
    """What POST /me/import reads of an export (for the document: the service checks it, record by
    record, with the record schemas above). Other keys of an export are there and ignored."""

    class Meta:
        unknown = INCLUDE

    OPENAPI_EXTRA = {"additionalProperties": {"$ref": f"#/components/schemas/{JSON_VALUE_NAME}"}}

    schema_version = StrictInteger(required=True, validate=validate.OneOf([1]))
    weights = fields.List(fields.Nested(WeightRecord), allow_none=True)
    workouts = fields.List(fields.Nested(WorkoutRecord), allow_none=True)
    tasks = fields.List(fields.Nested(TaskRecord), allow_none=True)


# A CSV of weights, as the document describes it: a header, then rows of a date, a weight of at most
# three decimals within the plausible range of its unit (20-500 kg), and the unit. The parser also
# forgives what this pattern leaves out (spaces, upper-case units, other columns, date-times), and
# refuses a date in the future: the pattern's dates are all in the past (1900-2019).
_DECIMALS = r"(?:\.[0-9]{1,3})?"
_KG = rf"(?:(?:[2-9][0-9]|[1-4][0-9]{{2}}){_DECIMALS}|500(?:\.0{{1,3}})?),kg"
_LB = (
    rf"(?:44\.09[3-9]|44\.[1-9][0-9]{{0,2}}|(?:4[5-9]|[5-9][0-9]|[1-9][0-9]{{2}}|10[0-9]{{2}}|110[01]){_DECIMALS}"
    r"|1102(?:\.(?:[0-2][0-9]{0,2}|3(?:0[0-9]?|1[01]?)?))?),lb"
)
WEIGHTS_CSV = {
    "type": "string",
    "description": "date,weight,unit then one row per weight, at most 10,000",
    "pattern": rf"^date,weight,unit(?:\r?\n{PAST_DATE_PATTERN},(?:{_KG}|{_LB})){{1,10000}}\r?\n?$",
}


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
    business_membership = fields.Dict(
        allow_none=True, metadata={"description": "The business the person belongs to, and their role"}
    )
    weights = fields.List(fields.Dict(), metadata={"description": "As POST /weights takes them, with id and times"})
    workouts = fields.List(fields.Dict())
    tasks = fields.List(fields.Dict())
    media = fields.List(
        fields.Dict(), metadata={"description": "What was uploaded and where it is used (not the files)"}
    )
    posts = fields.List(fields.Dict())
    comments = fields.List(fields.Dict())
    likes = fields.List(fields.Dict())
    video_progress = fields.List(
        fields.Dict(), metadata={"description": "How far you got in each video: video_id, tenant_id, position_s, …"}
    )
    sharing = fields.Dict(allow_none=True, metadata={"description": "Whether coaches may see what follows"})
    assessment_submissions = fields.List(fields.Dict(), metadata={"description": "Answers and scores"})
    programs = fields.List(fields.Dict(), metadata={"description": "Programs, sessions done included"})
    email_schedule = fields.List(
        fields.Dict(), metadata={"description": "The e-mails turned on and when each next goes: kind, send_at, …"}
    )
    emails_sent = fields.List(
        fields.Dict(), metadata={"description": "Reminders and summaries sent: kind, local_date, subject, status, …"}
    )
    webhooks = fields.List(fields.Dict(), metadata={"description": "Your webhooks (never their secrets)"})
    webhook_deliveries = fields.List(
        fields.Dict(), metadata={"description": "Webhook deliveries waiting for their next attempt"}
    )
    webhook_dead_letters = fields.List(
        fields.Dict(), metadata={"description": "Webhook deliveries that failed their last attempt, with the event"}
    )
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

from __future__ import annotations

from marshmallow import fields, validate

from chalicelib.schemas.common import AT_LEAST_ONE_FIELD, Moment, ResponseSchema, StrictBoolean, StrictSchema
from chalicelib.schemas.records import RecordMeta
from chalicelib.schemas.tracking import PageQuery

PRIORITIES = ("low", "normal", "high")


class TaskInput(StrictSchema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    notes = fields.String(validate=validate.Length(max=2000), allow_none=True)
    due_date = Moment(date_only=True, allow_none=True)
    priority = fields.String(validate=validate.OneOf(PRIORITIES), load_default="normal")
    done = StrictBoolean(load_default=False)


class TaskPatch(StrictSchema):
    OPENAPI_EXTRA = AT_LEAST_ONE_FIELD

    title = fields.String(validate=validate.Length(min=1, max=200))
    notes = fields.String(validate=validate.Length(max=2000), allow_none=True)
    due_date = Moment(date_only=True, allow_none=True)
    priority = fields.String(validate=validate.OneOf(PRIORITIES))
    done = StrictBoolean()


class TasksQuery(PageQuery):
    status = fields.String(validate=validate.OneOf(("open", "done")))
    due_before = Moment(date_only=True)


class Task(ResponseSchema):
    id = fields.String(required=True)
    title = fields.String(required=True)
    notes = fields.String()
    due_date = fields.String(metadata={"format": "date"})
    priority = fields.String(required=True, validate=validate.OneOf(PRIORITIES))
    done = fields.Boolean(required=True)
    completed_at = fields.String(metadata={"format": "date-time"})
    created_at = fields.String(required=True, metadata={"format": "date-time"})
    updated_at = fields.String(required=True, metadata={"format": "date-time"})
    version = fields.Integer(required=True)


class TaskPage(ResponseSchema):
    items = fields.List(fields.Nested(Task), required=True)
    next_cursor = fields.String(required=True, allow_none=True)


class TaskRecord(RecordMeta, TaskInput):
    completed_at = Moment()

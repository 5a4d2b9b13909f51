"""Submissions, the programs made from them, and the sharing setting that lets coaches see them."""

from __future__ import annotations

from marshmallow import fields, validate

from chalicelib.ids import PATTERN as ID_PATTERN
from chalicelib.schemas.common import ResponseSchema, StoredJson, StrictBoolean, StrictSchema, WholeMatch
from chalicelib.schemas.tracking import PageQuery

LEVELS = ("beginner", "intermediate", "advanced")


class PlannedExercise(ResponseSchema):
    name = fields.String(required=True)
    slug = fields.String(required=True)
    sets = fields.Integer(required=True)
    reps = fields.Integer(required=True)
    rest_s = fields.Integer(required=True)
    video_id = fields.String(required=True, allow_none=True)


class Session(ResponseSchema):
    number = fields.Integer(required=True, metadata={"description": "1-based, across the whole program"})
    week = fields.Integer(required=True)
    title = fields.String(required=True)
    exercises = fields.List(fields.Nested(PlannedExercise), required=True)
    completed_at = fields.String(required=True, allow_none=True, metadata={"format": "date-time"})
    workout_id = fields.String(required=True, allow_none=True)


class Week(ResponseSchema):
    number = fields.Integer(required=True)
    sessions = fields.List(fields.Nested(Session), required=True)


class Program(ResponseSchema):
    id = fields.String(required=True)
    submission_id = fields.String(required=True)
    assessment_id = fields.String(required=True)
    title = fields.String(required=True)
    score = fields.Integer(required=True)
    level = fields.String(required=True, validate=validate.OneOf(LEVELS))
    weeks_count = fields.Integer(required=True)
    sessions_per_week = fields.Integer(required=True)
    weeks = fields.List(fields.Nested(Week), required=True)
    created_at = fields.String(required=True, metadata={"format": "date-time"})
    updated_at = fields.String(required=True, metadata={"format": "date-time"})
    version = fields.Integer(required=True)


class ProgramPage(ResponseSchema):
    items = fields.List(fields.Nested(Program), required=True)
    next_cursor = fields.String(required=True, allow_none=True)


class Submission(ResponseSchema):
    id = fields.String(required=True)
    assessment_id = fields.String(required=True)
    answers = fields.Dict(keys=fields.String(), values=StoredJson(), required=True)
    score = fields.Integer(required=True)
    level = fields.String(required=True, validate=validate.OneOf(LEVELS))
    program_id = fields.String(required=True)
    created_at = fields.String(required=True, metadata={"format": "date-time"})
    updated_at = fields.String(required=True, metadata={"format": "date-time"})
    version = fields.Integer(required=True)


class SubmissionPage(ResponseSchema):
    items = fields.List(fields.Nested(Submission), required=True)
    next_cursor = fields.String(required=True, allow_none=True)


class SubmissionResult(ResponseSchema):
    submission = fields.Nested(Submission, required=True)
    score = fields.Integer(required=True)
    program = fields.Nested(Program, required=True)


class CompleteSessionInput(StrictSchema):
    workout_id = fields.String(validate=WholeMatch(ID_PATTERN))


class ListQuery(PageQuery):
    pass


class SharingInput(StrictSchema):
    coach_access = StrictBoolean(required=True)


class Sharing(ResponseSchema):
    coach_access = fields.Boolean(required=True)
    # The business the consent was given to: only its coaches and admins read (null: no one).
    business_id = fields.String(required=True, allow_none=True)
    updated_at = fields.String(required=True, allow_none=True, metadata={"format": "date-time"})

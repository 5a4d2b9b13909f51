from __future__ import annotations

from marshmallow import fields

from chalicelib.schemas.common import Moment, ResponseSchema, StrictSchema


class StatsQuery(StrictSchema):
    from_ = Moment(
        data_key="from",
        date_only=True,
        metadata={"description": "The first day (default: 29 days before `to`); not after `to`, at most 366 days."},
    )
    to = Moment(date_only=True, metadata={"description": "The last day (default: today in your zone)."})


class DatedWeight(ResponseSchema):
    date = fields.String(required=True, metadata={"format": "date"})
    value = fields.Float(required=True)


class WeightPoint(ResponseSchema):
    date = fields.String(required=True, metadata={"format": "date"})
    weight = fields.Float(required=True, metadata={"description": "That day's mean"})
    moving_average_7d = fields.Float(
        required=True, metadata={"description": "Mean of the day means of the last 7 days"}
    )


class WeightSummary(ResponseSchema):
    entries = fields.Integer(required=True)
    unit = fields.String(metadata={"description": "kg or lb, from the caller's preferences"})
    first = fields.Nested(DatedWeight, required=True, allow_none=True)
    last = fields.Nested(DatedWeight, required=True, allow_none=True)
    change = fields.Float(required=True, allow_none=True)
    min = fields.Float(required=True, allow_none=True)
    max = fields.Float(required=True, allow_none=True)
    series = fields.List(fields.Nested(WeightPoint), required=True)


class WeekTotals(ResponseSchema):
    week = fields.String(required=True, metadata={"description": "ISO week, 2026-W02"})
    count = fields.Integer(required=True)
    minutes = fields.Integer(required=True)


class WorkoutSummary(ResponseSchema):
    count = fields.Integer(required=True)
    total_minutes = fields.Integer(required=True)
    by_type = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    per_week = fields.List(fields.Nested(WeekTotals), required=True)
    weekly_goal = fields.Integer(required=True)
    current_streak_weeks = fields.Integer(required=True)


class TaskSummary(ResponseSchema):
    open = fields.Integer(required=True)
    overdue = fields.Integer(required=True)
    done_in_range = fields.Integer(required=True)
    completion_rate = fields.Float(
        required=True, allow_none=True, metadata={"description": "done_in_range / (done_in_range + open)"}
    )


class Summary(ResponseSchema):
    from_ = fields.String(data_key="from", required=True, metadata={"format": "date"})
    to = fields.String(required=True, metadata={"format": "date"})
    timezone = fields.String(required=True)
    units = fields.String(required=True)
    weight = fields.Nested(WeightSummary, required=True)
    workouts = fields.Nested(WorkoutSummary, required=True)
    tasks = fields.Nested(TaskSummary, required=True)

"""Assessment definitions (strictly validated: they drive scoring) and submissions."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validate, validates_schema

from chalicelib.schemas.common import (
    Number,
    ResponseSchema,
    StoredJson,
    StrictBoolean,
    StrictInteger,
    StrictSchema,
    WholeMatch,
)
from chalicelib.schemas.tracking import PageQuery

QUESTION_TYPES = ("integer", "number", "choice", "boolean")
MAX_QUESTIONS = 50
MAX_CHOICES = 20
QUESTION_ID = r"^[a-z][a-z0-9_]{0,39}$"
BOUND = 1_000_000
# Which optional fields each type takes; any other is refused by name.
TYPE_FIELDS = {
    "integer": {"min", "max", "zero_at", "full_at"},
    "number": {"min", "max", "zero_at", "full_at"},
    "choice": {"choices"},
    "boolean": {"true_points", "false_points"},
}
TYPED = set().union(*TYPE_FIELDS.values())


class ChoiceInput(StrictSchema):
    value = fields.String(required=True, validate=validate.Length(min=1, max=50))
    label = fields.String(required=True, validate=validate.Length(min=1, max=200))
    points = StrictInteger(required=True, validate=validate.Range(min=0, max=100))


def _bound(**kwargs: Any) -> Number:
    return Number(places=3, minimum=-BOUND, maximum=BOUND, **kwargs)


class QuestionInput(StrictSchema):
    id = fields.String(required=True, validate=WholeMatch(QUESTION_ID))
    prompt = fields.String(required=True, validate=validate.Length(min=1, max=500))
    type = fields.String(required=True, validate=validate.OneOf(QUESTION_TYPES))
    required = StrictBoolean(load_default=True)
    weight = StrictInteger(required=True, validate=validate.Range(min=0, max=10))
    min = _bound()
    max = _bound()
    zero_at = _bound()
    full_at = _bound()
    choices = fields.List(fields.Nested(ChoiceInput), validate=validate.Length(min=2, max=MAX_CHOICES))
    true_points = StrictInteger(validate=validate.Range(min=0, max=100))
    false_points = StrictInteger(validate=validate.Range(min=0, max=100))

    @validates_schema
    def fits_its_type(self, data: dict[str, Any], **kwargs: Any) -> None:
        kind = data.get("type")
        if kind not in TYPE_FIELDS:
            return
        errors: dict[str, list[str]] = {
            name: [f"Not a field of a {kind} question."] for name in sorted(TYPED - TYPE_FIELDS[kind]) if name in data
        }
        if kind in ("integer", "number"):
            errors.update(_range_errors(kind, data))
        elif kind == "choice":
            values = [choice["value"] for choice in data.get("choices", [])]
            if "choices" not in data:
                errors["choices"] = ["A choice question needs choices."]
            elif len(set(values)) != len(values):
                errors["choices"] = ["Choice values must be unique."]
        if errors:
            raise ValidationError(errors)


def _range_errors(kind: str, data: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name in ("min", "max"):
        if name not in data:
            errors[name] = [f"A {kind} question needs {name}."]
        elif kind == "integer" and data[name] != data[name].to_integral_value():
            errors[name] = ["Must be a whole number."]
    if errors:
        return errors
    low, high = data["min"], data["max"]
    if low >= high:
        return {"max": ["Must be greater than min."]}
    bounds = {"zero_at": data.get("zero_at", low), "full_at": data.get("full_at", high)}
    for name, value in bounds.items():
        if not low <= value <= high:
            errors[name] = ["Must be between min and max."]
    zero_at, full_at = bounds["zero_at"], bounds["full_at"]
    if zero_at == full_at:
        errors["full_at"] = ["Must differ from zero_at."]
    return errors


class AssessmentInput(StrictSchema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    description = fields.String(validate=validate.Length(max=2000))
    questions = fields.List(
        fields.Nested(QuestionInput), required=True, validate=validate.Length(min=1, max=MAX_QUESTIONS)
    )

    @validates_schema
    def questions_are_coherent(self, data: dict[str, Any], **kwargs: Any) -> None:
        questions = data.get("questions") or []
        ids = [question["id"] for question in questions]
        duplicates = sorted({name for name in ids if ids.count(name) > 1})
        if duplicates:
            raise ValidationError({"questions": [f"Question ids must be unique: {', '.join(duplicates)}."]})
        if not any(question["required"] and question["weight"] > 0 for question in questions):
            raise ValidationError({"questions": ["At least one required question must have a weight above 0."]})


class AssessmentPatch(AssessmentInput):
    """The fields given replace the stored ones (questions as a whole); programs already made from
    earlier answers stay as they were."""

    title = fields.String(validate=validate.Length(min=1, max=200))
    questions = fields.List(fields.Nested(QuestionInput), validate=validate.Length(min=1, max=MAX_QUESTIONS))

    @validates_schema
    def questions_are_coherent(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not data:
            raise ValidationError("Give at least one of title, description, questions.")
        if "questions" in data:
            super().questions_are_coherent(data, **kwargs)


class SubmissionInput(StrictSchema):
    answers = fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=40)),
        values=fields.Raw(allow_none=True),
        required=True,
        validate=validate.Length(max=MAX_QUESTIONS),
    )


class AssessmentsQuery(PageQuery):
    pass


class ChoiceOut(ResponseSchema):
    value = fields.String(required=True)
    label = fields.String(required=True)
    points = fields.Integer(required=True)


class QuestionOut(ResponseSchema):
    id = fields.String(required=True)
    prompt = fields.String(required=True)
    type = fields.String(required=True, validate=validate.OneOf(QUESTION_TYPES))
    required = fields.Boolean(required=True)
    weight = fields.Integer(required=True)
    min = StoredJson(metadata={"type": "number"})
    max = StoredJson(metadata={"type": "number"})
    zero_at = StoredJson(metadata={"type": "number"})
    full_at = StoredJson(metadata={"type": "number"})
    choices = fields.List(fields.Nested(ChoiceOut))
    true_points = fields.Integer()
    false_points = fields.Integer()


class Assessment(ResponseSchema):
    id = fields.String(required=True)
    title = fields.String(required=True)
    description = fields.String()
    built_in = fields.Boolean(required=True)
    questions = fields.List(fields.Nested(QuestionOut), required=True)
    created_at = fields.String(metadata={"format": "date-time"})
    updated_at = fields.String(metadata={"format": "date-time"})
    version = fields.Integer()


class AssessmentPage(ResponseSchema):
    items = fields.List(fields.Nested(Assessment), required=True)
    next_cursor = fields.String(required=True, allow_none=True)

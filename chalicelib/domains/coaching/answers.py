"""Answers checked against an assessment's definition: every error named by question."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from chalicelib.errors import InvalidInput

NUMBER_PLACES = 3
MISSING = "Missing required answer."


def _number(question: dict[str, Any], value: Any) -> Decimal | int | str:
    """The value as stored, or an error message."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return "Must be a number."
    number = Decimal(value)
    if not number.is_finite():
        return "Must be a number."
    if question["type"] == "integer":
        if number != number.to_integral_value():
            return "Must be a whole number."
        number = Decimal(int(number))
    elif number != number.quantize(Decimal(1).scaleb(-NUMBER_PLACES)):
        return f"At most {NUMBER_PLACES} decimal places."
    low, high = Decimal(question["min"]), Decimal(question["max"])
    if not low <= number <= high:
        return f"Must be between {question['min']} and {question['max']}."
    return int(number) if question["type"] == "integer" else number


def _checked(question: dict[str, Any], value: Any) -> tuple[Any, str | None]:
    kind = question["type"]
    if kind in ("integer", "number"):
        result = _number(question, value)
        return (None, result) if isinstance(result, str) else (result, None)
    if kind == "choice":
        values = [choice["value"] for choice in question["choices"]]
        if not isinstance(value, str) or value not in values:
            return None, f"Must be one of: {', '.join(values)}."
        return value, None
    if not isinstance(value, bool):
        return None, "Must be true or false."
    return value, None


def validated_answers(definition: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    """The answers to store (integers as int, numbers as Decimal); a 400 naming every wrong,
    unknown or missing answer (the missing ones also listed in details.missing)."""
    questions = {question["id"]: question for question in definition["questions"]}
    errors: dict[str, list[str]] = {
        name: ["Not a question of this assessment."] for name in answers if name not in questions
    }
    missing = []
    clean: dict[str, Any] = {}
    for name, question in questions.items():
        value = answers.get(name)
        if value is None:
            if question["required"]:
                missing.append(name)
                errors[name] = [MISSING]
            continue
        stored, error = _checked(question, value)
        if error:
            errors[name] = [error]
        else:
            clean[name] = stored
    if errors:
        details: dict[str, Any] = {"answers": errors}
        if missing:
            details["missing"] = missing
        raise InvalidInput("Some answers are missing or invalid.", details=details)
    return clean

"""The assessment score: deterministic, documented in docs/api.md (with a worked example a test
recomputes).

Each answered question earns points p in [0, 1]:
- integer / number: linear from `zero_at` (p = 0) to `full_at` (p = 1), clamped to [0, 1];
- choice: the chosen choice's `points` / 100;
- boolean: `true_points` or `false_points`, / 100.
The score is round_half_up(100 x sum(weight x p) / sum(weight)) over the answered questions, an
integer 0-100; an optional question left out counts in neither sum. Levels: 0-39 beginner,
40-69 intermediate, 70-100 advanced.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

LEVELS = ((70, "advanced"), (40, "intermediate"), (0, "beginner"))
_ONE, _ZERO, _HUNDRED = Decimal(1), Decimal(0), Decimal(100)


def points(question: dict[str, Any], value: Any) -> Decimal:
    """What one answer earns, in [0, 1]."""
    kind = question["type"]
    if kind in ("integer", "number"):
        zero_at, full_at = Decimal(question["zero_at"]), Decimal(question["full_at"])
        earned = (Decimal(value) - zero_at) / (full_at - zero_at)
        return min(max(earned, _ZERO), _ONE)
    if kind == "choice":
        chosen = next(choice for choice in question["choices"] if choice["value"] == value)
        return Decimal(chosen["points"]) / _HUNDRED
    return Decimal(question["true_points" if value else "false_points"]) / _HUNDRED


def contributions(definition: dict[str, Any], answers: dict[str, Any]) -> list[dict[str, Any]]:
    """Per answered question: its weight, points and weight x points (the table in docs/api.md)."""
    rows = []
    for question in definition["questions"]:
        if question["id"] not in answers:
            continue
        earned = points(question, answers[question["id"]])
        weight = Decimal(question["weight"])
        rows.append({"question": question["id"], "weight": weight, "points": earned, "weighted": weight * earned})
    return rows


def score(definition: dict[str, Any], answers: dict[str, Any]) -> int:
    rows = contributions(definition, answers)
    total_weight = sum((row["weight"] for row in rows), _ZERO)
    if total_weight == 0:
        return 0
    earned = sum((row["weighted"] for row in rows), _ZERO)
    return int((_HUNDRED * earned / total_weight).quantize(_ONE, rounding=ROUND_HALF_UP))


def level(value: int) -> str:
    return next(name for floor, name in LEVELS if value >= floor)

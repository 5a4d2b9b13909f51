"""The score is the one docs/api.md states: its worked example is recomputed here, so neither can drift."""

import re
from decimal import Decimal

import pytest

from chalicelib.content.baseline_assessment import BASELINE
from chalicelib.services import program_plan, scoring
from chalicelib.services.answers import validated_answers
from tests.conftest import ROOT

EXAMPLE = {
    "push_ups": 12,
    "squats_in_60s": 30,
    "plank_seconds": 45,
    "resting_heart_rate": 72,
    "active_days": "1-2",
    "jog_10_minutes": True,
}


def _number(value: Decimal) -> str:
    text = format(value.quantize(Decimal("0.0001")).normalize(), "f")
    return text


def _answer(value: object) -> str:
    return "true" if value is True else "false" if value is False else str(value)


def worked_example() -> str:
    """The documented block, as the code computes it."""
    rows = scoring.contributions(BASELINE, EXAMPLE)
    lines = ["| question | answer | weight | points | weight x points |", "|---|---|---|---|---|"]
    lines += [
        f"| `{row['question']}` | {_answer(EXAMPLE[row['question']])} | {row['weight']} | {_number(row['points'])} "
        f"| {_number(row['weighted'])} |"
        for row in rows
    ]
    earned = sum(row["weighted"] for row in rows)
    weight = sum(row["weight"] for row in rows)
    score = scoring.score(BASELINE, EXAMPLE)
    exact = _number(Decimal(100) * earned / weight)
    lines.append("")
    lines.append(
        f"score = round_half_up(100 x {_number(earned)} / {weight}) = round_half_up({exact}) = **{score}**, "
        f"level **{scoring.level(score)}**"
    )
    return "\n".join(lines)


def test_the_documented_worked_example_is_what_the_code_computes():
    document = (ROOT / "docs" / "api.md").read_text()
    block = re.search(r"<!-- worked-example:start -->\n(.*?)\n<!-- worked-example:end -->", document, re.S)
    assert block, "docs/api.md lost its worked example"
    assert block.group(1) == worked_example()


def test_the_worked_example_is_valid_answers():
    assert validated_answers(BASELINE, EXAMPLE) == EXAMPLE


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (0, "beginner"),
        (39, "beginner"),
        (40, "intermediate"),
        (69, "intermediate"),
        (70, "advanced"),
        (100, "advanced"),
    ],
)
def test_levels(score, level):
    assert scoring.level(score) == level


def test_numbers_clamp_to_zero_and_full_points():
    push_ups = BASELINE["questions"][0]
    assert scoring.points(push_ups, 0) == 0 and scoring.points(push_ups, 200) == 1
    heart = BASELINE["questions"][3]
    assert scoring.points(heart, 120) == 0 and scoring.points(heart, 40) == 1  # lower is better


def test_half_points_round_up():
    definition = {
        "questions": [
            {"id": "a", "type": "boolean", "weight": 1, "true_points": 100, "false_points": 0},
            {"id": "b", "type": "choice", "weight": 1, "choices": [{"value": "x", "points": 1}]},
        ]
    }
    assert scoring.score(definition, {"a": False, "b": "x"}) == 1  # 0.5 rounds up


def test_every_level_has_enough_exercises_for_a_session():
    for level, rx in program_plan.PRESCRIPTIONS.items():
        assert len(program_plan._pool(level)) >= rx["exercises"]
    slugs = [exercise["slug"] for exercise in program_plan.EXERCISES]
    assert len(set(slugs)) == len(slugs)

"""The OpenAPI document states what the app accepts: each constraint it publishes is checked
against the loader that enforces it. Each of these was a `make fuzz` finding (ST202, a
schema-valid request the app refused)."""

from __future__ import annotations

import itertools
import re
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from chalicelib.policy import JSON_SCHEMA as PASSWORD_SCHEMA
from chalicelib.policy import MAX_LENGTH, MIN_LENGTH, password_problems
from chalicelib.schemas.common import DATE_PATTERN, DATE_TIME_PATTERN, PAST_DATE_PATTERN, Moment


def _accepts(field: Moment, text: str) -> bool:
    try:
        field.deserialize(text)
    except ValidationError:
        return False
    return True


def _every_day_and_then_some() -> list[str]:
    """Every real day from 1899 to 2101, and every impossible one (month 00/13, day 00/29-32)."""
    texts = []
    for year in (1899, *range(1900, 2101, 1), 2101):
        for month in range(14):
            texts.extend(f"{year:04d}-{month:02d}-{day:02d}" for day in (0, 1, 15, 28, 29, 30, 31, 32))
    texts += ["0000-00-00", "2024-1-01", "2024-01-1", "٢٠٢٤-01-01", "2024-01-01\n", " 2024-01-01", "20240101"]
    return texts


def test_the_published_date_pattern_is_exactly_what_a_date_field_accepts():
    field, pattern = Moment(date_only=True), re.compile(f"^{DATE_PATTERN}$")
    for text in _every_day_and_then_some():
        assert bool(pattern.fullmatch(text)) == _accepts(field, text), text


def test_the_published_date_time_pattern_is_exactly_what_a_moment_accepts():
    field, pattern = Moment(), re.compile(f"^(?:{DATE_PATTERN}|{DATE_TIME_PATTERN})$")
    days = ["1899-12-31", "1900-01-01", "2024-02-29", "2023-02-29", "2100-12-31", "2101-01-01", "2024-13-01"]
    times = ["00:00:00", "23:59:59", "24:00:00", "12:60:00", "12:00:60", "7:00:00"]
    fractions = ["", ".1", ".123456", ".1234567", "."]
    offsets = ["Z", "z", "+00:00", "-23:59", "+24:00", "+05:60", "+0530", ""]
    for day, time, fraction, offset in itertools.product(days, times, fractions, offsets):
        for separator in ("T", "t", " "):
            text = f"{day}{separator}{time}{fraction}{offset}"
            assert bool(pattern.fullmatch(text)) == _accepts(field, text), text


@pytest.mark.parametrize("text", [str(date(1900, 1, 1) + timedelta(days=n)) for n in range(0, 73_000, 997)])
def test_a_day_the_pattern_allows_loads_as_that_day(text):
    assert Moment(date_only=True).deserialize(text).isoformat() == text


def test_the_past_date_pattern_holds_only_real_days_before_2020():
    field, pattern = Moment(date_only=True), re.compile(f"^{PAST_DATE_PATTERN}$")
    for text in _every_day_and_then_some():
        assert bool(pattern.fullmatch(text)) == (_accepts(field, text) and text < "2020"), text


def _ecma(pattern: str) -> str:
    """JSON Schema patterns are ECMA-262: `$` is the very end, where Python's `$` also matches
    before a final newline (which hid nothing here, but made this test disagree on "…Aa\n")."""
    return pattern.replace("$", r"\Z")


def _meets_published_policy(password: str) -> bool:
    return MIN_LENGTH <= len(password) <= MAX_LENGTH and all(
        re.search(_ecma(part["pattern"]), password) for part in PASSWORD_SCHEMA["allOf"]
    )


@pytest.mark.parametrize(
    "password",
    ["Abcdefgh1!xy", "Abcdefgh 12x", " Abcdefgh1!x", "Abcdefgh1!x\x1f", "\ufeffAbcdefgh1!", "abcdefgh1!xy", "Ab1!"],
)
def test_the_published_password_policy_is_the_one_signup_checks(password):
    assert _meets_published_policy(password) == (not password_problems(password))


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=8, max_size=20), st.sampled_from(["", "Aa1!", "Aa1 x", "a1A\x1c"]))
def test_the_published_password_policy_agrees_on_generated_passwords(text, suffix):
    password = text + suffix
    assert _meets_published_policy(password) == (not password_problems(password))

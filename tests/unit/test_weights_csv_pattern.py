"""The published pattern of a weights CSV (`POST /me/import`, text/csv) takes every real day the
API takes, not only 1900-2019; a date too far ahead is refused by the API, and the fuzzer's hook
dates a valid case's rows in the past."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from devtools.openapi import build_spec

DOCUMENT = Path(__file__).resolve().parents[2] / "chalicelib" / "openapi.json"


def _published() -> str:
    content = build_spec()["paths"]["/me/import"]["post"]["requestBody"]["content"]
    return content["text/csv"]["schema"]["pattern"]


_PATTERN = re.compile(_published().replace("$", r"\Z"))


def test_the_committed_document_publishes_it():
    committed = json.loads(DOCUMENT.read_text())["paths"]["/me/import"]["post"]["requestBody"]["content"]
    assert committed["text/csv"]["schema"]["pattern"] == _published()


def _csv(*days: str) -> str:
    return "date,weight,unit\n" + "".join(f"{day},80.5,kg\n" for day in days)


@pytest.mark.parametrize("day", ["1900-01-01", "2019-12-31", "2020-01-01", "2024-02-29", "2026-12-06", "2100-12-31"])
def test_any_real_day_matches(day):
    assert _PATTERN.match(_csv(day)), day


def test_every_day_from_2020_to_2100_matches():
    day = date(2020, 1, 1)
    while day <= date(2100, 12, 31):
        assert _PATTERN.match(_csv(day.isoformat())), day
        day += timedelta(days=1)


@pytest.mark.parametrize("day", ["2023-02-29", "2100-02-29", "2024-13-01", "2024-04-31", "1899-12-31", "2101-01-01"])
def test_what_is_not_a_day_does_not_match(day):
    assert not _PATTERN.match(_csv(day)), day


def test_the_fuzzer_dates_a_valid_csv_in_the_past():
    from chalicelib.clock import utc_now
    from fuzz.hooks import _past_csv_dates

    ahead = (date.fromisoformat(utc_now()[:10]) + timedelta(days=30)).isoformat()
    moved = _past_csv_dates(_csv("2021-03-04", ahead, "2096-02-29"))
    assert moved == _csv("2021-03-04", "2000" + ahead[4:], "2000-02-29")
    assert _PATTERN.match(moved)

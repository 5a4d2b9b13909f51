"""schemathesis hooks for `make fuzz` (loaded through SCHEMATHESIS_HOOKS by fuzz/run.py).

The OpenAPI document states every rule JSON Schema can state. A few of the app's rules depend on
the clock or compare two values, which no static schema can express:

- `measured_at` / `started_at` (bodies and imported records): not more than a day in the future;
- `birth_date`: after 1900-01-01 and before today;
- the dates of a weights CSV (`POST /me/import`, text/csv): not more than a day in the future;
- `from` / `to` of a list or a summary: `from` not after `to`, at most 366 days apart (a summary's
  missing `to` is today);
- an assessment definition (`POST /assessments`): each question carries only its type's fields,
  `min` below `max` (`zero_at`, `full_at` between them, apart), unique question ids and choice
  values, and at least one required question with a weight;
- a `cursor` (query) is one the API signed in an earlier answer's `next_cursor`: a made-up one is
  a 400, like a forged token;
- a `timezone` is a name of the tz database: the document gives its pattern and a link to the
  list (an enum of ~600 names breaks generators), so a name that merely fits the pattern is a 400;
- a number anywhere in a body is 0 or within 1e±30: "any JSON value" (the keys an import ignores)
  states the bounds six levels deep, and below that only in words (a schema that refers to
  itself breaks generators).

The document describes them in words. Here, and only for cases schemathesis generates as valid
(positive), such a value is moved to where the rule allows it (a moment's year becomes 2000, `to`
becomes `from`, an unknown zone becomes UTC, a made-up cursor is left out), so a valid case stays
valid. "Now" is the app's clock (chalicelib.clock), as the API sees it. Invalid (negative) cases
are never touched, so the app's rejection of a future date, a reversed range, an unknown zone or a
forged cursor is still exercised by the tests in tests/api.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import schemathesis

from chalicelib import domains
from chalicelib.api.body import parse_json_integer, parse_json_number
from chalicelib.clock import utc_now
from chalicelib.domains.coaching.assessment_schemas import TYPE_FIELDS, TYPED
from chalicelib.schemas.common import time_zones

MOMENTS = ("measured_at", "started_at")
# Every list an import takes: the installed domains that declare a record schema.
RECORD_LISTS = tuple(listed.name for listed in domains.records() if listed.record_schema)
MAX_RANGE_DAYS = 365


def _when(text: str) -> datetime | None:
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC)
        return datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    except ValueError:
        return None


def _in_2000(text: str) -> str:
    """The same moment (format, time and offset kept) in 2000, a leap year long past."""
    return "2000" + text[4:]


def _now() -> datetime:
    return datetime.fromisoformat(utc_now().replace("Z", "+00:00"))


def _past_moments(body: dict[str, Any]) -> None:
    now = _now()
    for name in MOMENTS:
        value = body.get(name)
        when = _when(value) if isinstance(value, str) else None
        if when is not None and when > now - timedelta(days=2):
            body[name] = _in_2000(value)
    birth = body.get("birth_date")
    when = _when(birth) if isinstance(birth, str) else None
    # A day of margin either side of "today", whatever the caller's zone.
    if when is not None and not date(1900, 1, 1) < when.date() < (now - timedelta(days=1)).date():
        body["birth_date"] = _in_2000(birth)


def _known_zone(body: dict[str, Any]) -> None:
    zone = body.get("timezone")
    if isinstance(zone, str) and zone not in time_zones():
        body["timezone"] = "UTC"


def _plausible_range(query: dict[str, Any], summary: bool) -> None:
    start, end = query.get("from"), query.get("to")
    if not isinstance(start, str) or (end is None and not summary):
        return
    first, last = _when(start), _when(end) if isinstance(end, str) else None
    same_kind_and_short = (
        first is not None
        and last is not None
        and len(start) == len(end) == 10
        and timedelta(0) <= last - first <= timedelta(days=MAX_RANGE_DAYS)
    )
    if not same_kind_and_short:
        query["to"] = start


def _question(question: dict[str, Any], index: int, taken: set[str]) -> None:
    kind = question.get("type")
    if kind not in TYPE_FIELDS:
        return
    for name in TYPED - TYPE_FIELDS[kind]:
        question.pop(name, None)
    if kind in ("integer", "number"):
        question.update(min=0, max=10)
        question.pop("zero_at", None)
        question.pop("full_at", None)
    elif kind == "choice":
        choices = question.get("choices")
        if isinstance(choices, list) and len(choices) >= 2:
            for number, choice in enumerate(choices):
                if isinstance(choice, dict):
                    choice["value"] = f"c{number}"
        else:
            question["choices"] = [{"value": "a", "label": "A", "points": 0}, {"value": "b", "label": "B", "points": 1}]
    if question.get("id") in taken:
        question["id"] = f"q{index}"
    taken.add(question.get("id"))


def _coherent_assessment(body: dict[str, Any]) -> None:
    questions = [question for question in body.get("questions") or [] if isinstance(question, dict)]
    taken: set[str] = set()
    for index, question in enumerate(questions):
        _question(question, index, taken)
    weighed = any(question.get("required", True) and question.get("weight", 0) > 0 for question in questions)
    if questions and not weighed:
        questions[0].update(required=True, weight=1)


def _bounded_numbers(value: Any) -> Any:
    """The value with each number the body parser would refuse (beyond 1e±30) made 0."""
    if isinstance(value, dict):
        return {key: _bounded_numbers(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_bounded_numbers(inner) for inner in value]
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:  # the parser's own reading of the number's JSON text (json.dumps writes repr)
            (parse_json_integer if isinstance(value, int) else parse_json_number)(repr(value))
        except ValueError:
            return 0
    return value


_CSV_DATE = re.compile(r"^([0-9]{4})(-[0-9]{2}-[0-9]{2},)", re.MULTILINE)


def _past_csv_dates(text: str) -> str:
    """A weights CSV whose rows are dated in 2000 when they are dated after the day before today."""
    latest = (_now() - timedelta(days=2)).date().isoformat()
    return _CSV_DATE.sub(lambda row: row.group(0) if row.group(0)[:10] <= latest else "2000" + row.group(2), text)


@schemathesis.hook
def map_case(context: Any, case: Any) -> Any:
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return case
    if isinstance(case.body, str) and case.body.startswith("date,weight,unit"):
        case.body = _past_csv_dates(case.body)
    if isinstance(case.body, dict) and case.operation.path == "/assessments":
        _coherent_assessment(case.body)
    if isinstance(case.body, dict | list):
        case.body = _bounded_numbers(case.body)
    if isinstance(case.body, dict):
        _past_moments(case.body)
        _known_zone(case.body)
        for name in RECORD_LISTS:
            records = case.body.get(name)
            for record in records if isinstance(records, list) else ():
                if isinstance(record, dict):
                    _past_moments(record)
    if isinstance(case.query, dict) and case.query:
        case.query.pop("cursor", None)
        _plausible_range(case.query, summary=case.operation.path == "/stats/summary")
    return case

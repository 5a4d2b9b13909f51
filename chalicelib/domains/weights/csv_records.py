"""A CSV of weights (date,weight,unit), the CSV that POST /me/import takes (text/csv). The weights
manifest names it (`Records.csv`); the account domain imports what `records_from_csv` returns like
the weights of an export document (each row loaded by the record schema, then built), and publishes
`WEIGHTS_CSV` as the body's shape, knowing neither."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from chalicelib.errors import InvalidInput
from chalicelib.ids import stable_id
from chalicelib.schemas.common import DATE_PATTERN

COLUMNS = ("date", "weight", "unit")
MAX_ROWS = 10_000

# As the document describes it: a header, then rows of a date (any real day of 1900-2100, as every
# date the API takes), a weight of at most three decimals within the plausible range of its unit
# (20-500 kg), and the unit. The parser also forgives what this pattern leaves out (spaces, upper-case
# units, other columns, date-times), and refuses a date more than a day in the future, which no static
# pattern can say: the description says it.
_DECIMALS = r"(?:\.[0-9]{1,3})?"
_KG = rf"(?:(?:[2-9][0-9]|[1-4][0-9]{{2}}){_DECIMALS}|500(?:\.0{{1,3}})?),kg"
_LB = (
    rf"(?:44\.09[3-9]|44\.[1-9][0-9]{{0,2}}|(?:4[5-9]|[5-9][0-9]|[1-9][0-9]{{2}}|10[0-9]{{2}}|110[01]){_DECIMALS}"
    r"|1102(?:\.(?:[0-2][0-9]{0,2}|3(?:0[0-9]?|1[01]?)?))?),lb"
)
WEIGHTS_CSV = {
    "type": "string",
    "description": "date,weight,unit then one row per weight, at most 10,000; a date more than a day "
    "in the future is refused (400)",
    "pattern": rf"^date,weight,unit(?:\r?\n{DATE_PATTERN},(?:{_KG}|{_LB})){{1,{MAX_ROWS}}}\r?\n?$",
}


def records_from_csv(text: str, max_rows: int = MAX_ROWS) -> list[dict[str, Any]]:
    """Rows of date,weight,unit as weight records. Each row's id comes from its content, so a second
    import of the same file finds every row already there."""
    try:
        rows = list(csv.DictReader(io.StringIO(text)))
    except csv.Error as exc:
        raise InvalidInput("The CSV could not be read.", code="invalid_csv", details={"csv": [str(exc)]}) from exc
    if not rows or set(COLUMNS) - set(rows[0]):
        raise InvalidInput("The CSV needs a header row: date,weight,unit.", code="invalid_csv")
    if len(rows) > max_rows:
        raise InvalidInput(f"At most {max_rows} rows.", code="invalid_csv")
    return [_record(row) for row in rows]


def _record(row: dict[str, Any]) -> dict[str, Any]:
    """A row as a weight record. A weight that is not a number stays the text it was, for the record
    schema to refuse with every other bad row of the file (one answer lists them all)."""
    text = (row.get("weight") or "").strip()
    value: Decimal | str
    try:
        value = Decimal(text)
        if not value.is_finite() or abs(value.adjusted()) > 30:
            raise ArithmeticError(value)
    except ArithmeticError:
        value = text
    measured_at, unit = (row.get("date") or "").strip(), (row.get("unit") or "").strip().lower()
    return {
        "measured_at": measured_at,
        "weight": {"value": value, "unit": unit},
        "id": stable_id(_timestamp_ms(measured_at), measured_at, str(value), unit),
    }


def _timestamp_ms(text: str) -> int:
    """When a row was measured, for its id to sort in time (0 if unreadable: the row is refused later)."""
    try:
        moment = datetime.fromisoformat(text) if "T" in text else datetime.combine(date.fromisoformat(text), time(12))
    except ValueError:
        return 0
    return int((moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp() * 1000)

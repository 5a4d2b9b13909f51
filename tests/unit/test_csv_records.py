"""The CSV that POST /me/import takes belongs to the weights domain (its manifest declares it): the
account domain finds it through the manifests and knows neither its columns nor its pattern."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chalicelib import domains
from chalicelib.domains.account.service import AccountDataService, Coverage, DataDomain
from chalicelib.domains.weights.csv_records import WEIGHTS_CSV, records_from_csv
from chalicelib.errors import InvalidInput, UnsupportedMediaType
from chalicelib.manifest import import_named

ACCOUNT = Path(domains.__file__).parent / "account"


def test_one_domain_declares_the_csv_and_it_is_weights():
    declared = [listed for listed in domains.records() if listed.csv is not None]
    assert [listed.name for listed in declared] == ["weights"]
    assert import_named(declared[0].csv.parse) is records_from_csv
    assert import_named(declared[0].csv.shape) is WEIGHTS_CSV


def test_the_import_routes_csv_shape_is_the_one_the_weights_domain_declares():
    from chalicelib.domains.account.schemas import CSV_IMPORT

    assert CSV_IMPORT is WEIGHTS_CSV


def test_the_account_domain_knows_nothing_of_the_weights_csv():
    for path in ACCOUNT.glob("*.py"):
        text = path.read_text()
        assert not re.search(r"date,weight|\bimport csv\b|WEIGHTS_CSV", text), path.name


def test_rows_become_records_with_ids_from_their_content():
    first = records_from_csv("date,weight,unit\n2026-02-01, 80.5 ,KG\n2026-02-02,177.2,lb\n")
    again = records_from_csv("date,weight,unit\n2026-02-01,80.5,kg\n")
    assert [(record["measured_at"], record["weight"]["unit"]) for record in first] == [
        ("2026-02-01", "kg"),
        ("2026-02-02", "lb"),
    ]
    assert first[0]["id"] == again[0]["id"] and first[0]["id"] < first[1]["id"]  # sorted in time


@pytest.mark.parametrize(
    ("text", "max_rows", "message"),
    [
        ("weight,unit\n80,kg\n", 10, "header row"),
        ("date,weight,unit\n", 10, "header row"),
        ("date,weight,unit\n2026-02-01,80,kg\n2026-02-02,81,kg\n", 1, "At most 1 rows"),
        ("date,weight,unit\n" + "x" * 200_000, 10, "could not be read"),
    ],
    ids=["no_date_column", "no_rows", "too_many_rows", "field_beyond_the_limit"],
)
def test_an_unreadable_csv_is_invalid_csv(text, max_rows, message):
    with pytest.raises(InvalidInput, match=message) as refused:
        records_from_csv(text, max_rows)
    assert refused.value.code == "invalid_csv"


@pytest.mark.parametrize(
    "text",
    [
        "date,weight,unit\n2026-02-01,NaN,kg\n",
        'date,weight,unit\n"2026-02-01,80,kg\n',
        "date,weight,unit\n2026-02-01,1e99,kg\n",
    ],
    ids=["nan", "open_quote", "out_of_range"],
)
def test_a_weight_that_is_no_number_is_left_for_the_record_schema_to_refuse_with_the_other_rows(text):
    # Not refused here, row by row (that named only the first bad row): the schema refuses them all.
    (record,) = records_from_csv(text, 10)
    assert isinstance(record["weight"]["value"], str)


def test_without_a_domain_declaring_a_csv_a_csv_import_is_unsupported():
    no_csv = DataDomain("notes", None, None, lambda item: item, None)  # type: ignore[arg-type]
    service = AccountDataService(
        None,  # type: ignore[arg-type]
        None,  # type: ignore[arg-type]
        None,  # type: ignore[arg-type]
        None,  # type: ignore[arg-type]
        Coverage((no_csv,), {}, (), ()),
        None,  # type: ignore[arg-type]
        1000,
        None,  # type: ignore[arg-type]
        None,  # type: ignore[arg-type]
    )
    with pytest.raises(UnsupportedMediaType):
        service.import_csv(None, "date,weight,unit\n")  # type: ignore[arg-type]

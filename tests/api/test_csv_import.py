"""POST /me/import with a CSV (text/csv): the records of the domain whose manifest declares a CSV
format (weights: date,weight,unit), imported once, and every refusal a clear 400 in the envelope."""

from __future__ import annotations

import pytest

CSV = b"date,weight,unit\n2026-02-01,80.5,kg\n2026-02-02,177.2,lb\n"
HEADERS = {"Content-Type": "text/csv"}


def _import(api, user, text: bytes):
    return api.request("POST", "/me/import", raw=text, token=user.token, headers=HEADERS)


def test_a_weights_csv_imports_once(api, user):
    first = _import(api, user, CSV)
    assert first.status == 200, first.body
    assert first.body["imported"]["weights"] == 2
    second = _import(api, user, CSV)
    assert second.body["imported"]["weights"] == 0 and second.body["skipped"]["weights"] == 2
    listed = api.get("/weights", token=user.token).body["items"]
    assert [weight["measured_at"] for weight in listed] == ["2026-02-02", "2026-02-01"]


def test_spaces_and_an_upper_case_unit_are_forgiven(api, user):
    answer = _import(api, user, b"date,weight,unit\n 2026-02-01 , 80.5 ,KG\n")
    assert answer.status == 200, answer.body
    assert api.get("/weights", token=user.token).body["items"][0]["weight"] == {"value": 80.5, "unit": "kg"}


@pytest.mark.parametrize(
    ("text", "details"),
    [
        (b"when,weight,unit\n2026-02-01,80.5,kg\n", None),
        (b"", None),
    ],
    ids=["wrong_header", "empty"],
)
def test_an_unreadable_csv_is_400_invalid_csv_and_imports_nothing(api, user, text, details):
    answer = _import(api, user, text)
    assert answer.status == 400, answer.body
    assert answer.body["error"]["code"] == "invalid_csv"
    if details is not None:
        assert answer.body["error"]["details"] == details
    assert api.get("/weights", token=user.token).body["items"] == []


def test_a_row_its_record_schema_refuses_imports_nothing_and_is_named(api, user):
    answer = _import(api, user, b"date,weight,unit\n2026-02-01,80.5,kg\n2026-02-02,80.5,stone\n")
    assert answer.status == 400, answer.body
    assert "1" in answer.body["error"]["details"]["weights"]
    assert api.get("/weights", token=user.token).body["items"] == []


def test_every_bad_row_is_named_in_one_answer_not_only_the_first(api, user):
    text = (
        b"date,weight,unit\n"
        b"2026-02-01,heavy,kg\n"  # record 0: not a number
        b"2026-02-02,80.5,kg\n"
        b"2026-02-03,1e99,kg\n"  # record 2: a number no weight is
        b"2026-02-04,80.5,stone\n"  # record 3: not a unit
        b"not-a-date,80.5,kg\n"  # record 4
    )
    answer = _import(api, user, text)
    assert answer.status == 400, answer.body
    refused = answer.body["error"]["details"]["weights"]
    assert sorted(refused, key=int) == ["0", "2", "3", "4"]
    assert "weight" in refused["0"] and "weight" in refused["2"] and "weight" in refused["3"]
    assert "measured_at" in refused["4"]
    assert api.get("/weights", token=user.token).body["items"] == []


def test_more_rows_than_an_import_takes_is_400(api, user):
    rows = b"".join(b"2026-02-01,80.5,kg\n" for _ in range(10_001))
    answer = _import(api, user, b"date,weight,unit\n" + rows)
    assert answer.status == 400, answer.body
    assert answer.body["error"]["code"] == "invalid_csv"

"""Weights: kilograms kept exactly and shown in the caller's units, validated, owned, versioned,
idempotent, listed newest first by when they were measured, one DynamoDB call per operation."""

import datetime
import json
import re
from urllib.parse import urlencode

import pytest

from chalicelib import clock

WEIGHT = {"measured_at": "2026-01-05T07:30:00+01:00", "weight": {"value": 80.5, "unit": "kg"}}
ULID = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")


def log(api, user, headers=None, **fields):
    return api.post("/weights", {**WEIGHT, **fields}, token=user.token, headers=headers)


def logged(api, user, **fields):
    answer = log(api, user, **fields)
    assert answer.status == 201, answer.body
    return answer.body


def listing(api, user, path="/weights", **params):
    query = urlencode({"from" if name == "from_" else name: value for name, value in params.items()})
    return api.get(f"{path}?{query}" if query else path, token=user.token)


def listed_ids(api, user, **params):
    answer = listing(api, user, **params)
    assert answer.status == 200, answer.body
    return [item["id"] for item in answer.body["items"]]


def delete(api, user, path, headers=None):
    return api.request("DELETE", path, token=user.token, headers=headers)


def prefer(api, user, **preferences):
    assert api.put("/me/preferences", preferences, token=user.token).status == 200


def at(when):
    return {"measured_at": when}


def edited(text, index):
    """The text with one character changed, to another character a cursor may contain."""
    replacement = "B" if text[index] == "A" else "A"
    return text[:index] + replacement + text[index + 1 :]


# Creating


def test_a_weight_in_kilograms_comes_back_as_entered(api, user):
    answer = log(api, user, note="after run", body_fat_pct=18.5)
    assert answer.status == 201
    weight = answer.body
    assert ULID.match(weight["id"])
    assert weight["measured_at"] == "2026-01-05T07:30:00+01:00"
    assert weight["weight"] == {"value": 80.5, "unit": "kg"}
    assert weight["weight_kg"] == 80.5
    assert weight["body_fat_pct"] == 18.5
    assert weight["note"] == "after run"
    assert weight["version"] == 1
    assert weight["created_at"] == weight["updated_at"]
    assert weight["created_at"].endswith("Z")


def test_pounds_entered_by_an_imperial_user_come_back_exactly(api, user):
    prefer(api, user, units="imperial")
    weight = logged(api, user, weight={"value": 180.4, "unit": "lb"})
    assert weight["weight"] == {"value": 180.4, "unit": "lb"}
    assert weight["weight_kg"] == 81.828
    assert api.get(f"/weights/{weight['id']}", token=user.token).body["weight"] == {"value": 180.4, "unit": "lb"}


@pytest.mark.parametrize(
    "units, entered, shown, kilograms",
    [
        ("metric", {"value": 180.4, "unit": "lb"}, {"value": 81.83, "unit": "kg"}, 81.828),
        ("metric", {"value": 150, "unit": "lb"}, {"value": 68.04, "unit": "kg"}, 68.039),
        ("metric", {"value": 80.125, "unit": "kg"}, {"value": 80.125, "unit": "kg"}, 80.125),
        ("imperial", {"value": 80.5, "unit": "kg"}, {"value": 177.47, "unit": "lb"}, 80.5),
        ("imperial", {"value": 100, "unit": "kg"}, {"value": 220.46, "unit": "lb"}, 100),
        ("imperial", {"value": 150.125, "unit": "lb"}, {"value": 150.125, "unit": "lb"}, 68.096),
    ],
)
def test_a_weight_is_shown_in_the_preferred_units_with_canonical_kilograms(api, user, units, entered, shown, kilograms):
    prefer(api, user, units=units)
    weight = logged(api, user, weight=entered)
    assert weight["weight"] == shown
    assert weight["weight_kg"] == kilograms


def test_changing_units_later_shows_the_entered_value_again_when_they_match(api, user):
    weight = logged(api, user, weight={"value": 180.4, "unit": "lb"})
    assert weight["weight"] == {"value": 81.83, "unit": "kg"}
    prefer(api, user, units="imperial")
    assert api.get(f"/weights/{weight['id']}", token=user.token).body["weight"] == {"value": 180.4, "unit": "lb"}


@pytest.mark.parametrize(
    "measured_at",
    [
        "2026-01-05T07:30:00+01:00",
        "2026-01-05T07:30:00-05:00",
        "2026-01-05",
        "2026-01-05T07:30:00Z",
        "2026-01-05T07:30:00.5+01:00",
        "2026-01-05t07:30:00z",
    ],
)
def test_measured_at_comes_back_as_given(api, user, measured_at):
    assert logged(api, user, **at(measured_at))["measured_at"] == measured_at


def test_ids_are_made_by_the_server_and_ordered_in_time(api, user):
    first = logged(api, user)["id"]
    second = logged(api, user)["id"]
    assert first != second
    assert first < second


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"measured_at": None}, "measured_at"),
        ({"measured_at": "2026-02-30"}, "measured_at"),
        ({"measured_at": "2026-01-05T07:30:00"}, "measured_at"),
        ({"measured_at": "05/01/2026"}, "measured_at"),
        ({"measured_at": 20260105}, "measured_at"),
        ({"measured_at": "1899-12-31"}, "measured_at"),
        ({"weight": None}, "weight"),
        ({"weight": 80.5}, "weight"),
        ({"weight": {"value": 80.5}}, "weight"),
        ({"weight": {"unit": "kg"}}, "weight"),
        ({"weight": {"value": 80.5, "unit": "stone"}}, "weight"),
        ({"weight": {"value": "80.5", "unit": "kg"}}, "weight"),
        ({"weight": {"value": True, "unit": "kg"}}, "weight"),
        ({"weight": {"value": 80.1234, "unit": "kg"}}, "weight"),
        ({"weight": {"value": 80.5, "unit": "kg", "exact": True}}, "weight"),
        ({"body_fat_pct": 1.9}, "body_fat_pct"),
        ({"body_fat_pct": 75.1}, "body_fat_pct"),
        ({"body_fat_pct": 20.55}, "body_fat_pct"),
        ({"body_fat_pct": "20"}, "body_fat_pct"),
        ({"note": "x" * 501}, "note"),
        ({"note": 5}, "note"),
        ({"id": "01HZZZZZZZZZZZZZZZZZZZZZZZ"}, "id"),
        ({"version": 7}, "version"),
        ({"weight_kg": 80}, "weight_kg"),
    ],
)
def test_invalid_fields_are_400_and_named(api, user, fields, field):
    # A field given as None is left out of the body.
    body = {key: value for key, value in {**WEIGHT, **fields}.items() if value is not None}
    answer = api.post("/weights", body, token=user.token)
    assert answer.status == 400
    assert answer.body["error"]["code"] == "validation_error"
    assert field in answer.body["error"]["details"]
    assert listed_ids(api, user) == []


@pytest.mark.parametrize(
    "weight",
    [
        {"value": 20, "unit": "kg"},
        {"value": 500, "unit": "kg"},
        {"value": 44.1, "unit": "lb"},
        {"value": 1102.31, "unit": "lb"},
    ],
)
def test_weights_at_the_edges_of_the_plausible_range_are_accepted(api, user, weight):
    assert log(api, user, weight=weight).status == 201


@pytest.mark.parametrize(
    "weight",
    [
        {"value": 19.999, "unit": "kg"},
        {"value": 500.001, "unit": "kg"},
        {"value": 44.09, "unit": "lb"},
        {"value": 1102.32, "unit": "lb"},
        {"value": 1, "unit": "kg"},
        {"value": 0, "unit": "kg"},
        {"value": -80, "unit": "kg"},
        {"value": 1201, "unit": "lb"},
    ],
)
def test_implausible_weights_are_400_naming_the_weight(api, user, weight):
    answer = log(api, user, weight=weight)
    assert answer.status == 400
    assert "weight" in answer.body["error"]["details"]
    assert listed_ids(api, user) == []


@pytest.mark.parametrize("body_fat_pct", [2, 75, 33.3])
def test_body_fat_in_range_with_one_decimal_is_accepted(api, user, body_fat_pct):
    assert logged(api, user, body_fat_pct=body_fat_pct)["body_fat_pct"] == body_fat_pct


def _utc_in(hours):
    moment = clock.now() + datetime.timedelta(hours=hours)
    return moment.replace(microsecond=0).isoformat()


def _days_ahead(days):
    return (clock.today() + datetime.timedelta(days=days)).isoformat()


def test_a_weight_measured_within_the_next_day_is_accepted(api, user):
    assert log(api, user, **at(_utc_in(23))).status == 201


@pytest.mark.parametrize(
    "measured_at", [lambda: _utc_in(25), lambda: _days_ahead(2), lambda: "2099-01-01"], ids=["25h", "2d", "2099"]
)
def test_a_weight_measured_more_than_a_day_ahead_is_400(api, user, measured_at):
    answer = log(api, user, **at(measured_at()))
    assert answer.status == 400
    assert "measured_at" in answer.body["error"]["details"]


def test_a_date_without_time_is_kept_as_given_and_counted_on_that_local_day(api, user):
    prefer(api, user, timezone="Pacific/Auckland")
    weight = logged(api, user, **at("2026-01-05"))
    assert weight["measured_at"] == "2026-01-05"
    # Local noon in Auckland is 23:00 UTC the day before: it still belongs to 5 January.
    assert listed_ids(api, user, from_="2026-01-05", to="2026-01-05") == [weight["id"]]
    assert listed_ids(api, user, to="2026-01-04") == []
    assert listed_ids(api, user, from_="2026-01-06") == []


# Reading, changing, deleting


def test_get_answers_what_create_answered(api, user):
    weight = logged(api, user, note="morning")
    answer = api.get(f"/weights/{weight['id']}", token=user.token)
    assert answer.status == 200
    assert answer.body == weight


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
@pytest.mark.parametrize(
    "item_id", ["01HZZZZZZZZZZZZZZZZZZZZZZZ", "not-an-id", "01hzzzzzzzzzzzzzzzzzzzzzzz", "x" * 300]
)
def test_an_unknown_or_malformed_id_is_404(api, user, method, item_id):
    answer = api.request(method, f"/weights/{item_id}", {"note": "x"} if method == "PATCH" else None, token=user.token)
    assert answer.status == 404
    assert answer.body["error"]["code"] == "not_found"


def test_patch_changes_only_the_given_field(api, user):
    weight = logged(api, user, note="before", body_fat_pct=20.5)
    answer = api.patch(f"/weights/{weight['id']}", {"note": "after"}, token=user.token)
    assert answer.status == 200
    assert answer.body["note"] == "after"
    assert answer.body["version"] == 2
    assert answer.body["updated_at"] >= weight["updated_at"]
    unchanged = {key: value for key, value in weight.items() if key not in ("note", "version", "updated_at")}
    assert {key: answer.body[key] for key in unchanged} == unchanged
    assert api.get(f"/weights/{weight['id']}", token=user.token).body == answer.body


def test_patch_with_null_removes_body_fat_and_note(api, user):
    weight = logged(api, user, note="before", body_fat_pct=20.5)
    answer = api.patch(f"/weights/{weight['id']}", {"note": None, "body_fat_pct": None}, token=user.token)
    assert answer.status == 200
    assert "note" not in answer.body
    assert "body_fat_pct" not in answer.body
    assert answer.body["weight_kg"] == 80.5


def test_patching_the_weight_converts_it_and_keeps_what_was_entered(api, user):
    prefer(api, user, units="imperial")
    weight = logged(api, user)
    answer = api.patch(f"/weights/{weight['id']}", {"weight": {"value": 180.4, "unit": "lb"}}, token=user.token)
    assert answer.body["weight"] == {"value": 180.4, "unit": "lb"}
    assert answer.body["weight_kg"] == 81.828


def test_patching_when_it_was_measured_moves_it_in_the_list(api, user):
    older = logged(api, user, **at("2026-01-04T08:00:00Z"))
    newer = logged(api, user, **at("2026-01-05T08:00:00Z"))
    assert listed_ids(api, user) == [newer["id"], older["id"]]
    moved = api.patch(f"/weights/{older['id']}", at("2026-01-06T08:00:00+01:00"), token=user.token)
    assert moved.body["measured_at"] == "2026-01-06T08:00:00+01:00"
    assert listed_ids(api, user) == [older["id"], newer["id"]]
    assert listed_ids(api, user, from_="2026-01-06") == [older["id"]]


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"weight": None}, "weight"),
        ({"weight": {"value": 600, "unit": "kg"}}, "weight"),
        ({"weight": {"value": 80.1234, "unit": "kg"}}, "weight"),
        ({"measured_at": None}, "measured_at"),
        ({"measured_at": "2026-01-05T07:30"}, "measured_at"),
        ({"measured_at": _utc_in(48)}, "measured_at"),
        ({"body_fat_pct": 80}, "body_fat_pct"),
        ({"note": "x" * 501}, "note"),
        ({"id": "01HZZZZZZZZZZZZZZZZZZZZZZZ"}, "id"),
        ({"version": 9}, "version"),
        ({"created_at": "2020-01-01T00:00:00Z"}, "created_at"),
    ],
)
def test_an_invalid_patch_is_400_named_and_changes_nothing(api, user, changes, field):
    weight = logged(api, user)
    answer = api.patch(f"/weights/{weight['id']}", changes, token=user.token)
    assert answer.status == 400
    assert field in answer.body["error"]["details"]
    assert api.get(f"/weights/{weight['id']}", token=user.token).body == weight


def test_an_empty_patch_is_400(api, user):
    weight = logged(api, user)
    answer = api.patch(f"/weights/{weight['id']}", {}, token=user.token)
    assert answer.status == 400
    assert answer.body["error"]["code"] == "empty_patch"


def test_delete_is_204_with_an_empty_body_and_the_weight_is_gone(api, user):
    weight = logged(api, user)
    answer = delete(api, user, f"/weights/{weight['id']}")
    assert answer.status == 204
    assert answer.body is None
    assert api.get(f"/weights/{weight['id']}", token=user.token).status == 404
    assert delete(api, user, f"/weights/{weight['id']}").status == 404
    assert listed_ids(api, user) == []


# If-Match


@pytest.mark.parametrize("if_match", ["1", '"1"', 'W/"1"', " 1 "])
def test_patch_with_the_current_version_in_any_accepted_form_succeeds(api, user, if_match):
    weight = logged(api, user)
    answer = api.patch(f"/weights/{weight['id']}", {"note": "x"}, token=user.token, headers={"If-Match": if_match})
    assert answer.status == 200
    assert answer.body["version"] == 2


def test_patch_with_a_stale_version_is_412_with_the_current_version(api, user):
    weight = logged(api, user)
    path = f"/weights/{weight['id']}"
    api.patch(path, {"note": "first"}, token=user.token, headers={"If-Match": "1"})
    answer = api.patch(path, {"note": "second"}, token=user.token, headers={"If-Match": "1"})
    assert answer.status == 412
    assert answer.body["error"]["code"] == "version_mismatch"
    assert answer.body["error"]["details"]["version"] == 2
    assert api.get(path, token=user.token).body["note"] == "first"


def test_delete_with_a_stale_version_is_412_and_keeps_the_weight(api, user):
    weight = logged(api, user)
    path = f"/weights/{weight['id']}"
    api.patch(path, {"note": "changed"}, token=user.token)
    answer = delete(api, user, path, headers={"If-Match": '"1"'})
    assert answer.status == 412
    assert answer.body["error"]["code"] == "version_mismatch"
    assert answer.body["error"]["details"]["version"] == 2
    assert api.get(path, token=user.token).status == 200
    assert delete(api, user, path, headers={"If-Match": '"2"'}).status == 204


@pytest.mark.parametrize("if_match", ["abc", "1.5", "-1", "", "v1", "1, 2", '"1"x', "1234567890"])
@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_a_malformed_if_match_is_400_and_changes_nothing(api, user, method, if_match):
    weight = logged(api, user)
    path = f"/weights/{weight['id']}"
    body = {"note": "x"} if method == "PATCH" else None
    answer = api.request(method, path, body, token=user.token, headers={"If-Match": if_match})
    assert answer.status == 400
    assert answer.body["error"]["code"] == "invalid_if_match"
    assert api.get(path, token=user.token).body == weight


def test_if_match_on_an_unknown_weight_is_404(api, user):
    answer = api.patch(
        "/weights/01HZZZZZZZZZZZZZZZZZZZZZZZ", {"note": "x"}, token=user.token, headers={"If-Match": "1"}
    )
    assert answer.status == 404


# Idempotency-Key


def test_a_retry_with_the_same_key_and_body_returns_the_first_answer_and_creates_nothing(api, user):
    first = log(api, user, headers={"Idempotency-Key": "retry-1"})
    again = log(api, user, headers={"Idempotency-Key": "retry-1"})
    assert first.status == again.status == 201
    assert again.body == first.body
    assert listed_ids(api, user) == [first.body["id"]]


def test_the_same_body_spaced_and_ordered_differently_is_the_same_request(api, user):
    first = log(api, user, headers={"Idempotency-Key": "k"})
    raw = b'{ "weight": {"unit": "kg", "value": 80.5},\n  "measured_at": "2026-01-05T07:30:00+01:00" }'
    again = api.post("/weights", raw=raw, token=user.token, headers={"Idempotency-Key": "k"})
    assert again.status == 201
    assert again.body["id"] == first.body["id"]


def test_the_same_number_written_with_a_trailing_zero_is_the_same_request(api, user):
    first = log(api, user, headers={"Idempotency-Key": "zero"})
    raw = b'{"measured_at": "2026-01-05T07:30:00+01:00", "weight": {"value": 80.50, "unit": "kg"}}'
    again = api.post("/weights", raw=raw, token=user.token, headers={"Idempotency-Key": "zero"})
    assert again.status == 201
    assert again.body["id"] == first.body["id"]


def test_the_same_key_with_another_body_is_422_and_creates_nothing(api, user):
    first = log(api, user, headers={"Idempotency-Key": "once"})
    answer = log(api, user, headers={"Idempotency-Key": "once"}, weight={"value": 81, "unit": "kg"})
    assert answer.status == 422
    assert answer.body["error"]["code"] == "idempotency_key_reused"
    assert listed_ids(api, user) == [first.body["id"]]


@pytest.mark.parametrize("key", ["", "x" * 129, "has space", "semi;colon", "slash/key", "quote'"])
def test_a_malformed_idempotency_key_is_400_and_creates_nothing(api, user, key):
    answer = log(api, user, headers={"Idempotency-Key": key})
    assert answer.status == 400
    assert answer.body["error"]["code"] == "invalid_idempotency_key"
    assert listed_ids(api, user) == []


def test_the_longest_key_of_every_allowed_character_is_accepted(api, user):
    key = ("AZaz09_.:-" * 13)[:128]
    first = log(api, user, headers={"Idempotency-Key": key})
    assert first.status == 201
    assert log(api, user, headers={"Idempotency-Key": key}).body["id"] == first.body["id"]


def test_a_key_whose_request_was_refused_is_still_free(api, user):
    refused = log(api, user, headers={"Idempotency-Key": "free"}, weight={"value": 900, "unit": "kg"})
    assert refused.status == 400
    accepted = log(api, user, headers={"Idempotency-Key": "free"})
    assert accepted.status == 201


def test_two_users_with_the_same_key_each_get_their_own_weight(api, user, other_user):
    mine = log(api, user, headers={"Idempotency-Key": "shared"})
    theirs = log(api, other_user, headers={"Idempotency-Key": "shared"})
    assert mine.status == theirs.status == 201
    assert mine.body["id"] != theirs.body["id"]
    assert listed_ids(api, user) == [mine.body["id"]]
    assert listed_ids(api, other_user) == [theirs.body["id"]]


def test_the_same_key_on_weights_and_workouts_are_independent(api, user):
    workout = {"started_at": "2026-01-05T18:00:00+01:00", "duration_min": 40, "type": "cardio", "title": "Run"}
    weight = log(api, user, headers={"Idempotency-Key": "both"})
    session = api.post("/workouts", workout, token=user.token, headers={"Idempotency-Key": "both"})
    assert weight.status == session.status == 201
    assert "duration_min" in session.body
    assert listed_ids(api, user) == [weight.body["id"]]


# Lists


def test_a_list_is_newest_first_by_when_measured_not_by_when_logged(api, user):
    middle = logged(api, user, **at("2026-01-05T07:30:00Z"))
    oldest = logged(api, user, **at("2026-01-05T08:00:00+01:00"))  # 07:00 UTC
    newest = logged(api, user, **at("2026-01-05"))  # noon UTC
    answer = listing(api, user)
    assert answer.status == 200
    assert [item["id"] for item in answer.body["items"]] == [newest["id"], middle["id"], oldest["id"]]
    assert answer.body["items"][0] == newest
    assert answer.body["next_cursor"] is None


def test_an_empty_list_has_no_items_and_no_cursor(api, user):
    assert listing(api, user).body == {"items": [], "next_cursor": None}


def test_date_bounds_cover_whole_days_inclusive(api, user):
    ids = {
        when: logged(api, user, **at(when))["id"]
        for when in ("2026-01-04T23:59:59Z", "2026-01-05T00:00:00Z", "2026-01-05T23:59:59Z", "2026-01-06T00:00:00Z")
    }
    assert listed_ids(api, user, from_="2026-01-05", to="2026-01-05") == [
        ids["2026-01-05T23:59:59Z"],
        ids["2026-01-05T00:00:00Z"],
    ]
    assert listed_ids(api, user, from_="2026-01-06") == [ids["2026-01-06T00:00:00Z"]]
    assert listed_ids(api, user, to="2026-01-04") == [ids["2026-01-04T23:59:59Z"]]


def test_date_time_bounds_are_instants_inclusive_at_both_ends(api, user):
    ids = [logged(api, user, **at(f"2026-01-05T{hour}:00:00Z"))["id"] for hour in ("09", "10", "11", "12")]
    assert listed_ids(api, user, from_="2026-01-05T10:00:00Z", to="2026-01-05T11:00:00Z") == [ids[2], ids[1]]
    # The same instants written with an offset.
    assert listed_ids(api, user, from_="2026-01-05T11:00:00+01:00", to="2026-01-05T06:00:00-05:00") == [ids[2], ids[1]]
    assert listed_ids(api, user, from_="2026-01-05T10:00:00.001Z", to="2026-01-05T10:59:59.999Z") == []


@pytest.mark.parametrize(
    "timezone, measured_at, params, included",
    [
        # 23:30 on 5 January in Auckland is 10:30 UTC that day.
        ("Pacific/Auckland", "2026-01-05T23:30:00+13:00", {"to": "2026-01-05"}, True),
        ("Pacific/Auckland", "2026-01-05T23:30:00+13:00", {"from_": "2026-01-06"}, False),
        ("Pacific/Auckland", "2026-01-05T23:30:00+13:00", {"from_": "2026-01-05", "to": "2026-01-05"}, True),
        # 08:00 on 6 January in Auckland is still 5 January in UTC.
        ("Pacific/Auckland", "2026-01-06T08:00:00+13:00", {"to": "2026-01-05"}, False),
        ("UTC", "2026-01-06T08:00:00+13:00", {"to": "2026-01-05"}, True),
        # 23:30 on 4 January in New York is 04:30 UTC on 5 January.
        ("America/New_York", "2026-01-04T23:30:00-05:00", {"to": "2026-01-04"}, True),
        ("America/New_York", "2026-01-04T23:30:00-05:00", {"from_": "2026-01-05"}, False),
        ("UTC", "2026-01-04T23:30:00-05:00", {"to": "2026-01-04"}, False),
    ],
)
def test_date_bounds_are_days_in_the_users_timezone(api, user, timezone, measured_at, params, included):
    prefer(api, user, timezone=timezone)
    weight = logged(api, user, **at(measured_at))
    assert (weight["id"] in listed_ids(api, user, **params)) is included


@pytest.mark.parametrize(
    "params",
    [
        {"from_": "2026-01-06", "to": "2026-01-05"},
        {"from_": "2026-01-05T10:00:01Z", "to": "2026-01-05T10:00:00Z"},
        {"from_": "2026-01-06", "to": "2026-01-05T12:00:00Z"},
    ],
)
def test_from_after_to_is_400(api, user, params):
    answer = listing(api, user, **params)
    assert answer.status == 400
    assert answer.body["error"]["code"] == "invalid_range"


def test_the_same_instant_as_from_and_to_is_a_valid_range(api, user):
    weight = logged(api, user, **at("2026-01-05T10:00:00Z"))
    assert listed_ids(api, user, from_="2026-01-05T10:00:00Z", to="2026-01-05T10:00:00Z") == [weight["id"]]


@pytest.mark.parametrize(
    "params",
    [
        {"from_": "2025-01-01", "to": "2026-01-02"},
        {"from_": "2025-01-01T00:00:00Z", "to": "2026-01-02T01:00:00Z"},
        {"from_": "2020-01-01", "to": "2026-01-01"},
    ],
)
def test_a_range_over_366_days_is_400(api, user, params):
    answer = listing(api, user, **params)
    assert answer.status == 400
    assert answer.body["error"]["code"] == "range_too_long"


def test_a_date_time_range_half_an_hour_over_366_days_is_400(api, user):
    answer = listing(api, user, from_="2025-01-01T00:00:00Z", to="2026-01-02T00:30:00Z")
    assert answer.status == 400


@pytest.mark.parametrize(
    "params",
    [
        {"from_": "2025-01-01", "to": "2026-01-01"},
        {"from_": "2024-01-01", "to": "2024-12-31"},
        {"from_": "2025-01-01T00:00:00Z", "to": "2026-01-02T00:00:00Z"},
    ],
)
def test_a_range_of_366_days_is_accepted(api, user, params):
    assert listing(api, user, **params).status == 200


@pytest.mark.parametrize(
    "params, field",
    [
        ({"from_": "2026-13-01"}, "from"),
        ({"from_": "yesterday"}, "from"),
        ({"to": "2026-01-05T10:00:00"}, "to"),
        ({"to": "2026-02-29"}, "to"),
        ({"limit": "0"}, "limit"),
        ({"limit": "101"}, "limit"),
        ({"limit": "abc"}, "limit"),
        ({"limit": "-1"}, "limit"),
        ({"limit": "1.5"}, "limit"),
        ({"limit": ""}, "limit"),
        ({"cursor": "x" * 2049}, "cursor"),
        ({"since": "2026-01-01"}, "since"),
        ({"status": "open"}, "status"),
    ],
)
def test_invalid_query_parameters_are_400_and_named(api, user, params, field):
    answer = listing(api, user, **params)
    assert answer.status == 400
    assert field in answer.body["error"]["details"]


@pytest.mark.parametrize("limit", [1, 100])
def test_limits_at_the_bounds_are_accepted(api, user, limit):
    logged(api, user)
    logged(api, user)
    answer = listing(api, user, limit=limit)
    assert answer.status == 200
    assert len(answer.body["items"]) == min(limit, 2)


def test_the_default_page_is_twenty(api, user):
    for day in range(1, 22):
        logged(api, user, **at(f"2026-01-{day:02d}"))
    first = listing(api, user).body
    assert len(first["items"]) == 20
    assert first["items"][0]["measured_at"] == "2026-01-21"
    rest = listing(api, user, cursor=first["next_cursor"]).body
    assert [item["measured_at"] for item in rest["items"]] == ["2026-01-01"]
    assert rest["next_cursor"] is None


def walk(api, user, path="/weights", **params):
    """Every page of a list: the page sizes and the ids in the order they came."""
    sizes, ids, cursor = [], [], None
    while True:
        answer = listing(api, user, path, **params, **({"cursor": cursor} if cursor else {}))
        assert answer.status == 200, answer.body
        sizes.append(len(answer.body["items"]))
        ids += [item["id"] for item in answer.body["items"]]
        cursor = answer.body["next_cursor"]
        if cursor is None:
            return sizes, ids


def test_pages_walk_every_weight_once_in_order(api, user):
    created = [logged(api, user, **at(f"2026-01-0{day}T08:00:00Z"))["id"] for day in range(1, 6)]
    sizes, ids = walk(api, user, limit=2)
    assert sizes == [2, 2, 1]
    assert ids == created[::-1]


def test_a_list_that_fills_its_last_page_exactly_has_no_empty_page_after_it(api, user):
    for day in range(1, 5):
        logged(api, user, **at(f"2026-01-0{day}"))
    assert walk(api, user, limit=2)[0] == [2, 2]


def test_pages_of_a_range_stay_in_the_range(api, user):
    inside = [logged(api, user, **at(f"2026-01-{day:02d}"))["id"] for day in range(10, 15)]
    for day in (9, 15):
        logged(api, user, **at(f"2026-01-{day:02d}"))
    assert walk(api, user, from_="2026-01-10", to="2026-01-14", limit=2)[1] == inside[::-1]


def test_same_moment_weights_are_all_paged_without_duplicates(api, user):
    created = {logged(api, user)["id"] for _ in range(5)}
    sizes, ids = walk(api, user, limit=2)
    assert sizes == [2, 2, 1]
    assert len(ids) == 5
    assert set(ids) == created


def test_a_cursor_stays_valid_with_another_page_size(api, user):
    created = [logged(api, user, **at(f"2026-01-0{day}"))["id"] for day in range(1, 6)]
    cursor = listing(api, user, limit=2).body["next_cursor"]
    answer = listing(api, user, limit=10, cursor=cursor)
    assert [item["id"] for item in answer.body["items"]] == created[2::-1]


def test_a_cursor_survives_the_deletion_of_the_last_weight_it_saw(api, user):
    created = [logged(api, user, **at(f"2026-01-0{day}"))["id"] for day in range(1, 6)]
    first = listing(api, user, limit=2).body
    delete(api, user, f"/weights/{first['items'][-1]['id']}")
    rest = listing(api, user, limit=10, cursor=first["next_cursor"]).body
    assert [item["id"] for item in rest["items"]] == created[2::-1]


# Cursors


@pytest.fixture
def cursor(api, user):
    """The cursor after the first page of three weights in January, two per page."""
    for day in range(1, 4):
        logged(api, user, **at(f"2026-01-0{day}"))
    answer = listing(api, user, from_="2026-01-01", to="2026-01-31", limit=2)
    assert answer.body["next_cursor"]
    return answer.body["next_cursor"]


def _assert_invalid_cursor(answer):
    assert answer.status == 400
    assert answer.body["error"]["code"] == "invalid_cursor"


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda cursor: edited(cursor, 3), id="payload-edited"),
        pytest.param(lambda cursor: edited(cursor, cursor.index(".") + 1), id="signature-edited"),
        pytest.param(lambda cursor: cursor.split(".")[0], id="signature-dropped"),
        pytest.param(lambda cursor: cursor.split(".")[0] + ".", id="signature-empty"),
        pytest.param(lambda cursor: "." + cursor.split(".")[1], id="payload-dropped"),
        pytest.param(lambda cursor: cursor[:-1], id="truncated"),
        pytest.param(lambda cursor: cursor + "A", id="extended"),
        pytest.param(lambda cursor: "garbage", id="garbage"),
        pytest.param(
            lambda cursor: json.dumps({"SK": "WEIGHT#01HZZZZZZZZZZZZZZZZZZZZZZZ"}) + "." + cursor.split(".")[1],
            id="forged-payload",
        ),
    ],
)
def test_an_edited_cursor_is_400(api, user, cursor, tamper):
    _assert_invalid_cursor(listing(api, user, from_="2026-01-01", to="2026-01-31", cursor=tamper(cursor)))


def test_a_cursor_with_a_non_ascii_character_is_400(api, user, cursor):
    _assert_invalid_cursor(listing(api, user, from_="2026-01-01", to="2026-01-31", cursor=cursor + "é"))


def test_the_untouched_cursor_gives_the_next_page(api, user, cursor):
    answer = listing(api, user, from_="2026-01-01", to="2026-01-31", limit=2, cursor=cursor)
    assert [item["measured_at"] for item in answer.body["items"]] == ["2026-01-01"]


def test_another_users_cursor_is_400(api, cursor, other_user):
    _assert_invalid_cursor(listing(api, other_user, from_="2026-01-01", to="2026-01-31", cursor=cursor))


def test_a_weights_cursor_on_workouts_is_400(api, user, cursor):
    _assert_invalid_cursor(listing(api, user, "/workouts", from_="2026-01-01", to="2026-01-31", cursor=cursor))


@pytest.mark.parametrize(
    "params",
    [
        {"from_": "2026-01-02", "to": "2026-01-31"},
        {"from_": "2026-01-01", "to": "2026-01-30"},
        {"from_": "2026-01-01T00:00:00Z", "to": "2026-01-31"},
        {"to": "2026-01-31"},
        {},
    ],
)
def test_a_cursor_used_with_another_range_is_400(api, user, cursor, params):
    _assert_invalid_cursor(listing(api, user, cursor=cursor, **params))


# Cost


@pytest.fixture
def warm(api, user, calls):
    """The caller's preferences read once (cached), then the call record cleared."""
    api.get("/me/preferences", token=user.token)
    calls.clear()
    return calls


def test_create_is_one_transaction(api, user, warm):
    log(api, user)
    assert warm.calls == ["dynamodb.TransactWriteItems"]


def test_an_idempotent_create_is_one_transaction(api, user, warm):
    log(api, user, headers={"Idempotency-Key": "cost"})
    assert warm.calls == ["dynamodb.TransactWriteItems"]


def test_get_is_one_get_item(api, user, calls):
    weight = logged(api, user)
    calls.clear()
    api.get(f"/weights/{weight['id']}", token=user.token)
    assert calls.calls == ["dynamodb.GetItem"]


@pytest.mark.parametrize("if_match", [None, "1", "7"])
def test_patch_is_one_update_item_whether_it_lands_or_is_stale(api, user, calls, if_match):
    weight = logged(api, user)
    calls.clear()
    headers = {"If-Match": if_match} if if_match else None
    api.patch(
        f"/weights/{weight['id']}",
        {"note": "x", "weight": {"value": 81, "unit": "kg"}},
        token=user.token,
        headers=headers,
    )
    assert calls.calls == ["dynamodb.UpdateItem"]


def test_delete_is_one_delete_item(api, user, calls):
    weight = logged(api, user)
    calls.clear()
    delete(api, user, f"/weights/{weight['id']}")
    assert calls.calls == ["dynamodb.DeleteItem"]


def test_each_page_is_one_query(api, user, warm):
    for day in range(1, 4):
        log(api, user, **at(f"2026-01-0{day}"))
    warm.clear()
    first = listing(api, user, from_="2026-01-01", to="2026-01-31", limit=2).body
    assert warm.calls == ["dynamodb.Query"]
    warm.clear()
    listing(api, user, from_="2026-01-01", to="2026-01-31", limit=2, cursor=first["next_cursor"])
    assert warm.calls == ["dynamodb.Query"]


def test_a_malformed_id_costs_no_call(api, user, calls):
    calls.clear()
    assert api.get("/weights/not-an-id", token=user.token).status == 404
    assert calls.calls == []


def test_if_match_star_means_any_version(api, user):
    created = api.post("/weights", WEIGHT, token=user.token).body
    answer = api.patch(f"/weights/{created['id']}", {"note": "x"}, token=user.token, headers={"If-Match": "*"})
    assert answer.status == 200

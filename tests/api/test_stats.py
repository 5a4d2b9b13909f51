import pytest

TOTALS = []


@pytest.fixture(autouse=True)
def _kept_totals(totals):
    TOTALS[:] = [totals]


def _weight(api, user, measured_at, value, unit="kg"):
    answer = api.post(
        "/weights", {"measured_at": measured_at, "weight": {"value": value, "unit": unit}}, token=user.token
    )
    assert answer.status == 201, answer.body


def _workout(api, user, started_at, minutes=30, kind="cardio"):
    body = {"started_at": started_at, "duration_min": minutes, "type": kind, "title": "W"}
    assert api.post("/workouts", body, token=user.token).status == 201


def _summary(api, user, **query):
    TOTALS[0].poll()  # the totals are kept from the table's stream: a second or so behind a write
    path = "/stats/summary" + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
    answer = api.get(path, token=user.token)
    assert answer.status == 200, answer.body
    return answer.body


def test_an_empty_range_has_an_empty_summary(api, user):
    summary = _summary(api, user, **{"from": "2026-01-01", "to": "2026-01-31"})
    assert summary["from"] == "2026-01-01" and summary["to"] == "2026-01-31"
    assert summary["weight"]["entries"] == 0 and summary["weight"]["series"] == []
    assert summary["workouts"]["count"] == 0 and summary["workouts"]["current_streak_weeks"] == 0
    assert summary["tasks"] == {"open": 0, "overdue": 0, "done_in_range": 0, "completion_rate": None}


def test_the_default_range_is_the_last_30_local_days(api, user):
    summary = _summary(api, user)
    from datetime import date

    assert (date.fromisoformat(summary["to"]) - date.fromisoformat(summary["from"])).days == 29


def test_weight_trend_with_the_7_day_moving_average(api, user):
    for day, value in [("2026-01-01", 80), ("2026-01-02", 79), ("2026-01-04", 78), ("2026-01-09", 77)]:
        _weight(api, user, day, value)
    _weight(api, user, "2026-01-02T20:00:00+00:00", 79.5)  # a second entry that day: days average first
    weight = _summary(api, user, **{"from": "2026-01-01", "to": "2026-01-31"})["weight"]
    assert weight["entries"] == 5
    assert weight["first"] == {"date": "2026-01-01", "value": 80}
    assert weight["last"] == {"date": "2026-01-09", "value": 77}
    assert weight["change"] == -3
    assert (weight["min"], weight["max"]) == (77, 80)
    assert weight["series"] == [
        {"date": "2026-01-01", "weight": 80, "moving_average_7d": 80},
        {"date": "2026-01-02", "weight": 79.25, "moving_average_7d": 79.63},
        {"date": "2026-01-04", "weight": 78, "moving_average_7d": 79.08},
        {"date": "2026-01-09", "weight": 77, "moving_average_7d": 77.5},  # the 3rd..9th: 01-04 and 01-09
    ]


def test_weights_are_summarised_in_the_callers_units(api, user):
    api.put("/me/preferences", {"units": "imperial"}, token=user.token)
    _weight(api, user, "2026-01-01", 180.4, "lb")
    _weight(api, user, "2026-01-02", 80, "kg")
    weight = _summary(api, user, **{"from": "2026-01-01", "to": "2026-01-02"})["weight"]
    assert weight["unit"] == "lb"
    assert weight["first"]["value"] == 180.4
    assert weight["last"]["value"] == 176.37


@pytest.mark.parametrize(
    "zone, measured_at, local_day",
    [
        ("America/New_York", "2026-01-05T23:30:00-05:00", "2026-01-05"),  # 04:30 UTC on the 6th
        ("Pacific/Auckland", "2026-01-05T23:30:00+13:00", "2026-01-05"),  # 10:30 UTC on the 5th
        ("Europe/Paris", "2026-01-05T23:30:00Z", "2026-01-06"),  # 00:30 local on the 6th
    ],
)
def test_an_entry_belongs_to_its_local_day(api, user, zone, measured_at, local_day):
    api.put("/me/preferences", {"timezone": zone}, token=user.token)
    _weight(api, user, measured_at, 80)
    inside = _summary(api, user, **{"from": local_day, "to": local_day})["weight"]
    assert [point["date"] for point in inside["series"]] == [local_day]
    day_after = f"{local_day[:8]}{int(local_day[8:]) + 1:02d}"
    assert _summary(api, user, **{"from": day_after, "to": day_after})["weight"]["entries"] == 0


def test_workouts_per_iso_week_by_type_and_the_goal_streak(api, user):
    api.put("/me/preferences", {"weekly_workout_goal": 2}, token=user.token)
    for started in ("2026-01-05T07:00:00Z", "2026-01-07T07:00:00Z", "2026-01-12T07:00:00Z", "2026-01-14T07:00:00Z"):
        _workout(api, user, started, 30, "cardio")
    _workout(api, user, "2026-01-20T07:00:00Z", 45, "strength")
    through_week_3 = _summary(api, user, **{"from": "2026-01-05", "to": "2026-01-18"})["workouts"]
    assert through_week_3["count"] == 4 and through_week_3["total_minutes"] == 120
    assert through_week_3["per_week"] == [
        {"week": "2026-W02", "count": 2, "minutes": 60},
        {"week": "2026-W03", "count": 2, "minutes": 60},
    ]
    assert through_week_3["current_streak_weeks"] == 2
    through_week_4 = _summary(api, user, **{"from": "2026-01-05", "to": "2026-01-25"})["workouts"]
    assert through_week_4["by_type"] == {"cardio": 4, "strength": 1}
    assert through_week_4["current_streak_weeks"] == 0  # week 4, over, had one workout of two


def test_tasks_open_overdue_done_and_completion_rate(api, user):
    api.post("/tasks", {"title": "late", "due_date": "2020-01-01"}, token=user.token)
    api.post("/tasks", {"title": "later", "due_date": "2099-01-01"}, token=user.token)
    api.post("/tasks", {"title": "undated"}, token=user.token)
    api.post("/tasks", {"title": "done", "done": True}, token=user.token)
    tasks = _summary(api, user)["tasks"]
    assert tasks == {"open": 3, "overdue": 1, "done_in_range": 1, "completion_rate": 0.25}


def test_a_summary_is_four_queries_of_months_and_the_open_task_counts(api, user, calls):
    api.get("/me/preferences", token=user.token)
    TOTALS[0].poll()
    calls.clear()
    _summary(api, user, **{"from": "2026-01-01", "to": "2026-03-31"})
    # weights, workouts, the week counts before the range (the streak), tasks done; the open tasks
    assert sorted(calls.calls) == ["dynamodb.GetItem"] + ["dynamodb.Query"] * 4


@pytest.mark.parametrize(
    "query, code",
    [
        ("from=2026-02-01&to=2026-01-01", "invalid_range"),
        ("from=2025-01-01&to=2026-01-02", "range_too_long"),
        ("from=2026-01-01T00:00:00Z", "validation_error"),
        ("from=yesterday", "validation_error"),
        ("days=7", "validation_error"),
    ],
)
def test_bad_ranges_are_400(api, user, query, code):
    answer = api.get(f"/stats/summary?{query}", token=user.token)
    assert answer.status == 400
    assert answer.body["error"]["code"] == code


def test_the_streak_counts_weeks_before_the_range(api, user):
    api.put("/me/preferences", {"weekly_workout_goal": 1}, token=user.token)
    for week in range(8):  # Mondays from 2025-11-17 to 2026-01-05
        from datetime import date, timedelta

        day = date(2025, 11, 17) + timedelta(weeks=week)
        _workout(api, user, f"{day.isoformat()}T07:00:00Z")
    summary = _summary(api, user, **{"from": "2026-01-05", "to": "2026-01-11"})["workouts"]
    assert summary["count"] == 1
    assert summary["current_streak_weeks"] == 8


def test_a_weight_given_as_a_date_stays_on_that_date_when_the_zone_changes(api, user):
    api.put("/me/preferences", {"timezone": "Pacific/Kiritimati"}, token=user.token)
    _weight(api, user, "2026-01-10", 80)
    api.put("/me/preferences", {"timezone": "Pacific/Pago_Pago"}, token=user.token)
    series = _summary(api, user, **{"from": "2026-01-01", "to": "2026-01-31"})["weight"]["series"]
    assert [point["date"] for point in series] == ["2026-01-10"]

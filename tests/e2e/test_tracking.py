"""Tracking over real HTTP on the local stack: log, page, summarise, export, delete."""

import time
import urllib.parse

from tests.e2e.test_journey import _new_user


def summarised(stack, token, query, settled, within=10.0):
    """The summary once `settled(summary)` holds: it reads running totals the stack's stream
    pump keeps, a poll (0.5 s) or so behind the writes."""
    deadline = time.monotonic() + within
    while True:
        summary = stack.call("GET", f"/stats/summary?{query}", token=token).body
        if settled(summary) or time.monotonic() > deadline:
            return summary
        time.sleep(0.2)


def test_a_person_logs_a_week_and_sees_it_summarised(stack):
    _, _, login = _new_user(stack)
    token = login["id_token"]
    stack.call("PUT", "/me/preferences", {"timezone": "America/New_York", "units": "imperial"}, token=token)
    for day, pounds in [("01", 181), ("02", 180.4), ("03", 179.8)]:
        created = stack.call(
            "POST",
            "/weights",
            {"measured_at": f"2026-01-{day}", "weight": {"value": pounds, "unit": "lb"}},
            token=token,
            headers={"Idempotency-Key": f"w-{day}"},
        )
        assert created.status == 201
    retried = stack.call(
        "POST",
        "/weights",
        {"measured_at": "2026-01-03", "weight": {"value": 179.8, "unit": "lb"}},
        token=token,
        headers={"Idempotency-Key": "w-03"},
    )
    assert retried.status == 201
    stack.call(
        "POST",
        "/workouts",
        {"started_at": "2026-01-02T18:00:00-05:00", "duration_min": 30, "type": "cardio", "title": "Run"},
        token=token,
    )

    seen, cursor = [], None
    while True:
        query = "limit=2" + (f"&cursor={urllib.parse.quote(cursor)}" if cursor else "")
        page = stack.call("GET", f"/weights?{query}", token=token).body
        seen += [weight["weight"]["value"] for weight in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [179.8, 180.4, 181]

    summary = summarised(
        stack, token, "from=2026-01-01&to=2026-01-07", lambda s: s["workouts"]["count"] and s["weight"]["entries"] == 3
    )
    assert summary["weight"]["change"] == -1.2 and summary["weight"]["unit"] == "lb"
    assert summary["workouts"]["count"] == 1


def test_export_then_delete_the_account(stack):
    email, _, login = _new_user(stack)
    token = login["id_token"]
    stack.call("POST", "/tasks", {"title": "Stretch"}, token=token)
    exported = stack.call("GET", "/me/export", token=token)
    assert exported.status == 200 and [task["title"] for task in exported.body["tasks"]] == ["Stretch"]
    assert stack.call("DELETE", "/me", token=token).status == 204
    assert stack.call("POST", "/auth/login", {"email": email, "password": "Journey-pass-2026!"}).status == 401
    assert stack.call("POST", "/auth/refresh", {"refresh_token": login["refresh_token"]}).status == 401
    late_write = stack.call("POST", "/tasks", {"title": "ghost"}, token=token)
    assert late_write.status == 401 and late_write.body["error"]["code"] == "account_deleted"

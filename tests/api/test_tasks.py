"""Tasks: defaults, the open / done / all lists and their orders, due_before, toggling done
(completed_at), If-Match, idempotency and bounds."""

from urllib.parse import urlencode

import pytest


def add(api, user, title="Stretch", headers=None, **fields):
    return api.post("/tasks", {"title": title, **fields}, token=user.token, headers=headers)


def added(api, user, title="Stretch", **fields):
    answer = add(api, user, title, **fields)
    assert answer.status == 201, answer.body
    return answer.body


def change(api, user, task, headers=None, **changes):
    answer = api.patch(f"/tasks/{task['id']}", changes, token=user.token, headers=headers)
    assert answer.status == 200, answer.body
    return answer.body


def fetch(api, user, task):
    return api.get(f"/tasks/{task['id']}", token=user.token).body


def listing(api, user, path="/tasks", **params):
    query = urlencode(params)
    return api.get(f"{path}?{query}" if query else path, token=user.token)


def titles(api, user, **params):
    answer = listing(api, user, **params)
    assert answer.status == 200, answer.body
    return [task["title"] for task in answer.body["items"]]


def walk(api, user, **params):
    sizes, ids, cursor = [], [], None
    while True:
        answer = listing(api, user, **params, **({"cursor": cursor} if cursor else {}))
        assert answer.status == 200, answer.body
        sizes.append(len(answer.body["items"]))
        ids += [task["id"] for task in answer.body["items"]]
        cursor = answer.body["next_cursor"]
        if cursor is None:
            return sizes, ids


# Creating


def test_a_new_task_is_open_normal_priority_and_undated(api, user):
    answer = add(api, user)
    assert answer.status == 201
    task = answer.body
    assert task["title"] == "Stretch"
    assert task["priority"] == "normal"
    assert task["done"] is False
    assert task["version"] == 1
    assert task["created_at"] == task["updated_at"]
    for absent in ("due_date", "notes", "completed_at"):
        assert absent not in task
    assert fetch(api, user, task) == task


def test_every_field_given_is_kept(api, user):
    task = added(api, user, "Book physio", notes="Knee", due_date="2026-01-07", priority="high")
    assert (task["notes"], task["due_date"], task["priority"]) == ("Knee", "2026-01-07", "high")


def test_a_task_created_done_is_completed_when_created(api, user):
    task = added(api, user, done=True)
    assert task["done"] is True
    assert task["completed_at"] == task["created_at"]
    assert titles(api, user, status="done") == ["Stretch"]
    assert titles(api, user, status="open") == []


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"title": None}, "title"),
        ({"title": ""}, "title"),
        ({"title": "t" * 201}, "title"),
        ({"title": 5}, "title"),
        ({"notes": "n" * 2001}, "notes"),
        ({"due_date": "2026-02-30"}, "due_date"),
        ({"due_date": "2026-01-07T10:00:00Z"}, "due_date"),
        ({"due_date": "tomorrow"}, "due_date"),
        ({"due_date": 20260107}, "due_date"),
        ({"due_date": "1899-12-31"}, "due_date"),
        ({"priority": "urgent"}, "priority"),
        ({"priority": "High"}, "priority"),
        ({"priority": None}, "priority"),
        ({"done": "true"}, "done"),
        ({"done": 1}, "done"),
        ({"done": None}, "done"),
        ({"completed_at": "2026-01-05T10:00:00Z"}, "completed_at"),
        ({"id": "01HZZZZZZZZZZZZZZZZZZZZZZZ"}, "id"),
        ({"version": 2}, "version"),
    ],
)
def test_invalid_fields_are_400_and_named(api, user, fields, field):
    body = {"title": "Stretch", **fields}
    if fields == {"title": None}:
        del body["title"]
    answer = api.post("/tasks", body, token=user.token)
    assert answer.status == 400
    assert field in answer.body["error"]["details"]
    assert titles(api, user) == []


def test_the_longest_title_and_notes_are_accepted(api, user):
    task = added(api, user, "t" * 200, notes="n" * 2000)
    assert (len(task["title"]), len(task["notes"])) == (200, 2000)


# Lists


def test_all_tasks_are_listed_newest_first(api, user):
    for title in ("first", "second", "third"):
        added(api, user, title, done=title == "second")
    assert titles(api, user) == ["third", "second", "first"]


def test_open_tasks_are_listed_soonest_due_first_and_undated_last(api, user):
    added(api, user, "undated")
    added(api, user, "later", due_date="2026-03-01")
    added(api, user, "done", due_date="2026-01-01", done=True)
    added(api, user, "soon", due_date="2026-01-02")
    added(api, user, "overdue", due_date="2025-12-01")
    assert titles(api, user, status="open") == ["overdue", "soon", "later", "undated"]


def test_done_tasks_are_listed_latest_completed_first(api, user):
    first = added(api, user, "first")
    second = added(api, user, "second")
    added(api, user, "still open")
    change(api, user, second, done=True)
    change(api, user, first, done=True)
    assert titles(api, user, status="done") == ["first", "second"]


@pytest.fixture
def dated(api, user):
    """Open and done tasks due around 7 January, and an undated one."""
    for title, due, done in [
        ("open 6th", "2026-01-06", False),
        ("open 7th", "2026-01-07", False),
        ("open 8th", "2026-01-08", False),
        ("done 6th", "2026-01-06", True),
        ("done 7th", "2026-01-07", True),
        ("undated", None, False),
    ]:
        added(api, user, title, due_date=due, done=done)


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"status": "open", "due_before": "2026-01-07"}, ["open 6th"]),
        ({"status": "open", "due_before": "2026-01-08"}, ["open 6th", "open 7th"]),
        ({"status": "done", "due_before": "2026-01-07"}, ["done 6th"]),
        ({"due_before": "2026-01-07"}, ["done 6th", "open 6th"]),
        ({"due_before": "2026-01-01"}, []),
    ],
)
def test_due_before_keeps_tasks_due_strictly_before_the_date(api, user, dated, params, expected):
    assert titles(api, user, **params) == expected


@pytest.mark.parametrize("params", [{"status": "open"}, {"status": "done"}, {}])
def test_pages_walk_every_task_once(api, user, params):
    # Five due on the same day: ties in the due-date order must not lose or repeat a task.
    created = [added(api, user, f"task {n}", due_date="2026-01-07", done=n % 2 == 0)["id"] for n in range(10)]
    created += [added(api, user, f"undated {n}")["id"] for n in range(2)]
    wanted = {
        "open": {task_id for n, task_id in enumerate(created) if n >= 10 or n % 2},
        "done": {task_id for n, task_id in enumerate(created) if n < 10 and n % 2 == 0},
    }.get(params.get("status"), set(created))
    sizes, ids = walk(api, user, limit=2, **params)
    assert len(ids) == len(set(ids))
    assert set(ids) == wanted
    assert all(size == 2 for size in sizes[:-1])
    assert sizes[-1] > 0


def test_pages_of_open_tasks_due_before_a_date_walk_every_one_of_them(api, user):
    created = [added(api, user, f"task {n}", due_date=f"2026-01-0{n}")["id"] for n in range(1, 6)]
    added(api, user, "too late", due_date="2026-01-06")
    sizes, ids = walk(api, user, limit=2, status="open", due_before="2026-01-06")
    assert sizes == [2, 2, 1]
    assert ids == created


def test_an_open_list_cursor_survives_its_last_task_being_done(api, user):
    created = [added(api, user, f"task {n}", due_date=f"2026-01-0{n}") for n in range(1, 6)]
    first = listing(api, user, status="open", limit=2).body
    change(api, user, created[1], done=True)
    rest = listing(api, user, status="open", limit=10, cursor=first["next_cursor"]).body
    assert [task["title"] for task in rest["items"]] == ["task 3", "task 4", "task 5"]


# With due_before and no status=open, the due date is a filter on a list ordered otherwise: a
# page keeps reading until it is full or the list ends, so no page is empty while more follow.


def test_due_before_without_status_returns_every_match_once(api, user):
    matching = [added(api, user, f"task {n}", due_date=f"2026-01-0{n}")["id"] for n in range(1, 3)]
    added(api, user, "later", due_date="2026-12-01")
    sizes, ids = walk(api, user, limit=2, due_before="2026-02-01")
    assert sorted(ids) == sorted(matching) and len(ids) == len(set(ids))
    assert sizes == [2]


def test_due_before_with_done_returns_every_match_once_latest_completed_first(api, user):
    matching = [added(api, user, f"task {n}", due_date=f"2026-01-0{n}", done=True)["id"] for n in range(1, 4)]
    for n in range(3):
        added(api, user, f"later {n}", due_date="2026-12-01", done=True)
    sizes, ids = walk(api, user, limit=2, status="done", due_before="2026-02-01")
    assert ids == list(reversed(matching))
    assert sizes == [2, 1]


@pytest.mark.parametrize("status", [None, "done"])
def test_a_filtered_page_is_full_while_matches_lie_behind_a_hundred_that_do_not(api, user, status):
    # Issue 26: at 100 newer tasks due later, the first page was empty with a next_cursor.
    done = status == "done"
    matching = [added(api, user, f"early {n}", due_date="2026-01-01", done=done)["id"] for n in range(3)]
    for n in range(100):
        added(api, user, f"later {n}", due_date="2026-12-01", done=done)
    sizes, ids = walk(api, user, limit=2, due_before="2026-02-01", **({"status": status} if status else {}))
    assert sizes == [2, 1]
    assert ids == list(reversed(matching))


def test_a_filtered_page_whose_first_query_fills_it_is_one_query(api, user, calls):
    for n in range(5):
        added(api, user, f"task {n}", due_date="2026-01-01")
    api.get("/me/preferences", token=user.token)
    calls.clear()
    answer = listing(api, user, limit=2, due_before="2026-02-01")
    assert len(answer.body["items"]) == 2 and answer.body["next_cursor"]
    assert calls.calls == ["dynamodb.Query"]


def test_a_filtered_page_holding_some_matches_stops_after_a_few_queries(api, user, calls):
    # Sparse matches: the page answers what it found after FILTERED_QUERIES growing Queries
    # (6, 24 and 96 tasks evaluated) instead of reading the whole history; the rest follow the cursor.
    from chalicelib.repositories.items import FILTERED_QUERIES

    matching = [added(api, user, f"early {n}", due_date="2026-01-01")["id"] for n in range(2)]
    for n in range(200):
        matches = n in (20, 150)  # 180th and 50th newest
        added(api, user, f"later {n}", due_date="2026-01-02" if matches else "2026-12-01")
    calls.clear()
    first = listing(api, user, limit=5, due_before="2026-02-01").body
    assert calls.calls == ["dynamodb.Query"] * FILTERED_QUERIES
    assert [task["title"] for task in first["items"]] == ["later 150"] and first["next_cursor"]
    sizes, ids = walk(api, user, limit=5, due_before="2026-02-01")
    assert len(ids) == 4 and set(matching) <= set(ids)
    assert 0 not in sizes


@pytest.mark.parametrize(
    "params, field",
    [
        ({"status": "all"}, "status"),
        ({"status": "Open"}, "status"),
        ({"due_before": "2026-01-07T00:00:00Z"}, "due_before"),
        ({"due_before": "2026-02-30"}, "due_before"),
        ({"from": "2026-01-01"}, "from"),
        ({"limit": "0"}, "limit"),
        ({"limit": "101"}, "limit"),
    ],
)
def test_invalid_list_queries_are_400_and_named(api, user, params, field):
    answer = listing(api, user, **params)
    assert answer.status == 400
    assert field in answer.body["error"]["details"]


# Cursors


@pytest.fixture
def open_cursor(api, user):
    for n in range(1, 4):
        added(api, user, f"task {n}", due_date=f"2026-01-0{n}")
    answer = listing(api, user, status="open", due_before="2026-02-01", limit=2)
    assert answer.body["next_cursor"]
    return answer.body["next_cursor"]


def test_the_cursor_gives_the_next_page(api, user, open_cursor):
    answer = listing(api, user, status="open", due_before="2026-02-01", limit=2, cursor=open_cursor)
    assert [task["title"] for task in answer.body["items"]] == ["task 3"]


@pytest.mark.parametrize(
    "params",
    [
        {"status": "done", "due_before": "2026-02-01"},
        {"status": "open", "due_before": "2026-03-01"},
        {"status": "open"},
        {"due_before": "2026-02-01"},
    ],
)
def test_a_cursor_used_with_another_status_or_due_before_is_400(api, user, open_cursor, params):
    answer = listing(api, user, cursor=open_cursor, **params)
    assert answer.status == 400
    assert answer.body["error"]["code"] == "invalid_cursor"


def test_another_users_cursor_is_400(api, open_cursor, other_user):
    answer = listing(api, other_user, status="open", due_before="2026-02-01", cursor=open_cursor)
    assert answer.body["error"]["code"] == "invalid_cursor"


def test_a_tasks_cursor_on_workouts_is_400(api, user):
    for n in range(3):
        added(api, user, f"task {n}")
    cursor = listing(api, user, limit=2).body["next_cursor"]
    answer = listing(api, user, "/workouts", cursor=cursor)
    assert answer.body["error"]["code"] == "invalid_cursor"


# Done and completed_at


def test_marking_done_records_completed_at_and_moves_it_to_the_done_list(api, user):
    task = added(api, user, due_date="2026-01-07")
    done = change(api, user, task, done=True)
    assert done["done"] is True
    assert done["completed_at"].endswith("Z")
    assert done["completed_at"] >= task["created_at"]
    assert done["version"] == 2
    assert titles(api, user, status="open") == []
    assert titles(api, user, status="done") == ["Stretch"]


def test_marking_a_done_task_done_again_keeps_when_it_was_first_completed(api, user):
    first = added(api, user, "first")
    second = added(api, user, "second")
    completed_at = change(api, user, first, done=True)["completed_at"]
    change(api, user, second, done=True)
    again = change(api, user, first, done=True)
    assert again["completed_at"] == completed_at
    assert again["version"] == 3
    assert titles(api, user, status="done") == ["second", "first"]


def test_marking_not_done_clears_completed_at_and_reopens_it_in_due_order(api, user):
    added(api, user, "sooner", due_date="2026-01-05")
    task = added(api, user, "middle", due_date="2026-01-07")
    added(api, user, "later", due_date="2026-01-09")
    added(api, user, "undated")
    change(api, user, task, done=True)
    reopened = change(api, user, task, done=False)
    assert reopened["done"] is False
    assert "completed_at" not in reopened
    assert fetch(api, user, task) == reopened
    assert titles(api, user, status="open") == ["sooner", "middle", "later", "undated"]
    assert titles(api, user, status="done") == []


def test_a_task_created_done_reopens_in_due_order(api, user):
    added(api, user, "later", due_date="2026-01-09")
    task = added(api, user, "sooner", due_date="2026-01-05", done=True)
    change(api, user, task, done=False)
    assert titles(api, user, status="open") == ["sooner", "later"]


def test_reopening_an_undated_task_lists_it_last(api, user):
    task = added(api, user, "undated", done=True)
    added(api, user, "dated", due_date="2099-12-31")
    change(api, user, task, done=False)
    assert titles(api, user, status="open") == ["dated", "undated"]


def test_completed_at_is_recorded_again_after_reopening(api, user):
    task = added(api, user)
    first = change(api, user, task, done=True)["completed_at"]
    change(api, user, task, done=False)
    second = change(api, user, task, done=True)["completed_at"]
    assert second >= first


def test_marking_an_open_task_not_done_changes_nothing_but_the_version(api, user):
    task = added(api, user, due_date="2026-01-07")
    same = change(api, user, task, done=False)
    assert same["version"] == 2
    assert {key: same[key] for key in ("done", "due_date")} == {"done": False, "due_date": "2026-01-07"}
    assert titles(api, user, status="open", due_before="2026-01-08") == ["Stretch"]


# Due dates


def test_a_new_due_date_moves_an_open_task_in_the_open_list(api, user):
    task = added(api, user, "moving", due_date="2026-01-01")
    added(api, user, "fixed", due_date="2026-01-05")
    assert titles(api, user, status="open") == ["moving", "fixed"]
    assert change(api, user, task, due_date="2026-01-10")["due_date"] == "2026-01-10"
    assert titles(api, user, status="open") == ["fixed", "moving"]
    assert titles(api, user, status="open", due_before="2026-01-10") == ["fixed"]


def test_removing_the_due_date_moves_an_open_task_last(api, user):
    task = added(api, user, "moving", due_date="2026-01-01")
    added(api, user, "fixed", due_date="2026-01-05")
    assert "due_date" not in change(api, user, task, due_date=None)
    assert titles(api, user, status="open") == ["fixed", "moving"]
    assert titles(api, user, status="open", due_before="2026-12-31") == ["fixed"]


def test_a_done_task_with_a_new_due_date_stays_out_of_the_open_list(api, user):
    task = added(api, user, "done", due_date="2026-01-01", done=True)
    added(api, user, "open", due_date="2026-01-05")
    changed = change(api, user, task, due_date="2026-01-03")
    assert changed["due_date"] == "2026-01-03"
    assert changed["done"] is True
    assert changed["completed_at"] == task["completed_at"]
    assert titles(api, user, status="open") == ["open"]
    assert titles(api, user, status="done") == ["done"]
    change(api, user, task, done=False)
    assert titles(api, user, status="open") == ["done", "open"]


def test_done_and_a_new_due_date_in_one_patch(api, user):
    task = added(api, user, "task", due_date="2026-01-01")
    added(api, user, "other", due_date="2026-01-05")
    change(api, user, task, done=True, due_date="2026-01-02")
    assert titles(api, user, status="open") == ["other"]
    reopened = change(api, user, task, done=False, due_date="2026-01-09")
    assert reopened["due_date"] == "2026-01-09"
    assert titles(api, user, status="open") == ["other", "task"]


# Changing and deleting


def test_patch_changes_only_the_given_fields(api, user):
    task = added(api, user, notes="old", due_date="2026-01-07", priority="low")
    changed = change(api, user, task, priority="high", notes=None)
    assert changed["priority"] == "high"
    assert "notes" not in changed
    assert (changed["title"], changed["due_date"], changed["done"]) == ("Stretch", "2026-01-07", False)


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"title": None}, "title"),
        ({"title": ""}, "title"),
        ({"priority": None}, "priority"),
        ({"done": None}, "done"),
        ({"done": "yes"}, "done"),
        ({"due_date": "2026-13-01"}, "due_date"),
        ({"completed_at": "2026-01-05T10:00:00Z"}, "completed_at"),
        ({"notes": "n" * 2001}, "notes"),
    ],
)
def test_an_invalid_patch_is_400_named_and_changes_nothing(api, user, changes, field):
    task = added(api, user, due_date="2026-01-07")
    answer = api.patch(f"/tasks/{task['id']}", changes, token=user.token)
    assert answer.status == 400
    assert field in answer.body["error"]["details"]
    assert fetch(api, user, task) == task


def test_an_empty_patch_is_400(api, user):
    task = added(api, user)
    answer = api.patch(f"/tasks/{task['id']}", {}, token=user.token)
    assert answer.body["error"]["code"] == "empty_patch"


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
@pytest.mark.parametrize("item_id", ["01HZZZZZZZZZZZZZZZZZZZZZZZ", "not-an-id"])
def test_an_unknown_or_malformed_id_is_404(api, user, method, item_id):
    body = {"done": True} if method == "PATCH" else None
    assert api.request(method, f"/tasks/{item_id}", body, token=user.token).status == 404


def test_a_new_due_date_for_an_unknown_task_is_404(api, user):
    answer = api.patch("/tasks/01HZZZZZZZZZZZZZZZZZZZZZZZ", {"due_date": "2026-01-07"}, token=user.token)
    assert answer.status == 404


def test_delete_is_204_and_the_task_leaves_every_list(api, user):
    task = added(api, user, due_date="2026-01-07")
    answer = api.request("DELETE", f"/tasks/{task['id']}", token=user.token)
    assert answer.status == 204
    assert answer.body is None
    assert api.get(f"/tasks/{task['id']}", token=user.token).status == 404
    for params in ({}, {"status": "open"}, {"status": "done"}):
        assert titles(api, user, **params) == []


# If-Match


@pytest.mark.parametrize(
    "changes",
    [{"done": True}, {"title": "x"}, {"due_date": "2026-02-01"}],
    ids=["toggle", "title", "due-date"],
)
@pytest.mark.parametrize("created_done", [False, True], ids=["open", "done"])
def test_a_stale_version_is_412_and_changes_nothing(api, user, changes, created_done):
    task = added(api, user, due_date="2026-01-07", done=created_done)
    current = change(api, user, task, priority="high")
    answer = api.patch(f"/tasks/{task['id']}", changes, token=user.token, headers={"If-Match": "1"})
    assert answer.status == 412
    assert answer.body["error"]["code"] == "version_mismatch"
    assert answer.body["error"]["details"]["version"] == 2
    assert fetch(api, user, task) == current


@pytest.mark.parametrize("created_done", [False, True], ids=["open", "done"])
def test_a_new_due_date_with_the_current_version_lands_open_or_done(api, user, created_done):
    task = added(api, user, due_date="2026-01-07", done=created_done)
    changed = change(api, user, task, headers={"If-Match": '"1"'}, due_date="2026-02-01")
    assert (changed["due_date"], changed["done"], changed["version"]) == ("2026-02-01", created_done, 2)


def test_delete_with_a_stale_version_is_412_and_keeps_the_task(api, user):
    task = added(api, user)
    change(api, user, task, done=True)
    answer = api.request("DELETE", f"/tasks/{task['id']}", token=user.token, headers={"If-Match": 'W/"1"'})
    assert answer.status == 412
    assert answer.body["error"]["details"]["version"] == 2
    assert api.request("DELETE", f"/tasks/{task['id']}", token=user.token, headers={"If-Match": "2"}).status == 204


def test_a_malformed_if_match_is_400(api, user):
    task = added(api, user)
    answer = api.patch(f"/tasks/{task['id']}", {"done": True}, token=user.token, headers={"If-Match": "one"})
    assert answer.body["error"]["code"] == "invalid_if_match"
    assert fetch(api, user, task) == task


# Idempotency-Key


def test_a_retry_with_the_same_key_and_body_returns_the_first_answer_and_creates_nothing(api, user):
    first = add(api, user, due_date="2026-01-07", headers={"Idempotency-Key": "t-1"})
    again = add(api, user, due_date="2026-01-07", headers={"Idempotency-Key": "t-1"})
    assert first.status == again.status == 201
    assert again.body == first.body
    assert titles(api, user) == ["Stretch"]


def test_the_same_key_with_another_body_is_422(api, user):
    add(api, user, headers={"Idempotency-Key": "t-2"})
    answer = add(api, user, "Other", headers={"Idempotency-Key": "t-2"})
    assert answer.status == 422
    assert answer.body["error"]["code"] == "idempotency_key_reused"
    assert titles(api, user) == ["Stretch"]


def test_a_malformed_idempotency_key_is_400(api, user):
    answer = add(api, user, headers={"Idempotency-Key": "no spaces allowed"})
    assert answer.body["error"]["code"] == "invalid_idempotency_key"
    assert titles(api, user) == []


def test_two_users_with_the_same_key_each_get_their_own_task(api, user, other_user):
    mine = add(api, user, headers={"Idempotency-Key": "shared"})
    theirs = add(api, other_user, headers={"Idempotency-Key": "shared"})
    assert mine.status == theirs.status == 201
    assert mine.body["id"] != theirs.body["id"]


# Cost


@pytest.mark.parametrize("done", [False, True])
def test_create_is_one_transaction(api, user, calls, done):
    calls.clear()
    add(api, user, due_date="2026-01-07", done=done)
    assert calls.calls == ["dynamodb.TransactWriteItems"]


@pytest.mark.parametrize(
    "method, body",
    [
        ("GET", None),
        ("PATCH", {"done": True}),
        ("PATCH", {"done": False, "due_date": "2026-02-01"}),
        ("PATCH", {"due_date": "2026-02-01", "title": "x"}),
        ("PATCH", {"priority": "high"}),
        ("DELETE", None),
    ],
)
def test_get_patch_and_delete_of_an_open_task_are_one_call_each(api, user, calls, method, body):
    task = added(api, user, due_date="2026-01-07")
    calls.clear()
    assert api.request(method, f"/tasks/{task['id']}", body, token=user.token).status < 300
    expected = {"GET": "dynamodb.GetItem", "PATCH": "dynamodb.UpdateItem", "DELETE": "dynamodb.DeleteItem"}[method]
    assert calls.calls == [expected]


def test_a_new_due_date_on_a_done_task_is_two_update_items_and_no_read(api, user, calls):
    # Documented exception: without reading the task, the update tries "open" first (one call
    # for an open task, the common case), then "done".
    task = added(api, user, due_date="2026-01-07", done=True)
    calls.clear()
    change(api, user, task, due_date="2026-02-01")
    assert calls.calls == ["dynamodb.UpdateItem", "dynamodb.UpdateItem"]


@pytest.mark.parametrize("params", [{}, {"status": "open"}, {"status": "done"}, {"due_before": "2026-02-01"}])
def test_a_page_of_any_list_is_one_query(api, user, calls, params):
    for n in range(3):
        added(api, user, f"task {n}", due_date="2026-01-07", done=n == 1)
    calls.clear()
    listing(api, user, limit=1, **params)
    assert calls.calls == ["dynamodb.Query"]

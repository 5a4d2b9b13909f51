"""History you can correct, in the browser: weights, workouts and tasks listed newest first, a
page at a time, by range (tasks by status, overdue marked), each entry edited (a version changed
elsewhere is a 412 the screen explains, with a reload) and deleted after a confirmation; your own
posts edited and deleted; the trend's period; an unknown address's not-found screen."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.browser import check_screen, expect, go

pytestmark = pytest.mark.e2e

CHANGED = "changed elsewhere since you opened it"


def _today(stack, page: Any) -> datetime:
    zone = stack.call("GET", "/me/preferences", token=page.token).body["timezone"]
    return datetime.now(ZoneInfo(zone))


def _day(today: datetime, days_ago: int) -> str:
    return (today - timedelta(days=days_ago)).date().isoformat()


def _post(stack, page: Any, path: str, body: dict[str, Any]) -> dict[str, Any]:
    created = stack.call("POST", path, body, token=page.token)
    assert created.status == 201, created.body
    return created.body


def _smaller_pages(page: Any, stack, collection: str) -> str:
    """The screen asks for 20 a page; the API is asked for 2, so "Load more" has pages to load."""
    pattern = f"{stack.api}/{collection}?*"
    page.route(pattern, lambda route: route.continue_(url=route.request.url.replace("limit=20", "limit=2")))
    return pattern


def test_weights_are_listed_paged_ranged_in_your_units_edited_and_deleted(person, stack):
    user = person()
    assert (
        stack.call(
            "PUT", "/me/preferences", {"units": "imperial", "timezone": "America/New_York"}, token=user.token
        ).status
        == 200
    )
    today = _today(stack, user)
    days = [_day(today, n) for n in (1, 2, 3, 60)]
    for day, kg in zip(days, (80, 81, 82, 85), strict=True):
        _post(stack, user, "/weights", {"measured_at": day, "weight": {"value": kg, "unit": "kg"}})

    pattern = _smaller_pages(user, stack, "weights")
    user.reload()
    go(user, "History", "History")
    expect()(user.get_by_role("heading", name="Your weights")).to_be_visible()
    entries = user.get_by_test_id("entry")
    # 90 days by default, newest first, two a page, in pounds (the preferences).
    expect()(entries).to_have_count(2)
    expect()(entries.first).to_contain_text(f"176.4 lb {days[0]}")
    user.get_by_role("button", name="Load more weights").click()
    expect()(entries).to_have_count(4)
    expect()(user.get_by_role("button", name="Load more weights")).to_have_count(0)
    user.unroute(pattern)

    # The range: 30 days leaves out the weight of 60 days ago; all brings it back.
    user.get_by_label("Range").select_option("30d")
    expect()(entries).to_have_count(3)
    user.get_by_label("Range").select_option("all")
    expect()(entries).to_have_count(4)
    check_screen(user, "history-weights")

    # Edited: the form opens on its first field and saves with the entry's version.
    user.get_by_role("button", name=f"Edit the weight of {days[0]}").click()
    form = user.get_by_role("form", name=f"Edit the weight of {days[0]}")
    expect()(form.get_by_label("Weight")).to_be_focused()
    form.get_by_label("Weight").fill("175")
    form.get_by_role("button", name="Save").click()
    expect()(entries.first).to_contain_text("175 lb")
    expect()(user.get_by_role("button", name=f"Edit the weight of {days[0]}")).to_be_focused()
    [newest] = [
        item for item in stack.call("GET", "/weights", token=user.token).body["items"] if item["measured_at"] == days[0]
    ]
    assert newest["weight"] == {"value": 175, "unit": "lb"} and newest["version"] == 2

    # Changed elsewhere (another tab, another device): the stale save is explained, not lost in
    # silence; the reload shows what is stored now, and a save after it lands.
    changed = stack.call(
        "PATCH", f"/weights/{newest['id']}", {"note": "from the phone"}, token=user.token, headers={"If-Match": "2"}
    )
    assert changed.status == 200, changed.body
    user.get_by_role("button", name=f"Edit the weight of {days[0]}").click()
    form.get_by_label("Weight").fill("174")
    form.get_by_role("button", name="Save").click()
    expect()(form.get_by_role("alert")).to_contain_text(CHANGED)
    form.get_by_role("button", name="Reload weights").click()
    expect()(entries.first).to_contain_text("from the phone")
    expect()(entries.first).to_contain_text("175 lb")
    user.get_by_role("button", name=f"Edit the weight of {days[0]}").click()
    form.get_by_label("Weight").fill("174")
    form.get_by_role("button", name="Save").click()
    expect()(entries.first).to_contain_text("174 lb")

    # Deleted after a confirmation; "Keep" keeps it.
    oldest = user.get_by_test_id("entry").filter(has_text=days[3])
    oldest.get_by_role("button", name=f"Delete the weight of {days[3]}").click()
    expect()(oldest.get_by_role("button", name=f"Keep the weight of {days[3]}")).to_be_focused()
    oldest.get_by_role("button", name=f"Keep the weight of {days[3]}").click()
    expect()(entries).to_have_count(4)
    oldest.get_by_role("button", name=f"Delete the weight of {days[3]}").click()
    expect()(oldest.get_by_role("group", name=f"Delete the weight of {days[3]}?")).to_be_visible()
    check_screen(user, "history-weights-confirm")
    oldest.get_by_role("button", name=f"Delete the weight of {days[3]}").click()
    expect()(entries).to_have_count(3)
    expect()(user.get_by_role("heading", name="Your weights")).to_be_focused()
    listed = stack.call("GET", "/weights", token=user.token).body["items"]
    assert [item["measured_at"] for item in listed] == days[:3]
    assert user.problems == []


def test_tasks_by_status_with_overdue_marked_edited_done_and_a_stale_delete_explained(person, stack):
    user = person()
    today = _today(stack, user)
    late = _post(stack, user, "/tasks", {"title": "Book the physio", "due_date": _day(today, 2)})
    _post(stack, user, "/tasks", {"title": "Stretch", "due_date": _day(today, -3)})
    finished = _post(stack, user, "/tasks", {"title": "Buy shoes"})
    done = stack.call("PATCH", f"/tasks/{finished['id']}", {"done": True}, token=user.token, headers={"If-Match": "1"})
    assert done.status == 200, done.body

    user.goto("/history/tasks")
    expect()(user.get_by_role("heading", name="Your tasks")).to_be_visible()
    entries = user.get_by_test_id("entry")
    expect()(entries).to_have_count(2)
    # Open: soonest due first, the one due two days ago marked overdue, the other not.
    expect()(entries.first).to_contain_text("Book the physio")
    expect()(entries.first.get_by_test_id("overdue")).to_be_visible()
    expect()(entries.nth(1).get_by_test_id("overdue")).to_have_count(0)
    check_screen(user, "history-tasks")
    user.get_by_label("Done").check()
    expect()(entries).to_have_count(1)
    expect()(entries.first).to_contain_text("Buy shoes")
    user.get_by_label("All").check()
    expect()(entries).to_have_count(3)

    # Marked done from its edit form: no longer overdue, and listed with the done ones.
    row = entries.filter(has_text="Book the physio")
    row.get_by_role("button", name="Edit the task “Book the physio”").click()
    form = user.get_by_role("form", name="Edit the task “Book the physio”")
    form.get_by_label("Status").select_option("done")
    form.get_by_role("button", name="Save").click()
    expect()(row.get_by_test_id("overdue")).to_have_count(0)
    user.get_by_label("Done").check()
    expect()(entries).to_have_count(2)

    # Deleting a task changed elsewhere meanwhile: the 412 is explained, with a reload.
    renamed = stack.call(
        "PATCH", f"/tasks/{finished['id']}", {"title": "Buy running shoes"}, token=user.token, headers={"If-Match": "2"}
    )
    assert renamed.status == 200, renamed.body
    row = entries.filter(has_text="Buy shoes")
    row.get_by_role("button", name="Delete the task “Buy shoes”").click()
    row.get_by_role("button", name="Delete the task “Buy shoes”").click()
    expect()(row.get_by_role("alert")).to_contain_text(CHANGED)
    row.get_by_role("button", name="Reload tasks").click()
    row = entries.filter(has_text="Buy running shoes")
    row.get_by_role("button", name="Delete the task “Buy running shoes”").click()
    row.get_by_role("button", name="Delete the task “Buy running shoes”").click()
    expect()(entries).to_have_count(1)
    assert stack.call("GET", f"/tasks/{finished['id']}", token=user.token).status == 404
    assert stack.call("GET", f"/tasks/{late['id']}", token=user.token).body["done"] is True
    assert user.problems == []


def test_workouts_and_own_posts_are_corrected_and_unknown_addresses_are_not_found(person, stack):
    user = person()
    today = _today(stack, user)
    for day, title in ((_day(today, 1), "Easy run"), (_day(today, 5), "Leg day")):
        _post(stack, user, "/workouts", {"title": title, "type": "cardio", "duration_min": 30, "started_at": day})

    go(user, "History", "History")
    user.get_by_role("navigation", name="History").get_by_role("link", name="Workouts").click()
    expect()(user.get_by_role("heading", name="Your workouts")).to_be_visible()
    main_nav = user.get_by_role("navigation", name="Main")
    expect()(main_nav.get_by_role("link", name="History")).to_have_attribute("aria-current", "page")
    entries = user.get_by_test_id("entry")
    expect()(entries).to_have_count(2)
    expect()(entries.first).to_contain_text("Easy run")
    name = f"workout “Easy run” of {_day(today, 1)}"
    user.get_by_role("button", name=f"Edit the {name}").click()
    form = user.get_by_role("form", name=f"Edit the {name}")
    form.get_by_label("Minutes").fill("45")
    form.get_by_label("Title").fill("")
    form.get_by_role("button", name="Save").click()
    expect()(form.get_by_label("Title")).to_be_focused()  # the field's own error, beside it
    form.get_by_label("Title").fill("Tempo run")
    form.get_by_role("button", name="Save").click()
    expect()(entries.first).to_contain_text("Tempo run")
    expect()(entries.first).to_contain_text("45 min")
    check_screen(user, "history-workouts")
    second = entries.filter(has_text="Leg day")
    second.get_by_role("button", name=f"Delete the workout “Leg day” of {_day(today, 5)}").click()
    second.get_by_role("button", name=f"Delete the workout “Leg day” of {_day(today, 5)}").click()
    expect()(entries).to_have_count(1)
    assert [item["title"] for item in stack.call("GET", "/workouts", token=user.token).body["items"]] == ["Tempo run"]

    # The dashboard's trend and stats over the period chosen.
    go(user, "Dashboard", "Your dashboard")
    user.get_by_label("Period of the trend and stats").select_option("90d")
    expect()(user.get_by_text("in the last 90 days")).to_be_visible()
    user.get_by_role("link", name="All your tasks, done ones too").click()
    expect()(user.get_by_role("heading", name="Your tasks")).to_be_visible()

    # Your own post: edited (a stale version explained), then deleted after a confirmation.
    go(user, "Feed", "Feed")
    user.get_by_label("Post", exact=True).fill("First try")
    user.get_by_role("button", name="Post", exact=True).click()
    post = user.get_by_test_id("post").filter(has_text="First try")
    post.get_by_role("button", name="Edit your post").click()
    post.get_by_role("textbox", name="Your post").fill("First try, edited")
    post.get_by_role("button", name="Save post").click()
    expect()(post.locator(".post-text")).to_have_text("First try, edited")
    [mine] = stack.call("GET", "/feed", token=user.token).body["items"]
    assert mine["text"] == "First try, edited"
    assert stack.call("PATCH", f"/posts/{mine['id']}", {"text": "From the phone"}, token=user.token).status == 200
    post = user.get_by_test_id("post").first
    post.get_by_role("button", name="Edit your post").click()
    post.get_by_role("textbox", name="Your post").fill("Too late")
    post.get_by_role("button", name="Save post").click()
    expect()(post.get_by_role("alert")).to_contain_text(CHANGED)
    post.get_by_role("button", name="Reload the feed").click()
    expect()(post.locator(".post-text")).to_have_text("From the phone")
    check_screen(user, "feed-own-post")
    post.get_by_role("button", name="Delete your post").click()
    post.get_by_role("button", name="Delete post").click()
    expect()(user.get_by_test_id("post")).to_have_count(0)
    assert stack.call("GET", "/feed", token=user.token).body["items"] == []

    # An address no screen answers says so, and leads back.
    user.goto("/no-such-page")
    expect()(user.get_by_role("heading", name="Page not found")).to_be_visible()
    expect()(user.get_by_role("heading", name="Your dashboard")).to_have_count(0)
    check_screen(user, "not-found")
    user.get_by_role("link", name="Go to your dashboard").click()
    expect()(user.get_by_role("heading", name="Your dashboard")).to_be_visible()
    assert user.problems == []

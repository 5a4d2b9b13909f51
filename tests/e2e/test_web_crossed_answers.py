"""Answers that cross: a list read before the user's own change can answer after it, and a button
clicked twice sends its request once. The screen shows the change once and never loses it. Each
test holds one answer back with a route, so the order is the one it names, not the machine's."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.e2e.browser import expect, go

pytestmark = pytest.mark.e2e


def _until(page: Any, condition: Callable[[], bool], what: str) -> None:
    """Lets the page's events (and so the route handlers) run until `condition` holds."""
    deadline = time.monotonic() + 20
    while not condition():
        assert time.monotonic() < deadline, f"after 20 s, still waiting for {what}"
        page.wait_for_timeout(50)


class FirstReadHeld:
    """A route handler: the first GET it sees is sent now and answered only on `answer()` (a stale
    answer, arriving late); other requests go through. `reads` counts the GETs."""

    def __init__(self) -> None:
        self.reads = 0
        self._held: list[tuple[Any, Any]] = []

    def __call__(self, route: Any) -> None:
        if route.request.method == "GET":
            self.reads += 1
            if self.reads == 1:
                self._held.append((route, route.fetch()))
                return
        route.continue_()

    def answer(self, page: Any = None) -> None:
        """Sends the held answer; given the page, returns once the page has it and has drawn the
        frames after it (events, not a guess at how long that takes on a busy machine)."""
        route, response = self._held.pop()
        if page is None:
            route.fulfill(response=response)
            return
        with page.expect_event("requestfinished", predicate=lambda request: request == route.request):
            route.fulfill(response=response)
        _after_two_frames(page)


def _after_two_frames(page: Any) -> None:
    """Once the page has drawn twice more: what its last answers changed is on the screen."""
    page.evaluate("() => new Promise((drawn) => requestAnimationFrame(() => requestAnimationFrame(drawn)))")


def _comments(route: Any) -> bool:
    return "/comments" in route


def test_a_comment_is_shown_once_when_the_list_is_read_after_it_is_saved(person, stack):
    """The list's answer arrives first and already holds the comment; the comment's own answer
    comes after it. Shown twice, the comment could not be deleted by its label."""
    me = person()
    assert stack.call("POST", "/posts", {"text": "Hill repeats"}, token=me.token).status == 201
    go(me, "Feed", "Feed")
    post = me.get_by_test_id("post").filter(has_text="Hill repeats")
    reads, saves = [], []

    def hold(route: Any) -> None:
        if route.request.method == "GET":
            reads.append(route)  # not yet sent: the API reads the list after saving the comment
        else:
            saves.append((route, route.fetch()))

    me.route(_comments, hold)
    post.get_by_role("button", name="0 comments").click()
    post.get_by_label("Comment", exact=True).fill("Negative split")
    post.get_by_role("button", name="Comment", exact=True).click()
    _until(me, lambda: bool(reads and saves), "the list's read and the comment's save")
    reads[0].continue_()
    expect()(post.get_by_test_id("comment")).to_have_count(1)
    saves[0][0].fulfill(response=saves[0][1])
    expect()(post.get_by_label("Comment", exact=True)).to_have_value("")  # the save's answer is in
    expect()(post.get_by_test_id("comment")).to_have_count(1)
    me.unroute(_comments)
    assert me.problems == []


def test_a_comment_is_kept_when_the_list_read_before_it_answers_after_it(person, stack):
    """The list is read before the comment is saved, and its answer arrives after the comment's:
    that answer lacks the comment, so the list is read again rather than shown without it."""
    me = person()
    assert stack.call("POST", "/posts", {"text": "Tempo run"}, token=me.token).status == 201
    go(me, "Feed", "Feed")
    post = me.get_by_test_id("post").filter(has_text="Tempo run")
    held = FirstReadHeld()
    me.route(_comments, held)
    post.get_by_role("button", name="0 comments").click()
    _until(me, lambda: held.reads == 1, "the list's first read")
    post.get_by_label("Comment", exact=True).fill("Negative split")
    post.get_by_role("button", name="Comment", exact=True).click()
    expect()(post.get_by_label("Comment", exact=True)).to_have_value("")
    held.answer()
    _until(me, lambda: held.reads == 2, "the list to be read again after the stale answer")
    expect()(post.get_by_test_id("comment")).to_have_count(1)
    expect()(post.get_by_test_id("comment")).to_contain_text("Negative split")
    me.unroute(_comments)
    assert me.problems == []


def test_a_post_sent_while_the_feed_loads_stays_on_it(person, stack):
    """The feed's first page is read before the post is saved and answers after it: the post stays."""
    me = person()
    assert stack.call("POST", "/posts", {"text": "Older news"}, token=me.token).status == 201
    held = FirstReadHeld()

    def feed(url: str) -> bool:
        return url.startswith(f"{stack.api}/feed?")

    me.route(feed, held)
    go(me, "Feed", "Feed")
    _until(me, lambda: held.reads == 1, "the feed's first read")
    compose = me.get_by_role("region", name="Share something")
    compose.get_by_label("Post", exact=True).fill("Early bird")
    compose.get_by_role("button", name="Post", exact=True).click()
    expect()(compose.get_by_label("Post", exact=True)).to_have_value("")
    held.answer()
    expect()(me.get_by_test_id("post").filter(has_text="Older news")).to_be_visible()  # the stale page is in
    expect()(me.get_by_test_id("post")).to_have_count(2)
    expect()(me.get_by_test_id("post").first).to_contain_text("Early bird")
    me.unroute(feed)
    assert me.problems == []


def test_the_dashboard_shows_a_weight_logged_while_it_loads(person, stack):
    """Its first read answers after the weight is saved and the read that followed it: the later
    read's figures stay."""
    me = person()
    today = datetime.now(UTC).date().isoformat()  # a new account's zone is UTC
    weight = {"measured_at": f"{today}T07:00:00Z", "weight": {"value": 80, "unit": "kg"}}
    assert stack.call("POST", "/weights", weight, token=me.token).status == 201
    held = FirstReadHeld()

    def summary(url: str) -> bool:
        return url.startswith(f"{stack.api}/stats/summary")

    go(me, "Feed", "Feed")  # away from the dashboard, to come back to it with the route in place
    me.route(summary, held)
    go(me, "Dashboard", "Your dashboard")
    _until(me, lambda: held.reads == 1, "the dashboard's first read")
    form = me.get_by_role("form", name="Log weight")
    form.get_by_label("Weight", exact=True).fill("79")
    form.get_by_label("Date").fill(today)
    form.get_by_role("button", name="Log weight").click()
    figures = me.get_by_role("region", name="Weight trend")
    expect()(figures).to_contain_text("2 entries")
    held.answer(me)  # the stale answer is in, and the screen drawn after it
    expect()(figures).to_contain_text("2 entries")
    me.unroute(summary)
    assert me.problems == []


def test_load_more_clicked_twice_adds_the_next_page_once(person, stack):
    me = person()
    for number in range(21):  # the feed asks for 20 a page
        assert stack.call("POST", "/posts", {"text": f"Run {number}"}, token=me.token).status == 201
    go(me, "Feed", "Feed")
    expect()(me.get_by_test_id("post")).to_have_count(20)
    next_pages, finished = [], []
    asks_next_page = lambda request: "/feed?" in request.url and "cursor=" in request.url  # noqa: E731
    me.on("request", lambda request: asks_next_page(request) and next_pages.append(request))
    me.on("requestfinished", lambda request: request in next_pages and finished.append(request))
    me.get_by_role("button", name="Load more posts").dblclick()  # both clicks are in when it returns
    expect()(me.get_by_test_id("post").filter(has_text="Run 0")).to_be_visible()
    _until(me, lambda: len(finished) == len(next_pages), "every request for the next page to be answered")
    _after_two_frames(me)
    assert len(next_pages) == 1
    expect()(me.get_by_test_id("post")).to_have_count(21)
    assert me.problems == []  # React names a duplicate key here

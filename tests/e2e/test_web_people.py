"""People and time right from the start, in the browser: a sign-up in New York lives in New York's
zone (the form prefills New York's today, not UTC's), people are named on posts, comments, likes
and the member list, and one's own posts stay in one's feed after founding a business."""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.browser import DESKTOP, TIMEOUT_MS, check_screen, expect, go, sign_in
from tests.e2e.test_journey import PASSWORD
from tests.e2e.test_web_feed_media import _same_business

pytestmark = pytest.mark.e2e


def _bearer(stack, email):
    return stack.call("POST", "/auth/login", {"email": email, "password": PASSWORD}).body["id_token"]


def _renamed(stack, person, name):
    assert stack.call("PATCH", "/me/profile", {"display_name": name}, token=person.token).status == 200


def test_a_sign_up_in_new_york_lives_in_new_yorks_zone(browser, stack):
    context = browser.new_context(viewport=DESKTOP, base_url=stack.web, timezone_id="America/New_York")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        email = f"web-{uuid.uuid4().hex[:10]}@example.com"
        page.goto("/signup")
        page.get_by_label("Name").fill("Nia York")
        page.get_by_label("E-mail").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign up").click()
        expect()(page.get_by_role("heading", name="Confirm your e-mail")).to_be_visible()
        assert stack.call("POST", "/auth/confirm", {"email": email, "code": "123456"}).status == 200

        preferences = stack.call("GET", "/me/preferences", token=_bearer(stack, email)).body
        assert preferences["timezone"] == "America/New_York"

        sign_in(page, email)
        today = datetime.now(ZoneInfo("America/New_York")).date().isoformat()
        weight = page.get_by_role("region", name="Log weight")
        expect()(weight.get_by_label("Date")).to_have_value(today)
    finally:
        context.close()


def test_people_are_named_on_posts_comments_likes_and_members(person, stack):
    author, friend = person(), person()
    _renamed(stack, author, "Ada Lovelace")
    _renamed(stack, friend, "Bo Diddley")
    _same_business(stack, author, friend)

    go(author, "Feed", "Feed")
    compose = author.get_by_role("region", name="Share something")
    compose.get_by_label("Post", exact=True).fill("Track session at 6")
    compose.get_by_role("button", name="Post", exact=True).click()
    mine = author.get_by_test_id("post").filter(has_text="Track session at 6")
    expect()(mine.get_by_test_id("post-author")).to_have_text("You")

    go(friend, "Feed", "Feed")
    theirs = friend.get_by_test_id("post").filter(has_text="Track session at 6")
    expect()(theirs.get_by_test_id("post-author")).to_have_text("Ada Lovelace")
    theirs.get_by_role("button", name="Like this post").click()
    expect()(theirs.get_by_test_id("like-count")).to_have_text("1")
    theirs.get_by_role("button", name="0 comments").click()
    theirs.get_by_label("Comment", exact=True).fill("See you there")
    theirs.get_by_role("button", name="Comment", exact=True).click()
    expect()(theirs.get_by_test_id("comment-author")).to_have_text("You")

    author.reload()
    mine.get_by_role("button", name="1 comment").click()
    expect()(mine.get_by_test_id("comment-author")).to_have_text("Bo Diddley")
    mine.get_by_role("button", name="Who liked this").click()
    expect()(mine.get_by_test_id("liker")).to_have_text(["Bo Diddley"])
    check_screen(author, "feed-names")

    go(author, "Business", "Business")
    names = author.get_by_test_id("member-name")
    expect()(names).to_have_count(2)
    assert sorted(names.all_inner_texts()) == ["Ada Lovelace", "Bo Diddley"]
    check_screen(author, "business-member-names")
    assert author.problems == [] and friend.problems == []


def test_a_founders_own_post_stays_in_their_feed(person, stack):
    founder = person()
    go(founder, "Feed", "Feed")
    compose = founder.get_by_role("region", name="Share something")
    compose.get_by_label("Post", exact=True).fill("Before the gym")
    compose.get_by_role("button", name="Post", exact=True).click()
    expect()(founder.get_by_test_id("post")).to_have_count(1)

    assert stack.call("POST", "/businesses", {"name": "Founders Gym"}, token=founder.token).status == 201
    founder.reload()  # new tokens, with the business in them
    post = founder.get_by_test_id("post").filter(has_text="Before the gym")
    expect()(post).to_be_visible()
    expect()(post).to_contain_text("from your personal space, seen by you only")
    expect()(post.get_by_role("button", name="Like this post")).to_have_count(0)
    check_screen(founder, "feed-personal-post")
    assert founder.problems == []


def test_the_first_tab_of_a_loaded_page_reaches_the_skip_link_then_the_navigation(person):
    page = person()
    page.goto("/feed")  # a deep link, loaded whole
    expect()(page.get_by_role("heading", name="Feed", exact=True)).to_be_visible()
    page.keyboard.press("Tab")
    expect()(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Tab")
    expect()(page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard")).to_be_focused()
    # Moving within the app still starts the next screen at its top.
    page.keyboard.press("Enter")
    expect()(page.get_by_role("heading", name="Your dashboard")).to_be_visible()
    expect()(page.locator("#main")).to_be_focused()
    assert page.problems == []


def test_the_videos_link_clears_a_tag_filter_and_back_restores_it(person):
    page = person()
    go(page, "Videos", "Videos")
    filters = page.get_by_role("search", name="Filter by tag")
    filters.get_by_label("Tag").fill("squat")
    filters.get_by_label("Tag").press("Enter")
    expect()(page.get_by_role("heading", name="Videos tagged squat")).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Videos").click()
    expect()(page.get_by_role("heading", name="Library")).to_be_visible()
    expect()(filters.get_by_label("Tag")).to_have_value("")
    assert page.url.endswith("/videos")
    page.go_back()
    expect()(page.get_by_role("heading", name="Videos tagged squat")).to_be_visible()
    assert page.problems == []

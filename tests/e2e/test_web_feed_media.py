"""Images and comments in the feed, with two people of one business: the author attaches images
(checked here as the API checks them, uploaded with progress, refused by the API with a 422
when the stored file is not what it claims), the other comments and edits a comment; each
deletes what they may."""

from __future__ import annotations

import re
import struct
import zlib
from typing import Any

import pytest

from tests.e2e.browser import check_screen, expect, go, wait_until
from tests.e2e.staff import enrol_staff

pytestmark = pytest.mark.e2e


def _png(red: int, green: int, blue: int, size: int = 24) -> bytes:
    """A real PNG of one colour (the browser draws it; the API checks its first bytes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes([red, green, blue]) * size for _ in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def _file(name: str, content: bytes, mime: str = "image/png") -> dict[str, Any]:
    return {"name": name, "mimeType": mime, "buffer": content}


def _same_business(stack, author: Any, other: Any) -> None:
    assert stack.call("POST", "/businesses", {"name": "Run club"}, token=author.token).status == 201
    enrol_staff(stack, author.access_token, author.token)  # the admin's invitations need it
    admin = stack.call("POST", "/auth/refresh", {"refresh_token": author.refresh_token}).body["id_token"]
    business = stack.call("GET", "/me", token=admin).body["tenant_id"]
    asked = {"email": other.email, "role": "member"}
    invite = stack.call("POST", f"/businesses/{business}/invites", asked, token=admin)
    assert stack.call("POST", f"/invites/{invite.body['code']}/accept", token=other.token).status == 200
    for page in (author, other):
        page.reload()  # new tokens, with the business in them


def test_a_post_with_images_and_comments_each_person_deletes_what_they_may(person, stack):
    author, friend = person(), person()
    _same_business(stack, author, friend)
    go(author, "Feed", "Feed")

    compose = author.get_by_role("region", name="Share something")
    images = compose.get_by_label("Images (optional, up to 4)")
    images.set_input_files([_file("sunrise.png", _png(250, 180, 40)), _file("notes.png", b"plain text, not a PNG")])
    expect()(compose.get_by_test_id("picked")).to_have_count(2)
    compose.get_by_label("Post", exact=True).fill("Sunrise 10k")
    compose.get_by_role("button", name="Post", exact=True).click()
    expect()(compose.locator("[data-error-for=images]")).to_have_text(
        "notes.png does not look like a JPEG, PNG or WebP image inside. Choose another file."
    )
    # Said once, beside the field; the file's own line only marks it.
    expect()(compose.get_by_text("does not look like a JPEG, PNG or WebP image")).to_have_count(1)
    expect()(compose.get_by_test_id("picked").filter(has_text="notes.png")).to_contain_text("Not accepted")
    compose.get_by_role("button", name="Remove notes.png").click()
    images.set_input_files([_file("trail.png", _png(40, 140, 90))])

    # The bucket stores something else than a PNG: the API's check refuses it (422), and says so.
    def tampered(route: Any) -> None:
        body = route.request.post_data_buffer.replace(b"\x89PNG\r\n\x1a\n", b"NOT-PNG!", 1)
        route.continue_(post_data=body)

    author.route(f"{stack.aws}/**", tampered)
    compose.get_by_role("button", name="Post", exact=True).click()
    expect()(compose.get_by_role("alert")).to_contain_text("sunrise.png:")
    refused = compose.get_by_role("alert").inner_text()
    author.unroute(f"{stack.aws}/**")
    assert "sunrise.png: " in refused and len(refused) > len("sunrise.png: ") + 10, refused

    compose.get_by_role("button", name="Post", exact=True).click()
    post = author.get_by_test_id("post").filter(has_text="Sunrise 10k")
    expect()(post.get_by_test_id("post-image")).to_have_count(2)
    wait_until(
        author,
        "[...document.querySelectorAll('[data-testid=post-image]')].every(i => i.complete && i.naturalWidth === 24)",
    )
    expect()(compose.get_by_test_id("picked")).to_have_count(0)
    check_screen(author, "feed-images")

    # The friend comments twice and takes one back; they cannot delete the author's comment.
    go(friend, "Feed", "Feed")
    theirs = friend.get_by_test_id("post").filter(has_text="Sunrise 10k")
    expect()(theirs.get_by_test_id("post-image")).to_have_count(2)
    theirs.get_by_role("button", name="0 comments").click()
    for text in ("Great pace!", "Typo, ignore"):
        theirs.get_by_label("Comment", exact=True).fill(text)
        theirs.get_by_role("button", name="Comment", exact=True).click()
        expect()(theirs.get_by_test_id("comment").filter(has_text=text)).to_be_visible()
    theirs.get_by_role("button", name="Delete the comment “Typo, ignore”").click()
    expect()(theirs.get_by_test_id("comment")).to_have_count(1)
    expect()(theirs.get_by_role("button", name="1 comment")).to_be_visible()
    check_screen(friend, "feed-comments")

    # The friend rewords their comment in place (If-Match its version); it shows as edited.
    theirs.get_by_role("button", name="Edit the comment “Great pace!”").click()
    editing = theirs.get_by_role("form", name="Edit your comment")
    expect()(editing.get_by_label("Your comment")).to_be_focused()
    expect()(editing.get_by_label("Your comment")).to_have_value("Great pace!")
    editing.get_by_label("Your comment").fill("Great pace, well done!")
    check_screen(friend, "feed-comment-edit")
    editing.get_by_role("button", name="Save comment").click()
    edited = theirs.get_by_test_id("comment").filter(has_text="Great pace, well done!")
    expect()(edited.get_by_test_id("comment-edited")).to_have_text("(edited)")
    expect()(edited.get_by_role("button", name="Edit the comment “Great pace, well done!”")).to_be_focused()
    expect()(theirs.get_by_role("form", name="Edit your comment")).to_have_count(0)

    # Edited meanwhile from another device: the stale Save (412) is explained, Reload shows it.
    edited.get_by_role("button", name="Edit the comment “Great pace, well done!”").click()
    editing.get_by_label("Your comment").fill("Lost words")
    token = stack.call("POST", "/auth/refresh", {"refresh_token": friend.refresh_token}).body["id_token"]
    [listed] = [item for item in stack.call("GET", "/feed", token=token).body["items"] if item["text"] == "Sunrise 10k"]
    [elsewhere] = stack.call("GET", f"/posts/{listed['id']}/comments", token=token).body["items"]
    changed = stack.call(
        "PATCH", f"/comments/{elsewhere['id']}", {"text": "Great pace!!"}, token=token, headers={"If-Match": "2"}
    )
    assert changed.status == 200, changed.body
    editing.get_by_role("button", name="Save comment").click()
    expect()(editing.get_by_role("alert")).to_contain_text("changed elsewhere since you opened it")
    editing.get_by_role("button", name="Reload the comments").click()
    expect()(theirs.get_by_role("form", name="Edit your comment")).to_have_count(0)
    expect()(theirs.get_by_test_id("comment").filter(has_text="Great pace!!")).to_be_visible()

    # The author sees it edited (theirs to delete, not to reword), answers, and deletes it.
    author.reload()
    post.get_by_role("button", name="1 comment").click()
    shown = post.get_by_test_id("comment").filter(has_text="Great pace!!")
    expect()(shown.get_by_test_id("comment-edited")).to_be_visible()
    expect()(shown.get_by_role("button", name=re.compile("^Edit"))).to_have_count(0)
    post.get_by_label("Comment", exact=True).fill("Thanks!")
    post.get_by_role("button", name="Comment", exact=True).click()
    post.get_by_role("button", name="Delete the comment “Great pace!!”").click()
    # Both saved before the friend reloads: the deletion, then the answer, then nothing else.
    expect()(post.get_by_test_id("comment").filter(has_text="Great pace")).to_have_count(0)
    expect()(post.get_by_test_id("comment").filter(has_text="Thanks!")).to_be_visible()
    expect()(post.get_by_label("Comment", exact=True)).to_have_value("")
    expect()(post.get_by_test_id("comment")).to_have_count(1)
    friend.reload()
    theirs.get_by_role("button", name="1 comment").click()
    expect()(theirs.get_by_test_id("comment")).to_have_text("E2E Thanks!")  # the display name of _new_user
    expect()(theirs.get_by_role("button", name="Delete the comment “Thanks!”")).to_have_count(0)
    assert author.problems == [] and friend.problems == []

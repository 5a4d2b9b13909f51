"""The video library in the browser: a coach uploads an MP4 (pre-signed POST to the local
bucket, then complete) and adds it, members filter by tag and play it from its signed stream
link, progress is reported forward only and resumed, a program made before the video links to it
once it is tagged with an exercise's slug (and no more once it is deleted)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.browser import check_screen, expect, go, submit_baseline, wait_until
from tests.e2e.staff import enrol_staff

pytestmark = pytest.mark.e2e

# 4 s of ffmpeg's test pattern, H.264 baseline, 160x90 (made with
# `ffmpeg -f lavfi -i testsrc=size=160x90:rate=10:duration=4 -c:v libx264 -profile:v baseline
#  -pix_fmt yuv420p -crf 40 -movflags +faststart -an clip.mp4`).
CLIP = Path(__file__).parent / "fixtures" / "clip.mp4"
VIDEO = "document.querySelector('video')"


def test_a_coach_adds_a_video_that_plays_from_its_signed_link_and_resumes_where_it_was_left(person, stack):
    coach = person()
    assert stack.call("POST", "/businesses", {"name": "Studio"}, token=coach.token).status == 201
    enrol_staff(stack, coach.access_token, coach.token)  # adding a video is a staff right
    token = stack.call("POST", "/auth/refresh", {"refresh_token": coach.refresh_token}).body["id_token"]
    coach.reload()
    go(coach, "Videos", "Videos")
    expect()(coach.get_by_test_id("no-videos")).to_be_visible()

    form = coach.get_by_role("form", name="Add a video")
    form.get_by_label("MP4 file").set_input_files(
        {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"not a video"}
    )
    expect()(form.locator("[data-error-for=file]")).to_contain_text("is not an MP4 video")
    form.get_by_label("MP4 file").set_input_files(str(CLIP))
    expect()(form.get_by_label("Length (seconds)")).to_have_value("4")  # read from the file's header
    form.get_by_label("Title", exact=True).fill("Goblet squat")
    form.get_by_label("Tags").fill("Legs, squat")
    form.get_by_role("button", name="Upload and add").click()
    expect()(coach.get_by_text("“Goblet squat” is in the library.")).to_be_visible()
    [video] = stack.call("GET", "/videos", token=token).body["items"]
    assert video["tags"] == ["legs", "squat"] and video["duration_s"] == 4
    assert video["size_bytes"] == CLIP.stat().st_size

    search = coach.get_by_role("search", name="Filter by tag")
    search.get_by_role("textbox").fill("yoga")
    search.get_by_role("button", name="Filter").click()
    expect()(coach.get_by_test_id("no-videos")).to_have_text("No video is tagged yoga.")
    coach.get_by_role("button", name="Show all").click()
    coach.get_by_role("button", name="#legs").click()
    expect()(coach.get_by_role("heading", name="Videos tagged legs")).to_be_visible()
    expect()(coach.get_by_test_id("video")).to_have_count(1)
    check_screen(coach, "videos")

    # Played from the bucket's signed link: the local bucket serves the uploaded file.
    coach.get_by_role("link", name="Play Goblet squat").click()
    player = coach.get_by_test_id("player")
    assert player.get_attribute("src").startswith(stack.aws)
    wait_until(coach, f"{VIDEO}.readyState >= 1")
    assert coach.evaluate(f"{VIDEO}.duration") == pytest.approx(4, abs=0.5)
    coach.evaluate(f"(v => {{ v.currentTime = 3; }})({VIDEO})")
    wait_until(coach, f"{VIDEO}.currentTime >= 3")
    coach.evaluate(f"{VIDEO}.dispatchEvent(new Event('pause'))")
    expect()(coach.get_by_test_id("resume")).to_have_text("Progress saved at 0:03.")
    # Back to 1 s: nothing is reported (the API keeps the furthest position).
    coach.evaluate(f"(v => {{ v.currentTime = 1; v.dispatchEvent(new Event('pause')); }})({VIDEO})")
    assert stack.call("GET", f"/videos/{video['id']}/progress", token=token).body["position_s"] == 3
    check_screen(coach, "video-player")

    coach.reload()
    expect()(coach.get_by_test_id("resume")).to_have_text("Resuming where you left off, at 0:03.")
    wait_until(coach, f"{VIDEO}.currentTime >= 3")

    # The bucket refuses the file (an expired link, say): a fresh link is asked for once, then
    # the page says what happened and what to do.
    streams: list[str] = []
    coach.on("request", lambda request: "/stream" in request.url and streams.append(request.url))
    coach.route(f"{stack.aws}/**", lambda route: route.fulfill(status=403, body="Request has expired"))
    coach.reload()
    expect()(coach.get_by_role("alert")).to_contain_text("This video cannot be played here")
    assert len(streams) == 2, streams
    coach.unroute(f"{stack.aws}/**")

    # Tagged with an exercise's slug later, the video is linked from the program made before it
    # (links are made when a program is read): no new assessment needed.
    program = submit_baseline(stack, token)["program"]
    exercise = program["weeks"][0]["sessions"][0]["exercises"][0]
    assert exercise["video_id"] is None
    manage = coach.get_by_role("form", name="Edit or delete")
    manage.get_by_label("Tags").fill(f"legs, squat, {exercise['slug']}")
    manage.get_by_role("button", name="Save changes").click()
    expect()(coach.get_by_role("link", name=f"#{exercise['slug']}")).to_be_visible()
    linked = stack.call("GET", f"/programs/{program['id']}", token=token).body
    assert linked["weeks"][0]["sessions"][0]["exercises"][0]["video_id"] == video["id"]
    go(coach, "Programs", "Programs")
    coach.get_by_role("link", name=f"Play the video of {exercise['name']}").first.click()
    expect()(coach.get_by_role("heading", name="Goblet squat")).to_be_visible()

    coach.get_by_role("button", name="Delete video").click()
    coach.get_by_role("button", name="Yes, delete the video").click()
    expect()(coach.get_by_test_id("no-videos")).to_be_visible()
    unlinked = stack.call("GET", f"/programs/{program['id']}", token=token).body
    assert unlinked["weeks"][0]["sessions"][0]["exercises"][0]["video_id"] is None  # gone: no link
    go(coach, "Programs", "Programs")
    expect()(coach.get_by_role("link", name=f"Play the video of {exercise['name']}")).to_have_count(0)
    assert coach.problems == []

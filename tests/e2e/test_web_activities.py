"""Activity files in the browser (issue 28): a GPX run dropped on the dashboard becomes a workout;
its screen shows the figures in the person's units (pace for a run), the splits, the route as an
SVG line and the elevation profile; the same file again is "already uploaded"; a file that is not
GPX inside, and one the API refuses, are explained beside the control; the personal records
appear on the dashboard; the workouts history links to the workout."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.browser import check_screen, expect, go

pytestmark = pytest.mark.e2e

# A lap of a park, anticlockwise from its southern edge: 5.2 km around a circle at 5:00 a km
# (3 1/3 m/s), a point every 10 s, climbing 30 m to the far side and coming back down, with heart
# rate. Metres to degrees at 45° N on WGS84 (the meridian's and the parallel's radii there).
START = datetime(2026, 11, 29, 7, 0, tzinfo=UTC)
METRES = 5200.0
SPEED = 1000 / 300
STEP_S = 10
RADIUS = METRES / (2 * math.pi)
METRES_PER_DEGREE_LAT = 111_132.95
METRES_PER_DEGREE_LON = 78_846.8


def _run_gpx(name: str = "Sunday long run") -> bytes:
    points = []
    count = int(METRES / SPEED / STEP_S) + 1
    for index in range(count):
        metres = min(METRES, index * SPEED * STEP_S)
        angle = 2 * math.pi * metres / METRES
        east, north = RADIUS * math.sin(angle), RADIUS * (1 - math.cos(angle))
        lat = 45 + north / METRES_PER_DEGREE_LAT
        lon = 7.5 + east / METRES_PER_DEGREE_LON
        ele = 100 + 30 * math.sin(angle / 2)
        time = (START + timedelta(seconds=index * STEP_S)).strftime("%Y-%m-%dT%H:%M:%SZ")
        points.append(
            f'<trkpt lat="{lat:.7f}" lon="{lon:.7f}"><ele>{ele:.1f}</ele><time>{time}</time>'
            f"<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{140 + index % 20}</gpxtpx:hr>"
            "</gpxtpx:TrackPointExtension></extensions></trkpt>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="Stride e2e" xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        f"<trk><name>{name}</name><type>running</type><trkseg>{''.join(points)}</trkseg></trk></gpx>"
    ).encode()


def _file(name: str, content: bytes) -> dict[str, Any]:
    # Browsers give GPX files no type, or a wrong one: the page goes by the extension.
    return {"name": name, "mimeType": "application/octet-stream", "buffer": content}


def _drop(page: Any, name: str, content: bytes) -> None:
    """Drops a file on the upload's zone, as a person dragging it from their files would."""
    transfer = page.evaluate_handle(
        "([name, text]) => { const data = new DataTransfer(); data.items.add(new File([text], name)); return data; }",
        [name, content.decode()],
    )
    page.get_by_test_id("drop-zone").dispatch_event("drop", {"dataTransfer": transfer})


def _number(text: str) -> float:
    return float(re.sub(r"[^0-9.]", "", text.split()[0]))


def test_a_dropped_gpx_run_shows_its_figures_splits_route_profile_and_records(person, stack):
    runner = person()
    gpx = _run_gpx()
    upload = runner.get_by_role("region", name="Upload an activity")
    records = runner.get_by_role("region", name="Personal records")
    expect()(records.get_by_test_id("records-empty")).to_be_visible()

    # Not a GPX file inside: refused here, before anything is sent.
    upload.get_by_label("Activity file").set_input_files(_file("notes.gpx", b"lat,lon\n45,7.5\n"))
    expect()(upload.get_by_test_id("upload-error")).to_have_text(
        "notes.gpx does not look like a GPX file inside. Choose another file."
    )
    # GPX, but with no track points: the API refuses it, and says why beside the control.
    empty = b'<?xml version="1.0"?><gpx version="1.1" creator="x" xmlns="http://www.topografix.com/GPX/1/1"></gpx>'
    upload.get_by_label("Activity file").set_input_files(_file("empty.gpx", empty))
    expect()(upload.get_by_test_id("upload-error")).to_contain_text("point")
    assert stack.call("GET", "/workouts", token=runner.token).body["items"] == []

    # Dropped on the zone: saved, with a link to the new workout.
    _drop(runner, "sunday.gpx", gpx)
    expect()(upload.get_by_test_id("upload-done")).to_contain_text("sunday.gpx is saved.")
    [stored] = stack.call("GET", "/workouts", token=runner.token).body["items"]
    assert abs(stored["distance_m"] - METRES) / METRES < 0.005, stored["distance_m"]
    check_screen(runner, "activity-uploaded")

    # The same file again, from the picker: the same workout, said so.
    upload.get_by_label("Activity file").set_input_files(_file("sunday-again.gpx", gpx))
    expect()(upload.get_by_test_id("upload-done")).to_contain_text("sunday-again.gpx was already uploaded.")
    assert len(stack.call("GET", "/workouts", token=runner.token).body["items"]) == 1

    # The records: the fastest 1 km and 5 km, the longest distance and the biggest climb.
    expect()(records.get_by_test_id("record-5k")).to_be_visible()
    expect()(records.get_by_test_id("record-5k")).to_contain_text(re.compile(r"Fastest 5 km\s*2[45]:\d\d"))
    expect()(records.get_by_test_id("record-longest_distance")).to_contain_text("5.2")
    expect()(records.get_by_test_id("record-biggest_climb")).to_contain_text(" m")
    check_screen(runner, "dashboard-records")

    # The workout's screen: figures in km, pace for a run, splits per km, the route and profile.
    upload.get_by_role("link", name="See the workout").click()
    expect()(runner.get_by_role("heading", name="Sunday long run", level=1)).to_be_visible()
    figures = runner.get_by_test_id("figures")
    expect()(figures.get_by_test_id("distance")).to_have_text(f"{stored['distance_m'] / 1000:.2f} km")
    expect()(figures.get_by_test_id("pace")).to_have_text(re.compile(r"^(4:59|5:00|5:01) /km$"))
    expect()(figures.get_by_test_id("avg-heart-rate")).to_contain_text("bpm")
    assert 25 <= _number(figures.get_by_test_id("elevation-gain").inner_text()) <= 32
    splits = runner.get_by_test_id("splits")
    expect()(splits.get_by_role("columnheader", name="km")).to_be_visible()
    expect()(splits.locator("tbody tr")).to_have_count(len(stored["splits"]))
    assert len(stored["splits"]) in (5, 6)
    expect()(splits.locator("tbody tr").first).to_contain_text("1.00 km")
    route = runner.get_by_role("img", name="The route of “Sunday long run”")
    expect()(route).to_be_visible()
    # A lap: a round line (as wide as it is tall: one scale both ways) that ends where it began.
    drawn = [
        tuple(map(float, pair.split(",")))
        for pair in (runner.get_by_test_id("route-line").get_attribute("points") or "").split()
    ]
    assert len(drawn) >= 12, drawn
    xs, ys = [x for x, _ in drawn], [y for _, y in drawn]
    assert abs((max(xs) - min(xs)) - (max(ys) - min(ys))) < 0.03 * (max(ys) - min(ys)), drawn
    assert math.dist(drawn[0], drawn[-1]) < 0.03 * (max(ys) - min(ys)), drawn
    assert ys[0] == max(ys)  # it starts on the southern edge: the bottom, north up
    profile = runner.get_by_role("img", name="Elevation profile")
    expect()(profile).to_be_visible()
    expect()(profile).to_have_accessible_description(re.compile(r"from 100 m to 1[23]\d m"))
    check_screen(runner, "workout-detail")

    # The full-resolution track leaves as GPX: every point of the file, not the simplified line.
    runner.get_by_role("button", name="Prepare the GPX file").click()
    with runner.expect_download() as download:
        runner.get_by_role("link", name="Save the GPX file").click()
    saved = Path(download.value.path()).read_bytes()
    assert saved.startswith(b"<?xml") and saved.count(b"<trkpt ") == gpx.count(b"<trkpt "), saved[:200]
    assert download.value.suggested_filename.endswith(".gpx")

    # In miles for a person who prefers them.
    assert stack.call("PUT", "/me/preferences", {"units": "imperial"}, token=runner.token).status == 200
    runner.reload()
    expect()(figures.get_by_test_id("distance")).to_have_text(f"{stored['distance_m'] / 1609.344:.2f} mi")
    expect()(figures.get_by_test_id("pace")).to_contain_text("/mi")
    # The splits were cut by the kilometre when the file came in: still named so.
    expect()(splits.get_by_role("columnheader", name="km")).to_be_visible()
    expect()(splits.locator("tbody tr").first).to_contain_text("0.62 mi")

    # How much of a shared route's ends to hide: the person's setting, 200 m unless they change it.
    go(runner, "Profile", "Profile and preferences")
    preferences = runner.get_by_role("region", name="Preferences")
    hide = preferences.get_by_label("Hide the start and end of routes you share")
    expect()(hide).to_have_value("200")
    hide.select_option("500")
    preferences.get_by_role("button", name="Save preferences").click()
    expect()(preferences.get_by_text("Preferences saved.")).to_be_visible()
    saved_privacy = stack.call("GET", "/me/preferences", token=runner.token).body["privacy"]
    assert saved_privacy["activity_ends_m"] == 500, saved_privacy

    # From the workouts history, the workout's title links to its screen.
    go(runner, "History", "History")
    runner.get_by_role("navigation", name="History").get_by_role("link", name="Workouts").click()
    entry = runner.get_by_test_id("entry").filter(has_text="Sunday long run")
    expect()(entry).to_contain_text("running")
    entry.get_by_role("link", name="Sunday long run").click()
    expect()(runner.get_by_role("heading", name="Sunday long run", level=1)).to_be_visible()
    assert runner.problems == []


def _ride_gpx(hours: int) -> bytes:
    """A ride recorded once a second for `hours`, east along the parallel 45° N at 30 km/h, with
    heart rate: over 5 MB, so the page sends it through the bucket."""
    points = []
    for second in range(hours * 3600):
        lon = 7.5 + second * (30 / 3.6) / METRES_PER_DEGREE_LON
        time = (START + timedelta(seconds=second)).strftime("%Y-%m-%dT%H:%M:%SZ")
        points.append(
            f'<trkpt lat="45.0000000" lon="{lon:.7f}"><ele>200.0</ele><time>{time}</time>'
            f"<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{130 + second % 30}</gpxtpx:hr>"
            "</gpxtpx:TrackPointExtension></extensions></trkpt>\n"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="Stride e2e" xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        f"<trk><name>Long ride</name><type>cycling</type><trkseg>{''.join(points)}</trkseg></trk></gpx>"
    ).encode()


def test_a_file_over_5_mb_goes_through_the_bucket_and_is_read_in_the_background(person, stack):
    rider = person()
    ride = _ride_gpx(hours=8)
    assert len(ride) > 5 * 1024 * 1024
    sent: list[str] = []
    rider.on("request", lambda request: sent.append(f"{request.method} {request.url.removeprefix(stack.api)}"))
    upload = rider.get_by_role("region", name="Upload an activity")
    upload.get_by_label("Activity file").set_input_files(_file("long-ride.gpx", ride))
    expect()(upload.get_by_test_id("upload-done")).to_contain_text("long-ride.gpx is saved.", timeout=90_000)
    # To the bucket, then its id to the API, then the upload's state polled until it is done.
    api_calls = [call for call in sent if not call.startswith("OPTIONS")]
    assert "POST /media/uploads" in api_calls and "POST /workouts/files" in api_calls, api_calls
    assert any(re.fullmatch(r"GET /workouts/files/[^/]+", call) for call in api_calls), api_calls
    [stored] = stack.call("GET", "/workouts", token=rider.token).body["items"]
    assert stored["sport"] == "cycling" and abs(stored["distance_m"] - 240_000) / 240_000 < 0.005, stored
    upload.get_by_role("link", name="See the workout").click()
    expect()(rider.get_by_role("heading", name="Long ride", level=1)).to_be_visible()
    figures = rider.get_by_test_id("figures")
    expect()(figures.get_by_test_id("speed")).to_have_text("30.0 km/h")
    expect()(figures.get_by_test_id("pace")).to_have_count(0)  # a ride is read as speed
    assert rider.problems == []


def test_a_workout_logged_by_hand_has_no_route_and_another_persons_is_not_found(person, stack):
    owner, other = person(), person()
    body = {"title": "Gym", "type": "strength", "duration_min": 45, "started_at": "2026-12-01"}
    created = stack.call("POST", "/workouts", body, token=owner.token)
    assert created.status == 201, created.body
    owner.goto(f"/workouts/{created.body['id']}")
    expect()(owner.get_by_role("heading", name="Gym", level=1)).to_be_visible()
    expect()(owner.get_by_text("Logged by hand: no distance or route.")).to_be_visible()
    expect()(owner.get_by_test_id("route")).to_have_count(0)
    expect()(owner.get_by_test_id("splits")).to_have_count(0)
    check_screen(owner, "workout-manual")

    other.goto(f"/workouts/{created.body['id']}")
    expect()(other.get_by_role("heading", name="Workout not available", level=1)).to_be_visible()
    expect()(other.get_by_role("alert")).to_be_visible()
    expect()(other.get_by_text("Gym")).to_have_count(0)
    assert owner.problems == [] and other.problems == []

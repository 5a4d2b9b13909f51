"""Files real devices wrote (tests/fixtures/activities/real/README.md says where from, and their
licences): read, measured against gpxpy's figures and the device's own session totals, or refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from chalicelib.domains.activities.activity import ActivityFileError
from chalicelib.domains.activities.gpx_out import to_gpx
from chalicelib.domains.activities.measure import measure
from chalicelib.domains.activities.parsing import parse_activity
from tests.fixtures.activities import files

REAL = Path(__file__).resolve().parents[2] / "fixtures" / "activities" / "real"


def device_session(path: Path) -> dict[str, object]:
    """The totals the device itself wrote in the file's session message."""
    import fitdecode

    with fitdecode.FitReader(str(path)) as reader:
        for frame in reader:
            if frame.frame_type == fitdecode.FIT_FRAME_DATA and frame.name == "session":
                return {field.name: field.value for field in frame.fields}
    raise AssertionError("no session")


@pytest.mark.parametrize(
    ("name", "sport", "device"),
    [
        ("garmin-fenix-5-run.fit", "running", "garmin fenix5"),
        ("garmin-fenix-5-walk.fit", "walking", "garmin fenix5"),
        ("garmin-fenix-5-bike.fit", "cycling", "garmin fenix5"),
        ("garmin-edge-820-bike.fit", "cycling", "garmin edge_820"),
    ],
)
def test_a_garmin_fit_agrees_with_gpxpy_and_with_the_devices_own_totals(name, sport, device):
    import gpxpy

    path = REAL / name
    activity = parse_activity(path.read_bytes(), files.FIT)
    figures = measure(activity, 1000)
    session = device_session(path)
    assert (activity.format, activity.sport, activity.device) == ("fit", sport, device)
    assert all(point.heart_rate for point in activity.points)
    reference = gpxpy.parse(to_gpx(activity).decode())
    assert figures["distance_m"] == pytest.approx(reference.length_2d(), rel=0.005)
    # The device's distance also counts the seconds before its GPS fix (records without a position).
    assert figures["distance_m"] == pytest.approx(session["total_distance"], rel=0.03)
    assert figures["elapsed_time_s"] == pytest.approx(session["total_elapsed_time"], abs=1)
    assert figures["max_heart_rate"] == session["max_heart_rate"]
    assert figures["max_speed_mps"] == pytest.approx(session["enhanced_max_speed"], rel=0.1)


def test_a_gps_loggers_gpx_agrees_with_gpxpy_and_its_jump_is_no_sprint():
    import gpxpy

    data = (REAL / "cerknicko-jezero.gpx").read_bytes()
    activity = parse_activity(data, files.GPX)
    figures = measure(activity, 1000)
    reference = gpxpy.parse(data.decode())
    assert activity.device == "GPSBabel - http://www.gpsbabel.org"
    assert len(activity.points) == reference.get_track_points_no() == 296
    # Eight tracks (the logger was turned off between them): the distance within each, none across.
    assert len(reference.tracks) == 8
    assert sum(point.new_segment for point in activity.points) == 6  # the first track is empty
    assert figures["distance_m"] == pytest.approx(reference.length_2d(), rel=0.005)
    assert figures["elapsed_time_s"] == (activity.points[-1].time - activity.points[0].time).total_seconds()
    assert figures["moving_time_s"] < reference.get_duration()
    assert figures["avg_heart_rate"] is None
    # One fix 184 m from the next, 2 s later (the receiver finding itself after a 44 s gap): 92 m/s
    # for a step, 35 m/s over the 5 s around it. What stays is the fastest stretch of five steps in a
    # row, about 11 m/s for half a minute.
    assert 10 < figures["max_speed_mps"] < 12


@pytest.mark.parametrize(
    ("name", "media_type", "code"),
    [
        ("Mojstrovka.gpx", files.GPX, "point_out_of_range"),  # a point timed 1901-12-13
        ("korita-zbevnica.gpx", files.GPX, "invalid_activity_file"),  # track points without a time
        ("activity-filecrc.fit", files.FIT, "activity_file_checksum"),
        ("activity-unexpected-eof.fit", files.FIT, "truncated_activity_file"),
    ],
)
def test_a_real_broken_file_is_refused_with_its_code(name, media_type, code):
    with pytest.raises(ActivityFileError) as caught:
        parse_activity((REAL / name).read_bytes(), media_type)
    assert caught.value.code == code

"""Figures against tracks with known answers, and against gpxpy's own for the same files."""

from __future__ import annotations

import itertools
import math

import pytest

from chalicelib.domains.activities import measure as measuring
from chalicelib.domains.activities.activity import ActivityFileError
from chalicelib.domains.activities.measure import best_efforts, measure
from chalicelib.domains.activities.parsing import parse_activity
from tests.fixtures.activities import files, tracks

KM = 1000.0
MILE = 1609.344


def measured(samples, writer=files.watch_gpx, media_type=files.GPX, split_m=KM, **options):
    return measure(parse_activity(writer(samples, **options), media_type), split_m)


def wgs84_meridian_arc(lat1: float, lat2: float) -> float:
    """The meridian arc between two latitudes on the WGS84 ellipsoid (numerical integration)."""
    a, f = 6_378_137.0, 1 / 298.257223563
    e2 = f * (2 - f)
    steps = 2000
    h = math.radians(lat2 - lat1) / steps
    total = 0.0
    for i in range(steps):
        phi = math.radians(lat1) + (i + 0.5) * h
        total += a * (1 - e2) / (1 - e2 * math.sin(phi) ** 2) ** 1.5 * h
    return total


@pytest.mark.parametrize("lat0", [-80.0, -45.0, 0.0, 30.0, 45.0, 60.0, 79.0])
def test_a_track_along_a_meridian_measures_its_arc(lat0):
    samples = tracks.meridian(10_000, 3000, lat0=lat0)
    figures = measured(samples)
    assert figures["distance_m"] == pytest.approx(wgs84_meridian_arc(lat0, samples[-1][1]), rel=0.0001)
    assert figures["distance_m"] == pytest.approx(10_000, abs=1)


def test_a_track_along_the_equator_measures_its_arc():
    samples = [(float(t), 0.0, 7.0 + t * 0.0001, None, None, None) for t in range(1001)]
    equator = 6_378_137.0 * math.radians(0.1)
    assert measured(samples)["distance_m"] == pytest.approx(equator, rel=0.0001)


def test_a_steady_run_has_its_pace_times_and_splits():
    figures = measured(tracks.meridian(10_000, 3000))
    assert figures["elapsed_time_s"] == figures["moving_time_s"] == 3000
    assert figures["duration_min"] == 50
    assert figures["started_at"] == "2026-05-01T06:00:00.000Z"
    assert figures["avg_speed_mps"] == pytest.approx(10_000 / 3000, abs=0.001)
    assert figures["max_speed_mps"] == pytest.approx(10_000 / 3000, abs=0.001)
    assert [split["distance_m"] for split in figures["splits"]] == [1000.0] * 10
    assert all(split["time_s"] == pytest.approx(300, abs=0.1) for split in figures["splits"])
    assert figures["elevation_gain_m"] is None and figures["avg_heart_rate"] is None and figures["avg_cadence"] is None


def test_splits_per_mile_end_with_the_remainder():
    figures = measured(tracks.meridian(5_000, 1500), split_m=MILE)
    distances = [split["distance_m"] for split in figures["splits"]]
    assert distances == [1609.3, 1609.3, 1609.3, pytest.approx(5000 - 3 * MILE, abs=0.1)]
    assert sum(split["time_s"] for split in figures["splits"]) == pytest.approx(1500, abs=0.2)


def test_a_known_climb_gives_its_gain_and_loss():
    figures = measured(tracks.climb(100, 40))
    assert figures["elevation_gain_m"] == pytest.approx(100, abs=1.5)
    assert figures["elevation_loss_m"] == pytest.approx(40, abs=1.5)
    changes = [split["elevation_change_m"] for split in figures["splits"]]
    assert sum(changes) == pytest.approx(60, abs=1.5)


def test_gps_noise_on_the_flat_adds_no_climb():
    noisy = tracks.realistic(seconds=3600, every=1, speed_mps=3, seed=7, heart_rate=False, cadence=None)
    flat = [(t, lat, lon, 250.0 + (0.8 if int(t) % 2 else -0.8), hr, cad) for t, lat, lon, _, hr, cad in noisy]
    figures = measured(flat)
    assert figures["elevation_gain_m"] < 2 and figures["elevation_loss_m"] < 2


def test_elevation_noise_barely_moves_the_climb_of_rolling_hills():
    noisy = tracks.realistic(seconds=3600, every=1, speed_mps=3, seed=3, heart_rate=False, cadence=None)
    smooth = tracks.realistic(
        seconds=3600, every=1, speed_mps=3, seed=3, heart_rate=False, cadence=None, elevation_noise=0
    )
    true_gain = sum(max(0.0, b[3] - a[3]) for a, b in itertools.pairwise(smooth))
    gain = measured(noisy)["elevation_gain_m"]
    assert gain == pytest.approx(true_gain, rel=0.1)
    naive = sum(max(0.0, b[3] - a[3]) for a, b in itertools.pairwise(noisy))
    assert naive > 2 * gain  # what the noise would have added, summed point to point


@pytest.mark.parametrize("recorded", [True, False], ids=["device kept recording", "auto-pause"])
def test_a_pause_counts_in_elapsed_time_not_moving_time(recorded):
    figures = measured(tracks.with_pause(moving_s=1200, paused_s=300, recorded=recorded))
    assert figures["elapsed_time_s"] == 1500
    assert figures["moving_time_s"] == pytest.approx(1200, abs=1)
    assert figures["avg_speed_mps"] == pytest.approx(3.0, abs=0.01)
    assert figures["distance_m"] == pytest.approx(3600, abs=1)


def test_a_gps_gap_while_moving_counts_as_moving():
    figures = measured(tracks.with_gap(seconds=1200, gap=(400, 520)))
    assert figures["moving_time_s"] == figures["elapsed_time_s"] == 1200
    assert figures["distance_m"] == pytest.approx(3600, abs=1)


def test_heart_rate_and_cadence_average_over_the_points_that_carry_them():
    figures = measured(tracks.with_pause(moving_s=1200, paused_s=300, recorded=True))
    assert figures["max_heart_rate"] == 150
    assert 110 < figures["avg_heart_rate"] < 150
    assert figures["avg_cadence"] == 85  # the standing points' zero cadence is not averaged in
    assert all(split["avg_heart_rate"] is not None for split in figures["splits"])


def test_one_jumpy_fix_is_not_the_maximum_speed():
    samples = tracks.meridian(3_000, 1000)
    jumped = list(samples)
    t, lat, lon, *rest = jumped[500]
    jumped[500] = (t, lat + 30 / tracks.METRES_PER_DEGREE, lon, *rest)  # 30 m off for one second
    assert measured(jumped)["max_speed_mps"] == pytest.approx(3.0, abs=0.01)


def test_a_sprint_of_a_few_seconds_is_the_maximum_speed():
    samples = tracks.meridian(3_000, 1000)

    def north(t: float) -> float:  # 3 m/s, and 6 m/s for ten seconds from t = 500
        return 3 * t + min(max(t - 500, 0), 10) * 3

    sprint = [(t, samples[0][1] + north(t) / tracks.METRES_PER_DEGREE, *rest) for t, _, *rest in samples]
    assert measured(sprint)["max_speed_mps"] == pytest.approx(6.0, abs=0.01)


REALISTIC = {
    "watch run FIT with heart rate and a pause": (
        files.fit,
        files.FIT,
        dict(seconds=3600, every=1, speed_mps=3.2, seed=1, heart_rate=True, cadence=86, pauses=((1500, 1620),)),
    ),
    "phone walk GPX every 5 s, no heart rate, a GPS gap": (
        files.phone_gpx,
        files.GPX,
        dict(seconds=2400, every=5, speed_mps=1.4, seed=2, heart_rate=False, cadence=None, gaps=((900, 1000),)),
    ),
    "bike computer TCX with cadence, pauses and gaps": (
        files.tcx,
        files.TCX,
        dict(
            seconds=5400,
            every=1,
            speed_mps=8,
            seed=3,
            heart_rate=True,
            cadence=88,
            pauses=((2000, 2300),),
            gaps=((4000, 4060),),
        ),
    ),
    "bike computer FIT without heart rate": (
        lambda samples: files.fit(samples, sport="cycling", manufacturer="wahoo_fitness", product=31),
        files.FIT,
        dict(seconds=3600, every=1, speed_mps=7, seed=4, heart_rate=False, cadence=90),
    ),
    "watch GPX with heart rate": (
        files.watch_gpx,
        files.GPX,
        dict(seconds=1800, every=1, speed_mps=3.0, seed=5, heart_rate=True, cadence=None),
    ),
}


@pytest.mark.parametrize("case", REALISTIC)
def test_device_files_agree_with_gpxpy(case):
    """gpxpy measures the same track (written by its own reader from a GPX of the file) on its
    ellipsoid-radius sphere: distances within 0.5 %, the same duration and moving time within 1 %."""
    import gpxpy

    from chalicelib.domains.activities.gpx_out import to_gpx

    writer, media_type, options = REALISTIC[case]
    samples = tracks.realistic(**options)
    activity = parse_activity(writer(samples), media_type)
    figures = measure(activity, KM)
    reference = gpxpy.parse(to_gpx(activity).decode())
    assert figures["distance_m"] == pytest.approx(reference.length_2d(), rel=0.005)
    assert figures["elapsed_time_s"] == reference.get_duration() == samples[-1][0]
    moving = reference.get_moving_data(stopped_speed_threshold=measuring.MOVING_SPEED_MPS * 3.6)
    assert figures["moving_time_s"] == pytest.approx(moving.moving_time, rel=0.01)
    paused = sum(b - a for a, b in options.get("pauses", ()))
    assert figures["moving_time_s"] == pytest.approx(samples[-1][0] - paused, rel=0.01)
    assert (figures["avg_heart_rate"] is None) is (not options["heart_rate"])


def test_best_efforts_time_each_distance_a_run_covers():
    efforts = best_efforts(parse_activity(files.watch_gpx(tracks.meridian(10_050, 3015)), files.GPX))
    assert efforts == {
        "1k": pytest.approx(300, abs=0.2),
        "1mile": pytest.approx(MILE * 0.3, abs=0.2),
        "5k": pytest.approx(1500, abs=0.2),
        "10k": pytest.approx(3000, abs=0.2),
    }


def test_best_efforts_find_the_fastest_stretch():
    slow = tracks.meridian(2_000, 800)  # 2.5 m/s
    fast_start = slow[-1]
    fast = [
        (fast_start[0] + t, fast_start[1] + t * 5 / tracks.METRES_PER_DEGREE, 7.0, None, None, None)
        for t in range(1, 202)
    ]  # 1 km at 5 m/s
    efforts = best_efforts(parse_activity(files.watch_gpx(slow + fast), files.GPX))
    assert efforts["1k"] == pytest.approx(200, abs=0.2)
    assert "5k" not in efforts


def test_best_efforts_are_for_runs_only():
    ride = parse_activity(files.watch_gpx(tracks.meridian(10_000, 1000), sport="cycling"), files.GPX)
    assert best_efforts(ride) == {}


TWO_SEGMENTS = b"""<?xml version="1.0"?>
<gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"><trk><type>running</type>
<trkseg>
<trkpt lat="45.0" lon="7.0"><time>2026-05-01T06:00:00Z</time></trkpt>
<trkpt lat="45.001" lon="7.0"><time>2026-05-01T06:00:40Z</time></trkpt>
</trkseg>
<trkseg>
<trkpt lat="45.01" lon="7.0"><time>2026-05-01T06:30:00Z</time></trkpt>
<trkpt lat="45.011" lon="7.0"><time>2026-05-01T06:00:40Z</time></trkpt>
</trkseg></trk></gpx>
"""


def test_a_break_between_segments_adds_no_distance_and_no_moving_time():
    data = TWO_SEGMENTS.replace(
        b"06:00:40Z</time></trkpt>\n</trkseg></trk>", b"06:30:40Z</time></trkpt>\n</trkseg></trk>"
    )
    activity = parse_activity(data, files.GPX)
    assert [point.new_segment for point in activity.points] == [False, False, True, False]
    figures = measure(activity, KM)
    one_step = measuring.distance_m(activity.points[0], activity.points[1])
    assert figures["distance_m"] == pytest.approx(2 * one_step, abs=0.2)  # not the 1 km between them
    assert figures["moving_time_s"] == 80 and figures["elapsed_time_s"] == 1840


def test_a_new_track_is_a_break_too_and_the_gpx_out_keeps_it():
    from chalicelib.domains.activities.gpx_out import to_gpx

    data = TWO_SEGMENTS.replace(
        b"06:00:40Z</time></trkpt>\n</trkseg></trk>", b"06:30:40Z</time></trkpt>\n</trkseg></trk>"
    )
    data = data.replace(b"</trkseg>\n<trkseg>", b"</trkseg></trk>\n<trk><trkseg>")
    activity = parse_activity(data, files.GPX)
    assert [point.new_segment for point in activity.points] == [False, False, True, False]
    assert parse_activity(to_gpx(activity), files.GPX).points == activity.points


def test_a_fit_timer_stop_is_a_break_in_the_recording():
    samples = tracks.meridian(3_000, 1000)
    moved = [
        *samples[:500],
        *((t + 300, lat + 200 / tracks.METRES_PER_DEGREE, *rest) for t, lat, *rest in samples[500:]),
    ]
    activity = parse_activity(files.fit(moved, stops=(500,)), files.FIT)
    assert [index for index, point in enumerate(activity.points) if point.new_segment] == [500]
    figures = measure(activity, KM)
    assert figures["distance_m"] == pytest.approx(3000 - 3, abs=1)  # the 200 m walked while paused: not counted
    assert figures["moving_time_s"] == 999 and figures["elapsed_time_s"] == 1300
    without_events = measure(parse_activity(files.fit(moved), files.FIT), KM)
    assert without_events["distance_m"] == pytest.approx(3200, abs=1)  # the same file without the events


def test_a_single_point_or_a_standstill_measures_to_zero_not_an_error():
    one = measured([(0.0, 45.0, 7.0, 100.0, 120, None)])
    assert (one["distance_m"], one["elapsed_time_s"], one["moving_time_s"], one["duration_min"]) == (0.0, 0, 0, 1)
    assert (one["avg_speed_mps"], one["max_speed_mps"], one["splits"]) == (None, None, [])
    assert (one["elevation_gain_m"], one["avg_heart_rate"]) == (0.0, 120)
    still = measured([(float(t), 45.0, 7.0, None, None, None) for t in range(0, 600, 10)])
    assert (still["distance_m"], still["moving_time_s"], still["elapsed_time_s"]) == (0.0, 0, 590)
    assert still["max_speed_mps"] == 0.0 and still["avg_speed_mps"] is None
    same_second = measured([(0.0, 45.0, 7.0, None, None, None), (0.0, 45.0001, 7.0, None, None, None)])
    assert same_second["max_speed_mps"] is None and same_second["distance_m"] == pytest.approx(11.1, abs=0.1)


def test_a_track_hopping_across_the_globe_is_refused_before_its_splits_are_counted():
    # Two points a second apart on opposite sides of the Earth, over and over: ~20,000 km a hop,
    # which made ~20,000 splits a hop (a workout over DynamoDB's item limit, and minutes of CPU).
    hops = [
        (float(t), 45.0 if t % 2 == 0 else -45.0, 0.0 if t % 2 == 0 else 180.0, None, None, None) for t in range(50)
    ]
    with pytest.raises(ActivityFileError) as refused:
        measured(hops)
    assert refused.value.code == "point_out_of_range"
    assert refused.value.details["distance_m"] > measuring.MAX_TRACK_M


def test_a_track_faster_than_any_workout_is_refused():
    # 5 km a second for 10 s: 50 km in all, within the distance, not within the speed.
    dashes = [(float(t), 45.0 + t * 0.045, 7.0, None, None, None) for t in range(11)]
    with pytest.raises(ActivityFileError) as refused:
        measured(dashes)
    assert refused.value.details["max_speed_mps"] > measuring.MAX_SPEED_MPS

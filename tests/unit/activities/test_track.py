"""The track for display (simplify), for sharing (hide_ends), and for leaving (to_gpx)."""

from __future__ import annotations

import dataclasses
import itertools
import math

import pytest

from chalicelib.domains.activities.activity import ParsedActivity
from chalicelib.domains.activities.gpx_out import to_gpx
from chalicelib.domains.activities.measure import distance_m
from chalicelib.domains.activities.parsing import parse_activity
from chalicelib.domains.activities.simplify import (
    DISPLAY_ELEVATION_TOLERANCE_M,
    DISPLAY_MAX_POINTS,
    DISPLAY_TOLERANCE_M,
    PRIVACY_DISTANCE_M,
    _projected,
    hide_ends,
    simplify,
)
from tests.fixtures.activities import files, tracks

RIDE = parse_activity(
    files.tcx(tracks.realistic(seconds=7200, every=1, speed_mps=8, seed=21, heart_rate=True, cadence=90)), files.TCX
)


def deviation(points, kept) -> float:
    """The largest distance (metres) of any recorded point from the simplified line."""
    xs, ys = _projected(points)
    position = {id(point): index for index, point in enumerate(points)}
    worst = 0.0
    indexes = [position[id(point)] for point in kept]
    for a, b in itertools.pairwise(indexes):
        ax, ay, bx, by = xs[a], ys[a], xs[b], ys[b]
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy or 1e-12
        for i in range(a + 1, b):
            t = max(0.0, min(1.0, ((xs[i] - ax) * dx + (ys[i] - ay) * dy) / length2))
            worst = max(worst, math.hypot(xs[i] - ax - t * dx, ys[i] - ay - t * dy))
    return worst


def test_a_simplified_track_stays_within_its_tolerance_with_far_fewer_points():
    kept = simplify(RIDE.points, DISPLAY_MAX_POINTS, DISPLAY_TOLERANCE_M)
    assert kept[0] is RIDE.points[0] and kept[-1] is RIDE.points[-1]
    assert len(kept) <= DISPLAY_MAX_POINTS < len(RIDE.points)
    assert deviation(RIDE.points, kept) <= DISPLAY_TOLERANCE_M
    times = [point.time for point in kept]
    assert times == sorted(times)


def test_the_point_limit_wins_over_the_tolerance():
    kept = simplify(RIDE.points, 50, 0.5)
    assert len(kept) == 50  # the tolerance raised just enough: the limit is filled, not undershot
    assert deviation(RIDE.points, kept) > 0.5
    more = simplify(RIDE.points, 200, 0.5)
    assert len(more) == 200 and set(kept) < set(more)  # one ranking: a larger limit adds points
    assert deviation(RIDE.points, more) < deviation(RIDE.points, kept)


def test_a_straight_line_needs_only_its_ends():
    points = parse_activity(files.watch_gpx(tracks.meridian(5000, 1000)), files.GPX).points
    assert simplify(points, 1000, 1.0) == (points[0], points[-1])


def profile_deviation(points, kept) -> float:
    """The largest difference (metres) between a recorded elevation and the simplified profile's,
    both drawn against the distance along the recording."""
    along = [0.0]
    for a, b in itertools.pairwise(points):
        along.append(along[-1] + distance_m(a, b))
    position = {id(point): index for index, point in enumerate(points)}
    worst = 0.0
    for a, b in itertools.pairwise([position[id(point)] for point in kept]):
        for i in range(a + 1, b):
            share = (along[i] - along[a]) / (along[b] - along[a])
            worst = max(worst, abs(points[i].ele - (points[a].ele + share * (points[b].ele - points[a].ele))))
    return worst


def straight_climb(bump_m: float) -> tuple:
    """2 km due north, one point a second, climbing 100 m evenly, with a bump of `bump_m` (up then
    down again over 200 m) half-way: straight on the map."""
    samples = [
        (t, lat, lon, ele + 100 * t / 1000 + max(0.0, bump_m * (1 - abs(t - 500) / 100)), hr, cad)
        for t, lat, lon, ele, hr, cad in tracks.meridian(2000, 1000, ele=100.0)
    ]
    return parse_activity(files.watch_gpx(samples), files.GPX).points


def test_a_straight_climb_needs_only_its_ends_but_a_bump_on_it_is_kept():
    even = straight_climb(0.0)
    assert simplify(even, 1000, DISPLAY_TOLERANCE_M) == (even[0], even[-1])

    bumped = straight_climb(12.0)
    kept = simplify(bumped, 1000, DISPLAY_TOLERANCE_M)

    assert len(kept) > 2  # the map needs none of them; the profile does
    assert max(point.ele for point in kept) == pytest.approx(max(point.ele for point in bumped), abs=0.5)
    assert profile_deviation(bumped, kept) <= DISPLAY_ELEVATION_TOLERANCE_M
    assert deviation(bumped, kept) <= DISPLAY_TOLERANCE_M
    # Before elevation counted, the bump was lost: the map alone keeps the ends only.
    assert simplify(bumped, 1000, DISPLAY_TOLERANCE_M, elevation_tolerance_m=0) == (bumped[0], bumped[-1])


def test_a_bump_within_the_elevation_tolerance_is_smoothed_away():
    bumped = straight_climb(DISPLAY_ELEVATION_TOLERANCE_M * 0.8)
    assert simplify(bumped, 1000, DISPLAY_TOLERANCE_M) == (bumped[0], bumped[-1])


def test_the_realistic_rides_profile_stays_within_the_elevation_tolerance():
    kept = simplify(RIDE.points, DISPLAY_MAX_POINTS, DISPLAY_TOLERANCE_M)
    map_only = simplify(RIDE.points, DISPLAY_MAX_POINTS, DISPLAY_TOLERANCE_M, elevation_tolerance_m=0)

    assert len(kept) < DISPLAY_MAX_POINTS  # the limit not reached: both tolerances hold
    assert profile_deviation(RIDE.points, kept) <= DISPLAY_ELEVATION_TOLERANCE_M
    assert profile_deviation(RIDE.points, map_only) > DISPLAY_ELEVATION_TOLERANCE_M
    assert len(kept) < 1.2 * len(map_only)  # a few more points, not every wobble of the noise


def test_a_short_track_is_kept_whole_and_the_limit_needs_two_points():
    assert simplify(RIDE.points[:2], 10, 5) == RIDE.points[:2]
    with pytest.raises(ValueError):
        simplify(RIDE.points, 1, 5)


def test_hiding_the_ends_drops_every_point_near_the_start_or_the_finish():
    shown = hide_ends(RIDE.points, PRIVACY_DISTANCE_M)
    first, last = RIDE.points[0], RIDE.points[-1]
    assert shown and len(shown) < len(RIDE.points)
    assert all(distance_m(first, p) > PRIVACY_DISTANCE_M and distance_m(last, p) > PRIVACY_DISTANCE_M for p in shown)
    assert min(distance_m(first, p) for p in shown) < PRIVACY_DISTANCE_M + 30  # only what must go goes


def test_a_loop_passing_home_again_does_not_show_it():
    out = tracks.meridian(2000, 600)
    back = [(600.0 + t, lat, lon, ele, hr, cad) for t, (_, lat, lon, ele, hr, cad) in enumerate(reversed(out), start=1)]
    again = [(1201.0 + t, lat, lon + 0.02, ele, hr, cad) for t, (_, lat, lon, ele, hr, cad) in enumerate(out)]
    points = parse_activity(files.watch_gpx(out + back + again), files.GPX).points
    home = points[0]
    shown = hide_ends(points, 300)
    assert all(distance_m(home, p) > 300 for p in shown)


def test_a_track_shorter_than_the_hidden_distance_shows_nothing_and_zero_hides_nothing():
    points = parse_activity(files.watch_gpx(tracks.meridian(400, 100)), files.GPX).points
    assert hide_ends(points, 300) == ()
    assert hide_ends(points, 0) == points


def test_the_gpx_of_an_activity_reads_back_as_the_same_activity():
    for activity in (
        RIDE,
        parse_activity(files.fit(tracks.with_pause(moving_s=600, paused_s=60, recorded=True)), files.FIT),
    ):
        again = parse_activity(to_gpx(activity), files.GPX)
        assert again.points == activity.points
        assert (again.sport, again.device) == (activity.sport, activity.device)


def test_the_gpx_escapes_the_files_own_words():
    activity = ParsedActivity(
        format="gpx", sport="running", device='Watch "5" <pro>', name="Run & <b>fun</b>", points=RIDE.points[:3]
    )
    again = parse_activity(to_gpx(activity), files.GPX)
    assert (again.name, again.device) == ("Run & <b>fun</b>", 'Watch "5" <pro>')


def test_simplify_keeps_both_sides_of_a_break_in_the_recording():
    first = parse_activity(files.watch_gpx(tracks.meridian(2000, 600)), files.GPX).points
    second = parse_activity(
        files.watch_gpx([(t + 1200, lat + 0.05, lon, *rest) for t, lat, lon, *rest in tracks.meridian(2000, 600)]),
        files.GPX,
    ).points
    points = (*first, dataclasses.replace(second[0], new_segment=True), *second[1:])
    kept = simplify(points, 100, 5)
    assert kept == (first[0], first[-1], points[len(first)], second[-1])
    assert len(simplify(points, 3, 5)) <= 3  # fewer points allowed than breaks to keep: the limit wins

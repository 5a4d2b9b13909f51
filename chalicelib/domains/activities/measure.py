"""The figures of an activity: distance, times, speeds, climb, heart rate, cadence, splits, best efforts.

Pure arithmetic over the parsed points, one pass or two, no library. The rules (docs/activities.md):

- Distance: the sum of the steps between consecutive points on the WGS84 ellipsoid (distance_m).
- Moving time: the steps whose speed is at least MOVING_SPEED_MPS count (a pause, recorded or
  auto-paused, does not; a gap in GPS while moving does). Elapsed time is last point minus first.
- Average speed: distance / moving time. Maximum speed: the highest median speed over
  MAX_SPEED_STEPS consecutive steps, so that a jumpy fix is not a sprint.
- Elevation: a centred moving average over ELEVATION_SMOOTHING_POINTS points, then gain and loss
  counted only once a rise or drop reaches ELEVATION_THRESHOLD_M (hysteresis): GPS noise of a few
  metres on the flat adds nothing.
- Heart rate and cadence: the mean and maximum over the points that carry them (cadence only over
  moving points with a cadence above zero); None when the file has none.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from typing import Any

from chalicelib.domains.activities.activity import OUT_OF_RANGE, ActivityFileError, ParsedActivity, TrackPoint
from chalicelib.timeutil import iso_utc

EARTH_RADIUS_M = 6_371_008.8  # the mean radius, for far steps and for simplify's projection
_A = 6_378_137.0  # WGS84 semi-major axis
_E2 = (1 / 298.257223563) * (2 - 1 / 298.257223563)  # WGS84 first eccentricity squared
_FAR = math.radians(0.5)  # a step longer than this in latitude or longitude is measured on the sphere
# What a workout may hold (the workout's own limits, which an import checks too): a track beyond
# them is a broken or made-up file, refused before its splits are counted (2,000 km is 2,000 splits).
MAX_TRACK_M = 2_000_000
MAX_SPEED_MPS = 1_000.0
MOVING_SPEED_MPS = 0.5  # 1.8 km/h: slower than any walk, faster than a standing watch's drift
MAX_SPEED_STEPS = 5
ELEVATION_SMOOTHING_POINTS = 5
ELEVATION_THRESHOLD_M = 3.0
# A last split shorter than this is left out (a few metres past the last full kilometre).
MIN_LAST_SPLIT_M = 10.0
# The distances best_efforts times, in metres, by the name /me/records uses.
EFFORTS = {
    "1k": 1_000.0,
    "1mile": 1_609.344,
    "5k": 5_000.0,
    "10k": 10_000.0,
    "half_marathon": 21_097.5,
    "marathon": 42_195.0,
}


def distance_m(a: TrackPoint, b: TrackPoint) -> float:
    """The distance between two points in metres, on the WGS84 ellipsoid: north-south and east-west
    by its radii of curvature at the mean latitude (meridional M, prime vertical N). For the steps
    of a track (metres to a few kilometres) this is the ellipsoid's geodesic to well under 0.01 %;
    for points far apart (a GPS gap of hundreds of kilometres) the great circle is used instead."""
    lat = math.radians((a.lat + b.lat) / 2)
    dlat = math.radians(b.lat - a.lat)
    dlon = math.radians(((b.lon - a.lon + 180) % 360) - 180)
    if abs(dlat) > _FAR or abs(dlon) > _FAR:
        return _great_circle(a, b)
    w2 = 1 - _E2 * math.sin(lat) ** 2
    north = _A * (1 - _E2) / (w2 * math.sqrt(w2)) * dlat
    east = _A / math.sqrt(w2) * math.cos(lat) * dlon
    return math.sqrt(north * north + east * east)


def _great_circle(a: TrackPoint, b: TrackPoint) -> float:
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    half_dlat = (lat2 - lat1) / 2
    half_dlon = math.radians(b.lon - a.lon) / 2
    h = math.sin(half_dlat) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(half_dlon) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def cumulative_m(points: Sequence[TrackPoint]) -> list[float]:
    """The distance from the first point to each point along the track."""
    total = 0.0
    along = [0.0] * len(points)
    for index in range(1, len(points)):
        if not points[index].new_segment:
            total += distance_m(points[index - 1], points[index])
        along[index] = total
    return along


def seconds(points: Sequence[TrackPoint]) -> list[float]:
    """Each point's time as seconds since the first point (every parsed point has a time)."""
    if not points or points[0].time is None:
        return [0.0] * len(points)
    start = points[0].time
    return [(point.time - start).total_seconds() if point.time else 0.0 for point in points]


def measure(activity: ParsedActivity, split_m: float) -> dict[str, Any]:
    """The activity's figures and its splits every `split_m` metres (1,000 or 1,609.344)."""
    points = activity.points
    along, times = cumulative_m(points), seconds(points)
    moving, moving_steps = _moving(along, times)
    elevations = smoothed_elevations(points)
    gain, loss = climb(elevations)
    total = along[-1]
    elapsed = times[-1]
    started = points[0].time
    fastest = _max_speed(along, times)
    if total > MAX_TRACK_M or (fastest or 0) > MAX_SPEED_MPS:
        raise ActivityFileError(
            f"An activity covers at most {MAX_TRACK_M // 1000:,} km at under {MAX_SPEED_MPS:,.0f} m/s; this"
            " track's points are farther apart than that (a broken or made-up file).",
            code=OUT_OF_RANGE,
            details={"distance_m": round(total), "max_speed_mps": fastest},
        )
    return {
        "started_at": iso_utc(started) if started else None,
        "duration_min": max(1, round(elapsed / 60)),
        "distance_m": round(total, 1),
        "moving_time_s": round(moving),
        "elapsed_time_s": round(elapsed),
        "elevation_gain_m": None if gain is None else round(gain, 1),
        "elevation_loss_m": None if loss is None else round(loss, 1),
        "avg_speed_mps": round(total / moving, 3) if moving > 0 else None,
        "max_speed_mps": fastest,
        "avg_heart_rate": _mean(point.heart_rate for point in points),
        "max_heart_rate": max((p.heart_rate for p in points if p.heart_rate is not None), default=None),
        "avg_cadence": _mean(points[index].cadence for index in moving_steps if (points[index].cadence or 0) > 0),
        "splits": splits(points, along, times, elevations, split_m),
    }


def _moving(along: list[float], times: list[float]) -> tuple[float, list[int]]:
    """Seconds of steps at MOVING_SPEED_MPS or faster, and the indexes of the points ending them."""
    moving = 0.0
    steps: list[int] = []
    for index in range(1, len(times)):
        dt = times[index] - times[index - 1]
        if dt > 0 and (along[index] - along[index - 1]) / dt >= MOVING_SPEED_MPS:
            moving += dt
            steps.append(index)
    return moving, steps


def _max_speed(along: list[float], times: list[float]) -> float | None:
    """The highest median speed of MAX_SPEED_STEPS consecutive steps (all of them, when fewer): one
    or two bad fixes, a jump when the GPS finds itself again, are not a sprint; a real one is."""
    speeds = [
        (along[index] - along[index - 1]) / (times[index] - times[index - 1])
        for index in range(1, len(times))
        if times[index] > times[index - 1]
    ]
    if not speeds:
        return None
    width = min(MAX_SPEED_STEPS, len(speeds))
    if width % 2 == 0:  # a short track: fewer steps than the window, an even number of them
        return round(statistics.median(speeds), 3)
    middle = width // 2
    best = max(sorted(speeds[start : start + width])[middle] for start in range(len(speeds) - width + 1))
    return round(best, 3)


def _mean(values: Any) -> int | None:
    total = count = 0
    for value in values:
        if value is not None:
            total += value
            count += 1
    return round(total / count) if count else None


def smoothed_elevations(points: Sequence[TrackPoint]) -> list[float | None]:
    """Each point's elevation averaged with its neighbours that have one (None where it has none)."""
    known = [(index, point.ele) for index, point in enumerate(points) if point.ele is not None]
    result: list[float | None] = [None] * len(points)
    running = [0.0]
    for _, ele in known:
        running.append(running[-1] + ele)
    for position, (index, _) in enumerate(known):
        # A centred window, narrower near the ends so that the first and last values stay put.
        half = min(ELEVATION_SMOOTHING_POINTS // 2, position, len(known) - 1 - position)
        low, high = position - half, position + half + 1
        result[index] = (running[high] - running[low]) / (high - low)
    return result


def climb(elevations: Sequence[float | None]) -> tuple[float | None, float | None]:
    """Gain and loss in metres between turning points: a climb or a descent turns only once the
    elevation has moved ELEVATION_THRESHOLD_M the other way from its highest or lowest point, so
    wobbles smaller than that add nothing and a whole climb counts in full."""
    known = [ele for ele in elevations if ele is not None]
    if not known:
        return None, None
    gain = loss = 0.0
    base = high = low = known[0]
    rising: bool | None = None  # undecided until the first move of ELEVATION_THRESHOLD_M
    for ele in known:
        high, low = max(high, ele), min(low, ele)
        if rising is None:
            if ele - low >= ELEVATION_THRESHOLD_M:
                rising, base, high = True, low, ele
            elif high - ele >= ELEVATION_THRESHOLD_M:
                rising, base, low = False, high, ele
        elif rising and high - ele >= ELEVATION_THRESHOLD_M:
            gain += high - base
            rising, base, low = False, high, ele
        elif not rising and ele - low >= ELEVATION_THRESHOLD_M:
            loss += base - low
            rising, base, high = True, low, ele
    if rising:
        gain += high - base
    elif rising is False:
        loss += base - low
    return gain, loss


def splits(
    points: Sequence[TrackPoint],
    along: list[float],
    times: list[float],
    elevations: Sequence[float | None],
    split_m: float,
) -> list[dict[str, Any]]:
    """One entry per `split_m` metres (the last one shorter, unless under MIN_LAST_SPLIT_M)."""
    total = along[-1]
    result: list[dict[str, Any]] = []
    start_at, start_time, start_ele, first = 0.0, 0.0, _elevation_at(elevations, along, 0, 0.0), 0
    index = 0
    while start_at < total:
        end_at = min(start_at + split_m, total)
        if end_at - start_at < min(split_m, MIN_LAST_SPLIT_M) and result:
            break
        while index < len(along) - 1 and along[index] < end_at:
            index += 1
        end_time = _interpolate(along, times, index, end_at)
        end_ele = _elevation_at(elevations, along, index, end_at)
        result.append(
            {
                "distance_m": round(end_at - start_at, 1),
                "time_s": round(end_time - start_time, 1),
                "elevation_change_m": None if start_ele is None or end_ele is None else round(end_ele - start_ele, 1),
                "avg_heart_rate": _mean(points[i].heart_rate for i in range(first, index + 1)),
            }
        )
        start_at, start_time, start_ele, first = end_at, end_time, end_ele, index + 1
    return result


def _interpolate(along: list[float], times: list[float], index: int, at: float) -> float:
    """The time at distance `at`, between point index-1 and point index (along[index] >= at)."""
    if index == 0 or along[index] == along[index - 1]:
        return times[index]
    fraction = (at - along[index - 1]) / (along[index] - along[index - 1])
    return times[index - 1] + fraction * (times[index] - times[index - 1])


def _elevation_at(elevations: Sequence[float | None], along: list[float], index: int, at: float) -> float | None:
    here, before = elevations[index], elevations[index - 1] if index > 0 else None
    if here is None or before is None or along[index] == along[index - 1]:
        return here if here is not None else before
    fraction = (at - along[index - 1]) / (along[index] - along[index - 1])
    return before + fraction * (here - before)


def best_efforts(activity: ParsedActivity) -> dict[str, float]:
    """Fastest elapsed seconds over each of EFFORTS the run covers (an empty dict for other sports).

    A window starts at a recorded point and ends where the distance is reached, between two points
    (interpolated): two pointers over the track, linear in its length for each distance."""
    if activity.sport != "running":
        return {}
    along, times = cumulative_m(activity.points), seconds(activity.points)
    result: dict[str, float] = {}
    for name, metres in EFFORTS.items():
        fastest = _fastest(along, times, metres)
        if fastest is not None:
            result[name] = round(fastest, 1)
    return result


def _fastest(along: list[float], times: list[float], metres: float) -> float | None:
    fastest: float | None = None
    end = 0
    for start in range(len(along)):
        target = along[start] + metres
        while end < len(along) and along[end] < target:
            end += 1
        if end >= len(along):
            break
        took = _interpolate(along, times, end, target) - times[start]
        if fastest is None or took < fastest:
            fastest = took
    return fastest

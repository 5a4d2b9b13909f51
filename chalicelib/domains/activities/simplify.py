"""A track for display and for sharing: simplified (Douglas-Peucker, in metres) and its ends hidden.

- simplify keeps every point that the line needs to stay within `tolerance_m` metres of the
  recorded track on the map and within `elevation_tolerance_m` of its elevation profile, and at most
  `max_points`: when the tolerances keep more, both are raised in proportion to the smallest that
  keep at most `max_points` (one pass ranks the points; the first and last points, and both sides of
  each break in the recording, are always kept). Defaults: DISPLAY_MAX_POINTS points within
  DISPLAY_TOLERANCE_M metres across and DISPLAY_ELEVATION_TOLERANCE_M metres up or down.
- hide_ends drops every point within `metres` (straight line) of the first or the last point, so a
  shared track shows neither where it started nor where it ended, even where it passes by them
  again (Strava's privacy zones work this way). Default: PRIVACY_DISTANCE_M.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from chalicelib.domains.activities.activity import TrackPoint
from chalicelib.domains.activities.measure import EARTH_RADIUS_M, distance_m

DISPLAY_MAX_POINTS = 1_000
DISPLAY_TOLERANCE_M = 5.0
# The profile drawn from the simplified track (elevation against distance along it) stays within
# this of the recorded one: the climb measure.py counts (ELEVATION_THRESHOLD_M, 3 m) is a climb the
# profile shows, even on a straight stretch that needs no point on the map.
DISPLAY_ELEVATION_TOLERANCE_M = 3.0
PRIVACY_DISTANCE_M = 200.0  # the default of a person's privacy.activity_ends_m


def hide_ends(points: Sequence[TrackPoint], metres: float) -> tuple[TrackPoint, ...]:
    """The points farther than `metres` from both the first and the last point."""
    if metres <= 0 or not points:
        return tuple(points)
    first, last = points[0], points[-1]
    return tuple(point for point in points if distance_m(first, point) > metres and distance_m(last, point) > metres)


def simplify(
    points: Sequence[TrackPoint],
    max_points: int,
    tolerance_m: float,
    elevation_tolerance_m: float = DISPLAY_ELEVATION_TOLERANCE_M,
) -> tuple[TrackPoint, ...]:
    """The fewest points keeping the line within `tolerance_m` of the track and its profile within
    `elevation_tolerance_m` of the recorded elevations, at most `max_points`."""
    if max_points < 2:
        raise ValueError("A simplified track keeps at least its two ends.")
    if len(points) <= 2:
        return tuple(points)
    xs, ys = _projected(points)
    # Elevation in the same unit as the horizontal tolerance: a point off the profile by the
    # elevation tolerance is as far off as one off the line by the horizontal tolerance.
    # (No elevation tolerance: the map only. A zero horizontal tolerance: any deviation is kept.)
    scale = (tolerance_m / elevation_tolerance_m if tolerance_m > 0 else 1.0) if elevation_tolerance_m > 0 else 0.0
    zs = [point.ele * scale if point.ele is not None and scale else math.nan for point in points]
    along = [0.0, *itertools.accumulate(math.hypot(bx - ax, by - ay) for ax, ay, bx, by in _steps(xs, ys))]
    breaks = [index for index, point in enumerate(points) if point.new_segment]
    fixed = sorted({0, len(points) - 1, *breaks, *(index - 1 for index in breaks)})
    if len(fixed) > max_points:  # more breaks than the limit allows: only the ends are kept for sure
        fixed = [0, len(points) - 1]
    levels = _douglas_peucker(_Track(xs, ys, zs, along), max(tolerance_m, 0.0), fixed)
    if len(levels) > max_points:
        ranked = sorted((level for level in levels.values() if level != math.inf), reverse=True)
        floor = ranked[max_points - len(fixed)]  # the tolerance that keeps at most max_points
        levels = {index: level for index, level in levels.items() if level > floor}
    return tuple(points[index] for index in sorted(levels))


def _projected(points: Sequence[TrackPoint]) -> tuple[list[float], list[float]]:
    """Metres east and north of the first point (equirectangular at the track's mean latitude:
    well under a metre off over the tens of kilometres one activity spans)."""
    lat0 = math.radians(sum(point.lat for point in points) / len(points))
    scale_x = EARTH_RADIUS_M * math.cos(lat0) * math.pi / 180
    scale_y = EARTH_RADIUS_M * math.pi / 180
    origin = points[0]
    xs = [(((point.lon - origin.lon + 180) % 360) - 180) * scale_x for point in points]
    ys = [(point.lat - origin.lat) * scale_y for point in points]
    return xs, ys


def _steps(xs: list[float], ys: list[float]) -> zip[tuple[float, float, float, float]]:
    return zip(xs, ys, xs[1:], ys[1:], strict=False)


class _Track:
    """The projected track: metres east and north, the scaled elevation (nan: none), and the
    distance along the recording (what the elevation profile is drawn against)."""

    __slots__ = ("along", "xs", "ys", "zs")

    def __init__(self, xs: list[float], ys: list[float], zs: list[float], along: list[float]):
        self.xs, self.ys, self.zs, self.along = xs, ys, zs, along


def _douglas_peucker(track: _Track, tolerance: float, fixed: list[int]) -> dict[int, float]:
    """The points Douglas-Peucker keeps at `tolerance` (the `fixed` ones, the ends and both sides of
    each break, at infinity), each with the largest tolerance at which it would still be kept: its
    distance from its span's line, or its parent's level if lower (a span not split drops all below
    it). So one pass gives the line at any larger tolerance too: the points whose level is above it.
    Iterative: a long track needs no deep recursion."""
    levels = dict.fromkeys(fixed, math.inf)
    spans = [(first, last, math.inf) for first, last in itertools.pairwise(fixed)]
    while spans:
        first, last, ceiling = spans.pop()
        if last - first < 2:
            continue
        farthest, index = _farthest(track, first, last)
        if farthest > tolerance:
            level = min(farthest, ceiling)
            levels[index] = level
            spans.append((first, index, level))
            spans.append((index, last, level))
    return levels


def _farthest(track: _Track, first: int, last: int) -> tuple[float, int]:
    """The point between `first` and `last` farthest from the span joining them, and how far: the
    larger of its distance from the segment on the map and its (scaled) elevation's distance from
    the elevation interpolated along the recorded distance (the profile's straight line). A point
    without elevation, or a span whose ends lack one, is measured on the map only."""
    xs, ys, zs, along = track.xs, track.ys, track.zs, track.along
    ax, ay, bx, by = xs[first], ys[first], xs[last], ys[last]
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    za, start, span = zs[first], along[first], along[last] - along[first]
    rise = (zs[last] - za) / span if span > 0 else 0.0  # nan when either end has no elevation
    farthest, found = -1.0, first + 1
    for index in range(first + 1, last):
        px, py = xs[index] - ax, ys[index] - ay
        if length2 == 0:
            d2 = px * px + py * py
        else:
            t = max(0.0, min(1.0, (px * dx + py * dy) / length2))
            ex, ey = px - t * dx, py - t * dy
            d2 = ex * ex + ey * ey
        dz = zs[index] - za - rise * (along[index] - start)
        if dz * dz > d2:  # False for nan: no elevation to keep
            d2 = dz * dz
        if d2 > farthest:
            farthest, found = d2, index
    return math.sqrt(farthest), found

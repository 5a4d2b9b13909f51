"""An activity as a file describes it: the values the parsers make and everything else reads.

Pure: no boto3, no chalice, no parsing library. The parsers (parsing.py) import theirs lazily.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.errors import InvalidInput

SPORTS = ("running", "cycling", "walking", "hiking", "swimming", "other")
FORMATS = ("gpx", "tcx", "fit")


@dataclass(frozen=True, slots=True)
class TrackPoint:
    time: datetime | None  # timezone-aware UTC
    lat: float  # degrees, WGS84
    lon: float
    ele: float | None  # metres
    heart_rate: int | None  # beats per minute
    cadence: int | None  # per minute
    # The first point after a break in the recording (a new GPX <trkseg> or <trk>, a new TCX <Track>):
    # no distance or moving time is counted from the point before it.
    new_segment: bool = False


@dataclass(frozen=True)
class ParsedActivity:
    format: str  # "gpx" | "tcx" | "fit"
    sport: str  # one of SPORTS
    device: str | None  # when the file names it
    name: str | None  # the file's own title, when it has one
    points: tuple[TrackPoint, ...]


class ActivityFileError(InvalidInput):
    """An activity file Stride refuses; `code` says why (docs/activities.md lists them)."""

    code = "invalid_activity_file"

    def __init__(self, message: str, *, code: str | None = None, details: dict[str, Any] | None = None):
        super().__init__(message, code=code, details=details)


# The codes ActivityFileError carries (docs/activities.md, "Refused files").
INVALID = "invalid_activity_file"  # not the declared format at all (not XML, not FIT, wrong root)
TRUNCATED = "truncated_activity_file"  # a FIT file that ends before its header says
CHECKSUM = "activity_file_checksum"  # a FIT file whose CRC does not match its bytes
FORBIDDEN_XML = "forbidden_xml"  # a DTD, entity or external reference: never expanded
NO_POINTS = "no_track_points"  # nothing with a position
OUT_OF_RANGE = "point_out_of_range"  # latitude, longitude or a timestamp outside what is possible
BACKWARDS = "timestamps_out_of_order"  # a point earlier than the one before it
TOO_MANY = "too_many_points"  # more than parsing.MAX_POINTS


def sport_of(label: str | None) -> str:
    """A file's own sport label (GPX <type>, TCX Sport, FIT sport) as one of SPORTS ("other" when unknown)."""
    word = (label or "").strip().lower()
    for sport, stems in _SPORT_STEMS:
        if any(stem in word for stem in stems):
            return sport
    return "other"


# Looked for in order inside the label: "Trail Running", "road_biking", "VirtualRide", "Hike".
_SPORT_STEMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("running", ("run", "jog")),
    ("cycling", ("cycl", "bik", "ride")),
    ("hiking", ("hik",)),
    ("walking", ("walk",)),
    ("swimming", ("swim",)),
)

"""GPX, TCX and FIT files into a ParsedActivity, or an ActivityFileError saying what is wrong.

GPX and TCX are read by the standard library's expat parser through callbacks (no tree is built:
a 5 MB file of empty elements costs a sixth of ElementTree's iterparse), guarded the way defusedxml
guards expat: the first DTD declaration stops the parse, so a document with one (the billion laughs,
an external entity or DTD) is refused before anything is declared, expanded or fetched. FIT is read by
fitdecode, imported inside the function that reads FIT, never at import time.

Every point is checked (a position on the globe, a time that is possible and never earlier than the
point before it) and there are at most MAX_POINTS of them: counting stops the parse as soon as the
file passes the limit. docs/activities.md lists the rules and the error codes.
"""

from __future__ import annotations

import io
import math
import struct
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from chalicelib import clock
from chalicelib.domains.activities.activity import (
    BACKWARDS,
    CHECKSUM,
    FORBIDDEN_XML,
    INVALID,
    NO_POINTS,
    OUT_OF_RANGE,
    TOO_MANY,
    TRUNCATED,
    ActivityFileError,
    ParsedActivity,
    TrackPoint,
    sport_of,
)
from chalicelib.errors import UnsupportedMediaType

MEDIA_TYPES = {
    "application/gpx+xml": "gpx",
    "application/vnd.garmin.tcx+xml": "tcx",
    "application/vnd.ant.fit": "fit",
}
# Ten hours at one point a second (a day at the few seconds of a watch's "smart" recording): the
# largest file the API function reads, measures and simplifies well within its 10 s timeout at its
# 512 MB CPU share (bench/results.md: FIT, the slowest to read, about 37 microseconds a message).
MAX_POINTS = 36_000
# FIT messages of any kind (records before the GPS fix, laps, events, heart-rate variability) cost
# as much to read as a point: past this many the file is refused, whatever it holds.
MAX_FIT_MESSAGES = 40_000


@dataclass(frozen=True, slots=True)
class Limits:
    """What one parse accepts (the defaults above; a caller with more time, such as a background
    worker with a longer timeout, may pass larger ones)."""

    points: int = MAX_POINTS
    fit_messages: int = MAX_FIT_MESSAGES


DEFAULT_LIMITS = Limits()
# A workout lasts at most a day (workouts' duration_min is at most 1,440).
MAX_DURATION = timedelta(hours=24)
# FIT's own epoch (1989-12-31): a FIT time counts seconds from it, and no device records anything earlier.
EARLIEST = FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
# A device clock may run a little ahead; a point further in the future than this is refused.
FUTURE_SLACK = timedelta(days=1)
# Values outside these are a sensor's glitch: the point keeps its position, the value becomes None.
ELEVATION_RANGE_M = (-500.0, 9_000.0)
HEART_RATE_RANGE = (20, 260)
CADENCE_RANGE = (0, 300)
# FIT positions are semicircles: 2**31 of them make 180 degrees.
SEMICIRCLE_DEGREES = 180.0 / 2**31


def format_of(media_type: str) -> str:
    """The format a Content-Type names ("gpx", "tcx", "fit"); 415 for any other."""
    kind = MEDIA_TYPES.get(media_type.split(";", 1)[0].strip().lower())
    if kind is None:
        raise UnsupportedMediaType(
            f"An activity file is one of {', '.join(MEDIA_TYPES)}.", details={"media_type": media_type[:100]}
        )
    return kind


def parse_activity(data: bytes, media_type: str, limits: Limits = DEFAULT_LIMITS) -> ParsedActivity:
    """The activity in `data`, read as the format `media_type` names, within `limits`."""
    kind = format_of(media_type)
    if kind == "fit":
        return _parse_fit(data, limits)
    return _parse_xml(data, kind, limits)


# --- checks every format shares -----------------------------------------------------------------


class _Points:
    """Collects checked points; refuses the file at the first one that breaks a rule."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.points: list[TrackPoint] = []
        self.latest = clock.now() + FUTURE_SLACK
        self.first: datetime | None = None
        self.previous: datetime | None = None
        self.segment_break = False  # set when a new segment starts: its first point carries it

    def add(
        self,
        time: datetime,
        lat: float,
        lon: float,
        ele: float | None,
        heart_rate: float | None,
        cadence: float | None,
    ) -> None:
        index = len(self.points)
        if index >= self.limits.points:
            raise ActivityFileError(
                f"An activity file may have at most {self.limits.points} track points.",
                code=TOO_MANY,
                details={"max_points": self.limits.points},
            )
        if not (math.isfinite(lat) and math.isfinite(lon) and -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
            raise ActivityFileError(
                "A track point's latitude must be within -90..90 and its longitude within -180..180.",
                code=OUT_OF_RANGE,
                details={"point": index, "lat": _shown(lat), "lon": _shown(lon)},
            )
        if not EARLIEST <= time <= self.latest:
            raise ActivityFileError(
                "A track point's time is before 1990 or in the future.",
                code=OUT_OF_RANGE,
                details={"point": index, "time": time.isoformat()},
            )
        previous = self.previous
        if previous is not None and time < previous:
            raise ActivityFileError(
                "Track points must be in time order; one is earlier than the point before it.",
                code=BACKWARDS,
                details={"point": index, "time": time.isoformat(), "previous": previous.isoformat()},
            )
        self.first = self.first or time
        self.previous = time
        self.points.append(
            TrackPoint(
                time=time,
                lat=lat,
                lon=lon,
                ele=_within(ele, ELEVATION_RANGE_M),
                heart_rate=_whole_within(heart_rate, HEART_RATE_RANGE),
                cadence=_whole_within(cadence, CADENCE_RANGE),
                new_segment=self.segment_break and bool(self.points),
            )
        )
        self.segment_break = False

    def activity(self, kind: str, sport: str | None, device: str | None, name: str | None) -> ParsedActivity:
        first, last = self.first, self.previous
        if first is None or last is None:
            raise ActivityFileError("The file has no track points with a position and a time.", code=NO_POINTS)
        if last - first > MAX_DURATION:
            raise ActivityFileError(
                "An activity lasts at most 24 hours.",
                code=OUT_OF_RANGE,
                details={"started": first.isoformat(), "ended": last.isoformat()},
            )
        return ParsedActivity(
            format=kind,
            sport=sport_of(sport),
            device=_text(device),
            name=_text(name),
            points=tuple(self.points),
        )


def _shown(value: float) -> float | str:
    return value if math.isfinite(value) else str(value)


def _within(value: float | None, bounds: tuple[float, float]) -> float | None:
    if value is None or not math.isfinite(value) or not bounds[0] <= value <= bounds[1]:
        return None
    return value


def _whole_within(value: float | None, bounds: tuple[int, int]) -> int | None:
    kept = _within(value, (float(bounds[0]), float(bounds[1])))
    return None if kept is None else round(kept)


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value[:200] or None


# --- GPX and TCX -----------------------------------------------------------------------------------

# What each XML format calls its root, its point, and the values a point carries (by local name).
_ROOT = {"gpx": "gpx", "tcx": "TrainingCenterDatabase"}
_POINT = {"gpx": "trkpt", "tcx": "Trackpoint"}
_ELEVATION = {"gpx": ("ele",), "tcx": ("AltitudeMeters",)}
_HEART_RATE = {"gpx": ("hr", "heartrate"), "tcx": ("Value",)}
_CADENCE = {"gpx": ("cad", "cadence"), "tcx": ("Cadence", "RunCadence")}
_SEGMENT = {"gpx": ("trk", "trkseg"), "tcx": ("Track",)}


def _parse_xml(data: bytes, kind: str, limits: Limits) -> ParsedActivity:
    from xml.parsers import expat

    reader = _XmlReader(kind, limits)
    parser = expat.ParserCreate(namespace_separator="}")  # a name arrives as "namespace}local"
    parser.buffer_text = True
    # defusedxml's guard, on the same expat parser: the first DTD declaration stops the parse.
    parser.StartDoctypeDeclHandler = _forbidden
    parser.EntityDeclHandler = _forbidden
    parser.UnparsedEntityDeclHandler = _forbidden
    parser.ExternalEntityRefHandler = _forbidden_reference
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.text
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise ActivityFileError(f"The file is not well-formed XML ({exc}).", code=INVALID) from exc
    except (LookupError, UnicodeError) as exc:  # an encoding Python does not know, or bytes not in it
        raise ActivityFileError(f"The file's text encoding cannot be read ({exc}).", code=INVALID) from exc
    return reader.activity()


def _forbidden(*_: object) -> None:
    raise ActivityFileError("XML with a DTD, entities or external references is refused.", code=FORBIDDEN_XML)


def _forbidden_reference(*_: object) -> int:
    _forbidden()
    return 0  # never reached: expat would read a return of 0 as a refusal too


class _XmlReader:
    """expat's callbacks for GPX and TCX: builds no tree, keeps only the open point's values."""

    def __init__(self, kind: str, limits: Limits) -> None:
        self.kind = kind
        self.points = _Points(limits)
        self.labels: dict[str, str] = {}
        self.path: list[str] = []
        self.point: dict[str, str] | None = None  # the open point's values, by local name
        self.position: tuple[str | None, str | None] = (None, None)  # a GPX point's lat and lon
        self.chunks: list[str] = []

    def start(self, name: str, attributes: dict[str, str]) -> None:
        tag = name.rpartition("}")[2]
        if not self.path and tag != _ROOT[self.kind]:
            raise ActivityFileError(f"A {self.kind.upper()} file's root element is <{_ROOT[self.kind]}>.", code=INVALID)
        self.path.append(tag)
        self.chunks.clear()
        if tag == _POINT[self.kind]:
            self.point = {}
            self.position = (attributes.get("lat"), attributes.get("lon"))
        elif tag in _SEGMENT[self.kind]:
            self.points.segment_break = True
        elif self.kind == "gpx" and tag == "gpx" and attributes.get("creator"):
            self.labels["device"] = attributes["creator"]
        elif self.kind == "tcx" and tag == "Activity" and attributes.get("Sport"):
            self.labels.setdefault("sport", attributes["Sport"])

    def text(self, data: str) -> None:
        self.chunks.append(data)

    def end(self, _: str) -> None:
        tag = self.path.pop()
        text = "".join(self.chunks).strip() if self.chunks else ""
        self.chunks.clear()
        if tag == _POINT[self.kind]:
            values, self.point = self.point or {}, None
            _add_xml_point(self.kind, values, self.position, self.points)
        elif self.point is not None:
            if text:
                self.point.setdefault(tag, text)
        elif text and self.path:
            self._label(tag, self.path[-1], text)

    def _label(self, tag: str, parent: str, text: str) -> None:
        if self.kind == "gpx" and parent == "trk" and tag in ("name", "type"):
            self.labels.setdefault("sport" if tag == "type" else "name", text)
        elif self.kind == "gpx" and parent == "metadata" and tag == "name":
            self.labels.setdefault("title", text)
        elif self.kind == "tcx" and parent == "Creator" and tag == "Name":
            self.labels["device"] = text

    def activity(self) -> ParsedActivity:
        name = self.labels.get("name") or self.labels.get("title")  # the track's own name, else the file's
        return self.points.activity(self.kind, self.labels.get("sport"), self.labels.get("device"), name)


def _add_xml_point(kind: str, values: dict[str, str], position: tuple[str | None, str | None], points: _Points) -> None:
    index = len(points.points)
    if kind == "gpx":
        lat, lon = position
    else:
        lat, lon = values.get("LatitudeDegrees"), values.get("LongitudeDegrees")
    if lat is None or lon is None:
        if kind == "tcx":
            return  # a TCX point without a position (indoors, before a fix) draws nothing
        raise ActivityFileError("A GPX track point needs lat and lon.", code=INVALID, details={"point": index})
    time_text = values.get("time" if kind == "gpx" else "Time")
    if time_text is None:
        raise ActivityFileError(
            "Every track point needs a time (a route without times is not an activity).",
            code=INVALID,
            details={"point": index},
        )
    points.add(
        _instant(time_text, index),
        _number(lat, "latitude", index),
        _number(lon, "longitude", index),
        _first_number(values, _ELEVATION[kind], index),
        _first_number(values, _HEART_RATE[kind], index),
        _first_number(values, _CADENCE[kind], index),
    )


def _number(text: str, what: str, index: int) -> float:
    try:
        return float(text)
    except ValueError:
        raise ActivityFileError(
            f"A track point's {what} is not a number.", code=INVALID, details={"point": index}
        ) from None


def _first_number(values: dict[str, str], names: tuple[str, ...], index: int) -> float | None:
    for name in names:
        if name in values:
            return _number(values[name], name, index)
    return None


def _instant(text: str, index: int) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ActivityFileError(
            "A track point's time is not an ISO 8601 date and time.", code=INVALID, details={"point": index}
        ) from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)  # GPX and TCX times are UTC when they name no offset
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # year 1 with a positive offset (or 9999 with a negative) leaves the calendar
        raise ActivityFileError(
            "A track point's time is before 1990 or in the future.", code=OUT_OF_RANGE, details={"point": index}
        ) from None


# --- FIT ---------------------------------------------------------------------------------------------


def _parse_fit(data: bytes, limits: Limits) -> ParsedActivity:
    import fitdecode

    if len(data) < 12 or data[8:12] != b".FIT":
        raise ActivityFileError("The file is not a FIT file (no .FIT signature).", code=INVALID)
    try:
        return _read_fit(data, limits)
    except fitdecode.FitCRCError as exc:
        raise ActivityFileError("The FIT file's checksum does not match its content.", code=CHECKSUM) from exc
    except fitdecode.FitEOFError as exc:
        raise ActivityFileError("The FIT file ends before its header says it does.", code=TRUNCATED) from exc
    except fitdecode.FitError as exc:
        raise ActivityFileError(f"The FIT file cannot be read ({exc}).", code=INVALID) from exc
    except _FIT_DAMAGE as exc:
        raise ActivityFileError("The FIT file cannot be read: its content is damaged.", code=INVALID) from exc


# What fitdecode raises, besides its own errors, on bytes that break the protocol (found by
# tests/unit/activities/test_fuzzed_files.py): a field read past its message, an impossible value.
_FIT_DAMAGE = (
    AssertionError,  # fitdecode asserts that a message fits in the body its header declares
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    OverflowError,
    ZeroDivisionError,
    struct.error,
)


def _read_fit(data: bytes, limits: Limits) -> ParsedActivity:
    import fitdecode

    points = _Points(limits)
    labels: dict[str, str] = {}
    handlers: dict[str, Callable[[fitdecode.FitDataMessage], None]] = {
        "record": lambda frame: _add_fit_point(frame, points),
        "file_id": lambda frame: _fit_device(frame, labels),
        "sport": lambda frame: _fit_sport(frame, labels),
        "session": lambda frame: _fit_sport(frame, labels),
        "event": lambda frame: _fit_event(frame, points),
    }
    with fitdecode.FitReader(
        io.BytesIO(data),
        check_crc=fitdecode.CrcCheck.RAISE,
        error_handling=fitdecode.ErrorHandling.RAISE,
        processor=None,  # a quarter faster: times stay FIT's seconds, turned into datetimes below
    ) as reader:
        messages = 0
        for frame in reader:
            if frame.frame_type == fitdecode.FIT_FRAME_DATA:
                messages += 1
                if messages > limits.fit_messages:
                    raise ActivityFileError(
                        f"A FIT activity file may have at most {limits.fit_messages} messages.",
                        code=TOO_MANY,
                        details={"max_messages": limits.fit_messages},
                    )
                handler = handlers.get(frame.name)
                if handler is not None:
                    handler(frame)
    return points.activity("fit", labels.get("sport"), labels.get("device"), None)


def _fit_values(frame: object) -> dict[str, object]:
    return {field.name: field.value for field in frame.fields if field.value is not None}  # type: ignore[attr-defined]


def _add_fit_point(frame: object, points: _Points) -> None:
    values = _fit_values(frame)
    lat, lon, stamp = values.get("position_lat"), values.get("position_long"), values.get("timestamp")
    if not isinstance(lat, int) or not isinstance(lon, int) or not isinstance(stamp, int):
        return  # a record before the GPS fix, or a sensor-only record: no position to draw
    ele = values.get("enhanced_altitude", values.get("altitude"))
    heart_rate, cadence = values.get("heart_rate"), values.get("cadence")
    points.add(
        FIT_EPOCH + timedelta(seconds=stamp),
        lat * SEMICIRCLE_DEGREES,
        lon * SEMICIRCLE_DEGREES,
        float(ele) if isinstance(ele, int | float) else None,
        float(heart_rate) if isinstance(heart_rate, int | float) else None,
        float(cadence) if isinstance(cadence, int | float) else None,
    )


# The timer's events that stop the recording (a pause, manual or automatic): the next record starts
# a new segment, as a new GPX <trkseg> does.
_FIT_STOPS = ("stop", "stop_all", "stop_disable", "stop_disable_all")


def _fit_event(frame: object, points: _Points) -> None:
    values = _fit_values(frame)
    if values.get("event") == "timer" and values.get("event_type") in _FIT_STOPS:
        points.segment_break = True


def _fit_sport(frame: object, labels: dict[str, str]) -> None:
    sport = _fit_values(frame).get("sport")
    if isinstance(sport, str):
        labels.setdefault("sport", sport)


def _fit_device(frame: object, labels: dict[str, str]) -> None:
    values = _fit_values(frame)
    parts = [values.get("manufacturer"), values.get("garmin_product", values.get("product"))]
    named = " ".join(str(part) for part in parts if part is not None)
    if named:
        labels.setdefault("device", named)

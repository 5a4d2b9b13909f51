"""Each format read into the same points, and every kind of bad file refused with its code, fast."""

from __future__ import annotations

import struct
import time
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib import clock
from chalicelib.domains.activities import parsing
from chalicelib.domains.activities.activity import ActivityFileError, sport_of
from chalicelib.domains.activities.parsing import MAX_POINTS, parse_activity
from chalicelib.errors import InvalidInput, UnsupportedMediaType
from tests.fixtures.activities import files, tracks

SAMPLES = tracks.realistic(seconds=600, every=1, speed_mps=3, seed=11, heart_rate=True, cadence=84)


def refused(data: bytes, media_type: str) -> ActivityFileError:
    with pytest.raises(ActivityFileError) as caught:
        parse_activity(data, media_type)
    assert isinstance(caught.value, InvalidInput)
    return caught.value


@pytest.mark.parametrize(
    ("writer", "media_type", "format", "sport", "device", "name"),
    [
        (files.watch_gpx, files.GPX, "gpx", "running", "Garmin Connect", "Morning Run"),
        (files.tcx, files.TCX, "tcx", "cycling", "Edge 530", None),
        (files.fit, files.FIT, "fit", "running", "garmin fr945", None),
    ],
)
def test_each_format_gives_every_point_with_its_values(writer, media_type, format, sport, device, name):
    activity = parse_activity(writer(SAMPLES), media_type)
    assert (activity.format, activity.sport, activity.device, activity.name) == (format, sport, device, name)
    assert len(activity.points) == len(SAMPLES)
    for point, (t, lat, lon, ele, hr, cad) in zip(activity.points, SAMPLES, strict=True):
        assert point.time == tracks.START + timedelta(seconds=t)
        assert point.time.tzinfo is not None
        assert point.lat == pytest.approx(lat, abs=1e-6) and point.lon == pytest.approx(lon, abs=1e-6)
        assert point.ele == pytest.approx(ele, abs=0.2)
        assert (point.heart_rate, point.cadence) == (hr, cad)


def test_a_phone_gpx_has_no_heart_rate_and_names_its_app():
    activity = parse_activity(files.phone_gpx(SAMPLES), files.GPX)
    assert activity.device == "Phone tracker 4.2 (gpxpy)" and activity.sport == "walking"
    assert all(point.heart_rate is None and point.cadence is None for point in activity.points)


def test_a_media_type_with_parameters_and_capitals_is_understood():
    assert parse_activity(files.watch_gpx(SAMPLES), "Application/GPX+XML; charset=utf-8").format == "gpx"


def test_a_gpx_1_0_file_without_namespace_prefixes_is_read():
    data = (
        b'<?xml version="1.0"?><gpx version="1.0" xmlns="http://www.topografix.com/GPX/1/0"><trk><trkseg>'
        b'<trkpt lat="45.0" lon="7.0"><time>2026-05-01T06:00:00+02:00</time></trkpt>'
        b'<trkpt lat="45.001" lon="7.0"><time>2026-05-01T06:00:30.5</time></trkpt>'
        b"</trkseg></trk></gpx>"
    )
    activity = parse_activity(data, files.GPX)
    assert [point.time for point in activity.points] == [
        datetime(2026, 5, 1, 4, 0, tzinfo=UTC),
        datetime(2026, 5, 1, 6, 0, 30, 500000, tzinfo=UTC),
    ]
    assert activity.sport == "other" and activity.name is None


def test_a_new_tcx_track_is_a_break_in_the_recording():
    data = files.tcx(SAMPLES[:4]).replace(
        b"</Trackpoint>\n      <Trackpoint>", b"</Trackpoint></Track><Track><Trackpoint>"
    )
    points = parse_activity(data, files.TCX).points
    assert [point.new_segment for point in points] == [False, True, True, True]


def test_tcx_points_without_a_position_are_left_out():
    data = files.tcx(SAMPLES[:3]).replace(
        b"<Trackpoint>", b"<Trackpoint><Time>2026-05-01T05:59:00Z</Time></Trackpoint><Trackpoint>", 1
    )
    assert len(parse_activity(data, files.TCX).points) == 3


def test_fit_records_before_the_gps_fix_are_left_out():
    data = files.fit([(0.0, 0.0, 0.0, None, 90, None), *SAMPLES[1:4]])
    # The encoder writes 0,0 as a position; a record without one carries FIT's invalid value.
    without = data.replace(struct.pack("<ii", 0, 0), struct.pack("<ii", 0x7FFFFFFF, 0x7FFFFFFF), 1)
    without = without[:-2] + struct.pack("<H", files.fit_crc(without[:-2]))
    assert len(parse_activity(without, files.FIT).points) == 3


@pytest.mark.parametrize(
    ("label", "sport"),
    [
        ("Running", "running"),
        ("trail_running", "running"),
        ("Biking", "cycling"),
        ("VirtualRide", "cycling"),
        ("Hike", "hiking"),
        ("walking", "walking"),
        ("open_water_swimming", "swimming"),
        ("yoga", "other"),
        (None, "other"),
    ],
)
def test_a_files_sport_label_becomes_one_of_strides(label, sport):
    assert sport_of(label) == sport


# --- refused ------------------------------------------------------------------------------------------


def test_another_media_type_is_415():
    with pytest.raises(UnsupportedMediaType):
        parse_activity(files.watch_gpx(SAMPLES), "application/json")


@pytest.mark.parametrize("media_type", [files.GPX, files.TCX])
@pytest.mark.parametrize(
    "data", [b"", b"not xml at all", b"\x89PNG\r\n\x1a\n", b"<gpx><trk>"], ids=["empty", "text", "png", "unclosed"]
)
def test_what_is_not_xml_is_invalid(data, media_type):
    assert refused(data, media_type).code == "invalid_activity_file"


def test_xml_of_another_kind_is_invalid():
    assert refused(b"<html><body>hello</body></html>", files.GPX).code == "invalid_activity_file"
    assert refused(files.watch_gpx(SAMPLES), files.TCX).code == "invalid_activity_file"


@pytest.mark.parametrize("data", [b"", b"hello world, not fit", files.watch_gpx(SAMPLES)], ids=["empty", "text", "gpx"])
def test_what_is_not_fit_is_invalid(data):
    assert refused(data, files.FIT).code == "invalid_activity_file"


def test_a_truncated_fit_is_refused():
    data = files.fit(SAMPLES)
    error = refused(data[: len(data) // 2], files.FIT)
    assert error.code == "truncated_activity_file"


def test_a_fit_whose_crc_does_not_match_is_refused():
    data = bytearray(files.fit(SAMPLES))
    first_record = 14 + 18 + 10 + 9 + 2 + 24  # header, file_id and sport (definition, data), record's definition
    heart_rate = first_record + 10 * 17 + 15  # the eleventh record's heart rate byte
    assert data[heart_rate] == SAMPLES[10][4]
    data[heart_rate] ^= 0x01  # one bit, the CRC unchanged: every value still plausible
    assert refused(bytes(data), files.FIT).code == "activity_file_checksum"


def test_a_fit_whose_header_crc_does_not_match_is_refused():
    data = bytearray(files.fit(SAMPLES))
    data[12] ^= 0xFF
    assert refused(bytes(data), files.FIT).code in ("activity_file_checksum", "invalid_activity_file")


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (b'<?xml version="1.0"?><gpx version="1.1" creator="x"><trk><trkseg></trkseg></trk></gpx>', files.GPX),
        (b'<gpx><wpt lat="45" lon="7"><time>2026-05-01T06:00:00Z</time></wpt></gpx>', files.GPX),
        (files.tcx(SAMPLES[:1]).replace(b"<Position>", b"<!--").replace(b"</Position>", b"-->"), files.TCX),
        (None, files.FIT),
    ],
    ids=["empty track", "waypoints only", "tcx without positions", "fit without records"],
)
def test_a_file_without_track_points_is_refused(data, media_type):
    if data is None:
        data = _fit_without_records()
    assert refused(data, media_type).code == "no_track_points"


def _fit_without_records() -> bytes:
    full = files.fit(SAMPLES[:1])
    header_size = 14
    record_size = 1 + 4 + 4 + 4 + 2 + 1 + 1
    body = full[header_size:-2][:-record_size]
    header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(body), b".FIT")
    header += struct.pack("<H", files.fit_crc(header))
    return header + body + struct.pack("<H", files.fit_crc(header + body))


OFF_THE_GLOBE = [
    pytest.param(lat, lon, writer, media_type, id=f"{media_type.rpartition('/')[2]} {lat},{lon}")
    for lat, lon in [(91.0, 7.0), (-90.5, 7.0), (45.0, 180.5), (45.0, -181.0)]
    for writer, media_type in [(files.watch_gpx, files.GPX), (files.tcx, files.TCX), (files.fit, files.FIT)]
    # A FIT position is a 32-bit semicircle: it reaches 180 degrees of latitude, not past 180 of longitude.
    if not (media_type == files.FIT and abs(lon) > 180)
]


@pytest.mark.parametrize(("lat", "lon", "writer", "media_type"), OFF_THE_GLOBE)
def test_a_point_off_the_globe_is_refused(lat, lon, writer, media_type):
    bad = [*SAMPLES[:5], (5.0, lat, lon, 100.0, None, None), *SAMPLES[6:10]]
    error = refused(writer(bad), media_type)
    assert error.code == "point_out_of_range" and error.details["point"] == 5


@pytest.mark.parametrize("value", ["NaN", "inf", "north"])
def test_a_position_that_is_not_a_number_is_refused(value):
    data = files.watch_gpx(SAMPLES[:3]).replace(f'lat="{SAMPLES[1][1]:.7f}"'.encode(), f'lat="{value}"'.encode())
    assert refused(data, files.GPX).code in ("point_out_of_range", "invalid_activity_file")


@pytest.mark.parametrize(
    "writer,media_type", [(files.watch_gpx, files.GPX), (files.tcx, files.TCX), (files.fit, files.FIT)]
)
def test_timestamps_going_backwards_are_refused(writer, media_type):
    bad = list(SAMPLES[:10])
    bad[6] = (3.0, *bad[6][1:])
    error = refused(writer(bad), media_type)
    assert error.code == "timestamps_out_of_order" and error.details["point"] == 6


def test_a_gpx_point_without_a_time_is_refused():
    data = files.watch_gpx(SAMPLES[:3]).replace(b"<time>2026-05-01T06:00:01Z</time>", b"")
    assert refused(data, files.GPX).code == "invalid_activity_file"


def test_a_time_in_the_future_is_refused():
    with clock.travel_to(datetime(2026, 4, 1, tzinfo=UTC)):
        assert refused(files.watch_gpx(SAMPLES), files.GPX).code == "point_out_of_range"


def test_a_time_off_the_calendar_once_in_utc_is_refused_not_a_crash():
    # Year 1 at +01:00 is year 0 in UTC: astimezone raised OverflowError, a 500.
    data = files.watch_gpx(SAMPLES[:3]).replace(b"2026-05-01T06:00:01Z", b"0001-01-01T00:00:00+01:00")
    assert refused(data, files.GPX).code == "point_out_of_range"


def test_an_activity_longer_than_a_day_is_refused():
    long = [SAMPLES[0], (25 * 3600.0, *SAMPLES[1][1:])]
    assert refused(files.watch_gpx(long), files.GPX).code == "point_out_of_range"


def test_an_implausible_sensor_value_is_dropped_not_the_point():
    odd = [(0.0, 45.0, 7.0, 20_000.0, 300, 400), (1.0, 45.00001, 7.0, 100.0, 140, 80)]
    points = parse_activity(files.watch_gpx(odd), files.GPX).points
    assert (points[0].ele, points[0].heart_rate, points[0].cadence) == (None, None, None)
    assert (points[1].ele, points[1].heart_rate, points[1].cadence) == (100.0, 140, 80)


def test_more_than_max_points_is_refused_as_soon_as_counted():
    samples = tracks.meridian(MAX_POINTS * 2, MAX_POINTS)  # MAX_POINTS + 1 points
    error = refused(files.watch_gpx(samples, sport="cycling"), files.GPX)
    assert error.code == "too_many_points" and error.details == {"max_points": MAX_POINTS}


def test_the_limits_are_exact_and_a_caller_may_pass_its_own():
    small = parsing.Limits(points=50, fit_messages=60)
    assert len(parse_activity(files.fit(tracks.meridian(100, 49)), files.FIT, small).points) == 50
    assert refused_within(files.fit(tracks.meridian(100, 50)), files.FIT, small).details == {"max_points": 50}
    assert len(parse_activity(files.tcx(tracks.meridian(100, 49)), files.TCX, small).points) == 50
    assert refused_within(files.tcx(tracks.meridian(100, 50)), files.TCX, small).code == "too_many_points"


def test_a_fit_with_more_messages_than_allowed_is_refused_whatever_they_hold():
    before_fix = [(float(t), 0.0, 0.0, None, 90, None) for t in range(70)]  # records without a position
    data = files.fit([*before_fix, *tracks.meridian(100, 9)])
    data = data.replace(struct.pack("<ii", 0, 0), struct.pack("<ii", 0x7FFFFFFF, 0x7FFFFFFF))
    data = data[:-2] + struct.pack("<H", files.fit_crc(data[:-2]))
    assert len(parse_activity(data, files.FIT).points) == 10
    error = refused_within(data, files.FIT, parsing.Limits(points=50, fit_messages=60))
    assert error.code == "too_many_points" and error.details == {"max_messages": 60}


def refused_within(data: bytes, media_type: str, limits: parsing.Limits) -> ActivityFileError:
    with pytest.raises(ActivityFileError) as caught:
        parse_activity(data, media_type, limits)
    return caught.value


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE gpx [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<gpx><trk><name>&lol9;</name><trkseg>
<trkpt lat="45" lon="7"><time>2026-05-01T06:00:00Z</time></trkpt>
</trkseg></trk></gpx>
"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE TrainingCenterDatabase [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<TrainingCenterDatabase><Activities><Activity Sport="&secret;"/></Activities></TrainingCenterDatabase>
"""
EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE gpx SYSTEM "http://169.254.169.254/latest/meta-data/">
<gpx><trk><trkseg><trkpt lat="45" lon="7"><time>2026-05-01T06:00:00Z</time></trkpt></trkseg></trk></gpx>
"""


@pytest.mark.parametrize(
    ("data", "media_type"),
    [(BILLION_LAUGHS, files.GPX), (EXTERNAL_ENTITY, files.TCX), (EXTERNAL_DTD, files.GPX)],
    ids=["billion laughs", "external entity", "external dtd"],
)
def test_a_dtd_or_entity_is_refused_before_anything_is_expanded(data, media_type):
    started = time.process_time()
    error = refused(data, media_type)
    assert error.code == "forbidden_xml"
    # Expanded, the bomb is 10**9 "lol"s (3 GB); refused at its DOCTYPE it costs well under a second
    # even on a busy machine. (Not a timing test: an expansion would not finish at all.)
    assert time.process_time() - started < 1.0


@pytest.mark.parametrize(
    "declaration",
    [b'<?xml version="1.0" encoding="TTF-8"?>', b'<?xml version="1.0" encoding="utf-16"?>'],
    ids=["unknown encoding", "wrong encoding"],
)
def test_xml_in_an_encoding_that_cannot_be_read_is_invalid(declaration):
    data = declaration + files.watch_gpx(SAMPLES[:3]).partition(b"?>")[2]
    assert refused(data, files.GPX).code == "invalid_activity_file"


def test_xml_in_latin_1_is_read():
    data = files.watch_gpx(SAMPLES[:3], name="Café").replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"')
    assert parse_activity(data.replace("Café".encode(), "Café".encode("latin-1")), files.GPX).name == "Café"

"""An activity as a GPX 1.1 file at full resolution: every point, its time, elevation, heart rate and
cadence (Garmin's TrackPointExtension v1), so a person's data leaves as it came in.

Written by hand (the format is a few lines a point); parsing.parse_activity reads it back to the
same ParsedActivity (a test proves the round trip)."""

from __future__ import annotations

from html import escape  # &, <, >, " and ' as character references: valid in XML text and attributes

from chalicelib.domains.activities.activity import ParsedActivity, TrackPoint

CREATOR = "Stride"
_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<gpx version="1.1" creator={creator} xmlns="http://www.topografix.com/GPX/1/1"'
    ' xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1"'
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    ' xsi:schemaLocation="http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/1/1/gpx.xsd">\n'
)


def to_gpx(activity: ParsedActivity) -> bytes:
    """The activity as GPX 1.1 (UTF-8 bytes)."""
    parts = [_HEAD.format(creator=f'"{escape(activity.device or CREATOR)}"'), "<trk>\n"]
    if activity.name:
        parts.append(f"<name>{escape(activity.name)}</name>\n")
    parts.append(f"<type>{escape(activity.sport)}</type>\n<trkseg>\n")
    for point in activity.points:
        if point.new_segment:
            parts.append("</trkseg>\n<trkseg>\n")
        parts.append(_point(point))
    parts.append("</trkseg>\n</trk>\n</gpx>\n")
    return "".join(parts).encode("utf-8")


def _point(point: TrackPoint) -> str:
    text = [f'<trkpt lat="{point.lat!r}" lon="{point.lon!r}">']
    if point.ele is not None:
        text.append(f"<ele>{point.ele!r}</ele>")
    if point.time is not None:
        text.append(f"<time>{point.time.isoformat().replace('+00:00', 'Z')}</time>")
    extension = ""
    if point.heart_rate is not None:
        extension += f"<gpxtpx:hr>{point.heart_rate}</gpxtpx:hr>"
    if point.cadence is not None:
        extension += f"<gpxtpx:cad>{point.cadence}</gpxtpx:cad>"
    if extension:
        text.append(f"<extensions><gpxtpx:TrackPointExtension>{extension}</gpxtpx:TrackPointExtension></extensions>")
    text.append("</trkpt>\n")
    return "".join(text)

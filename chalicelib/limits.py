"""Limits the services enforce and the schemas publish in the OpenAPI document: one place, and
no AWS import (the schemas load at import time; nothing there may pull in boto3)."""

from __future__ import annotations

from decimal import Decimal

# A weight is plausible between these, in kilograms, whatever unit it was entered in.
MIN_KG, MAX_KG = Decimal(20), Decimal(500)

MB = 1024 * 1024
IMAGES = ("image/jpeg", "image/png", "image/webp")
# Per upload purpose: the largest file and the content types it may be.
UPLOAD_LIMITS: dict[str, tuple[int, tuple[str, ...]]] = {
    "avatar": (5 * MB, IMAGES),
    "post": (10 * MB, IMAGES),
    "video": (200 * MB, ("video/mp4",)),
    # An activity file too large for POST /workouts/files's body (docs/activities.md).
    "activity": (25 * MB, ("application/gpx+xml", "application/vnd.garmin.tcx+xml", "application/vnd.ant.fit")),
}

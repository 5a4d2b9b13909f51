"""Workouts, ordered by when they started: plain tracked items (chalicelib.tracked), with no rule
of their own beyond their schemas. The template for a new domain of logged items."""

from __future__ import annotations

from typing import Any

from chalicelib.domains.workouts.store import WORKOUTS, WorkoutItem
from chalicelib.timeline import without_stored_fields
from chalicelib.tracked import TrackedService

# What an activity file's workout keeps for the API's own use (the file's hash, whether its track is
# in the bucket): not part of the exported record, which an import must take as a new workout.
INTERNAL = ("file_sha256", "track")


class WorkoutService(TrackedService[WorkoutItem]):
    kind = WORKOUTS
    moment = "started_at"

    @classmethod
    def export_record(cls, item: WorkoutItem) -> dict[str, Any]:
        return without_stored_fields(dict(item), *INTERNAL)

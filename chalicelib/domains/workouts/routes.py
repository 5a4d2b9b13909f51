"""Workouts: the five routes of plain tracked items (chalicelib/tracked_routes.py)."""

from __future__ import annotations

from chalicelib import deps
from chalicelib.api.router import Router
from chalicelib.tracked_routes import tracked_routes

router = Router("workouts")

create_workout, list_workouts, get_workout, patch_workout, delete_workout = tracked_routes(
    router,
    __name__,
    deps.workouts,
    item="workout",
    schemas="chalicelib.domains.workouts.schemas",
    create="Log a workout",
    listing="Workouts, newest first, optionally between from and to (by started_at)",
)

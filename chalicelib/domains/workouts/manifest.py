"""Workouts: when, how long, what kind."""

from chalicelib.domains.workouts.routes import router
from chalicelib.manifest import Domain, Events, Records

_SERVICE = "chalicelib.domains.workouts.service"

DOMAIN = Domain(
    "workouts",
    routers=(router,),
    records=(
        Records(
            "workouts",
            kind="chalicelib.domains.workouts.store:WORKOUTS",
            export=f"{_SERVICE}:WorkoutService.export_record",
            record_schema="chalicelib.domains.workouts.schemas:WorkoutRecord",
            build=f"{_SERVICE}:WorkoutService.build",
        ),
    ),
    events=(
        Events(
            "workout",
            items="chalicelib.domains.workouts.store:WORKOUTS",
            service="chalicelib.deps:workouts",
            schema="chalicelib.domains.workouts.schemas:Workout",
        ),
    ),
)

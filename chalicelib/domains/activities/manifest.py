"""Activities: GPX, TCX and FIT files become workouts (with their figures, splits and track), and
personal bests across them (docs/activities.md). The workouts stay the workouts domain's items:
this domain adds the file's route, the tracks in the bucket and the records."""

from chalicelib.domains.activities.routes import router
from chalicelib.manifest import Domain

DOMAIN = Domain(
    "activities",
    routers=(router,),
    jobs=(("activities.rebuild_records", "chalicelib.domains.activities.jobs:rebuild_records"),),
)

"""Activities: GPX, TCX and FIT files become workouts (with their figures, splits and track), and
personal bests across them (docs/activities.md). The workouts stay the workouts domain's items:
this domain adds the file's route, the tracks in the bucket and the records."""

from chalicelib.domains.activities.routes import router
from chalicelib.manifest import Domain

DOMAIN = Domain(
    "activities",
    routers=(router,),
    jobs=(
        # The stream queues it when every kept best of a record was deleted.
        ("activities.rebuild_records", "chalicelib.domains.activities.jobs:rebuild_records"),
        # POST /workouts/files with {"media_id"} queues it: the uploaded file becomes a workout.
        ("activities.parse_upload", "chalicelib.domains.activities.jobs:parse_upload"),
    ),
)

"""Tasks with a due date, done or open."""

from chalicelib.domains.tasks.routes import router
from chalicelib.manifest import Domain, Events, FlagEvent, Records

_SERVICE = "chalicelib.domains.tasks.service"

DOMAIN = Domain(
    "tasks",
    routers=(router,),
    records=(
        Records(
            "tasks",
            kind="chalicelib.domains.tasks.store:TASKS",
            export=f"{_SERVICE}:TaskService.export_record",
            record_schema="chalicelib.domains.tasks.schemas:TaskRecord",
            build=f"{_SERVICE}:TaskService.build",
        ),
    ),
    events=(
        Events(
            "task",
            items="chalicelib.domains.tasks.store:TASKS",
            service="chalicelib.deps:tasks",
            schema="chalicelib.domains.tasks.schemas:Task",
            extra=(FlagEvent("task.completed", flag="done"),),
        ),
    ),
)

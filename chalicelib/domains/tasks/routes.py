"""Tasks: the five routes of tracked items (chalicelib/tracked_routes.py); their summaries say how a
task's list and patch differ (stored by state)."""

from __future__ import annotations

from chalicelib import deps
from chalicelib.api.router import Router
from chalicelib.tracked_routes import tracked_routes

router = Router("tasks")

create_task, list_tasks, get_task, patch_task, delete_task = tracked_routes(
    router,
    __name__,
    deps.tasks,
    item="task",
    schemas="chalicelib.domains.tasks.schemas",
    create="Add a task",
    listing="Tasks: all (newest first), open (soonest due first) or done (latest first); due_before filters",
    patch="Change a task; toggling done records or clears completed_at (If-Match: version)",
)

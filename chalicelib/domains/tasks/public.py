"""What other domains may use of tasks. Another domain imports
this module, never the others of this folder."""

from chalicelib.domains.tasks.service import TaskService
from chalicelib.domains.tasks.store import NO_DUE_DATE, TASKS, open_tasks

__all__ = ["NO_DUE_DATE", "TASKS", "TaskService", "open_tasks"]

"""Tasks: open or done, with an optional due date. Created, read, deleted and exported as plain
tracked items (chalicelib.tracked); how each state is stored, changed and listed is the store's
(chalicelib.domains.tasks.store)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from chalicelib.domains.tasks.store import TASKS, TaskItem, TaskStore, indexed, present
from chalicelib.errors import InvalidInput
from chalicelib.identity import Identity
from chalicelib.tracked import Preferences, TrackedService

if TYPE_CHECKING:
    from chalicelib.tracked import PreferencesSource


def _due_text(due: date | None) -> str | None:
    return due.isoformat() if due else None


class TaskService(TrackedService[TaskItem]):
    kind = TASKS

    def __init__(self, tasks: TaskStore, preferences: PreferencesSource):
        super().__init__(tasks, preferences)
        self._tasks = tasks

    @classmethod
    def build(cls, body: dict[str, Any], meta: Mapping[str, Any], zone: str) -> TaskItem:
        """The stored item for a validated body (a new one, or one being imported), in the index of its state."""
        item = super().build({**body, "due_date": _due_text(body.get("due_date"))}, meta, zone)
        return cast(TaskItem, indexed(dict(item)))

    @classmethod
    def present(cls, item: TaskItem, preferences: Preferences) -> dict[str, Any]:
        return present(dict(item))

    @classmethod
    def export_record(cls, item: TaskItem) -> dict[str, Any]:
        return present(dict(item))

    def patch(
        self, identity: Identity, item_id: str, changes: dict[str, Any], expected_version: int | None
    ) -> dict[str, Any]:
        if not changes:
            raise InvalidInput("Name at least one field to change.", code="empty_patch")
        if "due_date" in changes:
            changes["due_date"] = _due_text(changes["due_date"])
        if "done" in changes:
            return present(self._tasks.set_done(identity, item_id, changes, expected_version))
        if "due_date" in changes:
            return present(self._tasks.redate(identity, item_id, changes, expected_version))
        return present(self._tasks.change(identity, item_id, changes, expected_version))

    def list(self, identity: Identity, query: dict[str, Any]) -> dict[str, Any]:
        status, due_before = query.get("status"), _due_text(query.get("due_before"))
        items, cursor = self._tasks.page_by_status(identity, status, due_before, query)
        return {"items": [present(item) for item in items], "next_cursor": cursor}

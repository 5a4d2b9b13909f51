"""Tasks: open or done, with an optional due date. How each state is stored and listed is the
store's (chalicelib.domains.tasks.store)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from chalicelib.domains.tasks.store import TaskStore, indexed, present
from chalicelib.errors import InvalidInput
from chalicelib.identity import Identity

if TYPE_CHECKING:
    from chalicelib.domains.me.public import PreferencesService


def _due_text(due: date | None) -> str | None:
    return due.isoformat() if due else None


class TaskService:
    def __init__(self, tasks: TaskStore, preferences: PreferencesService):
        self._tasks = tasks
        self._preferences = preferences

    @staticmethod
    def build(body: dict[str, Any], meta: dict[str, Any], zone: str) -> dict[str, Any]:
        """The stored item for a validated body (a new one, or one being imported)."""
        fields = {**body, "due_date": _due_text(body.get("due_date"))}
        return indexed({**{key: value for key, value in fields.items() if value is not None}, **meta})

    export_record = staticmethod(present)

    def view(self, identity: Identity, item: dict[str, Any]) -> dict[str, Any]:
        """A stored item as the API answers it (for events about it)."""
        return present(item)

    def create(self, identity: Identity, body: dict[str, Any], idempotency_key: str | None) -> dict[str, Any]:
        item = self.build(body, self._tasks.new_meta(), "UTC")
        return present(self._tasks.create(identity, item, idempotency_key, body))

    def get(self, identity: Identity, item_id: str) -> dict[str, Any]:
        return present(self._tasks.get(identity, item_id))

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

    def delete(self, identity: Identity, item_id: str, expected_version: int | None) -> None:
        self._tasks.delete(identity, item_id, expected_version)

    def list(self, identity: Identity, query: dict[str, Any]) -> dict[str, Any]:
        status, due_before = query.get("status"), _due_text(query.get("due_before"))
        items, cursor = self._tasks.page_by_status(identity, status, due_before, query)
        return {"items": [present(item) for item in items], "next_cursor": cursor}

"""Tasks. Open tasks are indexed by due date (OSK, on open tasks only); done tasks by when
they were completed (TSK). Toggling `done` moves a task between the two in the same UpdateItem."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from chalicelib.collection import Collection, update_from
from chalicelib.errors import InvalidInput
from chalicelib.identity import Identity
from chalicelib.repositories.dynamo import UpdateBuilder
from chalicelib.repositories.items import OPEN_TASKS_INDEX, TIME_INDEX, Kind, StateChanged

TASKS = Kind("tasks", "TASK#")
NO_DUE_DATE = "~"  # sorts after every date: undated open tasks come last
_INTERNAL = ("TSK", "OSK")


def _present(item: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in item.items() if key not in _INTERNAL}


def _done_key(completed_at: str, item_id: str) -> str:
    return f"{TASKS.prefix}{completed_at}#{item_id}"


def _due_text(due: date | None) -> str | None:
    return due.isoformat() if due else None


class TaskService:
    def __init__(self, items: Any, idempotency: Any, cursors: Any, preferences: Any):
        self._items = Collection(items, idempotency, cursors)
        self._preferences = preferences

    @staticmethod
    def build(body: dict[str, Any], meta: dict[str, Any], zone: str) -> dict[str, Any]:
        """The stored item for a validated body (a new one, or one being imported)."""
        fields = {**body, "due_date": _due_text(body.get("due_date"))}
        item = {**{key: value for key, value in fields.items() if value is not None}, **meta}
        if item["done"]:
            item["completed_at"] = body.get("completed_at") or item["created_at"]
            item["TSK"] = _done_key(item["completed_at"], item["id"])
        else:
            item.pop("completed_at", None)
            item["OSK"] = item.get("due_date", NO_DUE_DATE)
        return item

    export_record = staticmethod(_present)

    def view(self, identity: Identity, item: dict[str, Any]) -> dict[str, Any]:
        """A stored item as the API answers it (for events about it)."""
        return _present(item)

    def create(self, identity: Identity, body: dict[str, Any], idempotency_key: str | None) -> dict[str, Any]:
        item = self.build(body, self._items.new_meta(), "UTC")
        return _present(self._items.create(identity, item, idempotency_key, body))

    def get(self, identity: Identity, item_id: str) -> dict[str, Any]:
        return _present(self._items.get(identity, item_id))

    def patch(
        self, identity: Identity, item_id: str, changes: dict[str, Any], expected_version: int | None
    ) -> dict[str, Any]:
        if not changes:
            raise InvalidInput("Name at least one field to change.", code="empty_patch")
        if "due_date" in changes:
            changes["due_date"] = _due_text(changes["due_date"])
        if "done" in changes:
            update = self._toggle(changes, item_id)
            return _present(self._items.update(identity, item_id, update, expected_version))
        if "due_date" not in changes:
            return _present(self._items.update(identity, item_id, update_from(changes), expected_version))
        # A new due date moves an open task in the due-date index, and leaves a done one out of
        # it. Which it is needs no read: try the update for an open task, then for a done one.
        for is_open in (True, False):
            update = update_from(changes, {"OSK": changes["due_date"] or NO_DUE_DATE} if is_open else None)
            state = update.value(not is_open)
            try:
                return _present(self._items.update(identity, item_id, update, expected_version, f"done = {state}"))
            except StateChanged:
                continue
        raise StateChanged()  # toggled twice between the two attempts: vanishingly rare

    def _toggle(self, changes: dict[str, Any], item_id: str) -> UpdateBuilder:
        update = update_from({name: value for name, value in changes.items() if name != "done"})
        update.set(update.path("done"), changes["done"])
        now = self._items.clock()
        if changes["done"]:
            # Marking a done task done again keeps when it was first completed.
            for name, value in (("completed_at", now), ("TSK", _done_key(now, item_id))):
                path = update.path(name)
                update.sets.append(f"{path} = if_not_exists({path}, {update.value(value)})")
            update.removes.append(update.path("OSK"))
        else:
            update.removes.extend([update.path("completed_at"), update.path("TSK")])
            osk = update.path("OSK")
            if "due_date" in changes:
                update.set(osk, changes["due_date"] or NO_DUE_DATE)
            else:
                update.sets.append(f"{osk} = if_not_exists({update.path('due_date')}, {update.value(NO_DUE_DATE)})")
        return update

    def delete(self, identity: Identity, item_id: str, expected_version: int | None) -> None:
        self._items.delete(identity, item_id, expected_version)

    def list(self, identity: Identity, query: dict[str, Any]) -> dict[str, Any]:
        due_before = _due_text(query.get("due_before"))
        status = query.get("status")
        if status == "open":
            # Soonest due first; BETWEEN is inclusive, so stop just before the due_before date.
            bounds: dict[str, Any] = {
                "index": OPEN_TASKS_INDEX,
                "lower": "0",
                "upper": _day_before(due_before) if due_before else NO_DUE_DATE,
                "ascending": True,
            }
        elif status == "done":
            bounds = {"index": TIME_INDEX, "lower": TASKS.prefix, "upper": TASKS.prefix + "~", "ascending": False}
        else:
            bounds = {"index": None, "lower": TASKS.prefix, "upper": TASKS.prefix + "~", "ascending": False}
        if due_before and status != "open":
            bounds["filter_expression"] = "due_date < :due_before"
            bounds["filter_values"] = {":due_before": due_before}
        items, cursor = self._items.page(identity, "tasks", query, **bounds)
        return {"items": [_present(item) for item in items], "next_cursor": cursor}


def _day_before(day: str) -> str:
    return (date.fromisoformat(day) - timedelta(days=1)).isoformat()

"""How tasks are stored: open tasks sit in the due-date index (OSK, on open tasks only), done
tasks in the time index by when they were completed (TSK); toggling `done` moves a task between
the two in the same UpdateItem. The service speaks of done, open and due dates (TaskStore's
verbs); the keys, indexes and expressions are here."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any, NotRequired, cast

from chalicelib.collection import Collection, update_from
from chalicelib.identity import Identity
from chalicelib.repositories.dynamo import UpdateBuilder
from chalicelib.repositories.items import OPEN_TASKS_INDEX, TIME_INDEX, Kind, OwnedItems, StateChanged, StoredMeta

TASKS = Kind("tasks", "TASK#", "task")
NO_DUE_DATE = "~"  # sorts after every date: undated open tasks come last
_INDEX_KEYS = ("TSK", "OSK")


class TaskItem(StoredMeta):
    """A stored task: open ones carry OSK (their due date, or NO_DUE_DATE), done ones TSK and completed_at."""

    title: str
    priority: str
    done: bool
    notes: NotRequired[str]
    due_date: NotRequired[str]  # an ISO date
    completed_at: NotRequired[str]
    OSK: NotRequired[str]
    TSK: NotRequired[str]


def present(item: Mapping[str, Any]) -> dict[str, Any]:
    """A stored task without its index keys."""
    return {key: value for key, value in item.items() if key not in _INDEX_KEYS}


def _done_key(completed_at: str, item_id: str) -> str:
    return f"{TASKS.prefix}{completed_at}#{item_id}"


def indexed(item: dict[str, Any]) -> dict[str, Any]:
    """A new task placed in the index of its state (done: completed then, or when created)."""
    if item["done"]:
        item["completed_at"] = item.get("completed_at") or item["created_at"]
        item["TSK"] = _done_key(item["completed_at"], item["id"])
    else:
        item.pop("completed_at", None)
        item["OSK"] = item.get("due_date", NO_DUE_DATE)
    return item


def _toggle(changes: dict[str, Any], item_id: str, now: str) -> UpdateBuilder:
    """Marks a task done (keeping when it was first completed) or open again, with the other changes."""
    update = update_from({name: value for name, value in changes.items() if name != "done"})
    update.set(update.path("done"), changes["done"])
    if changes["done"]:
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


def _redate(changes: dict[str, Any], is_open: bool) -> tuple[UpdateBuilder, str]:
    """A new due date: it moves an open task in the due-date index and leaves a done one out of
    it. The update, and the condition (on its own names) that the task is in that state."""
    update = update_from(changes, {"OSK": changes["due_date"] or NO_DUE_DATE} if is_open else None)
    return update, f"done = {update.value(not is_open)}"


def open_tasks(items: OwnedItems, identity: Identity) -> list[dict[str, Any]]:
    """Every open task of the person, soonest due first (undated last)."""
    return items.between(identity, OPEN_TASKS_INDEX, "0", NO_DUE_DATE)


def _listing(status: str | None, due_before: str | None) -> dict[str, Any]:
    """Where a page of tasks is read: open ones soonest due first, done ones latest first, all newest first."""
    if status == "open":
        # BETWEEN is inclusive: stop just before the due_before date.
        upper = (date.fromisoformat(due_before) - timedelta(days=1)).isoformat() if due_before else NO_DUE_DATE
        return {"index": OPEN_TASKS_INDEX, "lower": "0", "upper": upper, "ascending": True}
    bounds: dict[str, Any] = {
        "index": TIME_INDEX if status == "done" else None,
        "lower": TASKS.prefix,
        "upper": TASKS.prefix + "~",
        "ascending": False,
    }
    if due_before:
        bounds["filter_expression"] = "due_date < :due_before"
        bounds["filter_values"] = {":due_before": due_before}
    return bounds


class TaskStore(Collection):
    """A person's tasks, with their Idempotency-Keys and cursors, each kept in the index of its state."""

    def change(
        self, identity: Identity, item_id: str, changes: dict[str, Any], expected_version: int | None
    ) -> TaskItem:
        """Fields other than `done` and the due date: the task stays where it is."""
        return cast(TaskItem, self.update(identity, item_id, update_from(changes), expected_version))

    def set_done(
        self, identity: Identity, item_id: str, changes: dict[str, Any], expected_version: int | None
    ) -> TaskItem:
        """Done (keeping when it was first completed) or open again, with the other changes."""
        return cast(TaskItem, self.update(identity, item_id, _toggle(changes, item_id, self.clock()), expected_version))

    def redate(
        self, identity: Identity, item_id: str, changes: dict[str, Any], expected_version: int | None
    ) -> TaskItem:
        """A new due date moves an open task in the due-date index and leaves a done one out of it.
        Which it is needs no read: the update for an open task is tried, then the one for a done one."""
        for is_open in (True, False):
            update, in_state = _redate(changes, is_open)
            try:
                return cast(TaskItem, self.update(identity, item_id, update, expected_version, in_state))
            except StateChanged:
                continue
        raise StateChanged()  # toggled twice between the two attempts: vanishingly rare

    def page_by_status(
        self, identity: Identity, status: str | None, due_before: str | None, query: dict[str, Any]
    ) -> tuple[list[dict[str, Any]], str | None]:
        return self.page(identity, "tasks", query, **_listing(status, due_before))

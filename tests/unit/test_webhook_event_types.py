"""Webhook events come from the manifests: what a change of an item means (created, updated, deleted,
and an event of its own when a flag turns on, like task.completed) is read from its domain's
`Events`, so the webhooks domain names no other domain's event."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from chalicelib import domains
from chalicelib.domains.webhooks.service import event_types
from chalicelib.manifest import Events, FlagEvent, import_named

WEBHOOKS = Path(domains.__file__).parent / "webhooks"


def _change(name, sort_key, new=None, old=None):
    return SimpleNamespace(name=name, sort_key=sort_key, owner="someone", new=new, old=old)


@pytest.mark.parametrize(
    ("name", "new", "old", "expected"),
    [
        ("INSERT", {"done": False}, None, ["task.created"]),
        ("INSERT", {"done": True}, None, ["task.created", "task.completed"]),
        ("MODIFY", {"done": True}, {"done": False}, ["task.completed"]),
        ("MODIFY", {"done": True, "title": "b"}, {"done": True, "title": "a"}, ["task.updated"]),
        ("MODIFY", {"done": False}, {"done": True}, ["task.updated"]),
        ("REMOVE", None, {"done": True}, ["task.deleted"]),
    ],
    ids=["created_open", "created_done", "marked_done", "edited_done", "reopened", "deleted"],
)
def test_a_tasks_changes_are_the_events_its_manifest_declares(name, new, old, expected):
    tasks = next(events for events in domains.events() if events.kind == "task")
    assert tasks.extra == (FlagEvent("task.completed", flag="done"),)
    prefix = import_named(tasks.items).prefix
    assert event_types(_change(name, f"{prefix}01KA", new, old)) == expected


def test_a_flag_event_is_one_any_kind_can_declare():
    """Not a task's rule: the same declaration on another kind gives that kind's events."""
    weights = Events("weight", "x:Y", "x:y", "x:Z", extra=(FlagEvent("weight.verified", flag="verified"),))
    assert weights.types == ("weight.created", "weight.updated", "weight.verified", "weight.deleted")
    assert FlagEvent("weight.verified", "verified").turned_on(None, {"verified": True})
    assert not FlagEvent("weight.verified", "verified").turned_on({"verified": True}, {"verified": True})


def test_every_event_type_a_subscriber_may_choose_comes_from_a_manifest():
    from chalicelib.domains.webhooks.schemas import EVENT_TYPES

    assert tuple(EVENT_TYPES) == tuple(event for events in domains.events() for event in events.types)
    assert "task.completed" in EVENT_TYPES


def test_the_webhooks_domain_names_no_other_domains_event():
    """Its code reads events from the manifests; an event type written into it would be a second list."""
    other_kinds = {events.kind for events in domains.events()}
    for path in WEBHOOKS.glob("*.py"):
        text = path.read_text()
        for kind in other_kinds:
            for suffix in ("created", "updated", "deleted", "completed"):
                assert f'"{kind}.{suffix}"' not in text, f"{path.name} names {kind}.{suffix}"

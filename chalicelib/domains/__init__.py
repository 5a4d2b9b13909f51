"""The installed domains, in the order their routes and tags appear: the one place a domain is added.

Each is a folder with a `manifest.py` declaring `DOMAIN` (chalicelib.manifest.Domain).
"""

from __future__ import annotations

import functools
import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chalicelib.api.router import Router
    from chalicelib.manifest import Domain, Events, Records, Single

INSTALLED = (
    "system",
    "auth",
    "me",
    "weights",
    "workouts",
    "activities",
    "tasks",
    "stats",
    "account",
    "social",
    "media",
    "videos",
    "businesses",
    "coaching",
    "email",
    "webhooks",
)


@functools.cache
def manifests() -> tuple[Domain, ...]:
    return tuple(importlib.import_module(f"chalicelib.domains.{name}.manifest").DOMAIN for name in INSTALLED)


def routers() -> tuple[Router, ...]:
    return tuple(router for domain in manifests() for router in domain.routers)


def records() -> tuple[Records, ...]:
    return tuple(records for domain in manifests() for records in domain.records)


def singles() -> tuple[Single, ...]:
    return tuple(single for domain in manifests() for single in domain.singles)


def events() -> tuple[Events, ...]:
    return tuple(events for domain in manifests() for events in domain.events)


def job_handler(kind: str) -> Any:
    """The handler a domain declared for a background job's kind (chalicelib.jobs), or None."""
    from chalicelib.manifest import import_named

    names = {job: name for domain in manifests() for job, name in domain.jobs}
    return import_named(names[kind]) if kind in names else None


def event_types() -> tuple[str, ...]:
    return tuple(event_type for events_of_kind in events() for event_type in events_of_kind.types)


def exported_names() -> tuple[tuple[str, str, bool], ...]:
    """Every key the export document holds for the user's data: (name, description, is a list)."""
    names = [(single.name, single.description, False) for single in singles()]
    names += [(listed.name, listed.description, True) for listed in records()]
    for domain in manifests():
        if domain.authored is not None:
            names += [(name, description, True) for name, description in domain.authored.names]
    return tuple(names)

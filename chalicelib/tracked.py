"""Plain tracked items, the common case in one place: create (with an Idempotency-Key), get, patch,
delete, a newest-first list between from and to, and the export and import of each item.

A domain subclasses TrackedService with its Kind, the field that orders its items in time and the
TypedDict of its stored item, and overrides only what is its own: fields derived from what was
given (`derive`: weights keep kilograms), how an item is shown (`present`: in the caller's units)
and exported (`export_record`). `workouts/service.py` is the plain example; tasks, stored by
state, keep their own patch and list.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Protocol, cast

from chalicelib.collection import Collection, update_from
from chalicelib.errors import InvalidInput
from chalicelib.identity import Identity
from chalicelib.repositories.items import Kind, StoredMeta, TimedMeta
from chalicelib.timeline import moment_fields, time_bounds, without_stored_fields

__all__ = ["Preferences", "PreferencesSource", "StoredMeta", "TimedMeta", "TrackedService"]


# The caller's preferences ("units", "timezone"), read on first use only: a GET of a workout needs none.
Preferences = Callable[[], dict[str, Any]]


class PreferencesSource(Protocol):
    def current(self, identity: Identity) -> dict[str, Any]: ...


class TrackedService[Item: Mapping[str, Any]]:
    kind: ClassVar[Kind]
    moment: ClassVar[str | None] = None  # the given field that orders the items ("started_at")

    def __init__(self, items: Collection, preferences: PreferencesSource):
        self._items = items  # with their Idempotency-Keys and cursors
        self._preferences = preferences

    # The domain's rules: a subclass overrides what differs.

    @classmethod
    def derive(cls, given: dict[str, Any], zone: Callable[[], str], item_id: str) -> dict[str, Any]:
        """Stored fields computed from given ones (a whole body, or a patch's changes), taking
        those it replaces out of `given`. Here: the moment, as given and as its index key."""
        if cls.moment is None or cls.moment not in given:
            return {}
        return moment_fields(cls.kind, cls.moment, given.pop(cls.moment), zone(), item_id)

    @classmethod
    def present(cls, item: Item, preferences: Preferences) -> dict[str, Any]:
        """A stored item as the API answers it."""
        return without_stored_fields(dict(item))

    @classmethod
    def export_record(cls, item: Item) -> dict[str, Any]:
        """The item as POST takes it, with its id and times (the export's record)."""
        return without_stored_fields(dict(item))

    # The common case.

    @classmethod
    def build(cls, body: dict[str, Any], meta: Mapping[str, Any], zone: str) -> Item:
        """The stored item for a validated body (a new one, or one being imported)."""
        given = dict(body)
        derived = cls.derive(given, lambda: zone, meta["id"])
        return cast(Item, {**{key: value for key, value in given.items() if value is not None}, **meta, **derived})

    def _preferences_of(self, identity: Identity) -> Preferences:
        return functools.cache(lambda: self._preferences.current(identity))

    def view(self, identity: Identity, item: Item) -> dict[str, Any]:
        """A stored item as the API answers it (for events about it)."""
        return self.present(item, self._preferences_of(identity))

    def create(self, identity: Identity, body: dict[str, Any], idempotency_key: str | None) -> dict[str, Any]:
        preferences = self._preferences_of(identity)
        zone = preferences()["timezone"] if self.moment else "UTC"  # the moment's, when there is one
        item = self.build(body, self._items.new_meta(), zone)
        return self.present(cast(Item, self._items.create(identity, item, idempotency_key, body)), preferences)

    def get(self, identity: Identity, item_id: str) -> dict[str, Any]:
        return self.present(cast(Item, self._items.get(identity, item_id)), self._preferences_of(identity))

    def patch(
        self, identity: Identity, item_id: str, changes: dict[str, Any], expected_version: int | None
    ) -> dict[str, Any]:
        if not changes:
            raise InvalidInput("Name at least one field to change.", code="empty_patch")
        preferences = self._preferences_of(identity)
        derived = self.derive(changes, lambda: preferences()["timezone"], item_id)
        updated = self._items.update(identity, item_id, update_from(changes, derived), expected_version)
        return self.present(cast(Item, updated), preferences)

    def delete(self, identity: Identity, item_id: str, expected_version: int | None) -> None:
        self._items.delete(identity, item_id, expected_version)

    def list(self, identity: Identity, query: dict[str, Any]) -> dict[str, Any]:
        """Newest first, between the query's from and to (whole local days for dates)."""
        preferences = self._preferences_of(identity)
        bounds = time_bounds(self.kind, query, preferences()["timezone"])
        items, cursor = self._items.page(identity, self.kind.name, query, ascending=False, **bounds)
        return {"items": [self.present(cast(Item, item), preferences) for item in items], "next_cursor": cursor}

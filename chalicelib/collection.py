"""What every kind of tracked item shares: idempotent create, get, patch, delete, and lists
paged by signed cursors. chalicelib.tracked is the service of plain tracked items over it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from chalicelib import clock
from chalicelib.clock import utc_now
from chalicelib.cursors import Pages
from chalicelib.errors import Unprocessable
from chalicelib.identity import Identity
from chalicelib.ids import new_id
from chalicelib.repositories.dynamo import UpdateBuilder
from chalicelib.repositories.idempotency import TTL_SECONDS, IdempotencyRecord
from chalicelib.repositories.items import IdempotencyKeyUsed

if TYPE_CHECKING:
    from chalicelib.cursors import CursorCodec
    from chalicelib.repositories.idempotency import IdempotencyStore
    from chalicelib.repositories.items import OwnedItems

DEFAULT_LIMIT = 20


def _canonical(value: Any) -> str:
    # 80.5 and 80.50 are the same number; dates and times by their text.
    return str(value.normalize()) if isinstance(value, Decimal) else str(value)


def fingerprint(body: dict[str, Any]) -> str:
    """The same request body, however its JSON was spaced, ordered or its numbers written, has the
    same fingerprint."""
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=_canonical).encode()).hexdigest()


class Collection:
    def __init__(
        self,
        items: OwnedItems,
        idempotency: IdempotencyStore | None,
        cursors: Callable[[], CursorCodec],
        clock: Callable[[], str] = utc_now,
        epoch: Callable[[], float] = clock.epoch,
    ):
        self.items = items
        self._idempotency = idempotency
        self._cursors = cursors
        self.clock = clock
        self._epoch = epoch

    @property
    def name(self) -> str:
        return self.items.kind.name

    def new_meta(self) -> dict[str, Any]:
        now = self.clock()
        return {"id": new_id(), "created_at": now, "updated_at": now, "version": 1}

    def create(
        self, identity: Identity, item: Mapping[str, Any], idempotency_key: str | None, body: dict[str, Any]
    ) -> dict[str, Any]:
        """Stores `item`; with an Idempotency-Key, a retry of the same body gets the first item back."""
        if idempotency_key is None or self._idempotency is None:  # a collection without keys ignores one
            self.items.create(identity, item)
            return dict(item)
        now = int(self._epoch())
        record = IdempotencyRecord(self.name, idempotency_key, fingerprint(body), dict(item), now + TTL_SECONDS, now)
        try:
            self.items.create(identity, item, record)
            return dict(item)
        except IdempotencyKeyUsed:
            stored = self._idempotency.get(identity, self.name, idempotency_key, now)
        if stored is None:  # expired between the two calls: this is a new request after all
            return self.create(identity, {**item, "id": new_id()}, idempotency_key, body)
        if stored["request_hash"] != record.request_hash:
            raise Unprocessable("This Idempotency-Key was used with another body.", code="idempotency_key_reused")
        return stored["response"]

    def get(self, identity: Identity, item_id: str) -> dict[str, Any]:
        return self.items.get(identity, item_id)

    def delete(self, identity: Identity, item_id: str, expected_version: int | None) -> None:
        self.items.delete(identity, item_id, expected_version)

    def update(
        self,
        identity: Identity,
        item_id: str,
        update: UpdateBuilder,
        expected_version: int | None,
        when: str | None = None,
    ) -> dict[str, Any]:
        update.stamp(self.clock())
        return self.items.update(identity, item_id, update, expected_version, when)

    def page(
        self, identity: Identity, list_name: str, query: dict[str, Any], **bounds: Any
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One Query. The cursor is bound to this user, this list and this query."""
        pages = Pages(self._cursors(), identity.user_id, identity.tenant_id, list_name, query)
        items, last = self.items.page(identity, limit=query.get("limit", DEFAULT_LIMIT), start=pages.start, **bounds)
        return items, pages.next_cursor(last)


def update_from(changes: dict[str, Any], derived: dict[str, Any] | None = None) -> UpdateBuilder:
    """SET the given top-level fields, REMOVE the ones given as null; `derived` are set too."""
    update = UpdateBuilder()
    for name, value in {**changes, **(derived or {})}.items():
        if value is None:
            update.removes.append(update.path(name))
        else:
            update.set(update.path(name), value)
    return update

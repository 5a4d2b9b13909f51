"""Whether the member shares their assessments and programs with their business's coaches and
admins. Off until they turn it on."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from chalicelib.clock import utc_now
from chalicelib.identity import Identity

if TYPE_CHECKING:
    from chalicelib.domains.coaching.sharing_store import SharingStore

DEFAULT = {"coach_access": False, "business_id": None, "updated_at": None}


class SharingService:
    def __init__(self, store: SharingStore, clock: Callable[[], str] = utc_now):
        self._store = store
        self._clock = clock

    def get(self, identity: Identity) -> dict[str, Any]:
        return {**DEFAULT, **(self._store.get(identity) or {})}

    def put(self, identity: Identity, body: dict[str, Any]) -> dict[str, Any]:
        # Consent is given to the business the member is in now: a business they join later sees
        # nothing until they share again.
        business_id = identity.business_id if body["coach_access"] else None
        sharing = {"coach_access": body["coach_access"], "business_id": business_id, "updated_at": self._clock()}
        self._store.put(identity, sharing)
        return sharing

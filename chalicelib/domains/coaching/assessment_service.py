"""Assessment definitions: the built-in ones (data), and those a tenant's admins add."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from chalicelib.clock import utc_now
from chalicelib.collection import DEFAULT_LIMIT
from chalicelib.cursors import Pages
from chalicelib.domains.coaching.baseline_assessment import BASELINE, BASELINE_ID
from chalicelib.errors import Forbidden, NotFound, PreconditionFailed
from chalicelib.identity import Identity
from chalicelib.ids import PATTERN as ID_PATTERN
from chalicelib.ids import new_id

if TYPE_CHECKING:
    from chalicelib.cursors import CursorCodec
    from chalicelib.domains.coaching.assessment_store import AssessmentStore

BUILT_IN = {BASELINE_ID: BASELINE}
_ID = re.compile(ID_PATTERN)


def _question(question: dict[str, Any]) -> dict[str, Any]:
    """As stored: bounds default to the range (score from min to max), integers as int."""
    stored = dict(question)
    if stored["type"] in ("integer", "number"):
        stored.setdefault("zero_at", stored["min"])
        stored.setdefault("full_at", stored["max"])
        for name in ("min", "max", "zero_at", "full_at"):
            value = Decimal(stored[name])
            stored[name] = int(value) if value == value.to_integral_value() else value
    return stored


class AssessmentService:
    def __init__(self, store: AssessmentStore, cursors: Callable[[], CursorCodec], clock: Callable[[], str] = utc_now):
        self._store = store
        self._cursors = cursors
        self._clock = clock

    def definition(self, identity: Identity, assessment_id: str) -> dict[str, Any]:
        """A built-in assessment, or one of the caller's tenant; anything else is not found."""
        if assessment_id in BUILT_IN:
            return BUILT_IN[assessment_id]
        found = self._store.get(identity.tenant_id, assessment_id) if _ID.fullmatch(assessment_id) else None
        if found is None:
            raise NotFound("No such assessment.")
        return found

    def create(self, identity: Identity, body: dict[str, Any]) -> dict[str, Any]:
        now = self._clock()
        item = {
            **body,
            "questions": [_question(question) for question in body["questions"]],
            "id": new_id(),
            "built_in": False,
            "created_by": identity.user_id,
            "created_at": now,
            "updated_at": now,
            "version": 1,
        }
        self._store.create(identity, item)
        return item

    def edit(
        self, identity: Identity, assessment_id: str, changes: dict[str, Any], expected_version: int | None
    ) -> dict[str, Any]:
        """The given fields replace the stored ones; programs made from earlier answers stay."""
        found = self._own(identity, assessment_id, expected_version)
        edited = {**found, **changes, "updated_at": self._clock(), "version": found["version"] + 1}
        if "questions" in changes:
            edited["questions"] = [_question(question) for question in changes["questions"]]
        self._store.replace(identity, edited, found["version"])
        return edited

    def delete(self, identity: Identity, assessment_id: str, expected_version: int | None) -> None:
        """The definition goes; submissions and programs already made from it stay the members'."""
        found = self._own(identity, assessment_id, expected_version)
        self._store.delete(identity, assessment_id, found["version"])

    def _own(self, identity: Identity, assessment_id: str, expected_version: int | None) -> dict[str, Any]:
        if assessment_id in BUILT_IN:
            raise Forbidden("A built-in assessment cannot be changed.", code="built_in")
        found = self.definition(identity, assessment_id)
        if expected_version is not None and expected_version != found["version"]:
            raise PreconditionFailed("The assessment changed meanwhile; read it again.")
        return found

    def list(self, identity: Identity, query: dict[str, Any]) -> dict[str, Any]:
        """The built-in assessments first (on the first page), then the tenant's, newest first."""
        pages = Pages(self._cursors(), identity.user_id, identity.tenant_id, "assessments", query)
        items, last = self._store.page(identity.tenant_id, query.get("limit", DEFAULT_LIMIT), pages.start)
        built_in = [] if query.get("cursor") else list(BUILT_IN.values())
        return {"items": built_in + items, "next_cursor": pages.next_cursor(last)}

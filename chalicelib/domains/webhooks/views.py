"""An item of a webhook event as the API answers it: the item's own domain's service and schema,
as its manifest names them."""

from __future__ import annotations

import functools
from typing import Any

from chalicelib import domains
from chalicelib.api import responses
from chalicelib.identity import owner_identity
from chalicelib.manifest import Events, import_named


@functools.cache
def _by_kind() -> dict[str, Events]:
    return {events.kind: events for events in domains.events()}


def webhook_view(kind: str, user_id: str, item: dict[str, Any]) -> dict[str, Any]:
    events = _by_kind()[kind]
    service = import_named(events.service)()
    return responses.dump(events.schema, service.view(owner_identity(user_id), item))

"""What a domain declares about itself, once: its routers, the data it keeps for a user (exported,
imported, deleted with the account) and the webhook events it emits. The app, the account-data
service, webhooks, OpenAPI and the test catalog collect these (chalicelib.domains.INSTALLED).

Code is named, not imported ("module:attribute"): a manifest is read when the app is imported,
and what it names is imported on first use, so a cold start pays for one domain, not all.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from chalicelib.api.router import Router

# "chalicelib.domains.weights.schemas:WeightInput": a module and an attribute of it.
Name = str


def import_named(name: Name) -> Any:
    """What `module:attribute` names (a schema class, a function, a Kind, a JSON Schema)."""
    module, _, path = name.partition(":")
    found: Any = importlib.import_module(module)
    for attribute in path.split("."):  # "WeightService.build"
        found = getattr(found, attribute)
    return found


class Records(NamedTuple):
    """Items of one kind in the user's partition: exported, deleted with the account, and imported
    back when `record_schema` and `build` are named."""

    name: str  # their key in the export document
    kind: Name  # the Kind (sort-key prefix) of the items
    export: Name  # item -> exported record
    description: str = ""
    record_schema: Name | None = None  # loads one imported record
    build: Name | None = None  # (record, meta, zone) -> item
    # Sends the person's data elsewhere (webhooks, e-mail): deleted before anything else.
    outbound: bool = False


class Single(NamedTuple):
    """One item of the user's partition, exported as it is (the profile, the preferences)."""

    name: str
    sort_key: str
    description: str = ""


class Authored(NamedTuple):
    """What the user wrote outside their own partition: `holder` names a zero-argument factory
    of an object with export_authored(identity) -> {name: records} and delete_authored(identity)."""

    names: tuple[tuple[str, str], ...]  # (key in the export document, description)
    holder: Name


class Events(NamedTuple):
    """Webhook events of one kind of item: <kind>.created, .updated, `extra`, .deleted."""

    kind: str  # "weight"
    items: Name  # the Kind whose items' changes are the events
    service: Name  # a zero-argument factory of the service whose view(identity, item) the API answers
    schema: Name  # the response schema the view's result is dumped with
    extra: tuple[str, ...] = ()  # further event types, e.g. "task.completed"

    @property
    def types(self) -> tuple[str, ...]:
        return (f"{self.kind}.created", f"{self.kind}.updated", *self.extra, f"{self.kind}.deleted")


class Domain(NamedTuple):
    name: str
    routers: tuple[Router, ...] = ()
    records: tuple[Records, ...] = ()
    singles: tuple[Single, ...] = ()
    authored: Authored | None = None
    events: tuple[Events, ...] = ()
    # Background jobs it runs (chalicelib.jobs): (kind, "module:handler"), the kind "<domain>.<verb>".
    jobs: tuple[tuple[str, Name], ...] = ()

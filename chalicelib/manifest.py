"""What a domain declares about itself, once: its routers, the data it keeps for a user (exported,
imported, deleted with the account) and the webhook events it emits. The app, the account-data
service, webhooks, OpenAPI and the test catalog collect these (chalicelib.domains.INSTALLED).

Code is named, not imported ("module:attribute"): a manifest is read when the app is imported,
and what it names is imported on first use, so a cold start pays for one domain, not all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from chalicelib.names import Name, import_named

if TYPE_CHECKING:
    from chalicelib.api.router import Router

__all__ = ["Authored", "CsvFormat", "Domain", "Events", "FlagEvent", "Name", "Records", "Single", "import_named"]


class CsvFormat(NamedTuple):
    """Records of one kind that a CSV brings to POST /me/import (text/csv); one domain at most."""

    parse: Name  # (text, max_rows) -> records as an export has them (each then loaded by record_schema)
    shape: Name  # the JSON Schema of the CSV text, for the OpenAPI document


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
    csv: CsvFormat | None = None  # the CSV that imports them, if one does


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


# What can happen to an item, as webhook event types name it ("<kind>.<verb>"): an event type
# outside these is a typo that tests/unit/test_manifests.py names.
EVENT_VERBS = ("created", "updated", "completed", "deleted")


class FlagEvent(NamedTuple):
    """An event of its own when an item's flag turns on: sent with <kind>.created when an item is
    created with the flag on, and instead of <kind>.updated when a change turns it on."""

    type: str  # "task.completed"
    flag: str  # the item's attribute, "done"

    def turned_on(self, old: dict[str, Any] | None, new: dict[str, Any]) -> bool:
        return bool(new.get(self.flag)) and not (old or {}).get(self.flag)


class Events(NamedTuple):
    """Webhook events of one kind of item: <kind>.created, .updated, `extra`, .deleted."""

    kind: str  # "weight": the singular of the items' Kind
    items: Name  # the Kind whose items' changes are the events
    service: Name  # a zero-argument factory of the service whose view(identity, item) the API answers
    schema: Name  # the response schema the view's result is dumped with
    extra: tuple[FlagEvent, ...] = ()  # further events, e.g. FlagEvent("task.completed", flag="done")

    @property
    def types(self) -> tuple[str, ...]:
        extra = (event.type for event in self.extra)
        return (f"{self.kind}.created", f"{self.kind}.updated", *extra, f"{self.kind}.deleted")


class Domain(NamedTuple):
    name: str
    routers: tuple[Router, ...] = ()
    records: tuple[Records, ...] = ()
    singles: tuple[Single, ...] = ()
    authored: Authored | None = None
    events: tuple[Events, ...] = ()
    # Background jobs it runs (chalicelib.jobs): (kind, "module:handler"), the kind "<domain>.<verb>".
    jobs: tuple[tuple[str, Name], ...] = ()

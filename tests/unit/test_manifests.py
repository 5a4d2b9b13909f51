"""Names in manifests are checked at import speed: every "module:attribute" every installed
manifest lists (its records, authored data, events and its routes' schemas) is imported and is
what its place says, and every webhook event type is one the manifests can declare. A typo
fails here in under a second, not in the API suite or at the first webhook delivery."""

from __future__ import annotations

import re
import time
from collections import Counter
from pathlib import Path

import pytest
from marshmallow import Schema

from chalicelib.domains import INSTALLED, event_types, manifests
from chalicelib.manifest import EVENT_VERBS, Domain, Events, FlagEvent, Records, import_named
from chalicelib.repositories.items import Kind

ROUTE_SCHEMAS = ("request", "response", "query")
DOMAINS = Path(__file__).resolve().parents[2] / "chalicelib" / "domains"


def _is_schema(found: object) -> bool:
    return isinstance(found, dict) or (isinstance(found, type) and issubclass(found, Schema))


def _named(domain: Domain) -> list[tuple[str, str, object]]:
    """(where, name, what the name must be) for every name the domain's manifest lists."""
    named: list[tuple[str, str, object]] = []
    for records in domain.records:
        named += [(f"{records.name}.kind", records.kind, Kind), (f"{records.name}.export", records.export, callable)]
        named += [(f"{records.name}.record_schema", records.record_schema, _is_schema)] if records.record_schema else []
        named += [(f"{records.name}.build", records.build, callable)] if records.build else []
    if domain.authored is not None:
        named.append(("authored.holder", domain.authored.holder, callable))
    for events in domain.events:
        named += [
            (f"{events.kind} events.items", events.items, Kind),
            (f"{events.kind} events.service", events.service, callable),
            (f"{events.kind} events.schema", events.schema, _is_schema),
        ]
    for router in domain.routers:
        for spec, _ in router.routes:
            for field in ROUTE_SCHEMAS:
                if name := getattr(spec, field, None):
                    named.append((f"{spec.method} {spec.path} {field}", name, _is_schema))
    return named


def _wrong(where: str, name: str, expected: object) -> str | None:
    try:
        found = import_named(name)
    except (ImportError, AttributeError) as exc:
        return f"{where}: {name} does not import ({exc})"
    fits = isinstance(found, expected) if isinstance(expected, type) else expected(found)
    return None if fits else f"{where}: {name} is not a {getattr(expected, '__name__', expected)}"


def _undeclared(events: Events) -> list[str]:
    """Its event types that are not "<kind>.<a verb of EVENT_VERBS>"."""
    shape = re.compile(rf"{re.escape(events.kind)}\.({'|'.join(EVENT_VERBS)})")
    return [name for name in events.types if not shape.fullmatch(name)]


def test_every_installed_domain_has_a_manifest_of_its_own_name():
    assert [domain.name for domain in manifests()] == list(INSTALLED)


def test_every_domain_folder_with_a_manifest_is_installed():
    folders = {path.parent.name for path in DOMAINS.glob("*/manifest.py")}
    assert sorted(folders - set(INSTALLED)) == []


def test_every_name_every_manifest_lists_imports_and_is_what_its_place_says():
    started = time.process_time()  # CPU time: a busy machine does not make it slower
    wrong = [
        f"{domain.name}: {problem}"
        for domain in manifests()
        for where, name, expected in _named(domain)
        if (problem := _wrong(where, name, expected))
    ]
    assert wrong == []
    assert time.process_time() - started < 1.0


def test_each_domains_records_are_distinct_and_named_by_their_kind():
    listed = [records for domain in manifests() for records in domain.records]
    assert [name for name, count in Counter(records.name for records in listed).items() if count > 1] == []
    prefixes = [import_named(records.kind).prefix for records in listed]
    assert [prefix for prefix, count in Counter(prefixes).items() if count > 1] == []


@pytest.mark.parametrize(
    "events", [events for domain in manifests() for events in domain.events], ids=lambda events: events.kind
)
def test_webhook_event_types_are_the_kinds_singular_and_a_declared_verb(events: Events):
    assert events.kind == import_named(events.items).singular
    assert _undeclared(events) == []


def test_webhook_event_types_are_unique_and_what_subscriptions_accept():
    from chalicelib.domains.webhooks.schemas import EVENT_TYPES

    assert [name for name, count in Counter(event_types()).items() if count > 1] == []
    assert tuple(EVENT_TYPES) == event_types()


def test_a_misspelt_name_or_event_is_caught():
    # The checks above can fail: a typo in each kind of place is named.
    typo = Records("notes", kind="chalicelib.domains.weights.store:WEIGTHS", export="chalicelib.tracked:nothing")
    problems = [_wrong(where, name, expected) for where, name, expected in _named(Domain("notes", records=(typo,)))]
    assert all(problems) and len(problems) == 2
    assert _wrong("x", "chalicelib.domains.weights.schemas:WeightInput", callable) is None
    assert _wrong("x", "chalicelib.domains.weights.schemas:WeightInput", Kind) is not None
    misspelt = Events(
        "task", "chalicelib.domains.tasks.store:TASKS", "s", "s", extra=(FlagEvent("task.complted", "done"),)
    )
    assert _undeclared(misspelt) == ["task.complted"]

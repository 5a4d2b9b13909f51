"""The export and import documents are built from the installed domains' manifests: a domain
added with a manifest is exported inline and through S3, and imported back, without being
listed anywhere else."""

from __future__ import annotations

import copy
import json
import urllib.request
from typing import Any

import pytest
from marshmallow import fields

from chalicelib import deps, domains
from chalicelib.identity import Identity
from chalicelib.manifest import Domain, Records
from chalicelib.repositories.items import Kind
from chalicelib.schemas.records import RecordMeta

NOTES = Kind("notes", "NOTE#", "note")
NOTE = {"id": "01KBBBBBBBBBBBBBBBBBBBBBBB", "text": "Drink more water"}


class NoteRecord(RecordMeta):
    text = fields.String(required=True)


def build_note(body: dict[str, Any], meta: dict[str, Any], zone: str) -> dict[str, Any]:
    return {**body, **meta}


def export_note(item: dict[str, Any]) -> dict[str, Any]:
    return dict(item)


NOTES_DOMAIN = Domain(
    "notes",
    records=(
        Records(
            "notes",
            kind=f"{__name__}:NOTES",
            export=f"{__name__}:export_note",
            record_schema=f"{__name__}:NoteRecord",
            build=f"{__name__}:build_note",
        ),
    ),
)


@pytest.fixture
def notes_installed(monkeypatch):
    # The published schemas are made once a process, from the domains installed then: made here
    # first, they stay the committed document's for the tests that compare it after this one.
    import chalicelib.domains.account.schemas  # noqa: F401

    installed = domains.manifests()
    monkeypatch.setattr(domains, "manifests", lambda: (*installed, NOTES_DOMAIN))
    deps.account_data.cache_clear()
    yield
    deps.account_data.cache_clear()


def _identity(user):
    return Identity(user_id=user.user_id, email=user.email, tenant_id=f"personal-{user.user_id}", role="member")


def test_a_new_domains_records_are_imported_and_exported_inline_and_through_s3(api, user, other_user, notes_installed):
    imported = api.post("/me/import", {"schema_version": 1, "notes": [NOTE]}, token=user.token)
    assert imported.status == 200, imported.body
    assert imported.body["imported"]["notes"] == 1

    inline = api.get("/me/export", token=user.token).body
    assert [record["text"] for record in inline["notes"]] == [NOTE["text"]]
    assert inline["notes"][0]["id"] == NOTE["id"]

    service = copy.copy(deps.account_data())
    service._inline_limit = 100
    linked = service.export(_identity(user))
    with urllib.request.urlopen(linked["download_url"], timeout=10) as response:
        downloaded = json.loads(response.read())
    assert downloaded["notes"] == inline["notes"]

    again = api.post("/me/import", inline, token=other_user.token)
    assert again.status == 200, again.body
    assert again.body["imported"]["notes"] == 1
    assert [record["text"] for record in api.get("/me/export", token=other_user.token).body["notes"]] == [NOTE["text"]]


def test_an_invalid_record_of_a_new_domain_refuses_the_whole_import(api, user, notes_installed):
    answer = api.post("/me/import", {"schema_version": 1, "notes": [{"id": NOTE["id"]}]}, token=user.token)
    assert answer.status == 400
    assert answer.body["error"]["details"]["notes"]["0"] == {"text": ["Missing data for required field."]}
    assert api.get("/me/export", token=user.token).body["notes"] == []


def test_every_exported_key_is_described_by_the_export_schema():
    from chalicelib.domains.account.schemas import Export

    described = set(Export().fields)
    assert {name for name, _, _ in domains.exported_names()} <= described

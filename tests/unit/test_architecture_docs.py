"""The architecture documents name only files that exist (the nutrition example and the
before-the-slices table excepted: they name what a new domain would add, or what used to be)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
ROOTS = ("chalicelib/", "tests/", "devtools/", "fuzz/", "docs/", "app.py", "pyproject.toml", ".importlinter")


def _named_paths(text: str) -> set[str]:
    names = set(re.findall(r"`([^`\s]+)`", text)) | set(re.findall(r"\]\(([^)\s]+\.md)\)", text))
    return {name for name in names if name.startswith(ROOTS) and "<" not in name and "nutrition" not in name}


def _current(name: str) -> str:
    text = (ROOT / "docs" / name).read_text()
    before, _, after = text.partition("Before the slices")
    return before + after.partition("Now:")[2] if after else text


@pytest.mark.parametrize("document", ["architecture.md", "adding-a-domain.md"])
def test_every_file_the_document_names_exists(document):
    named = _named_paths(_current(document))
    assert named, "the document names no file"
    missing = sorted(name for name in named if not (ROOT / name).exists() and not (ROOT / "docs" / name).exists())
    assert missing == []


def test_every_installed_domain_is_named_in_the_architecture():
    from chalicelib.domains import INSTALLED

    text = (ROOT / "docs" / "architecture.md").read_text()
    assert [name for name in INSTALLED if f"`{name}`" not in text] == []


def test_every_kind_of_record_a_manifest_lists_has_its_key_in_the_data_model():
    from chalicelib.domains import records
    from chalicelib.manifest import import_named

    text = (ROOT / "docs" / "data-model.md").read_text()
    prefixes = {listed.name: import_named(listed.kind).prefix for listed in records()}
    assert [name for name, prefix in prefixes.items() if f"`{prefix}" not in text] == []

"""The import contracts (.importlinter, checked by `make check`) name modules one by one where
import-linter's wildcards cannot reach: these tests fail when a new domain or a new layer file
is not under them, so a contract cannot pass by not looking."""

import configparser

import pytest

from chalicelib.domains import INSTALLED
from chalicelib.manifest import import_named
from tests.conftest import ROOT

DOMAINS = ROOT / "chalicelib" / "domains"
# A layer, the contract and the option whose list must name each of its modules.
LAYERS = {
    "routes": ("routes", "source_modules"),
    "service": ("services", "source_modules"),
    "store": ("stores", "source_modules"),
    "schemas": ("services", "forbidden_modules"),
}


def _contracts() -> configparser.ConfigParser:
    parser = configparser.ConfigParser()
    parser.read(ROOT / ".importlinter")
    return parser


def _listed(contract: str, option: str) -> set[str]:
    return set(_contracts()[f"importlinter:contract:{contract}"][option].split())


def _covers(patterns: set[str], module: str) -> bool:
    name = module.rpartition(".")[2]
    return module in patterns or f"chalicelib.domains.*.{name}" in patterns


def test_every_installed_domain_is_independent_of_the_others():
    assert _listed("independence", "modules") == {f"chalicelib.domains.{name}" for name in INSTALLED}


def test_every_installed_domain_is_a_folder_with_a_manifest():
    assert sorted(INSTALLED) == sorted(path.parent.name for path in DOMAINS.glob("*/manifest.py"))


@pytest.mark.parametrize("layer", LAYERS)
def test_every_module_of_a_layer_is_under_its_contract(layer):
    contract, option = LAYERS[layer]
    patterns = _listed(contract, option)
    modules = [
        f"chalicelib.domains.{path.parent.name}.{path.stem}"
        for path in DOMAINS.glob("*/*.py")
        if path.stem == layer or path.stem.endswith(f"_{layer}")
    ]
    assert modules, f"no {layer} module found"
    assert [module for module in modules if not _covers(patterns, module)] == []


def test_the_export_keys_and_item_kinds_of_the_manifests_cannot_collide():
    """An item goes to the first domain whose sort-key prefix it starts with, and each domain's
    records sit under their name in the export: two alike would mix domains' data."""
    from chalicelib.domains import manifests

    names = [records.name for domain in manifests() for records in domain.records]
    names += [single.name for domain in manifests() for single in domain.singles]
    names += [name for domain in manifests() if domain.authored for name, _ in domain.authored.names]
    assert len(names) == len(set(names))
    assert not {"account", "schema_version", "download_url", "expires_in", "size_bytes"} & set(names)
    prefixes = [import_named(records.kind).prefix for domain in manifests() for records in domain.records]
    clashes = [(a, b) for i, a in enumerate(prefixes) for j, b in enumerate(prefixes) if i != j and b.startswith(a)]
    assert clashes == []

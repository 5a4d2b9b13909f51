"""The import graph of chalicelib has no cycle, counting every import (those made only for the type
checker too): a cycle is a layer reaching up, as the router once did through deps to webhooks and
back (api/router -> deps -> domains/webhooks/views -> api/router). The kernel's own rules (no domain,
no deps, not even through another module) are import-linter's contracts in .importlinter, which
`make check` runs; here, nothing hides them."""

from __future__ import annotations

import configparser
import itertools
import re

import grimp
import pytest

from tests.conftest import ROOT

KERNEL_CONTRACT = "importlinter:contract:kernel"


def cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Each circle of imports, once (from its first module in name order): an import `a -> b`
    closes one when some chain of imports leads from b back to a."""
    found: dict[frozenset[str], list[str]] = {}
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            back = graph.find_shortest_chain(importer=imported, imported=importer)
            if back is not None:
                circle = [importer, *back]
                found.setdefault(frozenset(circle), circle)
    return list(found.values())


def _describe(graph: grimp.ImportGraph, circle: list[str]) -> str:
    lines = []
    for importer, imported in itertools.pairwise(circle):
        details = graph.get_import_details(importer=importer, imported=imported)
        where = f" (line {details[0]['line_number']}: {details[0]['line_contents']})" if details else ""
        lines.append(f"{importer} -> {imported}{where}")
    return "\n  ".join(lines)


def _graph(*imports: tuple[str, str]) -> grimp.ImportGraph:
    graph = grimp.ImportGraph()
    for importer, imported in imports:
        graph.add_import(importer=importer, imported=imported)
    return graph


def test_no_module_of_chalicelib_is_part_of_an_import_cycle():
    graph = grimp.build_graph("chalicelib", include_external_packages=False, cache_dir=None)
    found = cycles(graph)
    assert not found, "import cycles in chalicelib:\n  " + "\n\n  ".join(_describe(graph, each) for each in found)


@pytest.mark.parametrize(
    ("imports", "expected"),
    [
        ([("a", "b"), ("b", "c")], []),
        ([("a", "b"), ("b", "a")], [["a", "b", "a"]]),
        (
            [("k.router", "deps"), ("deps", "w.views"), ("w.views", "k.router"), ("x", "k.router")],
            [["deps", "w.views", "k.router", "deps"]],
        ),
        ([("a", "b"), ("b", "a"), ("c", "d"), ("d", "e"), ("e", "c")], [["a", "b", "a"], ["c", "d", "e", "c"]]),
    ],
    ids=["no_cycle", "two_modules", "the_routers_old_cycle", "two_cycles"],
)
def test_the_cycle_check_finds_each_cycle(imports, expected):
    assert cycles(_graph(*imports)) == expected


def test_the_kernel_contract_has_no_exception_for_the_kernel():
    """The router once reached deps through an ignore line; the contracts now name no exception
    whose importer is the kernel, and the kernel may not reach a domain even through deps."""
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    kernel = config[KERNEL_CONTRACT]["source_modules"].split()
    forbidden = config[KERNEL_CONTRACT]["forbidden_modules"].split()
    assert {"chalicelib.domains", "chalicelib.deps"} <= set(forbidden)
    assert config[KERNEL_CONTRACT]["allow_indirect_imports"] == "false"
    for section in config.sections():
        for line in config[section].get("ignore_imports", "").split("\n"):
            importer = line.split("->")[0].strip()
            assert not any(importer == module or importer.startswith(f"{module}.") for module in kernel), line


@pytest.mark.parametrize("tool", ["openapi", "response_shapes", "route_table"])
def test_the_generators_read_domains_through_their_manifests_alone(tool):
    """What `make openapi` writes comes from the manifests (chalicelib.domains) and shared schema
    fields: a generator importing one domain's module (a field type, say) would be a second list."""
    text = (ROOT / "devtools" / f"{tool}.py").read_text()
    assert re.findall(r"^\s*(?:from|import) chalicelib\.domains\.\w+", text, re.MULTILINE) == []

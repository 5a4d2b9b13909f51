"""Code named, not imported: "module:attribute" strings that manifests and route declarations use so
that what they name is imported on first use (a cold start pays for one domain, not all)."""

from __future__ import annotations

import importlib
from typing import Any

# "chalicelib.domains.weights.schemas:WeightInput": a module and an attribute of it.
Name = str


def import_named(name: Name) -> Any:
    """What `module:attribute` names (a schema class, a function, a Kind, a JSON Schema)."""
    module, _, path = name.partition(":")
    if module.endswith("schemas"):
        # The shared schema package first: it defers the patterns marshmallow compiles on import
        # (~25 ms of every cold start that loads a schema), and a domain's schemas module imports
        # marshmallow before it (the account service's import names every domain's record schema).
        importlib.import_module("chalicelib.schemas")
    found: Any = importlib.import_module(module)
    for attribute in path.split("."):  # "WeightService.build"
        found = getattr(found, attribute)
    return found

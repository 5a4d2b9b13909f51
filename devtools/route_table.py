"""Writes chalicelib/route_table.json: every declared route as Chalice registers it, so `app.py`
registers them all without importing a route module (chalicelib.api.router.register_routes).

    python -m devtools.route_table --output chalicelib/route_table.json   # `make openapi`
    python -m devtools.route_table --check                                # exit 1 when stale
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from chalicelib.api.router import ROUTE_TABLE_FILE, table_entry
from chalicelib.domains import routers
from devtools import generated_file

DOCUMENT = Path(ROUTE_TABLE_FILE).resolve()


def build() -> list[list[Any]]:
    return [
        table_entry(spec, f"{view.__module__}:{view.__name__}") for router in routers() for spec, view in router.routes
    ]


def render(table: list[list[Any]]) -> str:
    return "[\n" + ",\n".join(json.dumps(entry) for entry in table) + "\n]\n"  # a route a line


def main(argv: list[str] | None = None) -> int:
    return generated_file.main(argv, DOCUMENT, render(build()))


if __name__ == "__main__":
    sys.exit(main())

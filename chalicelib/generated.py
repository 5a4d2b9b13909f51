"""The files `make openapi` writes into chalicelib/ (the suite and CI fail when one is stale),
read where they ship: no generator goes into the Lambda."""

from __future__ import annotations

import json
import os
from typing import Any

# os.path, not pathlib: pathlib is a cold start's largest import of the standard library.
_HERE = os.path.dirname(os.path.abspath(__file__))


def path(name: str) -> str:
    return os.path.join(_HERE, name)


def load(name: str) -> Any:
    with open(path(name), encoding="utf-8") as file:
        return json.load(file)

"""The activities' background job (chalicelib.jobs): unpacks and calls one service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalicelib import deps


def rebuild_records(args: dict[str, Any], remaining_seconds: Callable[[], float]) -> dict[str, Any] | None:
    return deps.activity_records().rebuild(args, remaining_seconds)


def parse_upload(args: dict[str, Any], remaining_seconds: Callable[[], float]) -> None:
    deps.activities().parse_upload(args, remaining_seconds)

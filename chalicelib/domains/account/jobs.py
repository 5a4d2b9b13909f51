"""The account's background jobs (chalicelib.jobs): like views, each unpacks and calls one service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalicelib import deps


def erase(args: dict[str, Any], remaining_seconds: Callable[[], float]) -> dict[str, Any] | None:
    return deps.account_data().erase(args, remaining_seconds)


def erase_deleted_user(args: dict[str, Any], remaining_seconds: Callable[[], float]) -> dict[str, Any] | None:
    return deps.account_data().erase_deleted_user(args, remaining_seconds)


def reconcile(args: dict[str, Any], remaining_seconds: Callable[[], float]) -> None:
    deps.account_data().reconcile(args, remaining_seconds)


def build_export(args: dict[str, Any], remaining_seconds: Callable[[], float]) -> None:
    deps.account_data().build_export(args, remaining_seconds)


def run_import(args: dict[str, Any], remaining_seconds: Callable[[], float]) -> None:
    deps.account_data().run_import(args, remaining_seconds)

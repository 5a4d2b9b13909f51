"""Renders infra/stride.json for one stage: the resources `chalice package` merges in, and
the same definitions the local stack creates in moto (one source for both)."""

from __future__ import annotations

import json
from email.utils import parseaddr
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "infra" / "stride.json"
CHALICE_CONFIG = ROOT / ".chalice" / "config.json"
PROTECTED_STAGES = ("prod",)
LOG_RETENTION_DAYS = {"prod": 365}
DEFAULT_LOG_RETENTION_DAYS = 30


def stage_environment(stage: str) -> dict[str, str]:
    config = json.loads(CHALICE_CONFIG.read_text())
    if stage not in config["stages"]:
        raise SystemExit(f"unknown stage {stage!r}: not in .chalice/config.json")
    return {**config.get("environment_variables", {}), **config["stages"][stage].get("environment_variables", {})}


def _substitute(node: Any, values: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        return {key: _substitute(value, values) for key, value in node.items()}
    if isinstance(node, list):
        return [_substitute(value, values) for value in node]
    if isinstance(node, str):
        if node in values:
            return values[node]
        for token, value in values.items():
            if isinstance(value, str):
                node = node.replace(token, value)
    return node


def render(stage: str) -> dict[str, Any]:
    environment = stage_environment(stage)
    values = {
        "__STAGE__": stage,
        "__IS_PROD__": stage in PROTECTED_STAGES,
        "__LOG_RETENTION_DAYS__": LOG_RETENTION_DAYS.get(stage, DEFAULT_LOG_RETENTION_DAYS),
        "__FRONTEND_ORIGIN__": environment["FRONTEND_ORIGIN"],
        # SES sends from the sender's domain, verified once by DNS (docs/deploy.md).
        "__EMAIL_DOMAIN__": parseaddr(environment["EMAIL_SENDER"])[1].rpartition("@")[2],
    }
    return _substitute(json.loads(TEMPLATE.read_text()), values)


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stage", required=True)
    parser.add_argument("--output", required=True)
    args = parser.parse_args()
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(render(args.stage), indent=2) + "\n")


if __name__ == "__main__":
    main()

"""Renders infra/stride.json for one stage: the resources `chalice package` merges in, and
the same definitions the local stack creates in moto (one source for both).

What a stage is (its name, deletion protection, log retention) is filled in here; what differs
between accounts and domains is a CloudFormation Parameter, given at deploy time
(infra/parameters/<stage>.json). The local stage has no deploy: its parameters are resolved from
its environment in .chalice/config.json."""

from __future__ import annotations

import json
from email.utils import parseaddr
from pathlib import Path
from typing import Any

from devtools.web import content_security_policy

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "infra" / "stride.json"
CHALICE_CONFIG = ROOT / ".chalice" / "config.json"
LOCAL_STAGE = "local"
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


def _resolve_refs(node: Any, parameters: dict[str, str]) -> Any:
    if isinstance(node, dict):
        if set(node) == {"Ref"} and node["Ref"] in parameters:
            return parameters[node["Ref"]]
        return {key: _resolve_refs(value, parameters) for key, value in node.items()}
    if isinstance(node, list):
        return [_resolve_refs(value, parameters) for value in node]
    return node


def local_parameters() -> dict[str, str]:
    """The template's parameters as the local stack has them (only what it creates reads any)."""
    environment = stage_environment(LOCAL_STAGE)
    name, address = parseaddr(environment["EMAIL_SENDER"])
    return {"FrontendOrigin": environment["FRONTEND_ORIGIN"], "EmailSenderAddress": address, "EmailSenderName": name}


# What the API signs links to: the bucket (pre-signed uploads and GETs, at its global or regional
# name) and the video CDN when the stage has one (the template sets VideoCdnOrigin).
DEPLOYED_MEDIA_ORIGINS = (
    "https://${MediaBucket.RegionalDomainName}",
    "https://${MediaBucket.DomainName}",
    "${VideoCdnOrigin}",
)


def deployed_web_csp() -> str:
    """The deployed web app's CSP (an Fn::Sub string): the local server's, at the stage's hosts."""
    return content_security_policy("https://${ApiDomainName}", DEPLOYED_MEDIA_ORIGINS)


def render(stage: str) -> dict[str, Any]:
    stage_environment(stage)  # refuses an unknown stage
    values = {
        "__STAGE__": stage,
        "__IS_PROD__": stage in PROTECTED_STAGES,
        "__LOG_RETENTION_DAYS__": LOG_RETENTION_DAYS.get(stage, DEFAULT_LOG_RETENTION_DAYS),
        # A protected stage's logs outlive its stack (an investigation after a teardown needs them).
        "__LOG_DELETION_POLICY__": "Retain" if stage in PROTECTED_STAGES else "Delete",
        "__USER_POOL_DELETION_PROTECTION__": "ACTIVE" if stage in PROTECTED_STAGES else "INACTIVE",
        # The deployed web app's CSP is the local server's (one source), its API at the API's domain.
        "__WEB_CSP__": deployed_web_csp(),
    }
    template = _substitute(json.loads(TEMPLATE.read_text()), values)
    return _resolve_refs(template, local_parameters()) if stage == LOCAL_STAGE else template


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

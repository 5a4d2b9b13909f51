"""docs/deploy.md's commands and the deploy workflow's, as written, fit what `make package` builds:
the shell steps and the GitHub Actions job alike (the template's size, its parameters, the
capabilities it needs)."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest

from devtools import package as packager
from devtools import parameters

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "deploy.md"
WORKFLOW = ROOT / ".github" / "workflows" / "deploy-stage.yml"
STAGE = "prod"
INLINE_TEMPLATE_LIMIT = 51_200  # bytes the CLI passes in the request; above it, --s3-bucket
S3_TEMPLATE_LIMIT = 1_000_000  # bytes CloudFormation takes from S3
NAMED_IAM = {"RoleName", "UserName", "GroupName", "ManagedPolicyName", "InstanceProfileName"}


def documented_commands(verb: str) -> list[dict[str, Any]]:
    """Every `aws cloudformation <verb>` in the document's code blocks, continuation lines joined,
    the job's $STAGE read as the stage: {option: [values]} (a flag alone has [])."""
    blocks = [*re.findall(r"```(?:sh|yaml)\n(.*?)```", DOC.read_text(), flags=re.S), WORKFLOW.read_text()]
    commands = []
    for block in blocks:
        text = block.replace("\\\n", " ").replace("${STAGE}", STAGE).replace("$STAGE", STAGE)
        for line in text.splitlines():
            line = line.strip().removeprefix("- run: ").strip()
            if not line.startswith(f"aws cloudformation {verb} "):
                continue
            options: dict[str, list[str]] = {}
            current = None
            for word in shlex.split(line)[3:]:
                if word.startswith("--"):
                    current = word
                    options[current] = []
                elif current:
                    options[current].append(word)
            commands.append(options)
    return commands


def stride_commands(verb: str) -> list[dict[str, Any]]:
    return [c for c in documented_commands(verb) if c["--template-file"][0] != "infra/bootstrap.json"]


@pytest.fixture(scope="module")
def built(packaged: dict[str, Path]) -> Path:
    return packaged[STAGE]


def required_capabilities(template: dict[str, Any]) -> set[str]:
    resources = template["Resources"].values()
    needed = set()
    if any(r["Type"].startswith("AWS::IAM::") for r in resources):
        needed.add("CAPABILITY_IAM")
    if any(r["Type"].startswith("AWS::IAM::") and NAMED_IAM & set(r.get("Properties", {})) for r in resources):
        needed.add("CAPABILITY_NAMED_IAM")
    return needed


def test_the_shell_steps_and_the_job_both_package_then_deploy() -> None:
    assert len(stride_commands("package")) == 2
    assert len(stride_commands("deploy")) == 2


def test_package_uploads_the_code_to_the_artifact_bucket() -> None:
    for command in stride_commands("package"):
        assert command["--template-file"] == [f"build/{STAGE}/sam.json"]
        assert command["--s3-bucket"]
        assert command["--output-template-file"] == [f"build/{STAGE}/packaged.json"]
        assert "--use-json" in command


def test_the_packaged_template_is_too_big_to_pass_inline_and_fits_in_s3(built: Path) -> None:
    # What `aws cloudformation package` writes: the same template with CodeUri an S3 URL, indented by 4.
    template = json.loads(built.read_text())
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = "s3://artifact-bucket/stride-prod/0123456789abcdef0123456789abcdef"
    size = len(json.dumps(template, indent=4).encode())
    assert INLINE_TEMPLATE_LIMIT < size < S3_TEMPLATE_LIMIT
    translated = len(json.dumps(packager.translate(built), indent=4).encode())
    assert translated < S3_TEMPLATE_LIMIT  # the template as the transform expands it


def test_deploy_goes_through_s3_with_the_capabilities_and_the_stages_parameters(built: Path) -> None:
    template = json.loads(built.read_text())
    needed = required_capabilities(packager.translate(built)) | {"CAPABILITY_AUTO_EXPAND"}  # the SAM transform
    written = parameters.load(built.with_name("parameters.json"))
    declared = template["Parameters"]
    required = {name for name, spec in declared.items() if "Default" not in spec}
    for command in stride_commands("deploy"):
        assert command["--template-file"] == [f"build/{STAGE}/packaged.json"]
        assert command["--stack-name"] == [f"stride-{STAGE}"]
        assert command["--s3-bucket"], "the template is over 51,200 bytes: deploy must upload it"
        assert set(command["--capabilities"]) == needed
        [overrides] = command["--parameter-overrides"]
        # The file make package wrote: every name a template parameter, every required one given.
        assert overrides == f"file://build/{STAGE}/parameters.json"
        assert set(written) <= set(declared) and required <= set(written)


def test_the_bootstrap_template_deploys_inline_with_the_capability_it_needs() -> None:
    commands = [c for c in documented_commands("deploy") if c["--template-file"] == ["infra/bootstrap.json"]]
    bootstrap = json.loads((ROOT / "infra" / "bootstrap.json").read_text())
    assert len((ROOT / "infra" / "bootstrap.json").read_bytes()) < INLINE_TEMPLATE_LIMIT
    assert len(commands) == 2  # without and with the pipeline's roles
    for command in commands:
        assert set(command["--capabilities"]) == required_capabilities(bootstrap)
    failures, _notes = packager.lint(ROOT / "infra" / "bootstrap.json")
    assert failures == []


def test_the_job_runs_the_pythons_the_functions_run() -> None:
    text = WORKFLOW.read_text()
    assert 'python-version: "3.13"' in text
    assert 'make package STAGE="$STAGE" PARAMETERS="$RUNNER_TEMP/parameters.json"' in text

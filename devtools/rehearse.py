"""`make rehearse`: as close to a deploy as tools get without AWS, for every stage.

    python -m devtools.rehearse [--stage prod ...]

For each stage: package it (--example values), SAM-translate it and cfn-lint both (0 findings),
checkov the translation (0 failures outside infra/checkov.yaml's skip list, each skip with its
reason), and parliament every IAM policy of the translation, the roles' and the buckets' (0
findings), with intrinsics resolved to ARNs of the right shape.

checkov and parliament pin a boto3 older than the project's, so they live in a venv of their own,
build/rehearsal-venv, made on first use from infra/rehearsal-requirements.txt.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from devtools import package as packager
from devtools.infra import ROOT

STAGES = ("dev", "staging", "prod")
VENV = packager.BUILD_DIR / "rehearsal-venv"
REQUIREMENTS = ROOT / "infra" / "rehearsal-requirements.txt"
CHECKOV_CONFIG = ROOT / "infra" / "checkov.yaml"
ACCOUNT, REGION = "111122223333", "us-east-1"
PSEUDO = {"AWS::Partition": "aws", "AWS::Region": REGION, "AWS::AccountId": ACCOUNT, "AWS::URLSuffix": "amazonaws.com"}
# Optional parameters a policy names, as a deploy that sets them would give them.
PARAMETER_SAMPLES = {
    "VideoCdnPrivateKeySecretArn": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:stride-video-key-AbCdEf",
}


def ensure_tools() -> Path:
    """The tools' venv, (re)made when the pinned requirements change; returns its bin directory."""
    stamp = VENV / ".requirements"
    wanted = REQUIREMENTS.read_text()
    if not (stamp.is_file() and stamp.read_text() == wanted):
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        pip = [str(VENV / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, "-r", str(REQUIREMENTS)], check=True)
        stamp.write_text(wanted)
    return VENV / "bin"


def _names(resource: dict[str, Any], name: str) -> str:
    properties = resource.get("Properties", {})
    for key in ("TableName", "QueueName", "LogGroupName", "Name", "FunctionName", "UserPoolName"):
        if isinstance(properties.get(key), str):
            return properties[key]
    return f"stride-{name.lower()}"


def arn_of(resources: dict[str, Any], name: str, attribute: str | None) -> str:
    """A realistic value of Ref (attribute None) or Fn::GetAtt for the resource types policies name."""
    resource = resources[name]
    kind, label = resource["Type"], _names(resource, name)
    values = {
        ("AWS::DynamoDB::Table", "Arn"): f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{label}",
        (
            "AWS::DynamoDB::Table",
            "StreamArn",
        ): f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{label}/stream/2026-01-01T00:00:00.000",
        ("AWS::Cognito::UserPool", "Arn"): f"arn:aws:cognito-idp:{REGION}:{ACCOUNT}:userpool/{REGION}_Example1",
        ("AWS::S3::Bucket", "Arn"): f"arn:aws:s3:::{label}-{ACCOUNT}",
        ("AWS::S3::Bucket", None): f"{label}-{ACCOUNT}",
        ("AWS::SecretsManager::Secret", None): f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:{label}-AbCdEf",
        ("AWS::Logs::LogGroup", "Arn"): f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{label}:*",
        ("AWS::SQS::Queue", "Arn"): f"arn:aws:sqs:{REGION}:{ACCOUNT}:{label}",
        ("AWS::SES::EmailIdentity", None): "mail.fitco.io",
        ("AWS::SES::ConfigurationSet", None): label,
        ("AWS::CloudFront::Distribution", None): "E2EXAMPLE0ABCD",
        ("AWS::KMS::Key", "Arn"): f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    }
    try:
        return values[(kind, attribute)]
    except KeyError:
        raise SystemExit(f"rehearse: no ARN shape for {kind} {attribute or 'Ref'} ({name}): extend arn_of") from None


def resolve(node: Any, resources: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [value for value in (resolve(item, resources) for item in node) if value is not None]
    if not isinstance(node, dict):
        return node
    if set(node) == {"Fn::If"}:  # a conditional grant is audited as if its condition held
        _condition, when_true, _when_false = node["Fn::If"]
        return resolve(when_true, resources)
    if node == {"Ref": "AWS::NoValue"}:
        return None
    if set(node) == {"Ref"}:
        name = node["Ref"]
        return PSEUDO.get(name) or PARAMETER_SAMPLES.get(name) or arn_of(resources, name, None)
    if set(node) == {"Fn::GetAtt"}:
        name, attribute = node["Fn::GetAtt"]
        return arn_of(resources, name, attribute)
    if set(node) == {"Fn::Sub"} and isinstance(node["Fn::Sub"], str):

        def value(match: re.Match[str]) -> str:
            name, _, attribute = match.group(1).partition(".")
            return PSEUDO.get(match.group(1)) or arn_of(resources, name, attribute or None)

        return re.sub(r"\$\{([^}!]+)\}", value, node["Fn::Sub"])
    return {key: resolve(value, resources) for key, value in node.items()}


def policies(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every IAM policy document of the template by a readable name: role policies and bucket policies."""
    resources = template["Resources"]
    found = {}
    for name, resource in resources.items():
        properties = resource.get("Properties", {})
        if resource["Type"] == "AWS::IAM::Role":
            for policy in properties.get("Policies", []):
                found[f"{name}.{policy['PolicyName']}"] = resolve(policy["PolicyDocument"], resources)
        elif resource["Type"] == "AWS::S3::BucketPolicy":
            found[name] = resolve(properties["PolicyDocument"], resources)
    return found


def parliament(tools: Path, documents: dict[str, dict[str, Any]], folder: Path) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    findings = []
    for name, document in documents.items():
        path = folder / f"{name}.json"
        path.write_text(json.dumps(document, indent=2))
        # --string, not --file: parliament refuses --file whenever stdin is not a terminal (CI).
        result = subprocess.run(
            [str(tools / "parliament"), "--string", path.read_text(), "--json"],
            capture_output=True,
            text=True,
            # parliament imports pkg_resources, which warns of its own deprecation on stderr.
            env={**os.environ, "PYTHONWARNINGS": "ignore::UserWarning:parliament"},
        )
        findings += [f"{name}: {line}" for line in result.stdout.splitlines() if line.strip()]
        if result.returncode not in (0, 1) or result.stderr.strip():
            findings.append(f"{name}: parliament failed: {result.stderr.strip()}")
    return findings


def checkov(tools: Path, template: Path) -> list[str]:
    # From the repository's root with the path as a developer types it: checkov 3.3.30 reported
    # CKV_AWS_45 (with no detail) on staging's functions only when given this worktree's absolute path.
    shown = template.relative_to(ROOT) if template.is_relative_to(ROOT) else template
    result = subprocess.run(
        [str(tools / "checkov"), "--config-file", str(CHECKOV_CONFIG), "-f", str(shown), "-o", "json", "--quiet"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        return [f"checkov did not run: {result.stderr.strip() or result.stdout.strip()}"]
    report = report[0] if isinstance(report, list) else report
    if not report.get("results"):  # an empty report is all passed
        return []
    return [f"{f['check_id']} {f['resource']}: {f['check_name']}" for f in report["results"]["failed_checks"]]


def rehearse(stage: str, tools: Path) -> int:
    template = packager.package(stage, example=True)
    translated = template.with_name("translated.json")
    document = packager.translate(template)
    translated.write_text(json.dumps(document, indent=2) + "\n")
    failed = 0
    for path in (template, translated):
        failures, _notes = packager.lint(path)
        failed += report(stage, f"cfn-lint {path.name}", failures)
    failed += report(stage, "checkov", checkov(tools, translated))
    failed += report(stage, "parliament", parliament(tools, policies(document), template.with_name("policies")))
    return failed


def report(stage: str, tool: str, findings: list[str]) -> int:
    for line in findings:
        print(f"  {line}")
    print(f"{stage}: {tool}: {len(findings)} finding(s)")
    return len(findings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stage", action="append", choices=STAGES)
    args = parser.parse_args(argv)
    tools = ensure_tools()
    bootstrap = report("bootstrap", "checkov", checkov(tools, ROOT / "infra" / "bootstrap.json"))
    failed = bootstrap + sum(rehearse(stage, tools) for stage in args.stage or STAGES)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

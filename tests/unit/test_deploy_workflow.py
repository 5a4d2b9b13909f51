"""The deploy pipeline (.github/workflows): it deploys the values the operator set, whatever they
contain; its actions are pinned; the suite and the rehearsal gate it; staging goes before prod."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from devtools import parameters

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
PIPELINE = WORKFLOWS / "deploy.yml"
STAGE_JOB = WORKFLOWS / "deploy-stage.yml"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40}$")


def load(path: Path) -> dict[Any, Any]:
    document = yaml.safe_load(path.read_text())
    # YAML 1.1 reads the key `on` as True.
    return {("on" if key is True else key): value for key, value in document.items()}


def steps(path: Path) -> list[dict[str, Any]]:
    return [step for job in load(path)["jobs"].values() for step in job.get("steps", [])]


def operators_values() -> dict[str, str]:
    """A prod stage's values as a platform team would set them: a name with an apostrophe, and
    text that a shell would run if the value were pasted into a script."""
    values = parameters.load(ROOT / "infra" / "parameters" / "prod.json")
    values.update(
        FrontendOrigin="https://app.fitco.io",
        EmailSenderAddress="reminders@fitco.io",
        EmailSenderName="O'Brien Fitness $(touch pwned) `touch pwned2`",
        ApiDomainName="api.fitco.io",
        ApiCertificateArn="arn:aws:acm:eu-west-1:210987654321:certificate/11111111-2222-3333-4444-555555555555",
        AlarmEmail="ops@fitco.io",
    )
    return values


@pytest.mark.parametrize("path", [PIPELINE, STAGE_JOB], ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit(path: Path) -> None:
    uses = [step["uses"] for step in steps(path) if "uses" in step]
    assert uses, "the job uses checkout, setup-python and the AWS credentials action"
    assert [use for use in uses if not PINNED.match(use)] == []


@pytest.mark.parametrize("path", [PIPELINE, STAGE_JOB], ids=lambda p: p.name)
def test_no_script_interpolates_an_expression(path: Path) -> None:
    # ${{ }} inside run: is pasted into the script before the shell reads it: an injection path.
    scripts = [step["run"] for step in steps(path) if "run" in step]
    assert [script for script in scripts if "${{" in script] == []


def test_the_suite_and_the_rehearsal_gate_staging_and_staging_gates_prod() -> None:
    pipeline = load(PIPELINE)
    jobs = pipeline["jobs"]
    gate = [step.get("run") for step in jobs["test"]["steps"]]
    assert "make test" in gate and "make rehearse" in gate
    assert jobs["staging"]["needs"] == "test" and jobs["staging"]["with"]["stage"] == "staging"
    assert jobs["prod"]["needs"] == "staging" and jobs["prod"]["with"]["stage"] == "prod"
    assert pipeline["concurrency"] == {"group": "deploy", "cancel-in-progress": False}
    assert pipeline["permissions"] == {"contents": "read"}


def test_the_job_deploys_through_the_execution_role_it_may_pass() -> None:
    [deploy] = [step["run"] for step in steps(STAGE_JOB) if "cloudformation deploy" in step.get("run", "")]
    assert '--role-arn "$CFN_EXECUTION_ROLE_ARN"' in deploy
    bootstrap = json.loads((ROOT / "infra" / "bootstrap.json").read_text())
    policy = bootstrap["Resources"]["GitHubDeployRole"]["Properties"]["Policies"][0]["PolicyDocument"]
    actions = {action for statement in policy["Statement"] for action in _listed(statement["Action"])}
    assert actions == {
        "cloudformation:CreateChangeSet",
        "cloudformation:DescribeChangeSet",
        "cloudformation:ExecuteChangeSet",
        "cloudformation:DeleteChangeSet",
        "cloudformation:DescribeStacks",
        "cloudformation:DescribeStackEvents",
        "cloudformation:GetTemplateSummary",
        "iam:PassRole",
        "s3:PutObject",
        "s3:GetObject",
        "s3:ListBucket",
    }
    trust = bootstrap["Resources"]["GitHubDeployRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]
    assert trust["Condition"]["StringLike"]["token.actions.githubusercontent.com:sub"] == {
        "Fn::Sub": "repo:${GitHubRepository}:environment:*"
    }


def _listed(action: str | list[str]) -> list[str]:
    return [action] if isinstance(action, str) else action


def test_the_job_deploys_the_values_the_operator_set(packaged: dict[str, Path], tmp_path: Path) -> None:
    """Runs the job's own steps, as written, up to the first that needs AWS credentials, with the
    operator's values in the environment variable GitHub would give; the file the deploy step reads
    must hold exactly those values. (`packaged` puts this test on the packaging worker: two
    packagings at once write the same chalice cache.)"""
    operator = operators_values()
    job = load(STAGE_JOB)["jobs"]["deploy"]
    environment = {
        **{name: value for name, value in os.environ.items() if name != "AWS_REGION"},
        "AWS_DEFAULT_REGION": "eu-west-1",  # the job's vars.AWS_REGION: the API's certificate is there
        "STAGE": "prod",
        "RUNNER_TEMP": str(tmp_path),
        "BUILD_DIR": str(tmp_path / "build"),
        "STRIDE_PARAMETERS": json.dumps({"Parameters": operator}),
    }
    shell = shutil.which("bash")
    assert shell
    for step in job["steps"]:
        if step.get("uses", "").startswith("aws-actions/configure-aws-credentials"):
            break
        if "run" not in step:
            continue
        assert set(step.get("env", {})) <= {"STRIDE_PARAMETERS"}
        done = subprocess.run(
            [shell, "-e", "-c", step["run"]], cwd=ROOT, env=environment, capture_output=True, text=True
        )
        assert done.returncode == 0, f"{step['name']}: {done.stdout}{done.stderr}"
    deployed = parameters.load(tmp_path / "build" / "prod" / "parameters.json")
    assert deployed == operator
    assert not (tmp_path / "pwned").exists() and not (tmp_path / "pwned2").exists()

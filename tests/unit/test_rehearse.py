"""What `make rehearse` hands checkov and parliament: every policy with real-looking ARNs, and a
skip list in which each skip says why."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from devtools import package as packager
from devtools import rehearse

STAGES = ("dev", "staging", "prod")


@pytest.fixture(scope="module")
def translated(packaged: dict[str, Path]) -> dict[str, dict[str, Any]]:
    return {stage: packager.translate(packaged[stage]) for stage in STAGES}


@pytest.mark.parametrize("stage", STAGES)
def test_every_policy_reaches_parliament_with_arns_and_no_intrinsic(
    translated: dict[str, dict[str, Any]], stage: str
) -> None:
    documents = rehearse.policies(translated[stage])
    roles = {name.split(".")[0] for name in documents if "." in name}
    assert roles == {
        "ApiHandlerRole",
        "SendEmailsRole",
        "WebhookStreamRole",
        "StatsStreamRole",
        "WebhookRetriesRole",
        "CognitoTriggerRole",
        "PostRemainsRole",
        "SignInNoticesRole",
        "EmailFeedbackRole",
        "BackgroundJobsRole",
    }
    assert "MediaBucketPolicy" in documents
    for name, document in documents.items():
        text = json.dumps(document)
        assert "Fn::" not in text and '"Ref"' not in text, name
        for statement in document["Statement"]:
            resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
            if statement.get("Sid") == "Tracing":  # X-Ray's write actions take no resource: "*" is all IAM allows
                assert resources == ["*"] and all(a.startswith("xray:") for a in statement["Action"]), name
                continue
            assert all(isinstance(r, str) and r.startswith("arn:aws:") for r in resources), (name, resources)


def test_arns_have_the_shape_iam_expects() -> None:
    resources = {
        "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {"TableName": "stride-prod"}},
        "Key": {"Type": "AWS::SecretsManager::Secret", "Properties": {"Name": "stride-prod-cursor-key"}},
    }
    assert rehearse.resolve({"Fn::Sub": "${Table.Arn}/index/Due"}, resources) == (
        "arn:aws:dynamodb:us-east-1:111122223333:table/stride-prod/index/Due"
    )
    assert rehearse.resolve({"Ref": "Key"}, resources).startswith(
        "arn:aws:secretsmanager:us-east-1:111122223333:secret:"
    )
    key = {"DataKey": {"Type": "AWS::KMS::Key", "Properties": {}}}
    assert re.fullmatch(
        r"arn:aws:kms:us-east-1:111122223333:key/[0-9a-f-]{36}",
        rehearse.resolve({"Fn::GetAtt": ["DataKey", "Arn"]}, key),
    )
    with pytest.raises(SystemExit, match="no ARN shape"):
        rehearse.resolve({"Fn::GetAtt": ["Key", "Arn"]}, resources)


def test_each_checkov_skip_says_why() -> None:
    lines = rehearse.CHECKOV_CONFIG.read_text().splitlines()
    skips = [i for i, line in enumerate(lines) if re.match(r"\s+- CKV_", line)]
    assert 0 < len(skips) <= 15  # a short list
    for index in skips:
        above = lines[index - 1].strip()
        assert above.startswith("#") or re.match(r"- CKV_", above), f"{lines[index].strip()} has no reason"

"""docs/deploy.md's cost table names every billable resource type the packaged template declares: a
new billable type (a trail, a configuration set, a second key) fails here until the table prices it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

DEPLOY_DOC = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"

# Types that cost nothing by themselves, with why (what they cause to be billed is priced on the
# row of the type that bills it).
FREE = {
    "AWS::IAM::Role": "IAM is free",
    "AWS::Lambda::Permission": "a resource policy statement",
    "AWS::ApiGateway::BasePathMapping": "part of the custom domain, which is free",
    "AWS::ApiGateway::DomainName": "custom domains are free (ACM's public certificates too)",
    "AWS::S3::BucketPolicy": "a policy document",
    "AWS::SQS::QueuePolicy": "a policy document",
    "AWS::SNS::Subscription": "the topic's deliveries are priced on the topic's row",
    "AWS::CloudFront::KeyGroup": "configuration of a distribution",
    "AWS::CloudFront::PublicKey": "configuration of a distribution",
    "AWS::CloudFront::OriginAccessControl": "configuration of a distribution",
    "AWS::CloudFront::ResponseHeadersPolicy": "configuration of a distribution",
    "AWS::WAFv2::WebACLAssociation": "the web ACL's row prices it",
    "AWS::Cognito::UserPoolClient": "the pool's monthly active users are what is billed",
    "AWS::SES::ConfigurationSet": "sending settings (reputation metrics free); mail is on SES's row",
    "AWS::SES::ConfigurationSetEventDestination": "SES events on the default bus: AWS service events are free",
}


def cost_table() -> str:
    text = DEPLOY_DOC.read_text()
    match = re.search(r"<!-- cost-table:start -->(.*?)<!-- cost-table:end -->", text, re.S)
    assert match, "docs/deploy.md lost its cost table markers (<!-- cost-table:start/end -->)"
    return match.group(1)


def named_types(table: str) -> set[str]:
    """The resource types a row prices: named in its first column, also as `(+ Short)` of the same service."""
    named: set[str] = set()
    for row in table.splitlines():
        cells = row.split("|")
        if len(cells) < 3:
            continue
        first = cells[1]
        full = re.findall(r"`(AWS::[A-Za-z0-9]+::[A-Za-z0-9]+)`", first)
        named.update(full)
        for service in {name.rsplit("::", 1)[0] for name in full}:
            named.update(f"{service}::{short}" for short in re.findall(r"`([A-Za-z0-9]+)`", first))
    return named


def billable(resources: dict[str, Any]) -> set[str]:
    return {resource["Type"] for resource in resources.values()} - set(FREE)


@pytest.fixture(scope="module")
def every_stages_types(packaged: dict[str, Path]) -> set[str]:
    return {
        resource["Type"]
        for path in packaged.values()
        for resource in json.loads(path.read_text())["Resources"].values()
    }


def test_the_cost_table_names_every_billable_resource_type(every_stages_types: set[str]) -> None:
    unpriced = sorted(every_stages_types - set(FREE) - named_types(cost_table()))
    assert not unpriced, f"price these in docs/deploy.md's cost table (or list them in FREE with why): {unpriced}"


def test_the_cost_table_names_no_type_the_template_lacks(every_stages_types: set[str]) -> None:
    stale = sorted(named_types(cost_table()) - every_stages_types)
    assert not stale, f"docs/deploy.md's cost table prices types no stage declares any more: {stale}"


def test_a_new_billable_type_is_caught() -> None:
    resources = {"Stream": {"Type": "AWS::Kinesis::Stream"}, "Role": {"Type": "AWS::IAM::Role"}}
    assert billable(resources) - named_types(cost_table()) == {"AWS::Kinesis::Stream"}


def test_the_totals_add_up() -> None:
    """The idle and per-million columns sum to the totals the text states."""
    idle = per_million = 0.0
    totals: tuple[float, float] | None = None
    for row in cost_table().splitlines():
        cells = [cell.strip() for cell in row.split("|")[1:-1]]
        if len(cells) != 5 or not cells[3] or cells[0].startswith("---") or cells[0].startswith("resource type"):
            continue
        amounts = [re.search(r"\$(\d+\.\d+)", cell) for cell in cells[3:5]]
        values = [float(match.group(1)) if match else 0.0 for match in amounts]
        if cells[0].startswith("**total**"):
            totals = (values[0], values[1])
        else:
            idle, per_million = idle + values[0], per_million + values[1]
    assert totals is not None
    assert (round(idle, 2), round(per_million, 2)) == totals


def row(table: str, resource_type: str) -> str:
    [found] = [line for line in table.splitlines() if line.startswith(f"| `{resource_type}`")]
    return found


def test_the_counts_the_table_prices_are_the_templates(packaged: dict[str, Path]) -> None:
    """Functions, log groups and alarm metrics are priced by the number: each stated number is the
    number of such resources every stage has (those under a condition are priced in words)."""
    resources = json.loads(packaged["prod"].read_text())["Resources"]

    def always(kind: str) -> list[dict[str, Any]]:
        return [r for r in resources.values() if r["Type"] == kind and "Condition" not in r]

    table = cost_table()
    functions = re.search(r"\| (\d+) functions,", row(table, "AWS::Serverless::Function"))
    assert functions and int(functions.group(1)) == len(always("AWS::Serverless::Function"))
    groups = re.search(r"\| (\d+) groups, one for each of the (\d+) functions", row(table, "AWS::Logs::LogGroup"))
    assert groups and int(groups.group(1)) == len(always("AWS::Logs::LogGroup"))
    assert int(groups.group(2)) == len(always("AWS::Serverless::Function"))
    alarms = always("AWS::CloudWatch::Alarm")
    math = [a for a in alarms if "Metrics" in a["Properties"]]
    # A metric-math alarm is billed for each metric it reads, not for its expression.
    metrics = len(alarms) - len(math) + sum("MetricStat" in m for a in math for m in a["Properties"]["Metrics"])
    stated = re.search(
        r"\| (\d+) alarms: (\d+) of one metric, (\d+) metric-math alarms .*?: (\d+) alarm metrics",
        row(table, "AWS::CloudWatch::Alarm"),
    )
    assert stated and tuple(int(n) for n in stated.groups()) == (
        len(alarms),
        len(alarms) - len(math),
        len(math),
        metrics,
    )
    assert f"${metrics / 10:.2f}" in row(table, "AWS::CloudWatch::Alarm")  # $0.10 an alarm metric

"""A stage's parameter values (infra/parameters/<stage>.json) against the template's Parameters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from devtools import package as packager
from devtools import parameters
from devtools.infra import render

STAGES = ("dev", "staging", "prod")
REAL = {
    "FrontendOrigin": "https://app.fitco.io",
    "EmailSenderAddress": "reminders@fitco.io",
    "ApiDomainName": "api.fitco.io",
    "ApiCertificateArn": "arn:aws:acm:eu-west-1:210987654321:certificate/0b1c2d3e-aaaa-bbbb-cccc-0123456789ab",
}


def declared(stage: str = "prod") -> dict:
    return render(stage)["Parameters"]


def write(tmp_path: Path, values: dict[str, str]) -> Path:
    return parameters.write(values, tmp_path / "values.json")


@pytest.mark.parametrize("stage", STAGES)
def test_each_stages_file_names_every_parameter_and_is_valid(stage: str) -> None:
    values = parameters.load(parameters.default_path(stage))
    assert set(values) == set(declared(stage))
    assert parameters.problems(values, declared(stage)) == []


@pytest.mark.parametrize("stage", STAGES)
def test_the_shipped_files_are_examples_that_package_refuses_naming_each(stage: str) -> None:
    with pytest.raises(SystemExit) as refused:
        packager.check_parameters(stage, parameters.default_path(stage), example=False)
    message = str(refused.value)
    for name in ("FrontendOrigin", "EmailSenderAddress", "ApiDomainName", "ApiCertificateArn", "AlarmEmail"):
        assert name in message
    assert "stride.example" in message and "123456789012" in message
    assert packager.check_parameters(stage, parameters.default_path(stage), example=True)


def test_real_values_are_accepted_and_optional_ones_default(tmp_path: Path) -> None:
    assert packager.check_parameters("prod", write(tmp_path, REAL), example=False) == REAL


@pytest.mark.parametrize(
    ("host", "is_reserved"),
    [
        ("app.example.com", True),
        ("example.org", True),
        ("api.stride.example", True),
        ("staging.test", True),
        ("mail.invalid", True),
        ("web.localhost", True),
        ("notexample.com", False),
        ("example.company.io", False),
        ("api.fitco.io", False),
    ],
)
def test_reserved_names_are_rfc_2606_and_6761s(host: str, is_reserved: bool) -> None:
    found = parameters.reserved({**REAL, "ApiDomainName": host})
    assert found == ([f"ApiDomainName ({host})"] if is_reserved else [])


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"FrontendOrigin": "https://app.fitco.io/"}, "FrontendOrigin"),  # an origin has no path
        ({"FrontendOrigin": "http://app.fitco.io"}, "FrontendOrigin"),
        ({"EmailSenderAddress": "Stride <reminders@fitco.io>"}, "EmailSenderAddress"),
        ({"CognitoEmailThroughSes": "yes"}, "CognitoEmailThroughSes"),
        ({"ApiCertificateArn": "not-an-arn"}, "ApiCertificateArn"),
        ({"AlarmEmails": "ops@fitco.io"}, "AlarmEmails: not a parameter"),
    ],
)
def test_values_cloudformation_would_refuse_are_refused_before_packaging(
    tmp_path: Path, change: dict[str, str], problem: str
) -> None:
    with pytest.raises(SystemExit, match=problem):
        packager.check_parameters("prod", write(tmp_path, {**REAL, **change}), example=False)


def test_a_missing_required_value_is_named(tmp_path: Path) -> None:
    values = {k: v for k, v in REAL.items() if k != "ApiDomainName"}
    with pytest.raises(SystemExit, match="ApiDomainName: required"):
        packager.check_parameters("prod", write(tmp_path, values), example=False)


def test_a_file_in_another_shape_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "values.json"
    path.write_text(json.dumps([{"ParameterKey": "FrontendOrigin", "ParameterValue": "https://app.fitco.io"}]))
    with pytest.raises(parameters.ParameterError, match='"Parameters"'):
        parameters.load(path)


def test_the_local_stack_resolves_the_parameters_from_its_environment() -> None:
    resources = render("local")["Resources"]
    [rule] = resources["MediaBucket"]["Properties"]["CorsConfiguration"]["CorsRules"]
    assert rule["AllowedOrigins"] == ["http://127.0.0.1:5173"]

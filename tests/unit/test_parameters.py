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
    "AlarmEmail": "ops@fitco.io",
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


def test_real_values_are_accepted_and_optional_ones_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
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


PUBLIC_KEY = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----"
SECRET = "arn:aws:secretsmanager:eu-west-1:210987654321:secret:stride-prod-video-key-AbCdEf"
WEB_CERTIFICATE = "arn:aws:acm:us-east-1:210987654321:certificate/0b1c2d3e-aaaa-bbbb-cccc-0123456789ab"


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"WebDomainName": "app.fitco.io"}, "WebDomainName and WebCertificateArn: both or neither"),
        ({"WebCertificateArn": WEB_CERTIFICATE}, "WebDomainName and WebCertificateArn: both or neither"),
        ({"VideoCdnPublicKey": PUBLIC_KEY}, "VideoCdnPublicKey and VideoCdnPrivateKeySecretArn: both or neither"),
        ({"VideoCdnPrivateKeySecretArn": SECRET}, "both or neither"),
        (
            {"VideoCdnDomainName": "videos.fitco.io"},
            "VideoCdnDomainName and VideoCdnCertificateArn: both or neither",
        ),
        (
            {"VideoCdnDomainName": "videos.fitco.io", "VideoCdnCertificateArn": WEB_CERTIFICATE},
            "VideoCdnDomainName: the video CDN is off",
        ),
        (
            {
                "VideoCdnPublicKey": PUBLIC_KEY,
                "VideoCdnPrivateKeySecretArn": SECRET,
                "VideoCdnDomainName": "videos.fitco.io",
                "VideoCdnCertificateArn": WEB_CERTIFICATE.replace("us-east-1", "eu-west-1"),
            },
            "VideoCdnCertificateArn: issued in eu-west-1, but CloudFront reads certificates in us-east-1 only",
        ),
        (
            {"WebDomainName": "app.fitco.io", "WebCertificateArn": WEB_CERTIFICATE.replace("us-east-1", "eu-west-1")},
            "WebCertificateArn: issued in eu-west-1, but CloudFront reads certificates in us-east-1 only",
        ),
        (
            {"ApiCertificateArn": REAL["ApiCertificateArn"].replace("eu-west-1", "us-east-1")},
            "ApiCertificateArn: issued in us-east-1, but the regional API reads certificates in eu-west-1 only",
        ),
        ({"AlarmEmail": "ops at fitco.io"}, "AlarmEmail: 'ops at fitco.io' is not an e-mail address"),
        ({"AlarmEmail": ""}, "AlarmEmail: required in prod"),
        ({"ApiHostedZoneId": "fitco.io"}, "ApiHostedZoneId: 'fitco.io' is not a Route 53 hosted zone id"),
        (
            {"VideoCdnPublicKey": "ssh-rsa AAAA", "VideoCdnPrivateKeySecretArn": SECRET},
            "VideoCdnPublicKey: not a PEM public key",
        ),
        (
            {"VideoCdnPublicKey": PUBLIC_KEY, "VideoCdnPrivateKeySecretArn": "stride-prod-video-key"},
            "is not a Secrets Manager secret's ARN",
        ),
        (
            {"WebDomainName": "app.fitco.io", "WebCertificateArn": WEB_CERTIFICATE, "FrontendOrigin": "https://x.io"},
            "FrontendOrigin: must be https://app.fitco.io",
        ),
        ({"CdnAccessLogs": "ON"}, "CdnAccessLogs: ON makes nothing in eu-west-1"),
    ],
)
def test_rules_across_values_are_refused_when_packaging_naming_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, changes: dict[str, str], named: str
) -> None:
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    values = {**REAL, **changes}
    with pytest.raises(SystemExit) as refused:
        packager.check_parameters("prod", write(tmp_path, values), example=False)
    assert named in str(refused.value)


def test_a_whole_set_of_optional_features_is_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    values = {
        **REAL,
        "FrontendOrigin": "https://app.fitco.io",
        "AlarmEmail": "ops+alarms@fitco.io",
        "ApiHostedZoneId": "Z0123456789ABCDEFGHIJ",
        "WebDomainName": "app.fitco.io",
        "WebCertificateArn": WEB_CERTIFICATE,
        "VideoCdnPublicKey": PUBLIC_KEY,
        "VideoCdnPrivateKeySecretArn": SECRET,
        "VideoCdnDomainName": "videos.fitco.io",
        "VideoCdnCertificateArn": WEB_CERTIFICATE,
        "DataKeyMode": "customer-managed",
        "MediaAuditTrail": "ON",
    }
    assert packager.check_parameters("prod", write(tmp_path, values), example=False) == values


def test_cloudfront_logs_are_accepted_where_cloudfront_delivers_them() -> None:
    in_us_east_1 = {**REAL, "ApiCertificateArn": REAL["ApiCertificateArn"].replace("eu-west-1", "us-east-1")}
    assert parameters.cross_field({**in_us_east_1, "CdnAccessLogs": "ON"}, "prod", "us-east-1") == []
    assert parameters.cross_field({**REAL, "CdnAccessLogs": "ON"}, "prod", None) == []  # region unknown: not judged


def test_other_stages_may_leave_alarms_unaddressed() -> None:
    assert parameters.cross_field({**REAL, "AlarmEmail": ""}, "dev", None) == []

"""A stage's parameter values (infra/parameters/<stage>.json): what differs between accounts and
domains, kept out of the template and the code.

The file is in CodePipeline's template-configuration format, `{"Parameters": {"Name": "value"}}`,
which `aws cloudformation deploy --parameter-overrides file://...` (AWS CLI v2) reads as is.
`make package` checks it against the template's Parameters the way CloudFormation would (names,
required values, AllowedPattern, AllowedValues) and refuses reserved example names: a stack
deployed with them never verifies its SES domain and its links and CORS point nowhere.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from devtools.infra import ROOT

PARAMETERS_DIR = ROOT / "infra" / "parameters"
# RFC 2606 and RFC 6761: names that can never be registered, and the account id of AWS's examples.
_RESERVED_TLDS = ("example", "test", "invalid", "localhost", "local")
_RESERVED_DOMAINS = ("example.com", "example.net", "example.org")
_RESERVED_ACCOUNT = "123456789012"
_HOSTNAME = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+")
_CERTIFICATE = re.compile(r"arn:aws[a-z-]*:acm:(?P<region>[a-z0-9-]+):[0-9]{12}:certificate/[a-f0-9-]+")
_SECRET = re.compile(r"arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+")
_EMAIL = re.compile(r"[^@\s<>,;]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+")
_HOSTED_ZONE = re.compile(r"Z[A-Z0-9]{1,31}")
# Pairs that turn one feature on: the template's conditions need both, and silently drop one alone.
_BOTH_OR_NEITHER = (
    ("WebDomainName", "WebCertificateArn"),
    ("VideoCdnPublicKey", "VideoCdnPrivateKeySecretArn"),
    ("VideoCdnDomainName", "VideoCdnCertificateArn"),
)
# Stages whose alarms must reach a person.
ALARMED_STAGES = ("prod",)


class ParameterError(Exception):
    pass


def default_path(stage: str) -> Path:
    return PARAMETERS_DIR / f"{stage}.json"


def load(path: Path) -> dict[str, str]:
    try:
        document = json.loads(path.read_text())
    except FileNotFoundError:
        raise ParameterError(f"{path}: no such file (one per stage: infra/parameters/<stage>.json)") from None
    except json.JSONDecodeError as error:
        raise ParameterError(f"{path} is not valid JSON: {error}") from None
    values = document.get("Parameters") if isinstance(document, dict) else None
    if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
        raise ParameterError(f'{path}: expected {{"Parameters": {{"Name": "value", ...}}}} with string values')
    return values


def problems(values: dict[str, str], declared: dict[str, Any]) -> list[str]:
    """What CloudFormation would refuse: unknown names, missing required values, values outside
    AllowedPattern or AllowedValues."""
    found = [f"{name}: not a parameter of the template" for name in sorted(set(values) - set(declared))]
    for name, spec in declared.items():
        value = values.get(name, spec.get("Default"))
        if value is None:
            found.append(f"{name}: required (no default)")
            continue
        if "AllowedValues" in spec and value not in spec["AllowedValues"]:
            found.append(f"{name}: {value!r} is not one of {spec['AllowedValues']}")
        if (
            "AllowedPattern" in spec
            and value != spec.get("Default")
            and not re.fullmatch(spec["AllowedPattern"], value)
        ):
            found.append(f"{name}: {value!r} does not match {spec['AllowedPattern']}")
    return found


def cross_field(values: dict[str, str], stage: str, region: str | None) -> list[str]:
    """What CloudFormation accepts but the stage would get wrong: half of a feature's pair (dropped
    without a word), a certificate in a region its user cannot read, an address that is none.
    `region` is the stack's region when the packager knows it (AWS_REGION or AWS_DEFAULT_REGION)."""
    found = [
        f"{first} and {second}: both or neither ({first if values.get(first) else second} is set alone, "
        "and the template would ignore it)"
        for first, second in _BOTH_OR_NEITHER
        if bool(values.get(first)) != bool(values.get(second))
    ]
    found += _certificate(values.get("WebCertificateArn", ""), "WebCertificateArn", "us-east-1", "CloudFront")
    found += _certificate(values.get("ApiCertificateArn", ""), "ApiCertificateArn", region, "the regional API")
    found += _certificate(values.get("VideoCdnCertificateArn", ""), "VideoCdnCertificateArn", "us-east-1", "CloudFront")
    if values.get("VideoCdnDomainName") and not values.get("VideoCdnPublicKey"):
        found.append("VideoCdnDomainName: the video CDN is off (set VideoCdnPublicKey and VideoCdnPrivateKeySecretArn)")
    alarm = values.get("AlarmEmail", "")
    if alarm and not _EMAIL.fullmatch(alarm):
        found.append(f"AlarmEmail: {alarm!r} is not an e-mail address")
    if not alarm and stage in ALARMED_STAGES:
        found.append(f"AlarmEmail: required in {stage} (the alarms would reach nobody)")
    zone = values.get("ApiHostedZoneId", "")
    if zone and not _HOSTED_ZONE.fullmatch(zone):
        found.append(f"ApiHostedZoneId: {zone!r} is not a Route 53 hosted zone id (Z...)")
    secret = values.get("VideoCdnPrivateKeySecretArn", "")
    if secret and not _SECRET.fullmatch(secret):
        found.append(f"VideoCdnPrivateKeySecretArn: {secret!r} is not a Secrets Manager secret's ARN")
    public = values.get("VideoCdnPublicKey", "").strip()
    if public and not (public.startswith("-----BEGIN PUBLIC KEY-----") and public.endswith("-----END PUBLIC KEY-----")):
        found.append("VideoCdnPublicKey: not a PEM public key (the content of `openssl rsa -pubout`)")
    if values.get("CdnAccessLogs") == "ON" and region and region != "us-east-1":
        found.append(
            f"CdnAccessLogs: ON makes nothing in {region}: CloudFront's log sources exist in us-east-1 only "
            "(deploy the stack there, or set OFF and add the delivery in us-east-1 by hand: docs/deploy.md)"
        )
    web = values.get("WebDomainName", "")
    if web and values.get("FrontendOrigin") != f"https://{web}":
        found.append(f"FrontendOrigin: must be https://{web}, the web app's own domain (CORS allows only it)")
    return found


def _certificate(arn: str, name: str, region: str | None, user: str) -> list[str]:
    if not arn:
        return []
    match = _CERTIFICATE.fullmatch(arn)
    if not match:
        return [f"{name}: {arn!r} is not an ACM certificate's ARN"]
    if region and match["region"] != region:
        return [
            f"{name}: issued in {match['region']}, but {user} reads certificates in {region} only: request it there"
        ]
    return []


def reserved(values: dict[str, str]) -> list[str]:
    """Each value that still names a reserved example domain or account, with the name it holds."""
    found = []
    for name, value in sorted(values.items()):
        hosts = [host for host in _HOSTNAME.findall(value.lower()) if _is_reserved(host)]
        if _RESERVED_ACCOUNT in value:
            hosts.append(f"account {_RESERVED_ACCOUNT}")
        if hosts:
            found.append(f"{name} ({', '.join(hosts)})")
    return found


def _is_reserved(host: str) -> bool:
    return host.rpartition(".")[2] in _RESERVED_TLDS or any(
        host == domain or host.endswith(f".{domain}") for domain in _RESERVED_DOMAINS
    )


def write(values: dict[str, str], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"Parameters": values}, indent=2) + "\n")
    return path

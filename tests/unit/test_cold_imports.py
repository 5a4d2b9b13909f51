"""A cold start imports only what its request needs: app.py no schema and no marshmallow; a first
GET /me/preferences none either (its answer has a shape, chalicelib/api/responses.py); a first GET
/stats/summary the stats schemas (it loads a query: one it refuses, so no table is read) and no
other domain's. Each check runs in a fresh interpreter, where nothing is imported yet."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
ENVIRONMENT = {
    "STAGE": "cold",
    "TABLE_NAME": "cold",
    "MEDIA_BUCKET": "cold",
    "USER_POOL_ID": "us-east-1_cold",
    "APP_CLIENT_IDS": "cold-client",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "x",
    "AWS_SECRET_ACCESS_KEY": "x",
    "TENANT_REQUESTS_PER_MINUTE": "off",
}
# marshmallow, the shared schema helpers, and every domain's schema modules (chalicelib.domains.<name>.*schemas).
WATCHED = "name.startswith(('marshmallow', 'chalicelib.schemas')) or name.rpartition('.')[2].endswith('schemas')"
REPORT = f"print(json.dumps(sorted(name for name in sys.modules if {WATCHED})))"
IMPORT_APP = f"import json, sys\nimport app\n{REPORT}\n"
# The event API Gateway sends once Cognito has verified the token.
FIRST_REQUEST = """
import json, sys
from moto import mock_aws

CLAIMS = {{"sub": "11111111-2222-3333-4444-555555555555", "token_use": "id", "aud": "cold-client",
          "email": "cold@example.com", "custom:tenant_id": "t-cold", "custom:role": "member"}}
EVENT = {{"resource": "{path}", "path": "{path}", "httpMethod": "GET",
         "headers": {{}}, "multiValueHeaders": {{}},
         "queryStringParameters": {query!r}, "multiValueQueryStringParameters": {queries!r}, "pathParameters": None,
         "stageVariables": None, "body": None, "isBase64Encoded": False,
         "requestContext": {{"resourcePath": "{path}", "httpMethod": "GET", "requestId": "cold",
                            "authorizer": {{"claims": CLAIMS}}, "identity": {{"sourceIp": "127.0.0.1"}},
                            "path": "{path}"}}}}


class Context:
    aws_request_id = function_name = "cold"
    memory_limit_in_mb = 512

    def get_remaining_time_in_millis(self):
        return 10_000


with mock_aws():
    import boto3

    boto3.client("dynamodb").create_table(
        TableName="cold",
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{{"AttributeName": k, "AttributeType": "S"}} for k in ("PK", "SK")],
        KeySchema=[{{"AttributeName": "PK", "KeyType": "HASH"}}, {{"AttributeName": "SK", "KeyType": "RANGE"}}],
    )
    assert not any(name.startswith("chalicelib") for name in sys.modules)
    import app

    response = app.app(EVENT, Context())
    assert response["statusCode"] == {status}, response
{report}
"""


def imported(program: str) -> list[str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    result = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**environment, **ENVIRONMENT},
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_importing_the_app_imports_no_schema_and_no_marshmallow():
    assert imported(IMPORT_APP) == []


def first_request(path: str, query: dict[str, str] | None = None, status: int = 200) -> str:
    """A program serving one GET, the first of its interpreter, then listing what it imported."""
    queries = None if query is None else {name: [value] for name, value in query.items()}
    return FIRST_REQUEST.format(path=path, query=query, queries=queries, status=status, report=REPORT)


def test_a_cold_get_preferences_imports_no_schema_and_no_marshmallow():
    assert imported(first_request("/me/preferences")) == []


def test_a_cold_request_that_loads_a_query_imports_only_its_own_domains_schemas():
    # The query is refused (400) once the stats schemas have loaded it: this test's table has no index.
    schemas = [
        name
        for name in imported(first_request("/stats/summary", {"unknown": "1"}, 400))
        if name.startswith("chalicelib.")
    ]
    assert schemas == ["chalicelib.domains.stats.schemas", "chalicelib.schemas", "chalicelib.schemas.common"]


LAZY_PATTERNS = """
import json, re, sys
import chalicelib.schemas
from marshmallow import ValidationError, validate

lazy = type(validate.Email.DOMAIN_REGEX).__name__
restored = re.compile is chalicelib.schemas._compile
valid = validate.Email()("someone@example.com") == "someone@example.com"
try:
    validate.Email()("someone@@example")
    refused = False
except ValidationError:
    refused = True
print(json.dumps([lazy, restored, valid, refused, validate.URL()("https://example.com/a") is not None]))
"""


def test_marshmallows_import_leaves_its_email_patterns_to_first_use_and_they_still_validate():
    assert imported(LAZY_PATTERNS) == ["_LazyPattern", True, True, True, True]


IMPORT_APP_CODE = """
import json, sys
import app
print(json.dumps(sorted(name for name in sys.modules
                        if name.startswith(('boto3', 'botocore')) or name.endswith(('service', 'store')))))
"""


def test_importing_the_app_imports_no_service_no_store_and_no_boto3():
    """The route table (paths, methods, schema names, roles, budgets) comes from the route
    declarations alone: services and stores are imported by the first request that needs them."""
    assert imported(IMPORT_APP_CODE) == []


# Every route `make bench` times cold (bench/probe.py ROUTES), as its first request after the same
# set-up (moto with the table, 21 weights and 21 posts Stride wrote, the cursor key, the jobs queue):
# the domains whose modules it imports, and the AWS clients it builds. A client is built for the calls
# a request makes, never for a service it holds and does not call (the feed's S3, an import's Cognito,
# S3 and SQS): building one loads its service's model (S3's ~30-60 ms).
PROBE = ROOT / "bench" / "probe.py"
COLD_ROUTES = {
    "GET /me/preferences": ({"auth", "me"}, ["dynamodb"]),
    # A page of 20 and its signed next_cursor: the key is read from Secrets Manager on first use.
    "GET /weights": ({"auth", "me", "weights"}, ["dynamodb", "secrets-manager"]),
    "POST /weights": ({"auth", "me", "weights"}, ["dynamodb"]),
    "GET /stats/summary": ({"auth", "me", "stats"}, ["dynamodb"]),
    # The page's authors' display names: the profile's key and projection come from `me`.
    "GET /feed": ({"auth", "me", "media", "social"}, ["dynamodb", "secrets-manager"]),
}


def probe(*arguments: str) -> dict:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    result = subprocess.run(
        [sys.executable, str(PROBE), *arguments],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> str:
    fixture = tmp_path_factory.mktemp("cold") / "seeded.json"
    probe("seed", str(fixture))
    return str(fixture)


def domains_of(modules: list[str]) -> set[str]:
    return {name.split(".")[2] for name in modules if name.startswith("chalicelib.domains.") and name.count(".") >= 2}


@pytest.mark.parametrize("route", COLD_ROUTES)
def test_a_cold_request_imports_only_its_domains_and_builds_only_the_clients_it_calls(route, seeded):
    domains, clients = COLD_ROUTES[route]
    cold = probe("route", "stride", route, seeded)
    assert (domains_of(cold["imported"]), cold["clients"]) == (domains, clients)
    assert cold["patterns_deferred"] in (None, True)  # marshmallow's e-mail patterns: compiled on first use
    assert "email.policy" not in cold["imported"]  # the e-mail header machinery: only to send e-mail
    if route in ("GET /weights", "GET /feed"):
        assert cold["next_cursor"]  # the page is full: the cursor is signed, so the key was read


def test_a_cold_import_builds_the_dynamodb_client_alone_with_marshmallows_patterns_deferred(seeded):
    """An import knows every domain's records (their schemas and builders come from the manifests),
    so it imports every domain; it builds the DynamoDB client alone, loads marshmallow through
    chalicelib.schemas (the account service imported it directly: ~25 ms of e-mail patterns compiled
    on every cold import), and never e-mail's header machinery (the e-mail domain's exports import
    the SES adapter)."""
    cold = probe("route", "stride", "POST /me/import", seeded)
    assert cold["status"] == 200
    assert cold["clients"] == ["dynamodb"]
    assert cold["patterns_deferred"] is True
    assert "email.policy" not in cold["imported"]

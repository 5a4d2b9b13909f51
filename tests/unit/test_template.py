"""The packaged CloudFormation template of every deployed stage: what `make package` emits.

Each stage is packaged once per session (chalice package + infra/stride.json, no network), then
the template is checked against the app it deploys: cfn-lint clean, the authorizer bound to the
pool, the environment the app reads, the password policy it enforces, least-privilege IAM, and
the alarms.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from chalicelib import config as app_config
from chalicelib import errors, policy
from devtools import package as packager

STAGES = ("dev", "staging", "prod")
ROOT = Path(__file__).resolve().parents[2]
INTRINSICS = {"Ref", "Fn::GetAtt", "Fn::Sub"}
# Cognito calls authorized by the app client or the user's own token, never by IAM.
PUBLIC_COGNITO_CALLS = {
    "SignUp",
    "ConfirmSignUp",
    "InitiateAuth",
    "ForgotPassword",
    "ConfirmForgotPassword",
    "RespondToAuthChallenge",
    "AssociateSoftwareToken",
    "VerifySoftwareToken",
    "RevokeToken",
    "SetUserMFAPreference",
}


@pytest.fixture(params=STAGES)
def stage(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def template(packaged: dict[str, Path], stage: str) -> dict[str, Any]:
    return json.loads(packaged[stage].read_text())


@pytest.fixture
def resources(template: dict[str, Any]) -> dict[str, Any]:
    return template["Resources"]


def props(resources: dict[str, Any], name: str) -> dict[str, Any]:
    return resources[name]["Properties"]


TRACING = {
    "Sid": "Tracing",
    "Effect": "Allow",
    "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
    "Resource": "*",  # X-Ray's write actions name no resource
}


def role_statements(resources: dict[str, Any], role: str = "ApiHandlerRole") -> list[dict[str, Any]]:
    """The role's statements, a conditional one (`Fn::If` with `AWS::NoValue`) as if its condition held,
    less the tracing statement every role has (test_every_function_is_traced_and_may_write_its_traces)
    and the data key's grant (test_every_role_that_touches_the_table_or_bucket_may_use_the_data_key)."""
    return [
        unconditional(statement)
        for document in props(resources, role)["Policies"]
        for statement in document["PolicyDocument"]["Statement"]
        if statement != TRACING and unconditional(statement).get("Sid") != "DataKey"
    ]


def unconditional(statement: dict[str, Any]) -> dict[str, Any]:
    if "Fn::If" not in statement:
        return statement
    _condition, when_true, when_false = statement["Fn::If"]
    assert when_false == {"Ref": "AWS::NoValue"}
    return when_true


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_cfn_lint_reports_no_error_and_no_warning(packaged: dict[str, Path], stage: str) -> None:
    failures, _notes = packager.lint(packaged[stage])
    assert failures == []


def test_no_hand_made_arn_and_no_placeholder_left(template: dict[str, Any]) -> None:
    text = json.dumps(template)
    assert "arn:aws" not in text
    assert "set-by-template" not in text
    assert not re.search(r"__[A-Z][A-Z0-9_]*__", text)


def test_authorizer_is_bound_to_the_user_pool(resources: dict[str, Any]) -> None:
    authorizer = props(resources, "RestAPI")["DefinitionBody"]["securityDefinitions"]["stride-users"]
    assert authorizer["x-amazon-apigateway-authorizer"]["type"] == "cognito_user_pools"
    assert authorizer["x-amazon-apigateway-authorizer"]["providerARNs"] == [{"Fn::GetAtt": ["UserPool", "Arn"]}]


def test_lambda_environment_comes_from_the_stack(resources: dict[str, Any], stage: str) -> None:
    variables = props(resources, "APIHandler")["Environment"]["Variables"]
    assert variables["USER_POOL_ID"] == {"Ref": "UserPool"}
    assert variables["APP_CLIENT_IDS"] == {"Ref": "UserPoolClient"}
    assert variables["TABLE_NAME"] == {"Ref": "Table"}
    assert variables["MEDIA_BUCKET"] == {"Ref": "MediaBucket"}
    assert variables["CURSOR_KEY_SECRET_ARN"] == {"Ref": "CursorKeySecret"}  # Ref of a secret is its ARN
    assert "CURSOR_KEY" not in variables  # the key itself never sits in a deployed environment
    assert variables["STAGE"] == stage
    assert "JWKS_URL" not in variables  # local stage only: Cognito serves the keys at the issuer

    # The app loads its settings from exactly this (Lambda adds AWS_REGION).
    resolved = {name: f"resolved-{name}" if isinstance(value, dict) else value for name, value in variables.items()}
    settings = app_config.load({**resolved, "AWS_REGION": "us-east-1"})
    assert settings.stage == stage
    assert settings.cursor_key_secret_arn == "resolved-CURSOR_KEY_SECRET_ARN"
    for name in ("STAGE", "TABLE_NAME", "MEDIA_BUCKET", "USER_POOL_ID", "APP_CLIENT_IDS"):
        with pytest.raises(app_config.ConfigurationError):
            app_config.load({**{k: v for k, v in resolved.items() if k != name}, "AWS_REGION": "us-east-1"})


def test_password_policy_matches_the_api(resources: dict[str, Any]) -> None:
    password_policy = props(resources, "UserPool")["Policies"]["PasswordPolicy"]
    assert password_policy["MinimumLength"] == policy.MIN_LENGTH
    demanded = policy.password_problems("")  # an empty password lacks every class the API demands
    classes = {
        "RequireUppercase": "an upper-case letter",
        "RequireLowercase": "a lower-case letter",
        "RequireNumbers": "a digit",
        "RequireSymbols": "a symbol",
    }
    for flag, problem in classes.items():
        assert password_policy[flag] is (problem in demanded), flag


def test_app_client_attributes_and_token_lifetimes(resources: dict[str, Any]) -> None:
    client = props(resources, "UserPoolClient")
    assert client["UserPoolId"] == {"Ref": "UserPool"}
    assert client["GenerateSecret"] is False
    assert not [name for name in client["WriteAttributes"] if name.startswith("custom:")]
    assert {"custom:tenant_id", "custom:role"} <= set(client["ReadAttributes"])
    assert (client["AccessTokenValidity"], client["IdTokenValidity"], client["RefreshTokenValidity"]) == (15, 15, 7)
    assert client["TokenValidityUnits"] == {"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "days"}


def test_table_is_on_demand_encrypted_recoverable_and_protected_in_prod(resources: dict[str, Any], stage: str) -> None:
    table = props(resources, "Table")
    assert table["BillingMode"] == "PAY_PER_REQUEST"
    aws_owned, customer_managed = table_and_bucket_keys(resources)[0]
    assert aws_owned == {"SSEEnabled": True}  # DynamoDB's AWS managed key, aws/dynamodb
    assert customer_managed == {"SSEEnabled": True, "SSEType": "KMS", "KMSMasterKeyId": DATA_KEY}
    assert table["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert table["DeletionProtectionEnabled"] is (stage == "prod")


def test_data_survives_the_stack_but_not_a_failed_first_create(resources: dict[str, Any]) -> None:
    # A failed first create removes them, so the next create does not collide on their names.
    for name in ("UserPool", "Table", "MediaBucket"):
        assert resources[name]["DeletionPolicy"] == "RetainExceptOnCreate", name
        assert resources[name]["UpdateReplacePolicy"] == "Retain", name


def test_media_bucket_is_private_encrypted_and_tls_only(resources: dict[str, Any], stage: str) -> None:
    bucket = props(resources, "MediaBucket")
    assert bucket["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    origins = [origin for rule in bucket["CorsConfiguration"]["CorsRules"] for origin in rule["AllowedOrigins"]]
    assert origins == [{"Ref": "FrontendOrigin"}]

    bucket_policy = props(resources, "MediaBucketPolicy")
    assert bucket_policy["Bucket"] == {"Ref": "MediaBucket"}
    deny, video_cdn = bucket_policy["PolicyDocument"]["Statement"]
    assert video_cdn["Fn::If"][0] == "HasVideoCdn"  # the video distribution reads the library only
    assert deny["Effect"] == "Deny"
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert {"Fn::GetAtt": ["MediaBucket", "Arn"]} in deny["Resource"]
    assert {"Fn::Sub": "${MediaBucket.Arn}/*"} in deny["Resource"]


def test_media_bucket_expires_tagged_exports_after_a_day(resources: dict[str, Any]) -> None:
    from chalicelib.domains.account import files as exports

    rules = {rule["Id"]: rule for rule in props(resources, "MediaBucket")["LifecycleConfiguration"]["Rules"]}
    assert rules["abort-incomplete-uploads"]["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 1}
    expire = rules["expire-exports"]
    assert expire["Status"] == "Enabled"
    assert expire["ExpirationInDays"] == 1
    assert "Prefix" not in expire  # the tag alone selects exports, wherever they sit
    [tag] = expire["TagFilters"]
    # The tag the app writes on every export is the one the rule matches.
    source = Path(exports.__file__).read_text()
    assert f'Tagging="{tag["Key"]}={tag["Value"]}"' in source


def test_cursor_key_secret_is_generated_by_the_stack(resources: dict[str, Any], stage: str) -> None:
    secret = resources["CursorKeySecret"]
    assert secret["Type"] == "AWS::SecretsManager::Secret"
    properties = secret["Properties"]
    assert properties["Name"] == f"stride-{stage}-cursor-key"
    assert "SecretString" not in properties  # no key value is ever written into the template
    generated = properties["GenerateSecretString"]
    assert generated["PasswordLength"] == 64
    assert generated["ExcludePunctuation"] is True
    assert "SecretStringTemplate" not in generated  # a bare string: the app signs with SecretString as is
    assert secret["DeletionPolicy"] and secret["UpdateReplacePolicy"]


SES_ARN_PREFIX = "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:"
CONFIGURATION_SET_ARN_SUB = {"Fn::Sub": f"{SES_ARN_PREFIX}configuration-set/${{EmailConfigurationSet}}"}


def test_role_policy_is_least_privilege(resources: dict[str, Any]) -> None:
    statements = role_statements(resources)
    assert statements
    for statement in statements:
        assert statement["Effect"] == "Allow"
        for action in as_list(statement["Action"]):
            assert "*" not in action, action
        assert "NotAction" not in statement and "NotResource" not in statement
        for resource in as_list(statement["Resource"]):
            assert isinstance(resource, dict) and len(resource) == 1 and set(resource) <= INTRINSICS, resource
            if "Fn::Sub" in resource:  # built on a resource's attribute, never on a typed-in ARN
                # (SES identities and configuration sets have no Arn attribute: their ARN is built
                # from the stack's own partition, region, account and the resource's Ref.)
                sub = resource["Fn::Sub"]
                assert isinstance(sub, str), resource
                assert sub.startswith("${") or sub.startswith(SES_ARN_PREFIX), resource

    granted = {
        (action, json.dumps(resource, sort_keys=True))
        for statement in statements
        for action in as_list(statement["Action"])
        for resource in as_list(statement["Resource"])
    }
    table, pool = '{"Fn::GetAtt": ["Table", "Arn"]}', '{"Fn::GetAtt": ["UserPool", "Arn"]}'
    log_group = '{"Fn::GetAtt": ["APIHandlerLogGroup", "Arn"]}'
    bucket, user_objects = '{"Fn::GetAtt": ["MediaBucket", "Arn"]}', '{"Fn::Sub": "${MediaBucket.Arn}/users/*"}'
    cursor_key = '{"Ref": "CursorKeySecret"}'
    tenant_videos = '{"Fn::Sub": "${MediaBucket.Arn}/tenants/*/videos/*"}'
    # Exactly what the code calls today (the next test checks nothing is missing): a feature
    # that adds a call adds its action here and in the policy files.
    expected = {
        *(
            (f"dynamodb:{a}", table)
            for a in (
                "GetItem",
                "BatchGetItem",
                "PutItem",
                "UpdateItem",
                "DeleteItem",
                "ConditionCheckItem",
                "BatchWriteItem",
                "Query",
            )
        ),
        ("dynamodb:Query", '{"Fn::Sub": "${Table.Arn}/index/*"}'),
        *(
            (f"cognito-idp:{a}", pool)
            for a in ("AdminGetUser", "AdminUpdateUserAttributes", "AdminUserGlobalSignOut", "AdminDeleteUser")
        ),
        *((f"s3:{a}", user_objects) for a in ("PutObject", "PutObjectTagging", "GetObject", "DeleteObject")),
        # The video library: copied in (tagged), streamed out by pre-signed GETs, deleted with the video.
        *((f"s3:{a}", tenant_videos) for a in ("PutObject", "PutObjectTagging", "GetObject", "DeleteObject")),
        ("s3:ListBucket", bucket),
        ("secretsmanager:GetSecretValue", cursor_key),
        # DELETE /me queues the account's erasure.
        ("sqs:SendMessage", '{"Fn::GetAtt": ["JobsQueue", "Arn"]}'),
        # POST /businesses/{id}/invites with send_email: the invitation e-mailed by the API itself.
        ("ses:SendRawEmail", json.dumps({"Fn::Sub": f"{SES_ARN_PREFIX}identity/${{EmailIdentity}}"}, sort_keys=True)),
        ("ses:SendRawEmail", json.dumps(CONFIGURATION_SET_ARN_SUB, sort_keys=True)),
        # Only when the video CDN parameters are set: the key that signs its URLs.
        ("secretsmanager:GetSecretValue", '{"Ref": "VideoCdnPrivateKeySecretArn"}'),
        *((f"logs:{a}", log_group) for a in ("CreateLogStream", "PutLogEvents")),
    }
    assert granted == expected

    # Listing is allowed under the users/ prefix only; no other statement carries a condition.
    conditions = {
        action: statement.get("Condition") for statement in statements for action in as_list(statement["Action"])
    }
    assert conditions.pop("s3:ListBucket") == {"StringLike": {"s3:prefix": ["users/*"]}}
    assert set(conditions.values()) == {None}


def test_role_actions_are_real_iam_actions(resources: dict[str, Any]) -> None:
    """cfn-lint skips its IAM action check (W3037) on SAM templates, so it is done here."""
    from cfnlint.data import AdditionalSpecs
    from cfnlint.helpers import load_resource

    known = load_resource(AdditionalSpecs, "Policies.json")
    for statement in role_statements(resources) + role_statements(resources, "SendEmailsRole"):
        for action in as_list(statement["Action"]):
            service, name = action.split(":", 1)
            assert name.lower() in known[service]["Actions"], f"{action} is not an IAM action"


# IAM prefix: botocore service name, for every service the app has a client of.
AWS_SERVICES = {
    "dynamodb": "dynamodb",
    "cognito-idp": "cognito-idp",
    "s3": "s3",
    "secretsmanager": "secretsmanager",
    "ses": "ses",
    "sqs": "sqs",
}
# Calls an event function makes: its own role has them; the API's has those it makes too (an
# invitation's SendRawEmail, AdminGetUser), not the background worker's pool listing.
EVENT_FUNCTION_ACTIONS = {"ses:SendRawEmail", "cognito-idp:AdminGetUser", "cognito-idp:ListUsers"}
# Client helpers that name an operation in their first argument instead of calling it.
OPERATION_BY_NAME = {"get_paginator", "generate_presigned_url"}
# Operations whose IAM actions are not simply "<prefix>:<Operation>".
IAM_ACTIONS = {
    # No IAM action is called TransactWriteItems: a transaction needs the actions of its parts.
    "dynamodb:TransactWriteItems": ("dynamodb:PutItem", "dynamodb:ConditionCheckItem"),
    "s3:ListObjectsV2": ("s3:ListBucket",),
    "s3:DeleteObjects": ("s3:DeleteObject",),
    "s3:HeadObject": ("s3:GetObject",),
    # A copy reads its source and writes (and here tags) its target.
    "s3:CopyObject": ("s3:GetObject", "s3:PutObject", "s3:PutObjectTagging"),
}


def aws_calls(source: str) -> set[tuple[str | None, str, frozenset[str]]]:
    """(service if the code names it, client method, keyword names) of every AWS client call in source.

    A client is `self._client`, `client` or `aws_client("<service>")`; `get_paginator("op")` and
    `generate_presigned_url("op", ...)` count as calls of "op" (a pre-signed URL is used with the role's rights).
    """
    import ast

    calls = set()
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        receiver, method, service = node.func.value, node.func.attr, None
        if isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Name) and receiver.func.id == "aws_client":
            [name] = receiver.args
            assert isinstance(name, ast.Constant), ast.unparse(node)
            service = name.value
        elif not (
            (isinstance(receiver, ast.Attribute) and receiver.attr == "_client")
            or (isinstance(receiver, ast.Name) and receiver.id == "client")
        ):
            continue
        keywords = frozenset(keyword.arg for keyword in node.keywords if keyword.arg)
        if method in OPERATION_BY_NAME:
            assert node.args and isinstance(node.args[0], ast.Constant), ast.unparse(node)
            method = node.args[0].value
        elif method == "generate_presigned_post":
            # The browser's upload runs with the role's rights: a PutObject, tagged by the form.
            method, keywords = "put_object", keywords | {"Tagging"}
        calls.add((service, method, keywords))
    return calls


def test_the_call_scanner_understands_every_form_the_app_uses() -> None:
    source = """
def f(self, client):
    self._client.get_item(TableName="t", Key={})
    client.query(TableName="t")
    aws_client("secretsmanager").get_secret_value(SecretId="s")
    self._client.get_paginator("list_objects_v2")
    self._client.generate_presigned_url("get_object", Params={})
    self._client.put_object(Bucket="b", Key="k", Tagging="a=b")
    self._client_id.strip()
    other.put_item(Item={})
"""
    assert {(service, method) for service, method, _ in aws_calls(source)} == {
        (None, "get_item"),
        (None, "query"),
        ("secretsmanager", "get_secret_value"),
        (None, "list_objects_v2"),
        (None, "get_object"),
        (None, "put_object"),
    }
    assert (None, "put_object", frozenset({"Bucket", "Key", "Tagging"})) in aws_calls(source)


def test_role_allows_every_aws_call_the_app_makes(resources: dict[str, Any]) -> None:
    import botocore.session
    from botocore import xform_name

    source = "\n".join(path.read_text() for path in (ROOT / "chalicelib").rglob("*.py"))
    called = aws_calls(source)
    assert called, "found no AWS calls in chalicelib: the scanner needs updating"
    session = botocore.session.get_session()
    operations = {
        prefix: {xform_name(op): op for op in session.get_service_model(name).operation_names}
        for prefix, name in AWS_SERVICES.items()
    }
    statements = role_statements(resources)
    allowed = {action for statement in statements for action in as_list(statement["Action"])}
    needed = set()
    for service, call, keywords in sorted(called, key=repr):
        owners = [
            (prefix, ops[call])
            for prefix, ops in operations.items()
            if call in ops and service in (None, AWS_SERVICES[prefix])
        ]
        assert owners, f"{call} is not an operation of {service or sorted(AWS_SERVICES)}: extend this test"
        for prefix, operation in owners:
            if prefix == "cognito-idp" and operation in PUBLIC_COGNITO_CALLS:
                continue
            actions = IAM_ACTIONS.get(f"{prefix}:{operation}", (f"{prefix}:{operation}",))
            if set(actions) <= EVENT_FUNCTION_ACTIONS and not set(actions) <= allowed:
                continue  # an event function's call (its own role's test checks it)
            if (prefix, operation) == ("s3", "PutObject") and "Tagging" in keywords:
                actions = (*actions, "s3:PutObjectTagging")  # tags set on upload need their own permission
            for action in actions:
                assert action in allowed, f"the app calls {call} but the role may not ({action})"
            needed.update(actions)
    # And the other way round: apart from the runtime's logging, the role grants nothing the code does not call.
    runtime = {"logs:CreateLogStream", "logs:PutLogEvents"}
    assert allowed - runtime == needed


def test_stage_policy_files_are_identical_and_are_what_the_role_gets(resources: dict[str, Any], stage: str) -> None:
    files = {name: json.loads((ROOT / ".chalice" / f"policy-{name}.json").read_text()) for name in STAGES}
    assert files["dev"] == files["staging"] == files["prod"]
    assert props(resources, "ApiHandlerRole")["Policies"][0]["PolicyDocument"] == files[stage]


def test_log_group_is_the_functions_and_has_retention(resources: dict[str, Any], stage: str) -> None:
    function = props(resources, "APIHandler")
    log_group = props(resources, "APIHandlerLogGroup")
    assert log_group["LogGroupName"] == f"/aws/lambda/{function['FunctionName']}"
    assert log_group["RetentionInDays"] == (365 if stage == "prod" else 30)


def test_api_throttling_and_gateway_responses(resources: dict[str, Any], stage: str) -> None:
    api = props(resources, "RestAPI")
    assert api["MethodSettings"] == [
        {"ResourcePath": "/*", "HttpMethod": "*", "ThrottlingRateLimit": 100, "ThrottlingBurstLimit": 200}
    ]
    expected = {
        "MISSING_AUTHENTICATION_TOKEN": ("404", "not_found"),
        "UNAUTHORIZED": ("401", "unauthorized"),
        "ACCESS_DENIED": ("403", "forbidden"),
        "THROTTLED": ("429", "too_many_requests"),
        "REQUEST_TOO_LARGE": ("413", "payload_too_large"),
        "DEFAULT_4XX": (None, "bad_request"),
        "DEFAULT_5XX": (None, "internal_error"),
    }
    responses = api["GatewayResponses"]
    assert set(responses) == set(expected)
    for kind, (status, code) in expected.items():
        response = responses[kind]
        assert response.get("StatusCode") == status, kind
        headers = response["ResponseParameters"]["Headers"]
        assert headers["Cache-Control"] == "'no-store'" and headers["X-Content-Type-Options"] == "'nosniff'"
        # The browser may read the error.
        assert headers["Access-Control-Allow-Origin"] == {"Fn::Sub": "'${FrontendOrigin}'"}
        # API Gateway fills $context variables in; the result is the app's error envelope.
        body = response["ResponseTemplates"]["application/json"]
        body = body.replace("$context.error.messageString", '"Invalid request body"')
        body = json.loads(body.replace("$context.requestId", "req-1"))
        message = body.get("error", {}).get("message")
        assert message and body == errors.envelope(code, message, "req-1"), kind


def test_alarms_watch_the_api_and_the_function_and_notify_the_topic(resources: dict[str, Any], stage: str) -> None:
    api = props(resources, "RestAPI")
    api_dimensions = [
        {"Name": "ApiName", "Value": api["DefinitionBody"]["info"]["title"]},
        {"Name": "Stage", "Value": api["StageName"]},
    ]
    assert api_dimensions == [{"Name": "ApiName", "Value": "stride"}, {"Name": "Stage", "Value": stage}]
    alarms = {name: r["Properties"] for name, r in resources.items() if r["Type"] == "AWS::CloudWatch::Alarm"}
    expected = {
        "ApiLatencyP99Alarm": ("AWS/ApiGateway", "Latency", api_dimensions, 2000, ("ExtendedStatistic", "p99")),
    }
    assert set(expected) <= set(alarms)
    for name, (namespace, metric, dimensions, threshold, statistic) in expected.items():
        alarm = alarms[name]
        assert (alarm["Namespace"], alarm["MetricName"], alarm["Dimensions"]) == (namespace, metric, dimensions), name
        assert alarm["Threshold"] == threshold and alarm["ComparisonOperator"] == "GreaterThanThreshold", name
        assert alarm["Period"] * alarm["EvaluationPeriods"] == 300, name
        kind, value = statistic
        other = "ExtendedStatistic" if kind == "Statistic" else "Statistic"
        assert alarm[kind] == value and other not in alarm, name
        assert alarm["TreatMissingData"] == "notBreaching", name
        assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}], name
    # Where traffic varies, a rate: errors as a share of requests, from 20 requests on.
    rates = {
        "Api5xxAlarm": ("AWS/ApiGateway", "5XXError", "Count", api_dimensions),
        "ApiHandlerErrorsAlarm": (
            "AWS/Lambda",
            "Errors",
            "Invocations",
            [{"Name": "FunctionName", "Value": {"Ref": "APIHandler"}}],
        ),
    }
    for name, (namespace, errors_metric, total_metric, dimensions) in rates.items():
        alarm = alarms[name]
        metrics = {metric["Id"]: metric for metric in alarm["Metrics"]}
        for metric_id, metric_name in (("errors", errors_metric), ("requests", total_metric)):
            stat = metrics[metric_id]["MetricStat"]
            assert stat["Metric"] == {"Namespace": namespace, "MetricName": metric_name, "Dimensions": dimensions}, name
            assert (stat["Period"], stat["Stat"], metrics[metric_id]["ReturnData"]) == (300, "Sum", False), name
        assert metrics["rate"]["Expression"] == "IF(requests >= 20, 100 * errors / requests, IF(errors > 5, 100, 0))"
        assert alarm["Threshold"] == 2 and "MetricName" not in alarm and "Statistic" not in alarm, name
        assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}] and alarm["TreatMissingData"] == "notBreaching", name


def test_alarm_topic_is_encrypted_with_a_key_cloudwatch_may_use(resources: dict[str, Any]) -> None:
    topic = props(resources, "AlarmTopic")
    # alias/aws/sns would encrypt too, but its key policy cannot admit CloudWatch: alarms would never arrive.
    assert topic["KmsMasterKeyId"] == {"Ref": "AlarmTopicKey"}
    key = props(resources, "AlarmTopicKey")
    assert key["EnableKeyRotation"] is True
    statements = key["KeyPolicy"]["Statement"]
    [cloudwatch] = [s for s in statements if s["Principal"] == {"Service": "cloudwatch.amazonaws.com"}]
    assert set(cloudwatch["Action"]) == {"kms:Decrypt", "kms:GenerateDataKey*"}


def test_outputs(template: dict[str, Any]) -> None:
    outputs = template["Outputs"]
    assert outputs["UserPoolId"]["Value"] == {"Ref": "UserPool"}
    assert outputs["UserPoolClientId"]["Value"] == {"Ref": "UserPoolClient"}
    assert outputs["TableName"]["Value"] == {"Ref": "Table"}
    assert outputs["MediaBucketName"]["Value"] == {"Ref": "MediaBucket"}
    assert outputs["AlarmTopicArn"]["Value"] == {"Ref": "AlarmTopic"}
    assert {"EndpointURL", "RestAPIId"} <= set(outputs)  # Chalice's own


def test_unconfirmed_uploads_expire_by_their_tag(resources: dict[str, Any]) -> None:
    from chalicelib.domains.media.store import PENDING, STATE_TAG

    rules = props(resources, "MediaBucket")["LifecycleConfiguration"]["Rules"]
    expiring = [rule for rule in rules if rule.get("TagFilters") == [{"Key": STATE_TAG, "Value": PENDING}]]
    assert [rule["ExpirationInDays"] for rule in expiring] == [1]


def test_the_email_run_is_its_own_function_with_its_own_narrow_role(resources: dict[str, Any], stage: str) -> None:
    function = props(resources, "SendEmails")
    assert function["Handler"] == "chalicelib.events.reminders.send_emails"
    assert function["Events"]["SendEmailsEvent"]["Properties"]["Schedule"] == "rate(15 minutes)"
    assert function["Timeout"] == 300
    variables = function["Environment"]["Variables"]
    assert variables["TABLE_NAME"] == {"Ref": "Table"}
    assert variables["CURSOR_KEY_SECRET_ARN"] == {"Ref": "CursorKeySecret"}
    resolved = {name: f"resolved-{name}" if isinstance(value, dict) else value for name, value in variables.items()}
    assert app_config.load({**resolved, "AWS_REGION": "us-east-1"}).email_sender == "resolved-EMAIL_SENDER"
    assert variables["EMAIL_SENDER"] == {"Fn::Sub": "${EmailSenderName} <${EmailSenderAddress}>"}
    assert variables["PUBLIC_API_URL"] == {"Fn::Sub": "https://${ApiDomainName}"}  # e-mail links reach the API
    assert props(resources, "SendEmailsLogGroup")["LogGroupName"] == f"/aws/lambda/{function['FunctionName']}"

    # SES verifies the sender address's domain.
    domain = props(resources, "EmailIdentity")["EmailIdentity"]
    assert domain == {"Fn::Select": [1, {"Fn::Split": ["@", {"Ref": "EmailSenderAddress"}]}]}
    granted = {
        (action, json.dumps(resource, sort_keys=True))
        for statement in role_statements(resources, "SendEmailsRole")
        for action in as_list(statement["Action"])
        for resource in as_list(statement["Resource"])
    }
    table = '{"Fn::GetAtt": ["Table", "Arn"]}'
    identity = '{"Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${EmailIdentity}"}'
    expected = {
        *((f"dynamodb:{a}", table) for a in ("GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query")),
        *(
            ("dynamodb:Query", json.dumps({"Fn::Sub": f"${{Table.Arn}}/index/{index}"}))
            for index in ("Due", "ByTime", "OpenByDue")
        ),
        ("ses:SendRawEmail", identity),
        ("ses:SendRawEmail", CONFIGURATION_SET_ARN),
        ("secretsmanager:GetSecretValue", '{"Ref": "CursorKeySecret"}'),
        *((f"logs:{a}", '{"Fn::GetAtt": ["SendEmailsLogGroup", "Arn"]}') for a in ("CreateLogStream", "PutLogEvents")),
    }
    assert granted == expected


# Webhooks: a function on the table's stream and one on a minute schedule, each with its own role.
WEBHOOK_FUNCTIONS = {"WebhookStream": "webhook-stream", "WebhookRetries": "webhook-retries"}


def test_the_stream_handler_reads_the_tables_own_stream(resources: dict[str, Any]) -> None:
    [source] = props(resources, "WebhookStream")["Events"].values()
    assert source["Type"] == "DynamoDB"
    properties = source["Properties"]
    assert properties["Stream"] == {"Fn::GetAtt": ["Table", "StreamArn"]}
    assert props(resources, "Table")["StreamSpecification"] == {"StreamViewType": "NEW_AND_OLD_IMAGES"}
    assert properties["StartingPosition"] == "LATEST"
    # One record's AWS failure is reported alone; a bug is dead-lettered by the app, not retried forever.
    assert properties["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert properties["BisectBatchOnFunctionError"] is True
    assert 0 < properties["MaximumRetryAttempts"] <= 100
    assert properties["MaximumRecordAgeInSeconds"] == 86400
    [schedule] = props(resources, "WebhookRetries")["Events"].values()
    assert schedule == {"Type": "Schedule", "Properties": {"Schedule": "rate(1 minute)"}}


def test_webhook_functions_have_the_apps_environment_log_groups_and_timeouts(
    resources: dict[str, Any], stage: str
) -> None:
    for name, suffix in WEBHOOK_FUNCTIONS.items():
        function = props(resources, name)
        assert function["FunctionName"] == f"stride-{stage}-{suffix}"
        assert function["Timeout"] == 60
        variables = function["Environment"]["Variables"]
        assert variables["TABLE_NAME"] == {"Ref": "Table"}
        assert variables["STAGE"] == stage
        resolved = {key: f"resolved-{key}" if isinstance(value, dict) else value for key, value in variables.items()}
        assert app_config.load({**resolved, "AWS_REGION": "us-east-1"}).table_name == "resolved-TABLE_NAME"
        log_group = props(resources, f"{name}LogGroup")
        assert log_group["LogGroupName"] == f"/aws/lambda/stride-{stage}-{suffix}"
        assert function["Role"] == {"Fn::GetAtt": [f"{name}Role", "Arn"]}


def test_webhook_roles_read_the_stream_and_nothing_else_beyond_their_items(resources: dict[str, Any]) -> None:
    stream = '{"Fn::Sub": "${Table.Arn}/stream/*"}'
    table = '{"Fn::GetAtt": ["Table", "Arn"]}'
    expected = {
        *(
            (f"dynamodb:{a}", table)
            for a in ("GetItem", "PutItem", "UpdateItem", "DeleteItem", "ConditionCheckItem", "Query")
        ),
        ("dynamodb:Query", '{"Fn::Sub": "${Table.Arn}/index/Due"}'),
        # No ListStreams: it takes no resource but "*", so on the stream's ARN it granted nothing.
        *((f"dynamodb:{a}", stream) for a in ("DescribeStream", "GetRecords", "GetShardIterator")),
        ("sqs:SendMessage", '{"Fn::GetAtt": ["WebhookStreamFailures", "Arn"]}'),
        *(
            (f"logs:{a}", json.dumps({"Fn::GetAtt": [f"{name}LogGroup", "Arn"]}, sort_keys=True))
            for a in ("CreateLogStream", "PutLogEvents")
            for name in WEBHOOK_FUNCTIONS
        ),
    }
    for name in WEBHOOK_FUNCTIONS:
        statements = role_statements(resources, f"{name}Role")
        granted = {
            (action, json.dumps(resource, sort_keys=True))
            for statement in statements
            for action in as_list(statement["Action"])
            for resource in as_list(statement["Resource"])
        }
        assert granted == expected, name
        assert all(statement["Effect"] == "Allow" and "Condition" not in statement for statement in statements)
    # The API's own role never reads the stream.
    api_actions = {action for statement in role_statements(resources) for action in as_list(statement["Action"])}
    assert not {"dynamodb:GetRecords", "dynamodb:GetShardIterator"} & api_actions


# A deleted post's likes, comments and media: erased by a function of its own on the table's stream.


def test_post_remains_reads_the_tables_stream_from_its_start_and_gives_up_into_a_watched_queue(
    resources: dict[str, Any], stage: str
) -> None:
    [source] = props(resources, "PostRemains")["Events"].values()
    properties = source["Properties"]
    assert source["Type"] == "DynamoDB" and properties["Stream"] == {"Fn::GetAtt": ["Table", "StreamArn"]}
    assert properties["StartingPosition"] == "TRIM_HORIZON"  # no deletion missed when it is first deployed
    assert properties["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert properties["BisectBatchOnFunctionError"] is True
    queue_arn = {"Fn::GetAtt": ["PostRemainsFailures", "Arn"]}
    assert properties["DestinationConfig"] == {"OnFailure": {"Type": "SQS", "Destination": queue_arn}}
    function = props(resources, "PostRemains")
    assert function["FunctionName"] == f"stride-{stage}-post-remains" and function["Timeout"] == 60
    assert function["Role"] == {"Fn::GetAtt": ["PostRemainsRole", "Arn"]}
    assert props(resources, "PostRemainsLogGroup")["LogGroupName"] == f"/aws/lambda/stride-{stage}-post-remains"
    alarms = alarms_by_metric(resources)
    depth = alarms[
        ("AWS/SQS", "ApproximateNumberOfMessagesVisible", '{"Fn::GetAtt": ["PostRemainsFailures", "QueueName"]}')
    ]
    assert (depth["Statistic"], depth["Threshold"]) == ("Maximum", 0)
    assert alarms[("AWS/Lambda", "IteratorAge", '{"Ref": "PostRemains"}')]["Threshold"] == 5 * 60 * 1000


def test_post_remains_role_deletes_in_the_table_and_users_images_and_nothing_else(resources: dict[str, Any]) -> None:
    table = '{"Fn::GetAtt": ["Table", "Arn"]}'
    stream = '{"Fn::Sub": "${Table.Arn}/stream/*"}'
    expected = {
        ("dynamodb:Query", table),
        ("dynamodb:BatchWriteItem", table),
        *((f"dynamodb:{a}", stream) for a in ("DescribeStream", "GetRecords", "GetShardIterator")),
        ("s3:DeleteObject", '{"Fn::Sub": "${MediaBucket.Arn}/users/*"}'),
        ("sqs:SendMessage", '{"Fn::GetAtt": ["PostRemainsFailures", "Arn"]}'),
        *((f"logs:{a}", '{"Fn::GetAtt": ["PostRemainsLogGroup", "Arn"]}') for a in ("CreateLogStream", "PutLogEvents")),
    }
    statements = role_statements(resources, "PostRemainsRole")
    granted = {
        (action, json.dumps(resource, sort_keys=True))
        for statement in statements
        for action in as_list(statement["Action"])
        for resource in as_list(statement["Resource"])
    }
    assert granted == expected
    files = [json.loads((ROOT / ".chalice" / f"policy-post-remains-{name}.json").read_text()) for name in STAGES]
    assert files[0] == files[1] == files[2]


def test_the_stats_stream_keeps_totals_with_its_own_narrow_role(resources: dict[str, Any], stage: str) -> None:
    function = props(resources, "StatsStream")
    assert function["FunctionName"] == f"stride-{stage}-stats-stream" and function["Timeout"] == 60
    assert function["Environment"]["Variables"]["JOBS_QUEUE_URL"] == {"Ref": "JobsQueue"}
    [source] = function["Events"].values()
    assert source["Properties"]["Stream"] == {"Fn::GetAtt": ["Table", "StreamArn"]}
    assert source["Properties"]["BisectBatchOnFunctionError"] is True
    queue_arn = {"Fn::GetAtt": ["StatsStreamFailures", "Arn"]}
    assert source["Properties"]["DestinationConfig"] == {"OnFailure": {"Type": "SQS", "Destination": queue_arn}}
    alarms = alarms_by_metric(resources)
    assert ("AWS/Lambda", "IteratorAge", '{"Ref": "StatsStream"}') in alarms
    assert (
        "AWS/SQS",
        "ApproximateNumberOfMessagesVisible",
        json.dumps({"Fn::GetAtt": ["StatsStreamFailures", "QueueName"]}),
    ) in alarms
    granted = {
        (action, json.dumps(resource, sort_keys=True))
        for statement in role_statements(resources, "StatsStreamRole")
        for action in as_list(statement["Action"])
        for resource in as_list(statement["Resource"])
    }
    stream = '{"Fn::Sub": "${Table.Arn}/stream/*"}'
    assert granted == {
        *(
            (f"dynamodb:{a}", '{"Fn::GetAtt": ["Table", "Arn"]}')
            for a in ("GetItem", "PutItem", "UpdateItem", "ConditionCheckItem", "DeleteItem")
        ),
        *((f"dynamodb:{a}", stream) for a in ("DescribeStream", "GetRecords", "GetShardIterator")),
        ("sqs:SendMessage", json.dumps(queue_arn, sort_keys=True)),
        # The personal records (activities) are kept by the same handler: a deleted workout's track
        # objects and file item go, and a record whose kept bests were all deleted is rebuilt by a job.
        ("s3:DeleteObject", '{"Fn::Sub": "${MediaBucket.Arn}/users/*"}'),
        ("sqs:SendMessage", '{"Fn::GetAtt": ["JobsQueue", "Arn"]}'),
        *((f"logs:{a}", '{"Fn::GetAtt": ["StatsStreamLogGroup", "Arn"]}') for a in ("CreateLogStream", "PutLogEvents")),
    }


def test_webhook_policy_files_are_identical_across_stages() -> None:
    files = [json.loads((ROOT / ".chalice" / f"policy-webhooks-{name}.json").read_text()) for name in STAGES]
    assert files[0] == files[1] == files[2]


def test_chalice_config_has_no_duplicate_keys() -> None:
    """json.load keeps the last of two equal keys: a second `lambda_functions` in a stage would
    silently drop the first's per-function roles (a merge did exactly that once)."""

    def refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [key for key, _ in pairs]
        assert len(keys) == len(set(keys)), f"duplicate keys in .chalice/config.json: {keys}"
        return dict(pairs)

    json.loads((ROOT / ".chalice" / "config.json").read_text(), object_pairs_hook=refuse_duplicates)


# The user pool's trigger: the pool names the function, so nothing the function needs may name the pool.
TRIGGER_SOURCES = ("PreSignUp", "PostConfirmation", "PreTokenGeneration")


def references(node: Any) -> set[str]:
    """The resources a template node depends on: Ref, Fn::GetAtt, ${...} in Fn::Sub, DependsOn."""
    if isinstance(node, list):
        return set().union(*(references(item) for item in node)) if node else set()
    if not isinstance(node, dict):
        return set()
    found: set[str] = set()
    for key, value in node.items():
        if key == "Ref" and isinstance(value, str):
            found.add(value)
        elif key == "Fn::GetAtt":
            found.add(value[0] if isinstance(value, list) else value.split(".")[0])
        elif key == "Fn::Sub":
            text = value[0] if isinstance(value, list) else value
            found |= {name.split(".")[0] for name in re.findall(r"\$\{([^}!]+)\}", text)}
            found |= references(value[1]) if isinstance(value, list) else set()
        elif key == "DependsOn":
            found |= set(as_list(value))
        else:
            found |= references(value)
    return found


def cycle_in(resources: dict[str, Any]) -> list[str] | None:
    graph = {name: references(body) & set(resources) for name, body in resources.items()}
    state: dict[str, str] = {}

    def visit(name: str, path: list[str]) -> list[str] | None:
        state[name] = "open"
        for target in sorted(graph[name]):
            if state.get(target) == "open":
                return [*path, name, target]
            if target not in state and (found := visit(target, [*path, name])):
                return found
        state[name] = "done"
        return None

    for name in sorted(graph):
        if name not in state and (found := visit(name, [])):
            return found
    return None


def test_the_cycle_check_finds_a_cycle() -> None:
    looped = {
        "Pool": {"Properties": {"LambdaConfig": {"PostConfirmation": {"Fn::GetAtt": ["Fn", "Arn"]}}}},
        "Fn": {"Properties": {"Environment": {"Variables": {"POOL": {"Fn::Sub": "${Pool.Arn}"}}}}},
    }
    assert cycle_in(looped) == ["Fn", "Pool", "Fn"]


def test_the_template_has_no_circular_dependency(resources: dict[str, Any]) -> None:
    assert cycle_in(resources) is None


def test_the_user_pool_runs_the_trigger_with_its_permission(resources: dict[str, Any], stage: str) -> None:
    trigger = {"Fn::GetAtt": ["CognitoTrigger", "Arn"]}
    assert props(resources, "UserPool")["LambdaConfig"] == dict.fromkeys(TRIGGER_SOURCES, trigger)
    function = props(resources, "CognitoTrigger")
    assert function["Handler"] == "chalicelib.events.cognito.cognito_trigger"
    assert function["FunctionName"] == f"stride-{stage}-cognito-trigger"
    assert function["Timeout"] == 5  # Cognito waits five seconds for a trigger
    permission = resources["CognitoTriggerPermission"]
    assert permission["Type"] == "AWS::Lambda::Permission"
    assert permission["Properties"] == {
        "Action": "lambda:InvokeFunction",
        "FunctionName": trigger,
        "Principal": "cognito-idp.amazonaws.com",
        "SourceArn": {"Fn::GetAtt": ["UserPool", "Arn"]},
        "SourceAccount": {"Ref": "AWS::AccountId"},
    }
    assert props(resources, "CognitoTriggerLogGroup")["LogGroupName"] == f"/aws/lambda/stride-{stage}-cognito-trigger"


def test_the_trigger_needs_nothing_that_names_the_pool(resources: dict[str, Any]) -> None:
    """Its environment and its role name neither the pool nor its client (a cycle): the event names the pool."""
    function = props(resources, "CognitoTrigger")
    needed = references(function) | references(props(resources, "CognitoTriggerRole"))
    assert not needed & {"UserPool", "UserPoolClient"}
    variables = function["Environment"]["Variables"]
    assert "USER_POOL_ID" not in variables and "APP_CLIENT_IDS" not in variables
    resolved = {name: f"resolved-{name}" if isinstance(value, dict) else value for name, value in variables.items()}
    # What the trigger adopts from the event completes the settings.
    from_event = {"USER_POOL_ID": "us-east-1_pool", "APP_CLIENT_IDS": "client", "AWS_REGION": "us-east-1"}
    assert app_config.load({**resolved, **from_event}).table_name == "resolved-TABLE_NAME"


def test_the_trigger_role_writes_only_tenancy_attributes_and_its_items(resources: dict[str, Any]) -> None:
    table = '{"Fn::GetAtt": ["Table", "Arn"]}'
    pools = '{"Fn::Sub": "arn:${AWS::Partition}:cognito-idp:${AWS::Region}:${AWS::AccountId}:userpool/*"}'
    granted = {
        (action, json.dumps(resource, sort_keys=True))
        for statement in role_statements(resources, "CognitoTriggerRole")
        for action in as_list(statement["Action"])
        for resource in as_list(statement["Resource"])
    }
    assert granted == {
        *((f"dynamodb:{a}", table) for a in ("GetItem", "PutItem", "UpdateItem", "DeleteItem", "ConditionCheckItem")),
        ("cognito-idp:AdminUpdateUserAttributes", pools),
        *(
            (f"logs:{a}", '{"Fn::GetAtt": ["CognitoTriggerLogGroup", "Arn"]}')
            for a in ("CreateLogStream", "PutLogEvents")
        ),
    }


def test_sign_in_notices_run_on_cognitos_cloudtrail_events_with_a_narrow_role(
    resources: dict[str, Any], stage: str
) -> None:
    from chalicelib.events.sign_in import EVENT_PATTERN

    function = props(resources, "SignInNotices")
    assert function["Handler"] == "chalicelib.events.sign_in.sign_in_notices"
    assert function["FunctionName"] == f"stride-{stage}-sign-in-notices"
    [source] = function["Events"].values()
    assert source["Type"] == "CloudWatchEvent"
    assert source["Properties"]["Pattern"] == EVENT_PATTERN
    assert props(resources, "SignInNoticesLogGroup")["LogGroupName"] == f"/aws/lambda/stride-{stage}-sign-in-notices"
    granted = {
        (action, json.dumps(resource, sort_keys=True))
        for statement in role_statements(resources, "SignInNoticesRole")
        for action in as_list(statement["Action"])
        for resource in as_list(statement["Resource"])
    }
    log_group = '{"Fn::GetAtt": ["SignInNoticesLogGroup", "Arn"]}'
    assert granted == {
        ("cognito-idp:AdminGetUser", '{"Fn::GetAtt": ["UserPool", "Arn"]}'),
        # The staff check's two-step flag, on the member item, kept equal to Cognito's state.
        *((f"dynamodb:{a}", '{"Fn::GetAtt": ["Table", "Arn"]}') for a in ("GetItem", "UpdateItem")),
        (
            "ses:SendRawEmail",
            '{"Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${EmailIdentity}"}',
        ),
        ("ses:SendRawEmail", CONFIGURATION_SET_ARN),
        ("dynamodb:GetItem", '{"Fn::GetAtt": ["Table", "Arn"]}'),  # the suppression list
        *((f"logs:{a}", log_group) for a in ("CreateLogStream", "PutLogEvents")),
    }


# SES: every send names the stage's configuration set; bounces and complaints reach a handler.

CONFIGURATION_SET_ARN = json.dumps(
    {"Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:configuration-set/${EmailConfigurationSet}"}
)


def test_the_configuration_set_suppresses_bounces_and_complaints_and_keeps_reputation_metrics(
    resources: dict[str, Any], stage: str
) -> None:
    configuration_set = props(resources, "EmailConfigurationSet")
    assert configuration_set["Name"] == f"stride-{stage}"
    assert configuration_set["ReputationOptions"] == {"ReputationMetricsEnabled": True}
    assert configuration_set["SuppressionOptions"] == {"SuppressedReasons": ["BOUNCE", "COMPLAINT"]}
    destination = props(resources, "EmailFeedbackDestination")
    assert destination["ConfigurationSetName"] == {"Ref": "EmailConfigurationSet"}
    event_destination = destination["EventDestination"]
    assert event_destination["Enabled"] is True
    assert sorted(event_destination["MatchingEventTypes"]) == ["bounce", "complaint"]
    bus = event_destination["EventBridgeDestination"]["EventBusArn"]["Fn::Sub"]
    assert bus.endswith(":event-bus/default")  # SES publishes to the default bus only
    # The identity's default, so a send that names none (Cognito's codes, a console test) uses it too.
    identity = props(resources, "EmailIdentity")
    assert identity["ConfigurationSetAttributes"] == {"ConfigurationSetName": {"Ref": "EmailConfigurationSet"}}
    through_ses = props(resources, "UserPool")["EmailConfiguration"]["Fn::If"][1]
    assert through_ses["ConfigurationSet"] == {"Ref": "EmailConfigurationSet"}


def test_every_function_that_can_send_mail_names_the_configuration_set(resources: dict[str, Any]) -> None:
    senders = [
        name
        for name in FUNCTIONS
        if "EMAIL_SENDER" in props(resources, name).get("Environment", {}).get("Variables", {})
    ]
    assert {"APIHandler", "SendEmails", "SignInNotices", "EmailFeedback"} <= set(senders)
    for name in senders:
        variables = props(resources, name)["Environment"]["Variables"]
        assert variables["SES_CONFIGURATION_SET"] == {"Ref": "EmailConfigurationSet"}, name
    for name in ("SendEmails", "SignInNotices"):
        granted = {
            json.dumps(resource, sort_keys=True)
            for statement in role_statements(resources, f"{name}Role")
            if "ses:SendRawEmail" in as_list(statement["Action"])
            for resource in as_list(statement["Resource"])
        }
        assert CONFIGURATION_SET_ARN in granted, name  # SES checks the set's ARN as well as the identity's


def test_the_feedback_handler_runs_on_ses_events_with_a_narrow_role(resources: dict[str, Any], stage: str) -> None:
    from chalicelib.events.email_feedback import EVENT_PATTERN

    function = props(resources, "EmailFeedback")
    assert function["Handler"] == "chalicelib.events.email_feedback.email_feedback"
    assert function["FunctionName"] == f"stride-{stage}-email-feedback"
    assert function["ReservedConcurrentExecutions"] == 1
    [source] = function["Events"].values()
    assert source["Type"] == "CloudWatchEvent"
    assert source["Properties"]["Pattern"] == EVENT_PATTERN
    assert EVENT_PATTERN["source"] == ["aws.ses"]
    assert props(resources, "EmailFeedbackLogGroup")["LogGroupName"] == f"/aws/lambda/stride-{stage}-email-feedback"
    granted = {
        (action, json.dumps(resource, sort_keys=True))
        for statement in role_statements(resources, "EmailFeedbackRole")
        if statement.get("Sid") != "Tracing"
        for action in as_list(statement["Action"])
        for resource in as_list(statement["Resource"])
    }
    table, log_group = '{"Fn::GetAtt": ["Table", "Arn"]}', '{"Fn::GetAtt": ["EmailFeedbackLogGroup", "Arn"]}'
    assert granted == {
        *((f"dynamodb:{a}", table) for a in ("PutItem", "UpdateItem", "DeleteItem")),
        ("cognito-idp:ListUsers", '{"Fn::GetAtt": ["UserPool", "Arn"]}'),
        *((f"logs:{a}", log_group) for a in ("CreateLogStream", "PutLogEvents")),
    }
    for alarm in ("EmailFeedbackErrorsAlarm", "EmailFeedbackThrottlesAlarm"):
        assert props(resources, alarm)["Dimensions"] == [{"Name": "FunctionName", "Value": {"Ref": "EmailFeedback"}}]


@pytest.mark.parametrize(
    ("name", "metric", "threshold"),
    [
        ("SesBounceRateAlarm", "Reputation.BounceRate", 0.05),
        ("SesComplaintRateAlarm", "Reputation.ComplaintRate", 0.001),
    ],
)
def test_ses_reputation_alarms_fire_where_aws_starts_its_review(
    resources: dict[str, Any], name: str, metric: str, threshold: float
) -> None:
    alarm = props(resources, name)
    assert (alarm["Namespace"], alarm["MetricName"], alarm["Threshold"]) == ("AWS/SES", metric, threshold)
    assert alarm["ComparisonOperator"] == "GreaterThanThreshold" and alarm["Statistic"] == "Maximum"
    assert "Dimensions" not in alarm  # the account's rate: the one AWS reviews and pauses on
    assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}]


# Deploying: one template for any account and domain, deployed as the stage's own stage.

FUNCTIONS = (
    "APIHandler",
    "SendEmails",
    "WebhookStream",
    "WebhookRetries",
    "CognitoTrigger",
    "PostRemains",
    "SignInNotices",
    "EmailFeedback",
    "BackgroundJobs",
    "StatsStream",
)


@pytest.fixture
def translated(packaged: dict[str, Path], stage: str) -> dict[str, Any]:
    return packager.translate(packaged[stage])


def test_every_function_runs_python_3_13_on_arm64(resources: dict[str, Any]) -> None:
    functions = {name for name, r in resources.items() if r["Type"] == "AWS::Serverless::Function"}
    assert functions == set(FUNCTIONS)
    for name in functions:
        assert props(resources, name)["Runtime"] == "python3.13", name
        assert props(resources, name)["Architectures"] == ["arm64"], name


def test_the_package_is_pure_python_so_it_runs_on_arm64(packaged: dict[str, Path], stage: str) -> None:
    import zipfile

    with zipfile.ZipFile(packaged[stage].with_name("deployment.zip")) as archive:
        names = archive.namelist()
    assert "app.py" in names and any(name.startswith("marshmallow/") for name in names)
    assert not [name for name in names if name.endswith((".so", ".pyd", ".dylib"))]


def test_a_package_with_a_compiled_module_is_refused(tmp_path: Path) -> None:
    import zipfile

    archive = tmp_path / "deployment.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("app.py", "")
        zipped.writestr("pydantic_core/_pydantic_core.cpython-313-x86_64-linux-gnu.so", b"\x7fELF")
    with pytest.raises(SystemExit, match="compiled modules"):
        packager.check_pure_python(archive)


def test_sam_creates_only_the_stages_own_api_stage(translated: dict[str, Any], stage: str) -> None:
    resources = translated["Resources"]
    stages = [r["Properties"]["StageName"] for r in resources.values() if r["Type"] == "AWS::ApiGateway::Stage"]
    assert stages == [stage]
    # SAM's extra stage named "Stage" would come from a StageName on the deployment.
    [deployment] = [r for r in resources.values() if r["Type"] == "AWS::ApiGateway::Deployment"]
    assert "StageName" not in deployment["Properties"]
    [mapping] = [r for r in resources.values() if r["Type"] == "AWS::ApiGateway::BasePathMapping"]
    assert mapping["Properties"]["Stage"] == {"Ref": f"RestAPI{stage}Stage"}


def test_the_translation_is_lint_clean(packaged: dict[str, Path], stage: str, tmp_path: Path) -> None:
    path = tmp_path / "translated.json"
    path.write_text(json.dumps(packager.translate(packaged[stage])))
    failures, _notes = packager.lint(path)
    assert failures == []


def test_every_function_gets_the_deploy_time_values(resources: dict[str, Any]) -> None:
    for name in FUNCTIONS:
        variables = props(resources, name)["Environment"]["Variables"]
        assert variables["FRONTEND_ORIGIN"] == {"Ref": "FrontendOrigin"}, name
        assert variables["EMAIL_SENDER"] == {"Fn::Sub": "${EmailSenderName} <${EmailSenderAddress}>"}, name
        assert variables["PUBLIC_API_URL"] == {"Fn::Sub": "https://${ApiDomainName}"}, name


def test_no_stage_carries_an_account_or_domain_of_its_own(template: dict[str, Any]) -> None:
    text = json.dumps(template)
    assert "stride.example" not in text and "stride.local" not in text
    parameters = set(template["Parameters"])
    assert {"FrontendOrigin", "EmailSenderAddress", "ApiDomainName", "ApiCertificateArn", "AlarmEmail"} <= parameters


def test_the_api_answers_at_its_own_domain(resources: dict[str, Any], template: dict[str, Any]) -> None:
    domain = props(resources, "ApiDomain")
    assert domain["DomainName"] == {"Ref": "ApiDomainName"}
    assert domain["RegionalCertificateArn"] == {"Ref": "ApiCertificateArn"}
    assert domain["SecurityPolicy"] == "TLS_1_2"
    assert props(resources, "ApiBasePathMapping")["RestApiId"] == {"Ref": "RestAPI"}
    assert resources["ApiDomainRecord"]["Condition"] == "HasApiHostedZone"
    assert template["Outputs"]["ApiUrl"]["Value"] == {"Fn::Sub": "https://${ApiDomainName}"}


def test_cognito_sends_through_ses_only_when_asked(resources: dict[str, Any], template: dict[str, Any]) -> None:
    condition, through_ses, built_in = props(resources, "UserPool")["EmailConfiguration"]["Fn::If"]
    assert template["Conditions"][condition] == {"Fn::Equals": [{"Ref": "CognitoEmailThroughSes"}, "true"]}
    assert template["Parameters"]["CognitoEmailThroughSes"]["Default"] == "false"  # a first deploy needs no SES
    assert built_in == {"EmailSendingAccount": "COGNITO_DEFAULT"}
    assert through_ses["EmailSendingAccount"] == "DEVELOPER"
    assert through_ses["SourceArn"] == {
        "Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${EmailIdentity}"
    }
    assert through_ses["From"] == {"Fn::Sub": "${EmailSenderName} <${EmailSenderAddress}>"}


def test_alarm_email_is_subscribed_only_when_given(resources: dict[str, Any]) -> None:
    subscription = resources["AlarmEmailSubscription"]
    assert subscription["Condition"] == "HasAlarmEmail"
    assert subscription["Properties"] == {
        "TopicArn": {"Ref": "AlarmTopic"},
        "Protocol": "email",
        "Endpoint": {"Ref": "AlarmEmail"},
    }


# Watched: every function, the stream, the API's access log and one dashboard.


def alarms_by_metric(resources: dict[str, Any]) -> dict[tuple[str, str, str], dict[str, Any]]:
    found = {}
    for name, resource in resources.items():
        if resource["Type"] != "AWS::CloudWatch::Alarm":
            continue
        alarm = resource["Properties"]
        assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}] and alarm["OKActions"] == [{"Ref": "AlarmTopic"}], name
        assert alarm["TreatMissingData"] == "notBreaching", name
        assert alarm["AlarmName"].startswith("stride-"), name
        if "Metrics" in alarm:  # a rate: what it watches is its "errors" metric
            [watched] = [m["MetricStat"]["Metric"] for m in alarm["Metrics"] if m["Id"] == "errors"]
        else:
            watched = alarm
        if watched["Namespace"] == "AWS/ApiGateway":
            dimension = {"Value": "api"}
        elif watched["Namespace"] == "AWS/SES":  # the account's reputation: no dimension
            dimension = {"Value": "account"}
        elif watched["Namespace"] == "AWS/CloudFront":  # a distribution, in CloudFront's one "Global" region
            [dimension] = [d for d in watched["Dimensions"] if d["Name"] == "DistributionId"]
        else:
            [dimension] = watched["Dimensions"]
        target = json.dumps(dimension["Value"], sort_keys=True)
        found[(watched["Namespace"], watched["MetricName"], target)] = alarm
    return found


def test_every_function_has_an_error_and_a_throttle_alarm(resources: dict[str, Any]) -> None:
    alarms = alarms_by_metric(resources)
    for name in FUNCTIONS:
        target = json.dumps({"Ref": name})
        errors_alarm = alarms[("AWS/Lambda", "Errors", target)]
        throttles = alarms[("AWS/Lambda", "Throttles", target)]
        # The API may fail a little under load (above 2 % of its invocations); a background run never.
        assert errors_alarm["Threshold"] == (2 if name == "APIHandler" else 0), name
        assert throttles["Threshold"] == 0 and throttles["Statistic"] == "Sum", name
        assert throttles["Period"] == 300, name
    assert alarms[("AWS/ApiGateway", "5XXError", '"api"')]["Threshold"] == 2


def test_every_function_is_traced_and_may_write_its_traces(resources: dict[str, Any]) -> None:
    for name in FUNCTIONS:
        function = props(resources, name)
        assert function["Tracing"] == "Active", name
        role = props(resources, function["Role"]["Fn::GetAtt"][0])
        statements = [s for policy in role["Policies"] for s in policy["PolicyDocument"]["Statement"]]
        assert statements.count(TRACING) == 1, name


def test_the_table_is_watched_for_throttles_and_system_errors(resources: dict[str, Any]) -> None:
    alarms = alarms_by_metric(resources)
    table = json.dumps({"Ref": "Table"})
    assert alarms[("AWS/DynamoDB", "ThrottledRequests", table)]["Threshold"] == 0
    assert alarms[("AWS/DynamoDB", "SystemErrors", table)]["Threshold"] == 5


def test_logs_outlive_a_protected_stage_and_its_pool_cannot_be_deleted(resources: dict[str, Any], stage: str) -> None:
    kept = "Retain" if stage == "prod" else "Delete"
    log_groups = {name: r for name, r in resources.items() if r["Type"] == "AWS::Logs::LogGroup"}
    assert len(log_groups) >= 6
    for name, log_group in log_groups.items():
        assert (log_group["DeletionPolicy"], log_group["UpdateReplacePolicy"]) == (kept, kept), name
    assert props(resources, "UserPool")["DeletionProtection"] == ("ACTIVE" if stage == "prod" else "INACTIVE")


def test_the_api_sits_behind_a_web_acl_and_only_its_own_domain(resources: dict[str, Any]) -> None:
    assert props(resources, "RestAPI")["DisableExecuteApiEndpoint"] is True
    acl = props(resources, "ApiWebAcl")
    assert acl["Scope"] == "REGIONAL" and acl["DefaultAction"] == {"Allow": {}}
    rules = {rule["Name"]: rule for rule in acl["Rules"]}
    managed = {r["Statement"]["ManagedRuleGroupStatement"]["Name"] for r in rules.values() if "OverrideAction" in r}
    assert managed == {
        "AWSManagedRulesAmazonIpReputationList",
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
    }
    # Imports and activity files are bodies over the common rules' 8 KB: that one rule only counts.
    [common] = [r for r in rules.values() if r["Name"] == "aws-common"]
    overrides = common["Statement"]["ManagedRuleGroupStatement"]["RuleActionOverrides"]
    assert overrides == [{"Name": "SizeRestrictions_BODY", "ActionToUse": {"Count": {}}}]
    rate = rules["auth-rate-limit"]["Statement"]["RateBasedStatement"]
    assert rate["AggregateKeyType"] == "IP" and rate["Limit"] <= 100
    assert rate["ScopeDownStatement"]["ByteMatchStatement"]["SearchString"] == "/auth/"
    association = props(resources, "ApiWebAclAssociation")
    assert association["WebACLArn"] == {"Fn::GetAtt": ["ApiWebAcl", "Arn"]}
    assert "/restapis/${RestAPI}/stages/" in association["ResourceArn"]["Fn::Sub"]
    assert props(resources, "ApiWebAclLogging")["LogDestinationConfigs"] == [
        {"Fn::GetAtt": ["ApiWebAclLogGroup", "Arn"]}
    ]


def test_background_functions_have_concurrency_of_their_own(resources: dict[str, Any]) -> None:
    for name in FUNCTIONS:
        reserved = props(resources, name).get("ReservedConcurrentExecutions")
        if name in ("APIHandler", "CognitoTrigger"):
            assert reserved is None, name  # sign-up and requests take what the account has
        else:
            assert isinstance(reserved, int) and 1 <= reserved <= 5, name


def test_stream_records_given_up_on_go_to_a_watched_queue(resources: dict[str, Any]) -> None:
    [source] = props(resources, "WebhookStream")["Events"].values()
    queue_arn = {"Fn::GetAtt": ["WebhookStreamFailures", "Arn"]}
    assert source["Properties"]["DestinationConfig"] == {"OnFailure": {"Type": "SQS", "Destination": queue_arn}}
    queue = props(resources, "WebhookStreamFailures")
    assert queue["MessageRetentionPeriod"] == 14 * 24 * 3600 and queue["SqsManagedSseEnabled"] is True
    alarms = alarms_by_metric(resources)
    depth = alarms[
        ("AWS/SQS", "ApproximateNumberOfMessagesVisible", '{"Fn::GetAtt": ["WebhookStreamFailures", "QueueName"]}')
    ]
    assert (depth["Statistic"], depth["Threshold"]) == ("Maximum", 0)
    age = alarms[("AWS/Lambda", "IteratorAge", '{"Ref": "WebhookStream"}')]
    assert (age["Statistic"], age["Threshold"]) == ("Maximum", 5 * 60 * 1000)


def test_api_access_log_is_json_with_the_request_ids_and_kept_for_a_while(
    resources: dict[str, Any], stage: str
) -> None:
    setting = props(resources, "RestAPI")["AccessLogSetting"]
    assert setting["DestinationArn"] == {"Fn::GetAtt": ["ApiAccessLogGroup", "Arn"]}
    line = json.loads(setting["Format"])  # API Gateway fills $context variables into this JSON
    # requestId is the app's request_id (its log line carries correlation_id beside it); the
    # integration's id is the Lambda invocation's, as in the function's REPORT line.
    assert line["requestId"] == "$context.requestId"
    assert line["lambdaRequestId"] == "$context.integration.requestId"
    assert {"status", "latencyMs", "resourcePath", "httpMethod"} <= set(line)
    assert props(resources, "ApiAccessLogGroup")["RetentionInDays"] == (365 if stage == "prod" else 30)


def test_the_dashboard_shows_what_the_issue_lists(resources: dict[str, Any]) -> None:
    dashboard = props(resources, "Dashboard")
    body = json.loads(dashboard["DashboardBody"]["Fn::Sub"])
    text = json.dumps(body)
    titles = [widget["properties"]["title"] for widget in body["widgets"]]
    assert len(titles) == 9
    for metric in ('"Count"', '"Latency"', '"4XXError"', '"5XXError"', '"Errors"', '"Duration"', "ThrottleEvents"):
        assert metric in text, metric
    assert '"p50"' in text and '"p99"' in text
    assert "@initDuration" in text  # cold starts: the REPORT lines of a new container
    assert "WebhookDeadLetters" in text and "email_run" in text
    for name in FUNCTIONS:
        assert f"${{{name}}}" in text and f"${{{name}LogGroup}}" in text, name


def test_dead_letters_are_counted_from_the_line_the_service_logs(resources: dict[str, Any], stage: str) -> None:
    from chalicelib.domains.webhooks import service as webhooks

    filters = {name: r["Properties"] for name, r in resources.items() if r["Type"] == "AWS::Logs::MetricFilter"}
    assert {f["LogGroupName"]["Ref"] for f in filters.values()} == {"WebhookStreamLogGroup", "WebhookRetriesLogGroup"}
    for metric_filter in filters.values():
        term = json.loads(metric_filter["FilterPattern"])
        assert f'"message": "{term}"' in Path(webhooks.__file__).read_text()
        [transformation] = metric_filter["MetricTransformations"]
        assert transformation["MetricNamespace"] == f"Stride/{stage}"
        assert transformation["MetricName"] == "WebhookDeadLetters"


def test_media_is_versioned_and_old_versions_expire(resources: dict[str, Any]) -> None:
    # Every stage as prod: an overwrite or a delete can be undone for 14 days, then is gone for good.
    bucket = props(resources, "MediaBucket")
    assert bucket["VersioningConfiguration"] == {"Status": "Enabled"}
    rules = {rule["Id"]: rule for rule in bucket["LifecycleConfiguration"]["Rules"]}
    assert rules["expire-noncurrent-versions"]["NoncurrentVersionExpiration"] == {"NoncurrentDays": 14}
    assert rules["remove-expired-delete-markers"]["ExpiredObjectDeleteMarker"] is True


def test_each_stage_has_its_own_email_policy_file_and_its_role_gets_it(resources: dict[str, Any], stage: str) -> None:
    # Per stage so a sandboxed dev account can grant its test recipients without touching prod.
    config = json.loads((ROOT / ".chalice" / "config.json").read_text())
    name = config["stages"][stage]["lambda_functions"]["send_emails"]["iam_policy_file"]
    assert name == f"policy-emails-{stage}.json"
    document = json.loads((ROOT / ".chalice" / name).read_text())
    assert props(resources, "SendEmailsRole")["Policies"][0]["PolicyDocument"] == document


# The web app and the video library behind CloudFront.


def test_web_app_is_served_only_through_cloudfront_over_https(resources: dict[str, Any]) -> None:
    bucket = props(resources, "WebBucket")
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    deny, allow = props(resources, "WebBucketPolicy")["PolicyDocument"]["Statement"]
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert allow["Principal"] == {"Service": "cloudfront.amazonaws.com"} and allow["Action"] == "s3:GetObject"
    source = allow["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Sub"]
    assert source.endswith(":distribution/${WebDistribution}")  # this distribution, no other
    access = props(resources, "WebOriginAccessControl")["OriginAccessControlConfig"]
    assert (access["SigningBehavior"], access["SigningProtocol"]) == ("always", "sigv4")

    config = props(resources, "WebDistribution")["DistributionConfig"]
    [origin] = config["Origins"]
    assert origin["OriginAccessControlId"] == {"Fn::GetAtt": ["WebOriginAccessControl", "Id"]}
    assert origin["DomainName"] == {"Fn::GetAtt": ["WebBucket", "RegionalDomainName"]}
    behaviour = config["DefaultCacheBehavior"]
    assert behaviour["ViewerProtocolPolicy"] == "redirect-to-https"
    assert behaviour["ResponseHeadersPolicyId"] == {"Ref": "WebSecurityHeaders"}
    [spa] = behaviour["FunctionAssociations"]
    assert spa["EventType"] == "viewer-request"
    assert spa["FunctionARN"] == {"Fn::GetAtt": ["WebSpaFallback", "FunctionMetadata.FunctionARN"]}
    own_domain = config["ViewerCertificate"]["Fn::If"][1]
    assert own_domain["MinimumProtocolVersion"] == "TLSv1.2_2021" and own_domain["SslSupportMethod"] == "sni-only"


def test_web_headers_carry_the_local_servers_csp_plus_hsts(resources: dict[str, Any]) -> None:
    from devtools.web import content_security_policy

    headers = props(resources, "WebSecurityHeaders")["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    csp = headers["ContentSecurityPolicy"]
    # One source: the function the local server calls, with the API at its own domain and the
    # media at the bucket's (uploads, images, videos) and the video CDN's when there is one.
    template, variables = csp["ContentSecurityPolicy"]["Fn::Sub"]
    media = ("https://${MediaBucket.RegionalDomainName}", "https://${MediaBucket.DomainName}", "${VideoCdnOrigin}")
    assert template == content_security_policy("https://${ApiDomainName}", media) and csp["Override"] is True
    assert variables["VideoCdnOrigin"]["Fn::If"][:2] == [
        "HasVideoCdn",
        {
            "Fn::If": [
                "HasVideoCdnDomain",
                {"Fn::Sub": "https://${VideoCdnDomainName}"},
                {"Fn::Sub": "https://${VideoDistribution.DomainName}"},
            ]
        },
    ]
    assert "frame-ancestors 'none'" in template and "*" not in template and "unsafe" not in template
    assert "media-src https://${MediaBucket.RegionalDomainName}" in template
    hsts = headers["StrictTransportSecurity"]
    assert hsts["AccessControlMaxAgeSec"] >= 365 * 24 * 3600 and hsts["IncludeSubdomains"] and hsts["Override"]
    assert headers["ContentTypeOptions"] == {"Override": True}
    assert headers["FrameOptions"] == {"FrameOption": "DENY", "Override": True}
    assert headers["ReferrerPolicy"]["ReferrerPolicy"] == "no-referrer"


@pytest.mark.parametrize(
    ("uri", "served"),
    [
        ("/", "/index.html"),
        ("/signin", "/index.html"),
        ("/feed/01HZX", "/index.html"),
        ("/index.html", "/index.html"),
        ("/assets/index-3f2a.js", "/assets/index-3f2a.js"),
        ("/assets/fonts", "/assets/fonts"),  # a missing asset is a 403/404, never the page
        ("/config.json", "/config.json"),
        ("/favicon.svg", "/favicon.svg"),
    ],
)
def test_the_spa_fallback_sends_the_apps_routes_to_index_html(
    packaged: dict[str, Path], uri: str, served: str, tmp_path: Path
) -> None:
    import shutil
    import subprocess

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the CloudFront function cannot be run here")
    code = json.loads(packaged["prod"].read_text())["Resources"]["WebSpaFallback"]["Properties"]["FunctionCode"]
    script = tmp_path / "spa.js"
    script.write_text(code + f"\nprocess.stdout.write(handler({{request: {{uri: {json.dumps(uri)}}}}}).uri);\n")
    assert subprocess.run([node, str(script)], capture_output=True, text=True, check=True).stdout == served


def test_video_cdn_exists_only_with_both_its_parameters(resources: dict[str, Any], template: dict[str, Any]) -> None:
    condition = template["Conditions"]["HasVideoCdn"]["Fn::And"]
    assert condition == [
        {"Fn::Not": [{"Fn::Equals": [{"Ref": "VideoCdnPublicKey"}, ""]}]},
        {"Fn::Not": [{"Fn::Equals": [{"Ref": "VideoCdnPrivateKeySecretArn"}, ""]}]},
    ]
    for name in ("VideoPublicKey", "VideoKeyGroup", "VideoOriginAccessControl", "VideoDistribution"):
        assert resources[name]["Condition"] == "HasVideoCdn", name
    assert props(resources, "VideoKeyGroup")["KeyGroupConfig"]["Items"] == [{"Ref": "VideoPublicKey"}]
    behaviour = props(resources, "VideoDistribution")["DistributionConfig"]["DefaultCacheBehavior"]
    assert behaviour["TrustedKeyGroups"] == [{"Ref": "VideoKeyGroup"}]  # signed URLs only
    assert behaviour["ViewerProtocolPolicy"] == "https-only"
    # The API's three settings: all from the CDN, or all empty (chalicelib/config.py refuses half).
    variables = props(resources, "APIHandler")["Environment"]["Variables"]
    for name, value in (
        (
            "VIDEO_CDN_DOMAIN",
            {
                "Fn::If": [
                    "HasVideoCdnDomain",
                    {"Ref": "VideoCdnDomainName"},
                    {"Fn::GetAtt": ["VideoDistribution", "DomainName"]},
                ]
            },
        ),
        ("VIDEO_CDN_KEY_PAIR_ID", {"Ref": "VideoPublicKey"}),
        ("VIDEO_CDN_PRIVATE_KEY_SECRET_ARN", {"Ref": "VideoCdnPrivateKeySecretArn"}),
    ):
        assert variables[name] == {"Fn::If": ["HasVideoCdn", value, ""]}, name
    for absent in (False, True):
        resolved = {k: f"resolved-{k}" if isinstance(v, dict) else v for k, v in variables.items()}
        resolved.update({k: "" for k in resolved if absent and k.startswith("VIDEO_CDN_")})
        settings = app_config.load({**resolved, "AWS_REGION": "us-east-1"})
        assert (settings.video_cdn_domain is None) is absent
    [grant] = [
        s
        for s in props(resources, "ApiHandlerRole")["Policies"][0]["PolicyDocument"]["Statement"]
        if "Fn::If" in s and s["Fn::If"][0] == "HasVideoCdn"
    ]
    assert grant["Fn::If"][1]["Action"] == ["secretsmanager:GetSecretValue"]


# What the Lambda Python runtime brings besides the package: boto3 and what it needs.
LAMBDA_RUNTIME_PACKAGES = ("boto3", "botocore", "jmespath", "dateutil", "urllib3", "s3transfer", "six.py")
EVERY_ROUTE_MODULE = """
import sys
sys.path[:0] = [sys.argv[1], sys.argv[2]]
import app
from chalicelib import domains
from chalicelib.api import responses
from chalicelib.api.router import import_named, route_table

for method, path, view, *_ in route_table():  # as each route's first call does
    import_named(view)
domains.manifests()
responses.shape("any")
import chalicelib, pkgutil  # and every other module: a service, a store, an adapter, a schema
for module in pkgutil.walk_packages(chalicelib.__path__, "chalicelib."):
    __import__(module.name)
print(len(route_table()))
"""


def test_every_module_imports_from_the_package_alone(packaged: dict[str, Path], tmp_path: Path) -> None:
    """A route imports its module on its first call: a module the package cannot import (a missing
    dependency, a file left out) fails here, not on a route's first request after a deploy."""
    import subprocess
    import sys
    import sysconfig
    import zipfile

    unpacked, runtime = tmp_path / "package", tmp_path / "runtime"
    with zipfile.ZipFile(packaged["prod"].with_name("deployment.zip")) as archive:
        archive.extractall(unpacked)
    runtime.mkdir()
    site = Path(sysconfig.get_paths()["purelib"])
    for name in LAMBDA_RUNTIME_PACKAGES:
        (runtime / name).symlink_to(site / name)
    result = subprocess.run(
        [sys.executable, "-S", "-c", EVERY_ROUTE_MODULE, str(unpacked), str(runtime)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "AWS_DEFAULT_REGION": "us-east-1"},
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.strip()) == len(json.loads((unpacked / "chalicelib" / "route_table.json").read_text()))


# Background jobs: one queue, its dead letters, the worker, the rules that feed it.


def test_the_worker_runs_the_jobs_queue_one_message_at_a_time_with_room_to_retry(
    resources: dict[str, Any], stage: str
) -> None:
    function = props(resources, "BackgroundJobs")
    assert function["Handler"] == "chalicelib.events.jobs.run_jobs"
    assert function["FunctionName"] == f"stride-{stage}-background-jobs"
    [source] = function["Events"].values()
    assert source["Type"] == "SQS"
    assert source["Properties"]["Queue"] == {"Fn::GetAtt": ["JobsQueue", "Arn"]}
    assert source["Properties"]["BatchSize"] == 1  # a failed job is retried alone
    queue = props(resources, "JobsQueue")
    # AWS's advice: a visibility timeout of at least 6 times the function's timeout.
    assert queue["VisibilityTimeout"] >= 6 * function["Timeout"]
    assert queue["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": ["JobsDeadLetters", "Arn"]},
        "maxReceiveCount": 5,
    }
    dead = props(resources, "JobsDeadLetters")
    assert dead["MessageRetentionPeriod"] == 14 * 24 * 3600 and dead["SqsManagedSseEnabled"] is True
    alarms = alarms_by_metric(resources)
    depth = alarms[
        ("AWS/SQS", "ApproximateNumberOfMessagesVisible", '{"Fn::GetAtt": ["JobsDeadLetters", "QueueName"]}')
    ]
    assert (depth["Statistic"], depth["Threshold"]) == ("Maximum", 0)
    age = alarms[("AWS/SQS", "ApproximateAgeOfOldestMessage", '{"Fn::GetAtt": ["JobsQueue", "QueueName"]}')]
    assert age["Threshold"] == 900
    for name in ("APIHandler", "BackgroundJobs"):
        assert props(resources, name)["Environment"]["Variables"]["JOBS_QUEUE_URL"] == {"Ref": "JobsQueue"}
    assert props(resources, "BackgroundJobsLogGroup")["LogGroupName"] == f"/aws/lambda/{function['FunctionName']}"


def test_cognitos_user_deletions_and_the_reconciliation_schedule_reach_the_queue(resources: dict[str, Any]) -> None:
    from chalicelib import domains

    rule = props(resources, "CognitoUserDeletedRule")
    assert rule["EventPattern"] == {
        "source": ["aws.cognito-idp"],
        "detail-type": ["AWS API Call via CloudTrail"],
        "detail": {"eventSource": ["cognito-idp.amazonaws.com"], "eventName": ["DeleteUser", "AdminDeleteUser"]},
    }
    [target] = rule["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": ["JobsQueue", "Arn"]}
    kind = json.loads(target["InputTransformer"]["InputTemplate"].replace("<detail>", "{}"))["job"]
    schedule = props(resources, "AccountReconciliationSchedule")
    assert schedule["ScheduleExpression"] == "rate(6 hours)"
    [scheduled] = schedule["Targets"]
    assert scheduled["Arn"] == {"Fn::GetAtt": ["JobsQueue", "Arn"]}
    # Each names a job a domain declares.
    for named in (kind, json.loads(scheduled["Input"])["job"]):
        assert domains.job_handler(named) is not None, named
    # Only these two rules may send to the queue.
    [statement] = props(resources, "JobsQueuePolicy")["PolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Service": "events.amazonaws.com"}
    assert statement["Condition"]["ArnEquals"]["aws:SourceArn"] == [
        {"Fn::GetAtt": ["CognitoUserDeletedRule", "Arn"]},
        {"Fn::GetAtt": ["AccountReconciliationSchedule", "Arn"]},
    ]


def test_the_worker_role_erases_exports_reads_imports_and_the_pool_and_nothing_more(
    resources: dict[str, Any], stage: str
) -> None:
    statements = role_statements(resources, "BackgroundJobsRole")
    actions = {action for statement in statements for action in as_list(statement["Action"])}
    assert {"cognito-idp:ListUsers", "cognito-idp:AdminGetUser", "cognito-idp:AdminDeleteUser"} <= actions
    assert {"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:SendMessage"} <= actions
    # Exports are written (tagged, to expire); a queued import's records and an uploaded activity
    # file are read (the import's deleted once written); erasures delete.
    assert {a for a in actions if a.startswith("s3:")} == {
        "s3:PutObject",
        "s3:PutObjectTagging",
        "s3:GetObject",
        "s3:DeleteObject",
        "s3:ListBucket",
    }
    assert not {a for a in actions if a.startswith(("ses:", "secretsmanager:"))}
    for statement in statements:
        assert all("*" not in action for action in as_list(statement["Action"]))
    files = [json.loads((ROOT / ".chalice" / f"policy-jobs-{name}.json").read_text()) for name in STAGES]
    assert files[0] == files[1] == files[2]
    assert props(resources, "BackgroundJobsRole")["Policies"][0]["PolicyDocument"] == files[STAGES.index(stage)]


def test_the_fresh_account_guide_states_the_concurrency_the_stage_reserves(resources: dict[str, Any]) -> None:
    reserved = sum(
        r["Properties"].get("ReservedConcurrentExecutions", 0) for r in resources.values() if "Properties" in r
    )
    guide = (ROOT / "docs" / "deploy.md").read_text()
    assert f"the stage reserves {reserved} for its background functions" in guide
    assert f"({reserved} in all:" in guide


# CloudFront: a 5xx rate alarm on each distribution (its metrics live in us-east-1 only).


@pytest.mark.parametrize(
    ("alarm", "distribution", "condition"),
    [("WebCdn5xxAlarm", "WebDistribution", "InUsEast1"), ("VideoCdn5xxAlarm", "VideoDistribution", "WatchVideoCdn")],
)
def test_each_distribution_has_a_5xx_rate_alarm_where_its_metrics_are(
    alarm: str, distribution: str, condition: str
) -> None:
    template = json.loads((ROOT / "infra" / "stride.json").read_text())
    resource = template["Resources"][alarm]
    assert resource["Condition"] == condition
    assert template["Conditions"]["InUsEast1"] == {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}
    assert template["Conditions"]["WatchVideoCdn"] == {
        "Fn::And": [{"Condition": "InUsEast1"}, {"Condition": "HasVideoCdn"}]
    }
    properties = resource["Properties"]
    metrics = {m["Id"]: m for m in properties["Metrics"]}
    for name, metric_name in (("errors", "5xxErrorRate"), ("requests", "Requests")):
        metric = metrics[name]["MetricStat"]["Metric"]
        assert (metric["Namespace"], metric["MetricName"]) == ("AWS/CloudFront", metric_name)
        assert metric["Dimensions"] == [
            {"Name": "DistributionId", "Value": {"Ref": distribution}},
            {"Name": "Region", "Value": "Global"},
        ]
    assert metrics["rate"]["ReturnData"] is True and properties["Threshold"] == 2
    # The expression as CloudWatch evaluates it: a rate from 20 requests on, else more than 5 errors.
    expression = metrics["rate"]["Expression"]

    def evaluate(errors: float, requests: float) -> float:
        python = expression.replace("IF(", "_if(")
        return eval(python, {"_if": lambda c, a, b: a if c else b, "errors": errors, "requests": requests})  # noqa: S307

    assert evaluate(errors=3.0, requests=1000) > 2  # 30 of 1,000 failing
    assert evaluate(errors=1.0, requests=1000) <= 2
    assert evaluate(errors=50.0, requests=4) <= 2  # 2 of 4: a quiet hour's blip
    assert evaluate(errors=60.0, requests=10) > 2  # 6 of 10


def test_every_distribution_can_require_tls_1_2(template: dict[str, Any]) -> None:
    """The default *.cloudfront.net certificate accepts TLS 1.0 whatever the template says; a
    distribution with its own domain and certificate requires TLS 1.2 (TLSv1.2_2021)."""
    resources = template["Resources"]
    for name, condition, domain, certificate in (
        ("WebDistribution", "HasWebDomain", "WebDomainName", "WebCertificateArn"),
        ("VideoDistribution", "HasVideoCdnDomain", "VideoCdnDomainName", "VideoCdnCertificateArn"),
    ):
        config = resources[name]["Properties"]["DistributionConfig"]
        assert config["ViewerCertificate"] == {
            "Fn::If": [
                condition,
                {
                    "AcmCertificateArn": {"Ref": certificate},
                    "SslSupportMethod": "sni-only",
                    "MinimumProtocolVersion": "TLSv1.2_2021",
                },
                {"CloudFrontDefaultCertificate": True},
            ]
        }, name
        assert config["Aliases"] == {"Fn::If": [condition, [{"Ref": domain}], {"Ref": "AWS::NoValue"}]}, name
    # The video domain counts only with the video CDN on; the API signs URLs for it and the web app may load it.
    parts = template["Conditions"]["HasVideoCdnDomain"]["Fn::And"]
    assert parts[0] == {"Condition": "HasVideoCdn"}
    csp = resources["WebSecurityHeaders"]["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    origin = csp["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Sub"][1]["VideoCdnOrigin"]["Fn::If"][1]
    assert origin["Fn::If"][:2] == ["HasVideoCdnDomain", {"Fn::Sub": "https://${VideoCdnDomainName}"}]
    assert template["Outputs"]["VideoCdnDomainTarget"]["Value"] == {"Fn::GetAtt": ["VideoDistribution", "DomainName"]}


SIGN_FROM_THE_PACKAGE = """
import sys
sys.path[:0] = [sys.argv[1], sys.argv[2]]
from datetime import UTC, datetime
import rsa
from chalicelib.adapters.cloudfront_links import CloudFrontLinks

assert rsa.__file__.startswith(sys.argv[1]), rsa.__file__  # the packaged python-rsa, nothing else
links = CloudFrontLinks("d111111abcdef8.cloudfront.net", "K2JCJMDEHXQW5F", sys.stdin.read(),
                        now=lambda: datetime(2030, 1, 1, tzinfo=UTC))
print(links.stream_url("tenants/gym/videos/v1", 300))
"""


def test_the_package_alone_signs_a_cloudfront_url_that_verifies(packaged: dict[str, Path], tmp_path: Path) -> None:
    """What `/videos/{id}/stream` does on a stage with the video CDN on, run from deployment.zip with
    only the Lambda runtime's boto3 beside it (as on arm64: no compiled code), and checked with
    `cryptography` outside the package."""
    import base64
    import subprocess
    import sys
    import sysconfig
    import urllib.parse
    import zipfile

    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    unpacked, runtime = tmp_path / "package", tmp_path / "runtime"
    with zipfile.ZipFile(packaged["prod"].with_name("deployment.zip")) as archive:
        archive.extractall(unpacked)
    assert not [name for name in archive.namelist() if name.startswith("cryptography/")]
    runtime.mkdir()
    site = Path(sysconfig.get_paths()["purelib"])
    for name in LAMBDA_RUNTIME_PACKAGES:
        (runtime / name).symlink_to(site / name)
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()

    result = subprocess.run(
        [sys.executable, "-S", "-c", SIGN_FROM_THE_PACKAGE, str(unpacked), str(runtime)],
        input=pem,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "AWS_DEFAULT_REGION": "us-east-1"},
        check=False,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    url = urllib.parse.urlparse(result.stdout.strip())
    query = dict(urllib.parse.parse_qsl(url.query))
    resource = "https://d111111abcdef8.cloudfront.net/tenants/gym/videos/v1"
    assert f"{url.scheme}://{url.netloc}{url.path}" == resource and query["Key-Pair-Id"] == "K2JCJMDEHXQW5F"
    condition = f'{{"DateLessThan":{{"AWS:EpochTime":{query["Expires"]}}}}}'
    policy = f'{{"Statement":[{{"Resource":"{resource}","Condition":{condition}}}]}}'
    signature = base64.b64decode(query["Signature"].translate(str.maketrans("-_~", "+=/")))
    private.public_key().verify(signature, policy.encode(), padding.PKCS1v15(), hashes.SHA1())  # noqa: S303 (CloudFront's scheme)


# Encryption at rest with the stack's own key, the media bucket's access trail and CloudFront's
# standard logs (v2), each behind a parameter (issue 29 item 6).
DATA_KEY = {"Fn::GetAtt": ["DataKey", "Arn"]}
NO_VALUE = {"Ref": "AWS::NoValue"}
KEY_USE = {"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"}
VIA = {
    "dynamodb": {"Fn::Sub": "dynamodb.${AWS::Region}.amazonaws.com"},
    "s3": {"Fn::Sub": "s3.${AWS::Region}.amazonaws.com"},
}


def table_and_bucket_keys(resources: dict[str, Any]) -> list[list[Any]]:
    """(aws-owned, customer-managed) of the table's and of the bucket's encryption: both are `Fn::If` on UseDataKey."""
    table = props(resources, "Table")["SSESpecification"]["Fn::If"]
    [bucket] = props(resources, "MediaBucket")["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert table[0] == bucket["Fn::If"][0] == "UseDataKey"
    return [[table[2], table[1]], [bucket["Fn::If"][2], bucket["Fn::If"][1]]]


def test_the_table_and_the_bucket_use_the_stacks_own_key_only_when_asked(
    resources: dict[str, Any], template: dict[str, Any]
) -> None:
    parameter = template["Parameters"]["DataKeyMode"]
    assert parameter["Default"] == "aws-owned" and parameter["AllowedValues"] == ["aws-owned", "customer-managed"]
    assert template["Conditions"]["UseDataKey"] == {"Fn::Equals": [{"Ref": "DataKeyMode"}, "customer-managed"]}
    _table, (sse_s3, sse_kms) = table_and_bucket_keys(resources)
    assert sse_s3 == {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
    # A Bucket Key: S3 asks KMS about once per object prefix and hour, not once per object.
    assert sse_kms == {
        "ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": DATA_KEY},
        "BucketKeyEnabled": True,
    }
    key = resources["DataKey"]
    assert key["Condition"] == "UseDataKey"
    assert key["Properties"]["EnableKeyRotation"] is True
    # What the key encrypts outlives the stack, so the key does too (else the retained data is unreadable).
    assert (
        (key["DeletionPolicy"], key["UpdateReplacePolicy"])
        == (
            resources["Table"]["DeletionPolicy"],
            resources["Table"]["UpdateReplacePolicy"],
        )
        == ("RetainExceptOnCreate", "Retain")
    )


def test_the_data_key_is_used_only_through_the_table_and_the_bucket(resources: dict[str, Any], stage: str) -> None:
    statements = props(resources, "DataKey")["KeyPolicy"]["Statement"]
    plain = [s for s in statements if "Fn::If" not in s]
    conditional = {s["Fn::If"][0]: s["Fn::If"] for s in statements if "Fn::If" in s}
    account = {"AWS": {"Ref": "AWS::AccountId"}}
    admin, use = plain
    # The account administers the key but cannot use it directly: no encrypt, decrypt or data key.
    assert admin["Principal"] == account and not KEY_USE & set(admin["Action"])
    assert "kms:*" not in admin["Action"]
    assert use["Principal"] == account
    assert set(use["Action"]) >= KEY_USE
    assert use["Condition"] == {
        "StringEquals": {"kms:CallerAccount": {"Ref": "AWS::AccountId"}, "kms:ViaService": [VIA["dynamodb"], VIA["s3"]]}
    }
    # CloudFront's origin access control decrypts the videos it serves; CloudTrail encrypts its files.
    assert set(conditional) == {"HasVideoCdn", "AuditMedia"}
    for _condition, granted, otherwise in conditional.values():
        assert otherwise == NO_VALUE
        assert "AWS" not in granted["Principal"] and "aws:SourceArn" in json.dumps(granted["Condition"])
    cloudfront = conditional["HasVideoCdn"][1]
    assert cloudfront["Principal"] == {"Service": "cloudfront.amazonaws.com"} and cloudfront["Action"] == "kms:Decrypt"
    assert cloudfront["Condition"]["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
    cloudtrail = conditional["AuditMedia"][1]
    assert cloudtrail["Principal"] == {"Service": "cloudtrail.amazonaws.com"}
    assert set(cloudtrail["Action"]) == {"kms:GenerateDataKey*", "kms:DescribeKey"}
    assert cloudtrail["Condition"]["StringEquals"]["aws:SourceArn"] == media_trail_arn(stage)
    assert '"Principal": "*"' not in json.dumps(statements)


def test_every_role_that_touches_the_table_or_bucket_may_use_the_data_key(resources: dict[str, Any]) -> None:
    """With DataKeyMode customer-managed each function's role gets the key, through the services it
    uses and nothing else; a role that would miss it is locked out of its data on the first deploy."""
    import fnmatch

    from cfnlint.data import AdditionalSpecs
    from cfnlint.helpers import load_resource

    known = list(load_resource(AdditionalSpecs, "Policies.json")["kms"]["Actions"])
    roles = [name for name, r in resources.items() if r["Type"] == "AWS::IAM::Role" and r["Properties"].get("Policies")]
    assert len(roles) >= 10
    for role in roles:
        statements = [s for p in props(resources, role)["Policies"] for s in p["PolicyDocument"]["Statement"]]
        grants = [s["Fn::If"] for s in statements if "Fn::If" in s and s["Fn::If"][0] == "UseDataKey"]
        others = json.dumps([s for s in statements if not ("Fn::If" in s and s["Fn::If"][0] == "UseDataKey")])
        services = [
            service
            for service, touched in (
                ("dynamodb", '"Table"' in others or "${Table." in others),
                ("s3", "MediaBucket" in others),
            )
            if touched
        ]
        if not services:
            assert not grants, role
            continue
        [(_condition, grant, otherwise)] = grants
        assert otherwise == NO_VALUE, role
        assert grant["Sid"] == "DataKey" and grant["Resource"] == [DATA_KEY], role
        assert grant["Condition"] == {"StringEquals": {"kms:ViaService": [VIA[s] for s in services]}}, role
        for action in grant["Action"]:
            assert fnmatch.filter(known, action.split(":", 1)[1].lower()), f"{role}: {action} matches no KMS action"
        assert not {"kms:CreateGrant", "kms:*"} & set(grant["Action"]), role


def media_trail_arn(stage: str) -> dict[str, str]:
    return {
        "Fn::Sub": "arn:${AWS::Partition}:cloudtrail:${AWS::Region}:${AWS::AccountId}:trail/"
        + f"stride-{stage}-media-access"
    }


def test_media_object_access_is_recorded_by_a_trail_of_its_own(
    resources: dict[str, Any], template: dict[str, Any], stage: str
) -> None:
    parameter = template["Parameters"]["MediaAuditTrail"]
    assert parameter["Default"] == "OFF" and parameter["AllowedValues"] == ["OFF", "ON"]
    assert template["Conditions"]["AuditMedia"] == {"Fn::Equals": [{"Ref": "MediaAuditTrail"}, "ON"]}
    for name in ("MediaAuditBucket", "MediaAuditBucketPolicy", "MediaAccessTrail"):
        assert resources[name]["Condition"] == "AuditMedia", name
    trail = resources["MediaAccessTrail"]
    assert trail["DependsOn"] == "MediaAuditBucketPolicy"  # CloudTrail checks the bucket policy when created
    properties = trail["Properties"]
    assert properties["TrailName"] == f"stride-{stage}-media-access"
    assert properties["IsLogging"] is True and properties["EnableLogFileValidation"] is True
    assert properties["S3BucketName"] == {"Ref": "MediaAuditBucket"}
    assert "EventSelectors" not in properties  # advanced selectors only: no management events
    [selector] = properties["AdvancedEventSelectors"]
    assert selector["FieldSelectors"] == [
        {"Field": "eventCategory", "Equals": ["Data"]},
        {"Field": "resources.type", "Equals": ["AWS::S3::Object"]},
        {"Field": "resources.ARN", "StartsWith": [{"Fn::Sub": "${MediaBucket.Arn}/"}]},
    ]
    assert properties["KMSKeyId"] == {"Fn::If": ["UseDataKey", DATA_KEY, NO_VALUE]}

    bucket = props(resources, "MediaAuditBucket")
    assert bucket["PublicAccessBlockConfiguration"] == props(resources, "MediaBucket")["PublicAccessBlockConfiguration"]
    assert bucket["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    expiry = bucket["LifecycleConfiguration"]["Rules"][0]
    assert expiry["ExpirationInDays"] == (365 if stage == "prod" else 30)
    acl_check, write, deny = props(resources, "MediaAuditBucketPolicy")["PolicyDocument"]["Statement"]
    arn = media_trail_arn(stage)
    for statement in (acl_check, write):
        assert statement["Principal"] == {"Service": "cloudtrail.amazonaws.com"}
        assert statement["Condition"]["StringEquals"]["aws:SourceArn"] == arn  # this trail only
    assert write["Resource"] == {"Fn::Sub": "${MediaAuditBucket.Arn}/AWSLogs/${AWS::AccountId}/*"}
    assert deny["Effect"] == "Deny" and deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    key_statement = next(
        s["Fn::If"][1]
        for s in props(resources, "DataKey")["KeyPolicy"]["Statement"]
        if "Fn::If" in s and s["Fn::If"][0] == "AuditMedia"
    )
    assert key_statement["Condition"]["StringEquals"]["aws:SourceArn"] == arn


@pytest.mark.parametrize(
    ("prefix", "distribution", "condition", "label"),
    [
        ("WebCdn", "WebDistribution", "LogCdnAccess", "web"),
        ("VideoCdn", "VideoDistribution", "LogVideoCdnAccess", "video"),
    ],
)
def test_each_distribution_can_send_its_standard_logs_v2_to_cloudwatch_logs(
    resources: dict[str, Any],
    template: dict[str, Any],
    stage: str,
    prefix: str,
    distribution: str,
    condition: str,
    label: str,
) -> None:
    parameter = template["Parameters"]["CdnAccessLogs"]
    assert parameter["Default"] == "OFF" and parameter["AllowedValues"] == ["OFF", "ON"]
    conditions = template["Conditions"]
    # CloudFront's log sources exist in us-east-1 only; the video's only with the video CDN.
    assert conditions["LogCdnAccess"] == {
        "Fn::And": [{"Condition": "InUsEast1"}, {"Fn::Equals": [{"Ref": "CdnAccessLogs"}, "ON"]}]
    }
    assert conditions["LogVideoCdnAccess"] == {"Fn::And": [{"Condition": "LogCdnAccess"}, {"Condition": "HasVideoCdn"}]}
    group, source, destination, delivery = (
        resources[f"{prefix}{part}"] for part in ("AccessLogGroup", "LogSource", "LogDestination", "LogDelivery")
    )
    assert {r["Condition"] for r in (group, source, destination, delivery)} == {condition}
    assert (source["Type"], destination["Type"], delivery["Type"]) == (
        "AWS::Logs::DeliverySource",
        "AWS::Logs::DeliveryDestination",
        "AWS::Logs::Delivery",
    )
    assert source["Properties"] == {
        "Name": f"stride-{stage}-{label}-cdn",
        "LogType": "ACCESS_LOGS",
        "ResourceArn": {
            "Fn::Sub": "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${" + distribution + "}"
        },
    }
    assert destination["Properties"]["DestinationResourceArn"] == {
        "Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${"
        + prefix
        + "AccessLogGroup}"
    }
    assert delivery["Properties"] == {
        "DeliverySourceName": {"Ref": f"{prefix}LogSource"},
        "DeliveryDestinationArn": {"Fn::GetAtt": [f"{prefix}LogDestination", "Arn"]},
    }
    assert "Logging" not in props(resources, distribution)["DistributionConfig"]  # no legacy ACL bucket
    assert group["Properties"]["LogGroupName"] == f"/aws/vendedlogs/stride-{stage}/{label}-cdn-access"
    assert group["Properties"]["RetentionInDays"] == (365 if stage == "prod" else 30)
    assert group["DeletionPolicy"] == ("Retain" if stage == "prod" else "Delete")


def test_the_execution_role_may_create_the_key_the_trail_and_the_log_deliveries() -> None:
    bootstrap = json.loads((ROOT / "infra" / "bootstrap.json").read_text())
    role = bootstrap["Resources"]["CloudFormationExecutionRole"]["Properties"]["Policies"][0]["PolicyDocument"]
    statements = {s["Sid"]: s for s in role["Statement"]}
    named = json.dumps(statements["NamedByTheStack"]["Resource"])
    assert "cloudtrail:*" in statements["NamedByTheStack"]["Action"]
    for arn in (
        "trail/stride-*",
        "delivery-source:stride-*",
        "delivery-destination:stride-*",
        "log-group:/aws/vendedlogs/stride-*",
    ):
        assert arn in named, arn
    through = statements["KeysThroughTheTableAndTheBucket"]
    assert through["Condition"]["StringEquals"]["kms:ViaService"] == [VIA["dynamodb"], VIA["s3"]]
    assert "kms:CreateGrant" in through["Action"]  # DynamoDB's grant on the key, made when the table is

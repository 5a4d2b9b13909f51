"""The OpenAPI document: valid, current, and true to the routes the app serves."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest
from marshmallow import Schema, fields
from openapi_spec_validator import validate

import app
from chalicelib.api.router import Router, import_named
from chalicelib.domains import routers
from chalicelib.schemas.common import Number, StrictBoolean, StrictInteger
from devtools import openapi

ROOT = Path(__file__).resolve().parents[2]
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
PUBLIC = {
    ("POST", "/auth/signup"),
    ("POST", "/auth/confirm"),
    ("POST", "/auth/login"),
    ("POST", "/auth/login/mfa"),
    ("POST", "/auth/refresh"),
    # Signing out: the refresh token is the credential (the id token may have expired).
    ("POST", "/auth/logout"),
    ("POST", "/auth/forgot-password"),
    ("POST", "/auth/reset-password"),
    ("GET", "/health"),
    ("GET", "/openapi.json"),
    # The link in every e-mail: the signed token is the credential.
    ("GET", "/unsubscribe"),
    ("POST", "/unsubscribe"),
}
ERROR_ENVELOPE_REF = "#/components/schemas/ErrorEnvelope"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return openapi.build_spec()


def operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method.upper(), path): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    }


def declared_routes() -> dict[tuple[str, str], Any]:
    return {(spec.method.upper(), spec.path): spec for router in routers() for spec, _view in router.routes}


def resolve(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        assert node["$ref"].startswith("#/"), node["$ref"]
        target: Any = document
        for part in node["$ref"][2:].split("/"):
            target = target[part]
        node = target
    return node


def test_document_is_valid_openapi(document):
    validate(document)
    assert document["openapi"].startswith("3.")


def test_committed_document_is_current(document):
    committed = openapi.DOCUMENT.read_text() if openapi.DOCUMENT.exists() else ""
    assert committed == openapi.render(document), (
        "chalicelib/openapi.json is stale (or missing): run `make openapi` and commit the result"
    )


def test_check_mode_passes_on_the_committed_document():
    assert openapi.main(["--check"]) == 0


def test_check_mode_fails_on_a_stale_document(tmp_path, monkeypatch, capsys):
    stale = tmp_path / "openapi.json"
    stale.write_text("{}\n")
    monkeypatch.setattr(openapi, "DOCUMENT", stale)
    assert openapi.main(["--check"]) == 1
    assert "make openapi" in capsys.readouterr().err


def test_output_writes_sorted_indented_json_with_a_trailing_newline(tmp_path, document):
    output = tmp_path / "out" / "openapi.json"
    assert openapi.main(["--output", str(output)]) == 0
    text = output.read_text()
    assert text.endswith("}\n")
    assert text == json.dumps(json.loads(text), sort_keys=True, indent=2) + "\n"
    assert json.loads(text) == document


def test_info_servers_and_security_scheme(document):
    info = document["info"]
    assert info["title"] == "Stride API"
    assert info["version"]
    for convention in ("envelope", "X-Correlation-Id", "RFC 3339", "next_cursor", "limit", "cursor"):
        assert convention in info["description"]
    assert document["servers"] == [{"url": "http://127.0.0.1:8000", "description": "local (`make run`)"}]
    scheme = document["components"]["securitySchemes"]["cognito"]
    assert scheme["type"] == "apiKey"
    assert scheme["in"] == "header"
    assert scheme["name"] == "Authorization"
    assert "Bearer" in scheme["description"] and "id token" in scheme["description"]


def test_every_app_route_is_documented_and_nothing_more(document):
    served = {
        (method.upper(), path)
        for path, entries in app.app.routes.items()
        for method in entries
        if method.upper() != "OPTIONS"
    }
    documented = set(operations(document))
    # The app serves chalicelib/route_table.json; the document is built from the declarations.
    stale = "chalicelib/route_table.json is stale: run `make openapi`"
    assert served - documented == set(), f"routes the app serves but the declarations lack ({stale})"
    assert documented - served == set(), f"routes declared but not served ({stale})"


def test_operations_carry_their_declaration(document):
    ops = operations(document)
    ids = [operation["operationId"] for operation in ops.values()]
    assert len(ids) == len(set(ids)), "operationIds must be unique"
    for key, spec in declared_routes().items():
        operation = ops[key]
        assert operation["operationId"] == spec.view_name
        assert operation["summary"] == spec.summary
        assert operation["tags"] == [spec.tag]
        assert str(spec.status) in operation["responses"]
        for status in (spec.status, *spec.also):  # every success the view may answer
            success = operation["responses"][str(status)]
            if spec.response is not None:
                assert success["content"]["application/json"]["schema"] == {
                    "$ref": f"#/components/schemas/{import_named(spec.response).__name__}"
                }
    # The same activity file again answers 200 with the first workout: documented beside 201.
    assert {"200", "201", "202"} <= set(ops[("POST", "/workouts/files")]["responses"])
    assert ops[("GET", "/openapi.json")]["responses"]["200"]["content"]["application/json"]["schema"] == {
        "type": "object"
    }


def test_security_is_required_except_on_the_public_routes(document):
    public = {key for key, operation in operations(document).items() if operation["security"] == []}
    assert public == PUBLIC
    for key, operation in operations(document).items():
        if key not in PUBLIC:
            assert operation["security"] == [{"cognito": []}], key
    assert public == {key for key, spec in declared_routes().items() if spec.public}


def test_every_operation_answers_errors_in_the_envelope(document):
    for key, operation in operations(document).items():
        errors = {int(status): response for status, response in operation["responses"].items() if int(status) >= 400}
        assert any(400 <= status < 500 for status in errors), f"{key} lists no 4xx response"
        for status, response in errors.items():
            assert response.get("description"), f"{key} {status} has no description"
            schema = resolve(document, response)["content"]["application/json"]["schema"]
            assert schema == {"$ref": ERROR_ENVELOPE_REF}, f"{key} {status}"


def test_error_statuses_are_the_declared_ones_and_the_universal_ones(document):
    ops = operations(document)
    for key, spec in declared_routes().items():
        listed = {int(status) for status in ops[key]["responses"] if int(status) >= 400}
        assert set(spec.errors) <= listed, key
        assert {405, 429, 500, 503} <= listed, key
        if spec.request is not None:
            assert {400, 413, 415} <= listed, key
        if not spec.public:
            assert 401 in listed, key
        if spec.query is not None or spec.conditional or spec.idempotent:
            assert 400 in listed, key
        assert (412 in listed) is spec.conditional, key
        if spec.idempotent:
            assert 422 in listed, key


def test_every_operation_documents_503_and_429_with_retry_after(document):
    """Any route may find AWS busy or down (a 503), or be throttled (a 429): both say when to retry."""
    for key, operation in operations(document).items():
        for status in ("429", "503"):
            response = resolve(document, operation["responses"][status])
            header = resolve(document, response["headers"]["Retry-After"])
            assert header["required"] is True and header["schema"]["type"] == "integer", (key, status)
            assert "Retry-After" in operation["responses"][status]["description"], (key, status)


def test_every_503_the_app_answers_carries_retry_after():
    from chalicelib.errors import DependencyFailed

    assert DependencyFailed("down").retry_after


def test_the_gateways_own_429_and_5xx_carry_retry_after():
    from devtools.infra import render

    responses = render("prod")["Resources"]["RestAPI"]["Properties"]["GatewayResponses"]
    for kind in ("THROTTLED", "DEFAULT_5XX"):
        assert int(responses[kind]["ResponseParameters"]["Headers"]["Retry-After"].strip("'")) >= 1, kind


def test_request_bodies_exactly_where_a_request_schema_is_declared(document):
    ops = operations(document)
    for key, spec in declared_routes().items():
        if spec.raw_body:
            # A raw body (POST /me/import) is documented in each media type the route takes.
            assert sorted(ops[key]["requestBody"]["content"]) == sorted(spec.raw_body), key
        elif spec.request is None:
            assert "requestBody" not in ops[key], key
        else:
            body = ops[key]["requestBody"]
            assert body["required"] is True
            assert body["content"]["application/json"]["schema"] == {
                "$ref": f"#/components/schemas/{import_named(spec.request).__name__}"
            }


def test_every_reference_resolves(document):
    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "$ref" in node:
                resolve(document, node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document)


def _schemas() -> dict[str, type[Schema]]:
    found: dict[str, type[Schema]] = {}

    def add(schema: Any) -> None:
        cls = schema if isinstance(schema, type) else type(schema)
        if cls.__name__ in found:
            return
        found[cls.__name__] = cls
        for field in cls._declared_fields.values():
            if isinstance(field, fields.Nested):
                add(field.nested)

    for spec in declared_routes().values():
        for name in (spec.request, spec.response):
            if name is not None:
                add(import_named(name))
    return found


def _types(prop: dict[str, Any]) -> set[str]:
    kind = prop.get("type")
    return {kind} if isinstance(kind, str) else set(kind or ())


def test_custom_fields_have_their_json_types(document):
    components = document["components"]["schemas"]
    checked = set()
    for name, cls in _schemas().items():
        for field_name, field in cls._declared_fields.items():
            prop = components[name]["properties"][field.data_key or field_name]
            if isinstance(field, Number):
                assert _types(prop) - {"null"} == {"number"}, (name, field_name)
                assert prop["minimum"] == field.metadata["minimum"], (name, field_name)
                assert prop["maximum"] == field.metadata["maximum"], (name, field_name)
                checked.add(Number)
            elif isinstance(field, StrictInteger):
                assert _types(prop) - {"null"} == {"integer"}, (name, field_name)
                checked.add(StrictInteger)
            elif isinstance(field, StrictBoolean):
                assert _types(prop) - {"null"} == {"boolean"}, (name, field_name)
                checked.add(StrictBoolean)
    assert checked == {Number, StrictInteger, StrictBoolean}


def test_fields_that_allow_null_are_nullable(document):
    components = document["components"]["schemas"]
    for name, cls in _schemas().items():
        assert name in components, f"{name} is not a named component"
        for field_name, field in cls._declared_fields.items():
            prop = components[name]["properties"][field.data_key or field_name]
            nullable = "null" in _types(prop) or {"type": "null"} in prop.get("anyOf", [])
            assert nullable == field.allow_none, (name, field_name, prop)


def test_path_parameters_are_required_strings(monkeypatch):
    router = Router("things")

    @router.route("/things/{thing_id}/parts/{part_id}", "GET", summary="A part of a thing", errors=(404,))
    def get_part(identity: Any, thing_id: str, part_id: str) -> dict[str, Any]:
        return {}

    monkeypatch.setattr(openapi, "routers", lambda: (*routers(), router))
    document = openapi.build_spec()
    validate(document)
    operation = document["paths"]["/things/{thing_id}/parts/{part_id}"]["get"]
    path_parameters = [parameter for parameter in operation["parameters"] if parameter.get("in") == "path"]
    assert path_parameters == [
        {"name": "thing_id", "in": "path", "required": True, "schema": {"type": "string"}},
        {"name": "part_id", "in": "path", "required": True, "schema": {"type": "string"}},
    ]
    assert "404" in operation["responses"]


class Health(Schema):  # same name as chalicelib.domains.system.schemas.Health, another shape
    healthy = fields.Boolean()


def test_two_schemas_of_the_same_name_fail_the_build(monkeypatch):
    router = Router("clash")
    router.route("/clash", "GET", summary="Clash", response=f"{__name__}:Health")(lambda identity: {})
    monkeypatch.setattr(openapi, "routers", lambda: (*routers(), router))
    with pytest.raises(ValueError, match="two schemas are named 'Health'"):
        openapi.build_spec()


def test_nothing_under_chalicelib_imports_apispec():
    for path in (ROOT / "chalicelib").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in {"apispec", "devtools"}, f"{path} imports {name}"


def test_the_api_serves_the_committed_document_naming_its_own_address(document):
    from chalice.test import Client

    with Client(app.app, stage_name="local", project_dir=str(ROOT)) as client:
        response = client.http.get("/openapi.json", headers={"X-Correlation-Id": "docs-1"})
    assert response.status_code == 200
    assert response.headers["X-Correlation-Id"] == "docs-1"
    served = json.loads(response.body)
    local_stage = json.loads((ROOT / ".chalice" / "config.json").read_text())["stages"]["local"]
    assert served["servers"] == [
        {"url": local_stage["environment_variables"]["PUBLIC_API_URL"], "description": "this API"}
    ]
    assert {**served, "servers": document["servers"]} == document


def test_a_deployed_stage_serves_its_public_url_and_the_committed_document_stays_stable(document):
    from chalicelib.domains.system import routes as system

    served = system.served_document("https://api.stride.example")
    assert served["servers"] == [{"url": "https://api.stride.example", "description": "this API"}]
    assert system.served_document("") == document  # no PUBLIC_API_URL: the committed document
    assert document["servers"] == openapi.SERVERS  # what `make openapi` writes never varies


def _query_parameters(operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {parameter["name"]: parameter for parameter in operation["parameters"] if parameter.get("in") == "query"}


def _header_parameters(document: dict[str, Any], operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    resolved = [resolve(document, parameter) for parameter in operation["parameters"]]
    return {parameter["name"]: parameter for parameter in resolved if parameter["in"] == "header"}


def test_every_field_of_a_query_schema_is_a_query_parameter(document):
    ops = operations(document)
    with_query = 0
    for key, spec in declared_routes().items():
        parameters = _query_parameters(ops[key])
        if spec.query is None:
            assert parameters == {}, key
            continue
        with_query += 1
        declared = {field.data_key or name: field for name, field in import_named(spec.query)._declared_fields.items()}
        assert set(parameters) == set(declared), key
        for name, field in declared.items():
            assert parameters[name]["required"] is field.required, (key, name)
            assert parameters[name]["schema"].get("type") in {"string", "integer"}, (key, name)
    assert with_query >= 15


def test_query_parameters_carry_their_type_bounds_enum_and_pattern(document):
    ops = operations(document)
    tasks = _query_parameters(ops[("GET", "/tasks")])
    assert tasks["limit"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}
    assert tasks["cursor"]["schema"] == {"type": "string", "minLength": 1, "maxLength": 2048}
    assert tasks["status"]["schema"]["enum"] == ["open", "done"]
    assert tasks["due_before"]["schema"]["pattern"].startswith("^(?:(?:19")
    weights = _query_parameters(ops[("GET", "/weights")])
    assert set(weights) == {"limit", "cursor", "from", "to"}
    assert "pattern" in weights["from"]["schema"] and "pattern" in weights["to"]["schema"]
    assert "pattern" in _query_parameters(ops[("GET", "/videos")])["tag"]["schema"]
    unsubscribe = _query_parameters(ops[("GET", "/unsubscribe")])["token"]
    assert unsubscribe["required"] is True and unsubscribe["schema"]["maxLength"] == 512


def test_if_match_and_idempotency_key_are_declared_exactly_where_the_route_reads_them(document):
    ops = operations(document)
    conditional = idempotent = 0
    for key, spec in declared_routes().items():
        headers = _header_parameters(document, ops[key])
        assert ("If-Match" in headers) is spec.conditional, key
        assert ("Idempotency-Key" in headers) is spec.idempotent, key
        assert headers["X-Correlation-Id"]["required"] is False
        for name in ("If-Match", "Idempotency-Key"):
            if name in headers:
                assert headers[name]["required"] is False, (key, name)  # both are optional
        conditional += spec.conditional
        idempotent += spec.idempotent
    assert conditional >= 8 and idempotent >= 3


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        ("3", True),
        ('"3"', True),
        ('W/"3"', True),
        ("*", True),
        ("123456789", True),
        ("1234567890", False),
        ("v3", False),
        ("", False),
        ('W/"x"', False),
    ],
)
def test_the_if_match_pattern_is_the_one_the_route_enforces(document, value, accepted):
    import re

    from chalicelib.api import body
    from chalicelib.errors import InvalidInput

    schema = document["components"]["parameters"]["IfMatch"]["schema"]
    assert bool(re.search(schema["pattern"], value)) is accepted
    if accepted:
        body.if_match(value)
    else:
        with pytest.raises(InvalidInput):
            body.if_match(value)


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        ("0b1c2d3e-aaaa-4bbb-8ccc-123456789abc", True),
        ("a", True),
        ("k" * 128, True),
        ("k" * 129, False),
        ("has space", False),
        ("", False),
        ("é", False),
    ],
)
def test_the_idempotency_key_format_is_the_one_the_route_enforces(document, value, accepted):
    import re

    from chalicelib.api import body
    from chalicelib.errors import InvalidInput

    schema = document["components"]["parameters"]["IdempotencyKey"]["schema"]
    assert (
        bool(re.search(schema["pattern"], value)) and schema["minLength"] <= len(value) <= schema["maxLength"]
    ) is accepted
    if accepted:
        assert body.idempotency_key(value) == value
    else:
        with pytest.raises(InvalidInput):
            body.idempotency_key(value)


def _references(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(_references(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_references(value) for value in node))
    return set()


def test_no_schema_refers_to_itself_directly_or_through_others(document):
    schemas = document["components"]["schemas"]
    prefix = "#/components/schemas/"
    edges = {name: {ref[len(prefix) :] for ref in _references(schema)} for name, schema in schemas.items()}

    def reaches(start: str, target: str, seen: set[str]) -> bool:
        for child in edges.get(start, ()):
            if child == target or (child not in seen and reaches(child, target, seen | {child})):
                return True
        return False

    cyclic = sorted(name for name in schemas if reaches(name, name, {name}))
    assert cyclic == [], f"recursive schemas (openapi-typescript output fails tsc --strict): {cyclic}"


def _enums(node: Any) -> list[list[Any]]:
    if isinstance(node, dict):
        found = [node["enum"]] if isinstance(node.get("enum"), list) else []
        return found + [enum for value in node.values() for enum in _enums(value)]
    if isinstance(node, list):
        return [enum for value in node for enum in _enums(value)]
    return []


def test_no_enum_has_values_that_generators_would_give_the_same_name(document):
    import re

    for values in _enums(document):
        # openapi-python-client's member names: non-alphanumerics dropped, upper-cased.
        names = [re.sub(r"[^A-Za-z0-9]", "", str(value)).upper() for value in values]
        assert len(names) == len(set(names)), values
        assert len(values) <= 50, f"an enum of {len(values)} values: publish a pattern instead"


def test_timezone_is_a_pattern_every_known_zone_matches_and_the_api_stays_strict(document):
    import re

    from marshmallow import ValidationError

    from chalicelib.schemas.common import TIMEZONE_LIST_URL, time_zones, validate_timezone

    timezone = document["components"]["schemas"]["PreferencesInput"]["properties"]["timezone"]
    assert "enum" not in timezone
    assert TIMEZONE_LIST_URL in timezone["description"]
    assert len(time_zones()) > 500
    for zone in time_zones():
        assert re.search(timezone["pattern"], zone), zone
    for example in timezone["examples"]:
        validate_timezone(example)
    assert re.search(timezone["pattern"], "Mars/Olympus_Mons")
    with pytest.raises(ValidationError):
        validate_timezone("Mars/Olympus_Mons")  # what matches the pattern is not thereby accepted


def _json_value_validator(document: dict[str, Any]) -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator({"$ref": "#/components/schemas/JsonValue", "components": document["components"]})


def _nested(value: Any, depth: int) -> Any:
    for level in range(depth):
        value = [value] if level % 2 else {"k": value}
    return value


def test_json_value_is_spelled_out_to_a_fixed_depth_and_refuses_nothing_the_api_takes(document):
    from chalicelib.schemas.common import JSON_VALUE_DEPTH

    schemas = document["components"]["schemas"]
    node, depth = schemas["JsonValue"], 0
    while "items" in node["anyOf"][1]:
        inner = node["anyOf"][1]["items"]
        assert node["anyOf"][2] == {"type": "object", "additionalProperties": inner}
        node, depth = resolve(document, inner), depth + 1
    assert depth == JSON_VALUE_DEPTH
    validator = _json_value_validator(document)
    # The API takes any depth (a make fuzz finding: depth 7 was refused by the document only).
    for value in ({}, None, "text", 0, 80.5, -1e-30, [True], _nested({}, 7), _nested([1, "a"], 40)):
        assert validator.is_valid(value), value
    # Numbers the body parser refuses are refused by the document, as deep as it spells them out.
    for value in (1e31, 1e-31, -1e31, [1e40], {"a": {"b": [1e-40]}}, _nested(1e40, JSON_VALUE_DEPTH)):
        assert not validator.is_valid(value), value


def test_refreshed_claims_are_nullable_as_the_refresh_answers_them(document):
    claims = document["components"]["schemas"]["Claims"]["properties"]
    for name in ("tenant_id", "role", "parent_business_id"):
        assert "null" in _types(claims[name]), name


def test_no_operation_id_gives_generated_clients_a_type_name_a_schema_has(document):
    from devtools.openapi import check_generated_names

    check_generated_names(document)
    clashing = {
        "paths": {"/auth/confirm": {"post": {"operationId": "confirm"}}},
        "components": {"schemas": {"ConfirmResult": {"type": "object"}}},
    }
    with pytest.raises(ValueError, match="ConfirmResult"):
        check_generated_names(clashing)


def test_the_one_click_unsubscribe_body_is_a_form_with_its_field(document):
    body = document["paths"]["/unsubscribe"]["post"]["requestBody"]["content"]
    for media_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        schema = body[media_type]["schema"]
        assert schema["type"] == "object", media_type
        assert schema["properties"]["List-Unsubscribe"]["enum"] == ["One-Click"]


def test_an_import_documents_other_keys_take_any_value_beside_its_typed_lists(document):
    schema = document["components"]["schemas"]["ImportDocument"]
    assert "$ref" not in schema["additionalProperties"] and "type" not in schema["additionalProperties"]
    assert {"schema_version", "weights"} <= set(schema["properties"])

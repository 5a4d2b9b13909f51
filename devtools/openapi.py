"""Builds the OpenAPI 3.1 document from the route declarations and their marshmallow schemas
(named by the routes, imported here).

    python -m devtools.openapi --output chalicelib/openapi.json   # `make openapi`
    python -m devtools.openapi --check                            # exit 1 when the file is stale

Local tooling only: the Lambda ships the written JSON (served by GET /openapi.json), never
apispec, so nothing under chalicelib may import this module or apispec.
"""

from __future__ import annotations

import http
import json
import re
import sys
import warnings
from decimal import Decimal
from pathlib import Path
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import MODIFIERS, resolve_schema_cls
from marshmallow import Schema, fields

from chalicelib.api.body import IDEMPOTENCY_KEY_PATTERN, IF_MATCH_PATTERN, MAX_BODY_BYTES
from chalicelib.api.middleware import _CORRELATION_ID, CORRELATION_HEADER
from chalicelib.api.router import RouteSpec, import_named
from chalicelib.domains import routers
from chalicelib.schemas.common import ErrorEnvelope, Number, StrictBoolean, StrictInteger, json_value_schemas
from devtools import generated_file

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "chalicelib" / "openapi.json"

TITLE = "Stride API"
VERSION = "0.1.0"
OPENAPI_VERSION = "3.1.0"
# The committed document names `make run`'s default address; GET /openapi.json names the address
# of the stack that serves it instead (chalicelib/domains/system/routes.py).
SERVERS = [{"url": "http://127.0.0.1:8000", "description": "local (`make run`)"}]
SECURITY_SCHEME = "cognito"
ERROR_RESPONSE = "Error"
# 429 and 503 say when to try again: the Error response with a Retry-After header.
RETRY_RESPONSE = "ErrorRetryAfter"
RETRY_AFTER_HEADER = "RetryAfter"
RETRY_STATUSES = (429, 503)
CORRELATION_PARAMETER = "CorrelationId"
CORRELATION_RESPONSE_HEADER = "CorrelationId"
IF_MATCH_PARAMETER = "IfMatch"
IDEMPOTENCY_KEY_PARAMETER = "IdempotencyKey"

DESCRIPTION = f"""\
Stride's fitness backend.

Conventions, true of every operation:

- **Errors** always use one JSON envelope: `{{"error": {{"code", "message", "details"}}, "request_id"}}`.
  `error.code` is stable and machine-readable; `error.details` names the offending fields of an
  invalid body (400 `validation_error`); `request_id` identifies the request in the logs.
- **Correlation**: send `{CORRELATION_HEADER}` (1-128 characters of `A-Za-z0-9._:-`) and it is
  echoed on the response; without one (or with an invalid one) the API makes one up.
- **Authentication**: operations that are not public need the Cognito **id token** in the
  `Authorization` header (a `Bearer ` prefix is accepted). Log in with `POST /auth/login`.
- **Bodies** are `application/json`, at most {MAX_BODY_BYTES} bytes; unknown fields are refused.
- **Timestamps** are RFC 3339 strings in UTC (`2024-05-01T07:30:00.000Z`); dates are `YYYY-MM-DD`.
- **Lists** answer `{{"items": [...], "next_cursor": "..."}}`: pass `limit` to size a page and the
  previous answer's `next_cursor` as `cursor` to get the next one; `next_cursor` is null on the
  last page.
"""

COGNITO_DESCRIPTION = (
    "The raw Cognito id token (not the access token) returned by POST /auth/login or "
    "POST /auth/refresh, in the Authorization header. A `Bearer ` prefix is accepted."
)

# What each error status means, whichever route answers it.
ERROR_DESCRIPTIONS: dict[int, str] = {
    400: "The body is missing, is not valid JSON, or fails validation (`error.details` names the fields).",
    401: "Not authenticated: the token is missing, malformed, expired or not an id token for this API "
    "(on /auth routes: wrong credentials or refresh token).",
    403: "Authenticated but not allowed: for example an account not yet provisioned or not confirmed.",
    404: "The resource does not exist (or is not the caller's).",
    405: "The method is not allowed on this path.",
    409: "Conflicts with the current state (for example the account already exists).",
    413: f"The body is larger than {MAX_BODY_BYTES} bytes.",
    415: "The body is not application/json.",
    422: "Well-formed input that refers to something in the wrong state.",
    429: "Too many requests: retry after the seconds `Retry-After` says.",
    500: "An internal error occurred (details are in the logs, under the request id).",
    503: "A service the API depends on is busy or unavailable: retry after the seconds `Retry-After` says.",
}

_PATH_PARAMETER = re.compile(r"{([^{}/]+)}")


class SchemaNames:
    """Names components after their schema class, and refuses two classes of the same name.

    apispec would otherwise rename the second one (Name1) with a warning, and which one gets
    the plain name would depend on declaration order. A schema instance with modifiers (only,
    exclude, partial...) is not the class's shape, so it is inlined rather than named.
    """

    def __init__(self) -> None:
        self._owners: dict[str, type[Schema]] = {}

    def __call__(self, schema: Any) -> str | None:
        if isinstance(schema, Schema) and any(getattr(schema, modifier, None) for modifier in MODIFIERS):
            return None
        resolved = resolve_schema_cls(schema)
        cls = resolved[0] if isinstance(resolved, list) else resolved
        name = cls.__name__
        if name.endswith("Schema") and name != "Schema":
            name = name[: -len("Schema")]
        owner = self._owners.setdefault(name, cls)
        if owner is not cls:
            raise ValueError(
                f"two schemas are named {name!r} in the OpenAPI document: "
                f"{owner.__module__}.{owner.__qualname__} and {cls.__module__}.{cls.__qualname__}; rename one"
            )
        return name

    def extras(self) -> dict[str, dict[str, Any]]:
        """Each named schema's `OPENAPI_EXTRA`: what JSON Schema says of it beyond its fields (a
        PATCH's minProperties, a range that depends on a unit)."""
        return {name: dict(cls.OPENAPI_EXTRA) for name, cls in self._owners.items() if hasattr(cls, "OPENAPI_EXTRA")}


def _plugin() -> MarshmallowPlugin:
    return MarshmallowPlugin(schema_name_resolver=SchemaNames())


def _map_custom_fields(plugin: MarshmallowPlugin) -> None:
    plugin.map_to_openapi_type(Number, "number", None)
    plugin.map_to_openapi_type(StrictInteger, fields.Integer)
    plugin.map_to_openapi_type(StrictBoolean, fields.Boolean)

    def number_bounds(self: Any, field: fields.Field, ret: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        """A Number's bounds are JSON numbers, whatever its validators serialize them to."""
        if not isinstance(field, Number):
            return {}
        bounds: dict[str, Any] = {}
        for key in ("minimum", "maximum"):
            value = field.metadata.get(key, ret.get(key))
            if value is not None:
                bounds[key] = int(value) if float(value).is_integer() else float(value)
        # More decimal places than the field keeps is refused (never rounded): say so.
        bounds["multipleOf"] = float(Decimal(1).scaleb(-field.max_places)) if field.max_places else 1
        return bounds

    if plugin.converter is None:  # set by APISpec(plugins=[...]) before this runs
        raise RuntimeError("register the MarshmallowPlugin with APISpec first")
    plugin.converter.add_attribute_function(number_bounds)


def _has_body(spec: RouteSpec) -> bool:
    return spec.request is not None or bool(spec.raw_body)


def error_statuses(spec: RouteSpec) -> list[int]:
    """The statuses the route declares, and those any route like it can answer."""
    # 503: any route may find an AWS service it depends on busy or down (chalicelib/failures.py).
    statuses = set(spec.errors) | {405, 429, 500, 503}
    if _has_body(spec):
        statuses |= {400, 413, 415}
    if spec.query is not None or spec.conditional or spec.idempotent:
        statuses.add(400)  # a query string or header that fails its format
    if spec.conditional:
        statuses.add(412)  # If-Match names another version
    if spec.idempotent:
        statuses.add(422)  # Idempotency-Key reused with another body
    if not spec.public:
        # resolve_identity: a missing or bad token is a 401, an unprovisioned account a 403.
        statuses |= {401, 403}
    if spec.business_param:
        statuses.add(404)
    return sorted(statuses)


def _error_description(status: int) -> str:
    return ERROR_DESCRIPTIONS.get(status) or http.HTTPStatus(status).phrase


def _success(spec: RouteSpec) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": http.HTTPStatus(spec.status).phrase,
        "headers": {CORRELATION_HEADER: CORRELATION_RESPONSE_HEADER},
    }
    if spec.status == 204:
        return response
    if spec.produces is not None:  # a file, not JSON (a GPX track)
        response["content"] = {spec.produces: {"schema": {"type": "string", "format": "binary"}}}
        return response
    schema: Any = import_named(spec.response) if spec.response is not None else {"type": "object"}
    response["content"] = {"application/json": {"schema": schema}}
    return response


def _parameters(spec: RouteSpec) -> list[Any]:
    """Path parameters, then the query schema's fields (the schema the route loads the query
    string with), then the headers the route reads."""
    parameters: list[Any] = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in _PATH_PARAMETER.findall(spec.path)
    ]
    if spec.query is not None:
        # The marshmallow plugin expands a schema "in": "query" into one parameter per field.
        parameters.append({"in": "query", "schema": import_named(spec.query)})
    if spec.conditional:
        parameters.append(IF_MATCH_PARAMETER)
    if spec.idempotent:
        parameters.append(IDEMPOTENCY_KEY_PARAMETER)
    parameters.append(CORRELATION_PARAMETER)
    return parameters


def _operation(spec: RouteSpec) -> dict[str, Any]:
    parameters = _parameters(spec)
    responses: dict[str, Any] = {str(spec.status): _success(spec)}
    for status in spec.also:  # another success, the same body (an upload made before: 200)
        responses[str(status)] = {**_success(spec), "description": http.HTTPStatus(status).phrase}
    if spec.accepted is not None:
        responses["202"] = {
            "description": "Accepted: the answer is being built in the background; poll the Location",
            "headers": {
                CORRELATION_HEADER: CORRELATION_RESPONSE_HEADER,
                "Location": {"description": "Where to poll for the outcome", "schema": {"type": "string"}},
            },
            "content": {"application/json": {"schema": import_named(spec.accepted)}},
        }
    for status in error_statuses(spec):
        if status == spec.status:
            raise ValueError(f"{spec.method} {spec.path}: {status} is both its success and an error status")
        reference = RETRY_RESPONSE if status in RETRY_STATUSES else ERROR_RESPONSE
        responses[str(status)] = {
            "$ref": f"#/components/responses/{reference}",
            "description": _error_description(status),
        }
    operation: dict[str, Any] = {
        "operationId": spec.view_name,
        "summary": spec.summary,
        "tags": [spec.tag],
        "parameters": parameters,
        "responses": responses,
        "security": [] if spec.public else [{SECURITY_SCHEME: []}],
    }
    if spec.roles:
        operation["description"] = f"Roles: {', '.join(spec.roles)} (any other role: 403 `role_required`)."
    if spec.request is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": import_named(spec.request)}},
        }
    elif spec.raw_body:
        shapes = {media_type: import_named(name) for media_type, name in spec.raw_shapes}
        content = {media_type: {"schema": shapes.get(media_type, {})} for media_type in spec.raw_body}
        operation["requestBody"] = {"required": True, "content": content}
    return operation


def build_spec() -> dict[str, Any]:
    """The whole document, as plain JSON values."""
    with warnings.catch_warnings():
        # A warning from apispec (a renamed schema, an unknown field type) is a bug here.
        warnings.simplefilter("error")
        plugin = _plugin()
        spec = APISpec(
            title=TITLE,
            version=VERSION,
            openapi_version=OPENAPI_VERSION,
            plugins=[plugin],
            info={"description": DESCRIPTION},
            servers=SERVERS,
        )
        _map_custom_fields(plugin)
        spec.components.security_scheme(
            SECURITY_SCHEME,
            {"type": "apiKey", "in": "header", "name": "Authorization", "description": COGNITO_DESCRIPTION},
        )
        for name, schema in json_value_schemas().items():
            spec.components.schema(name, schema)
        correlation_schema = {"type": "string", "pattern": _CORRELATION_ID.pattern}
        spec.components.parameter(
            CORRELATION_PARAMETER,
            "header",
            {
                "name": CORRELATION_HEADER,
                "required": False,
                # Any value is accepted: one that does not match the pattern is replaced, not refused.
                "description": "Echoed on the response when it matches the response header's pattern; "
                "otherwise (or when absent) a new one is made.",
                "schema": {"type": "string"},
            },
        )
        spec.components.parameter(
            IF_MATCH_PARAMETER,
            "header",
            {
                "name": "If-Match",
                "required": False,
                "description": 'The version the client last read (`3`, `"3"` or `W/"3"`): the write happens '
                "only if the item is still at that version, otherwise 412 `version_mismatch`. "
                "Without it (or with `*`) the write happens whatever the version.",
                "schema": {"type": "string", "pattern": f"^(?:\\*|{IF_MATCH_PATTERN[1:-1]})$"},
            },
        )
        spec.components.parameter(
            IDEMPOTENCY_KEY_PARAMETER,
            "header",
            {
                "name": "Idempotency-Key",
                "required": False,
                "description": "A key the client makes up per creation (a UUID will do): a retry with the same "
                "key and body within 24 hours answers the item first created instead of creating another; "
                "the same key with another body is a 422 `idempotency_key_reused`.",
                "schema": {"type": "string", "minLength": 1, "maxLength": 128, "pattern": IDEMPOTENCY_KEY_PATTERN},
            },
        )
        spec.components.header(
            CORRELATION_RESPONSE_HEADER,
            {"description": "The request's correlation id (the one sent, or a new one).", "schema": correlation_schema},
        )
        spec.components.response(
            ERROR_RESPONSE,
            {
                "description": "An error, in the error envelope.",
                "headers": {CORRELATION_HEADER: CORRELATION_RESPONSE_HEADER},
                "content": {"application/json": {"schema": ErrorEnvelope}},
            },
        )
        spec.components.header(
            RETRY_AFTER_HEADER,
            {
                "description": "Seconds to wait before trying again.",
                "required": True,
                "schema": {"type": "integer", "minimum": 1},
            },
        )
        spec.components.response(
            RETRY_RESPONSE,
            {
                "description": "An error, in the error envelope, with when to try again.",
                "headers": {CORRELATION_HEADER: CORRELATION_RESPONSE_HEADER, "Retry-After": RETRY_AFTER_HEADER},
                "content": {"application/json": {"schema": ErrorEnvelope}},
            },
        )

        seen: set[tuple[str, str]] = set()
        operations_by_path: dict[str, dict[str, Any]] = {}
        for router in routers():
            spec.tag({"name": router.tag})
            for route, _view in router.routes:
                key = (route.path, route.method.upper())
                if key in seen:
                    raise ValueError(f"{route.method} {route.path} is declared twice")
                seen.add(key)
                operations_by_path.setdefault(route.path, {})[route.method.lower()] = _operation(route)
        for path, operations in operations_by_path.items():
            spec.path(path=path, operations=operations)
        document = spec.to_dict()
    for name, extra in plugin.schema_name_resolver.extras().items():
        document["components"]["schemas"][name].update(extra)
    check_generated_names(document)
    # Round-trip: tuples become lists and anything that is not JSON fails here, not at serve time.
    return _ecma_anchors(json.loads(json.dumps(document)))


# The type names client generators make of an operation's id (orval: `<Op>Result` for what an
# axios call resolves to, `<Op>Body`, `<Op>Params`, ...): one equal to a schema's name is declared
# twice in the generated file, which then does not compile.
DERIVED_SUFFIXES = (
    "Result",
    "Body",
    "Params",
    "Response",
    "Error",
    "HeaderParameters",
    "QueryResult",
    "MutationResult",
)


def _pascal(operation_id: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", operation_id) if part)


def check_generated_names(document: dict[str, Any]) -> None:
    """Refuses an operation id whose generated type names are a schema's name."""
    schemas = set(document.get("components", {}).get("schemas", {}))
    for operations in document["paths"].values():
        for operation in operations.values():
            derived = {_pascal(operation["operationId"]) + suffix for suffix in DERIVED_SUFFIXES}
            clash = sorted(derived & schemas)
            if clash:
                raise ValueError(
                    f"operation {operation['operationId']!r}: generated clients name its types {', '.join(clash)}, "
                    "which a schema is already named; rename the view or the schema"
                )


def _ecma_anchors(node: Any) -> Any:
    """Python's `\\A...\\Z` (the whole string, no final newline let through) is ECMA's `^...$`, the
    dialect JSON Schema's patterns are read in: a client reading `\\A` would look for a letter A."""
    if isinstance(node, dict):
        return {
            key: _ecma_pattern(value) if key == "pattern" and isinstance(value, str) else _ecma_anchors(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_ecma_anchors(value) for value in node]
    return node


def _ecma_pattern(pattern: str) -> str:
    if pattern.startswith("\\A"):
        pattern = "^" + pattern[2:]
    if pattern.endswith("\\Z") and not pattern.endswith("\\\\Z"):
        pattern = pattern[:-2] + "$"
    return pattern


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, sort_keys=True, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    return generated_file.main(argv, DOCUMENT, render(build_spec()))


if __name__ == "__main__":
    sys.exit(main())

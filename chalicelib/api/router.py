"""Declares routes once: the Chalice registration, identity, body loading, response dumping,
error mapping and the OpenAPI description all come from the same declaration.

Every route of the app is made here, so what is true of one route (identity before the
service, errors in the envelope) is true of all of them.

The router knows no domain: what it asks of the rest of the app (a token's signature checked in stage
local, the tenant's request budget, a staff member's role, whether an account still exists) is handed
to it as `Guards` by the composition root, app.py, which builds them lazily from chalicelib.deps.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any, NamedTuple

from chalice import Chalice, Response

from chalicelib import config, generated
from chalicelib.api import body, context, responses
from chalicelib.api.responses import SchemaName, schema
from chalicelib.errors import (
    ACCOUNT_DELETED,
    Conflict,
    DependencyFailed,
    Forbidden,
    NotFound,
    StrideError,
    Unauthenticated,
    Unprocessable,
    envelope,
    status_for,
)
from chalicelib.failures import dependency_failure
from chalicelib.identity import Identity, bearer_token, identity_from_claims
from chalicelib.logs import stdout_logger
from chalicelib.names import import_named

__all__ = [
    "Accepted",
    "Answer",
    "Document",
    "Guards",
    "RouteSpec",
    "Router",
    "import_named",
    "register_routes",
    "resolve_identity",
]

logger = stdout_logger("stride.requests")


class Guards(NamedTuple):
    """What every route's checks need from outside the kernel, handed down by app.py. Each is called
    on a request, never at import, so what it builds (a service, a client) is built on first use."""

    # Stage local only (chalice local checks no signature): a raw token -> its verified claims.
    verify_token: Callable[[str], dict[str, Any]]
    # Counts one request against the caller's tenant's budget; raises TooManyRequests past it.
    admit: Callable[[Identity], None]
    # The caller's member item, read now, still gives one of these roles; raises Forbidden otherwise.
    require_role: Callable[[Identity, tuple[str, ...]], None]
    # False once the caller's account is deleted (its profile, the anchor, is gone).
    account_exists: Callable[[Identity], bool]


class RouteSpec(NamedTuple):
    path: str
    method: str
    view_name: str
    summary: str
    tag: str
    public: bool
    request: SchemaName | None
    response: SchemaName | None
    status: int
    errors: tuple[int, ...]
    # AWS calls a typical request makes, {"dynamodb.GetItem": 1}: checked by the test suite.
    budget: dict[str, int]
    query: SchemaName | None = None
    # Takes If-Match: <version> (the view gets `expected_version`).
    conditional: bool = False
    # Takes Idempotency-Key (the view gets `idempotency_key`).
    idempotent: bool = False
    # The view gets the body undecoded (`payload`), in one of these media types.
    raw_body: tuple[str, ...] = ()
    # For the OpenAPI document only: the shape of a raw body, per media type (the view checks it),
    # named like a schema: a schema class or a JSON Schema dict.
    raw_shapes: tuple[tuple[str, SchemaName], ...] = ()
    # Roles allowed to call it (others: 403); empty means any signed-in caller.
    roles: tuple[str, ...] = ()
    # A path parameter naming a business: one that is not the caller's tenant is a 404.
    business_param: str | None = None
    # The schema of a `202 Accepted` the view may answer instead (by returning `Accepted`): work
    # that goes on in the background, with a Location to poll.
    accepted: SchemaName | None = None
    # The media type of a file the view answers (returning `Document`) instead of JSON.
    produces: str | None = None
    # Other success statuses the view may answer (returning `Answer`), with the same response
    # schema: 200 for a file uploaded before, where a new one is 201. Documented in the OpenAPI.
    also: tuple[int, ...] = ()


class Accepted(NamedTuple):
    """What a view returns for `202 Accepted`: the body (dumped by the route's `accepted` schema)
    and the Location where the client polls for the outcome."""

    body: dict[str, Any]
    location: str


class Document(NamedTuple):
    """What a view returns to answer a file rather than JSON (a GPX track): its bytes and media type."""

    body: bytes
    media_type: str


class Answer(NamedTuple):
    """What a view returns to answer another success status than the route's own (200 for an
    upload already made, where a new one is 201): the body, dumped by the route's response schema."""

    body: dict[str, Any]
    status: int


def error_response(error: StrideError) -> Response:
    headers: dict[str, str | list[str]] = {"Retry-After": str(error.retry_after)} if error.retry_after else {}
    return Response(
        body=envelope(error.code, error.message, context.request_id.get(), error.details),
        status_code=status_for(error),
        headers=headers,
    )


def resolve_identity(
    request: Any, verify_token: Callable[[str], dict[str, Any]], settings: config.Settings | None = None
) -> Identity:
    settings = settings or config.settings()
    if settings.is_local:
        # chalice local does not check signatures: verify the token here.
        claims = verify_token(bearer_token(request.headers.get("authorization")))
    else:
        claims = ((request.context or {}).get("authorizer") or {}).get("claims") or {}
    identity = identity_from_claims(claims, settings)
    context.identity.set(identity)
    return identity


def authorize(spec: RouteSpec, identity: Identity, path_params: dict[str, str]) -> None:
    """Function-level authorization, for every route in this one place: another tenant's
    business is not found (its existence is not disclosed), a role not allowed is forbidden."""
    if spec.business_param and path_params.get(spec.business_param) != identity.business_id:
        raise NotFound("No such business.")
    if spec.roles and identity.role not in spec.roles:
        raise Forbidden(f"This needs the role {' or '.join(spec.roles)}.", code="role_required")


class Router:
    def __init__(self, tag: str):
        self.tag = tag
        self.routes: list[tuple[RouteSpec, Callable[..., Any]]] = []

    def route(
        self,
        path: str,
        method: str,
        *,
        summary: str,
        public: bool = False,
        request: SchemaName | None = None,
        response: SchemaName | None = None,
        status: int = 200,
        errors: tuple[int, ...] = (),
        budget: dict[str, int] | None = None,
        query: SchemaName | None = None,
        conditional: bool = False,
        idempotent: bool = False,
        raw_body: tuple[str, ...] = (),
        raw_shapes: tuple[tuple[str, SchemaName], ...] = (),
        roles: tuple[str, ...] = (),
        business_param: str | None = None,
        accepted: SchemaName | None = None,
        produces: str | None = None,
        also: tuple[int, ...] = (),
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def register(view: Callable[..., Any]) -> Callable[..., Any]:
            spec = RouteSpec(
                path,
                method,
                view.__name__,
                summary,
                self.tag,
                public,
                request,
                response,
                status,
                errors,
                budget or {},
                query,
                conditional,
                idempotent,
                raw_body,
                raw_shapes,
                roles,
                business_param,
                accepted,
                produces,
                also,
            )
            self.routes.append((spec, view))
            view.route_spec = spec  # type: ignore[attr-defined]
            return view

        return register


def _arguments(spec: RouteSpec, guards: Guards, request: Any, path_params: dict[str, str]) -> dict[str, Any]:
    """What the view is given, in the order a failure is reported: who, then what."""
    arguments: dict[str, Any] = dict(path_params)
    if not spec.public:
        arguments["identity"] = identity = resolve_identity(request, guards.verify_token)
        authorize(spec, identity, path_params)
        guards.admit(identity)
        if spec.roles:
            # The token's role let the request this far; the member item decides, for every staff
            # route in this one place (one consistent GetItem).
            guards.require_role(identity, spec.roles)
    if spec.query is not None:
        arguments["query"] = body.load_query(schema(spec.query), request.query_params)
    if spec.conditional:
        arguments["expected_version"] = body.if_match(request.headers.get("if-match"))
    if spec.idempotent:
        arguments["idempotency_key"] = body.idempotency_key(request.headers.get("idempotency-key"))
    if spec.request is not None:
        arguments["body"] = body.load(schema(spec.request), request.raw_body, request.headers.get("content-type"))
    if spec.raw_body:
        arguments["payload"] = body.payload(request.raw_body, request.headers.get("content-type"), spec.raw_body)
    return arguments


# Refusals the erasure of the caller's data can cause (a 400 or a 412 cannot: the first never
# reached the table, the second found the item); a 401 from Cognito too, which refuses the
# access token of a deleted user (the MFA routes).
_MAYBE_GONE = (NotFound, Forbidden, Conflict, Unprocessable, DependencyFailed, Unauthenticated)


def _unless_deleted(spec: RouteSpec, guards: Guards, error: StrideError) -> StrideError:
    """A write refused for any reason after its caller's account was deleted is a 401
    `account_deleted`: the token outlives the account, and what it addressed went with it (a 404
    or a 503 would invite a retry). Only refusals pay for this read; every write that can succeed
    carries the account's condition in its own transaction, so a deleted account never writes."""
    identity = context.identity.get()
    if spec.method == "GET" or identity is None or not isinstance(error, _MAYBE_GONE):
        return error
    if error.code == "account_deleted":
        return error
    try:
        exists = guards.account_exists(identity)
    except Exception:  # the refusal stands as it was: this read only refines it
        return error
    return error if exists else Unauthenticated(ACCOUNT_DELETED, code="account_deleted")


def _handler(app: Chalice, spec: RouteSpec, view: Callable[..., Any], guards: Guards) -> Callable[..., Response]:
    def handle(**path_params: str) -> Response:
        request = app.current_request
        try:
            result = view(**_arguments(spec, guards, request, path_params))
        except StrideError as error:
            return error_response(_unless_deleted(spec, guards, error))
        except Exception as exc:
            failure = dependency_failure(exc)
            if failure is None:
                raise  # a bug: Chalice logs it and answers 500, the middleware makes it the envelope
            refusal, detail = failure
            logger.warning(
                json.dumps({"message": "dependency_failed", "request_id": context.request_id.get(), **detail})
            )
            return error_response(_unless_deleted(spec, guards, refusal))
        if isinstance(result, Accepted) and spec.accepted is not None:
            return Response(
                body=responses.dump(spec.accepted, result.body), status_code=202, headers={"Location": result.location}
            )
        if spec.status == 204:
            return Response(body="", status_code=204)
        if isinstance(result, Document):
            return Response(body=result.body, status_code=spec.status, headers={"Content-Type": result.media_type})
        status = spec.status
        if isinstance(result, Answer):
            if result.status not in spec.also:  # the document states every status a route answers
                raise RuntimeError(f"{spec.method} {spec.path} answered {result.status}, not declared in `also`")
            status = result.status
            result = result.body
        payload = responses.dump(spec.response, result) if spec.response is not None else result
        return Response(body=payload, status_code=status)

    return handle


# The routes as Chalice registers them: [method, path, "module:view", public, content types], in the
# order the domains declare them. Written by `make openapi` (devtools/route_table.py) from the
# declarations, so registering every route imports no route module: a request imports its own on
# its first call.
ROUTE_TABLE_FILE = generated.path("route_table.json")


def table_entry(spec: RouteSpec, view_name: str) -> list[Any]:
    return [spec.method, spec.path, view_name, spec.public, list(spec.raw_body)]


def route_table() -> list[list[Any]]:
    table: list[list[Any]] = generated.load("route_table.json")
    return table


def register_routes(app: Chalice, authorizer: Any, guards: Guards) -> None:
    for entry in route_table():
        method, path, view_name, public, content_types = entry
        options: dict[str, Any] = {"methods": [method], "authorizer": None if public else authorizer}
        if content_types:
            options["content_types"] = content_types
            # A file sent as itself (a FIT, a GPX) reaches the view as bytes: API Gateway's binary
            # media types, which `chalice package` writes into the API from this list.
            binary = [kind for kind in content_types if body.is_binary(kind) and kind not in app.api.binary_types]
            app.api.binary_types.extend(binary)
        app.route(path, name=view_name, **options)(_declared_on_first_call(app, entry, guards))


def _declared_on_first_call(app: Chalice, entry: list[Any], guards: Guards) -> Callable[..., Response]:
    view_name = entry[2]

    stale = f"chalicelib/route_table.json is stale at {view_name}: run `make openapi`"

    @functools.cache
    def declared() -> Callable[..., Response]:
        try:
            view = import_named(view_name)
        except (ImportError, AttributeError) as exc:  # a view renamed or removed since
            raise RuntimeError(stale) from exc
        spec: RouteSpec = view.route_spec
        if table_entry(spec, view_name) != entry:
            raise RuntimeError(stale)
        return _handler(app, spec, view, guards)

    def handle(**path_params: str) -> Response:
        return declared()(**path_params)

    return handle

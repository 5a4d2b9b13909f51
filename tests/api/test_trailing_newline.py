"""An id with a trailing newline is not the id: every route addressing something by id answers
404 to "<id>\\n" (a `^…$` pattern with `re.match` took it for the id), and an import refuses a
record whose id ends in one instead of making a second, unreachable item."""

import json
from urllib.parse import unquote

import pytest

from chalicelib.domains import routers
from tests.catalog import CATALOG, WEIGHT

SPECS = {(spec.method, spec.path): spec for router in routers() for spec, _ in router.routes}
ADDRESSED = sorted(route for route, spec in SPECS.items() if "{" in route[1] and not spec.public)


def _through_api_gateway(api, request, token):
    """The status API Gateway's event gets: it percent-decodes path parameters ("%0A" is a
    newline). Chalice's local gateway leaves them encoded, and urlsplit strips a raw newline at
    the end of a path, so the event is made here, as the test client makes it, then decoded."""
    http = api._client.http
    gateway = http._local_gateway
    headers = {"authorization": token, **request.headers}
    body = b""
    if request.body is not None:
        headers["content-type"] = "application/json"
        body = json.dumps(request.body).encode()
    context = gateway._generate_lambda_context()
    event = gateway._generate_lambda_event(request.method, request.path, headers, body)
    event["pathParameters"] = {name: unquote(value) for name, value in event["pathParameters"].items()}
    scoped = http._config.scope(http._config.chalice_stage, "api_handler")
    with http._patched_env_vars(scoped.environment_variables):
        return gateway._app_object(event, context)["statusCode"]


@pytest.mark.parametrize("route", ADDRESSED, ids=lambda route: f"{route[0]} {route[1]}")
def test_an_id_with_a_trailing_newline_is_not_found(api, users, user, route):
    request = CATALOG[route](api, users, user)
    addressed = request.owned_id if request.owned_id in request.path else user.user_id
    assert addressed in request.path
    owned = request.send(api, user.token).status if request.method == "GET" else None
    request.path = request.path.replace(addressed, addressed + "%0A", 1)

    assert _through_api_gateway(api, request, user.token) == 404
    assert owned in (None, 200)  # the same request without the newline reaches the item


def test_an_import_refuses_an_id_with_a_trailing_newline(api, user):
    record = {**WEIGHT, "id": "01KAAAAAAAAAAAAAAAAAAAAAAA"}
    document = {"schema_version": 1, "weights": [record, {**record, "id": record["id"] + "\n"}]}

    answer = api.post("/me/import", document, token=user.token)

    assert answer.status == 400, answer.body
    assert api.get("/weights", token=user.token).body["items"] == []

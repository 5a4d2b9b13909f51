"""Stride's Chalice app: the authorizer, the middleware, the installed domains' routes. Nothing else."""

import gc
import os
import sys

from chalice import Chalice, CognitoUserPoolAuthorizer, CORSConfig

from chalicelib import deps
from chalicelib.api.middleware import CORRELATION_HEADER, http_middleware
from chalicelib.api.router import Guards, register_routes
from chalicelib.chalice_local import refuse_chalice_local
from chalicelib.events import BLUEPRINTS as EVENT_BLUEPRINTS

refuse_chalice_local(sys.argv)  # chalice local alone cannot serve Stride: it names `make run`

app = Chalice(app_name="stride")
app.debug = False  # stack traces go to the log, never to a client

# API Gateway verifies the token against this pool. The packaged template replaces the ARN
# with the pool it creates (infra/), so no ARN is written by hand.
authorizer = CognitoUserPoolAuthorizer(
    "stride-users",
    provider_arns=[
        os.environ.get("USER_POOL_ARN", "arn:aws:cognito-idp:us-east-1:000000000000:userpool/set-by-template")
    ],
)

# CORS is fixed when the template is packaged, so it is read here, at import, from the
# stage's environment (Chalice loads the stage's variables before importing this file).
app.api.cors = CORSConfig(
    allow_origin=os.environ.get("FRONTEND_ORIGIN", "http://127.0.0.1:5173"),
    allow_headers=["Authorization", "Content-Type", CORRELATION_HEADER, "Idempotency-Key", "If-Match"],
    # Location: where a 202 (a background export) is polled.
    expose_headers=[CORRELATION_HEADER, "Location"],
    # Browsers keep a preflight this long (2 hours, Chromium's ceiling): a reload within it sends
    # the token refresh and the screen's reads with no OPTIONS round trip before each.
    max_age=7200,
)

app.register_middleware(http_middleware, "http")
# The composition root hands the router what its checks need; each is built on its first request.
guards = Guards(deps.verify_token, deps.charge_tenant, deps.require_role, deps.account_exists)
register_routes(app, authorizer, guards)
for blueprint in EVENT_BLUEPRINTS:
    app.register_blueprint(blueprint)

# What the import made (modules, classes, the route table) lives as long as the container: moved out
# of the collector's generations, no later collection walks it again. Without this, the first
# request's allocations trigger a collection that re-walks the whole import (~10 ms of a cold start).
gc.freeze()

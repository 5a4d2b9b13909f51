"""Stride's Chalice app: the authorizer, the middleware, the installed domains' routes. Nothing else."""

import gc
import os
import signal
import sys
from pathlib import Path

from chalice import Chalice, CognitoUserPoolAuthorizer, CORSConfig

from chalicelib import deps
from chalicelib.api.middleware import CORRELATION_HEADER, http_middleware
from chalicelib.api.router import Guards, register_routes
from chalicelib.events import BLUEPRINTS as EVENT_BLUEPRINTS


def _chalice_command(argv: list[str]) -> str | None:
    """The chalice CLI's command (`local`, `package`, ...) when this process is the chalice CLI."""
    if not argv or "chalice" not in (Path(argv[0]).name, Path(argv[0]).parent.name):
        return None
    words = iter(argv[1:])
    for word in words:
        if word == "--project-dir":
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


# `chalice local` alone cannot serve Stride: stage local needs the embedded AWS (Cognito,
# DynamoDB, S3, SES) and the checks API Gateway makes that chalice's local gateway lacks (a
# token's signature, unknown routes, a header that is no JWT), which `make run` provides
# (devtools/run.py, devtools/local_gateway.py). So it refuses at once, naming what to run.
# (With its default --autoreload, chalice imports this file in a thread of a worker process, where
# SystemExit would end only the thread, and the parent answers 0 for any end of its worker: the
# worker ends itself and its parent, so the command fails as it should.)
if _chalice_command(sys.argv) == "local":
    sys.stderr.write(
        "Stride does not run under `chalice local`: its local stage needs the embedded AWS and the\n"
        "token checks of API Gateway. Run `make run` instead: the same chalice app for stage local on\n"
        "http://127.0.0.1:8000 (STRIDE_API_PORT chooses another port), with the local AWS, the web app\n"
        "and a demo user (see README, Two commands).\n"
    )
    sys.stderr.flush()
    if os.environ.get("CHALICE_WORKER"):
        os.kill(os.getppid(), signal.SIGTERM)
    os._exit(2)

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
    max_age=600,
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

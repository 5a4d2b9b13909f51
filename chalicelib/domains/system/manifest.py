"""Liveness and the API's own description."""

from chalicelib.domains.system.routes import router
from chalicelib.manifest import Domain

DOMAIN = Domain("system", routers=(router,))

"""Summaries over weights, workouts and tasks (reads only; keeps no data of its own)."""

from chalicelib.domains.stats.routes import router
from chalicelib.manifest import Domain

DOMAIN = Domain("stats", routers=(router,))

"""Summaries over weights, workouts and tasks, read from running totals kept in the person's partition
by the table's stream (`STATS#…`: derived, never exported; deleted with the partition)."""

from chalicelib.domains.stats.routes import router
from chalicelib.manifest import Domain

DOMAIN = Domain("stats", routers=(router,))

from __future__ import annotations

from typing import Any

from chalicelib import deps
from chalicelib.api.router import Router
from chalicelib.identity import Identity

router = Router("stats")


@router.route(
    "/stats/summary",
    "GET",
    summary=(
        "Weight trend, workouts per week and streak, tasks: over local days from..to (default: 30 days);"
        " read from running totals a second or so behind the writes"
    ),
    query="chalicelib.domains.stats.schemas:StatsQuery",
    response="chalicelib.domains.stats.schemas:Summary",
    errors=(400,),
    budget={"dynamodb.Query": 4, "dynamodb.GetItem": 1},
)
def summary(identity: Identity, query: dict[str, Any]) -> dict[str, Any]:
    return deps.stats().summary(identity, query)

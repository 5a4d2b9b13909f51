"""Body weights: the five routes of plain tracked items (chalicelib/tracked_routes.py)."""

from __future__ import annotations

from chalicelib import deps
from chalicelib.api.router import Router
from chalicelib.tracked_routes import tracked_routes

router = Router("weights")

create_weight, list_weights, get_weight, patch_weight, delete_weight = tracked_routes(
    router,
    __name__,
    deps.weights,
    item="weight",
    schemas="chalicelib.domains.weights.schemas",
    create="Log a weight",
    listing="Weights, newest first, optionally between from and to",
)

"""The five routes of plain tracked items (chalicelib/tracked.py), declared once: log one (with an
Idempotency-Key), list them newest first by range with a cursor, get one, change one (If-Match),
delete one. Paths, statuses, errors and call budgets are the same for every tracked domain, so
they live here; a domain's routes.py says only what is its own: the item, its schemas' module, the
summaries that say its rules and the deps function of its service (`domains/weights/routes.py`).

Each view is named and placed as a hand-written one would be (`create_weight` in
`chalicelib.domains.weights.routes`), and the routes module binds it to that name: the route table,
a route's first call (chalicelib/api/router.py imports its view by that name) and the OpenAPI
operationId all see the same `module:view`. The service is the deps function itself, called on a
request (built on the first): importing a routes module builds nothing and imports no service.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # annotations only: a tracked route's first call imports nothing more than this module
    from typing import Protocol

    from chalicelib.api.router import Router
    from chalicelib.identity import Identity

    class TrackedVerbs(Protocol):
        """What the routes ask of a tracked domain's service (TrackedService and its subclasses)."""

        def create(self, identity: Identity, body: dict[str, Any], idempotency_key: str | None) -> dict[str, Any]: ...

        def list(self, identity: Identity, query: dict[str, Any]) -> dict[str, Any]: ...

        def get(self, identity: Identity, item_id: str) -> dict[str, Any]: ...

        def patch(
            self, identity: Identity, item_id: str, changes: dict[str, Any], expected_version: int | None
        ) -> dict[str, Any]: ...

        def delete(self, identity: Identity, item_id: str, expected_version: int | None) -> None: ...


__all__ = ["tracked_routes"]

# The five views, in the order they are declared (and served, and documented): create, list, get,
# patch, delete. A plain tuple: the routes module unpacks it into its own names.
type TrackedViews = tuple[
    Callable[..., dict[str, Any]],
    Callable[..., dict[str, Any]],
    Callable[..., dict[str, Any]],
    Callable[..., dict[str, Any]],
    Callable[..., None],
]


def tracked_routes(
    router: Router,
    module: str,
    service: Callable[[], TrackedVerbs],
    *,
    item: str,
    schemas: str,
    create: str,
    listing: str,
    patch: str | None = None,
    plural: str | None = None,
) -> TrackedViews:
    """Declares on `router` the five routes of `/<plural>` and `/<plural>/{<item>_id}`, their views
    placed in `module` (the routes module's `__name__`); `plural` is `<item>s` unless given. `schemas`
    is the module of the item's schemas, named `<Item>Input`, `<Item>`, `<Item>sQuery`, `<Item>Page`
    and `<Item>Patch` (`<Item>`: the item in CamelCase). `create`, `listing` and `patch` are the
    summaries that say the domain's own rules (a patch's default: the If-Match guard); get's and
    delete's say only the item."""
    plural = plural or f"{item}s"
    name = "".join(part.capitalize() for part in item.split("_"))
    collection, one, param = f"/{plural}", f"/{plural}/{{{item}_id}}", f"{item}_id"
    named = f"{schemas}:{name}"

    def create_view(identity: Identity, body: dict[str, Any], idempotency_key: str | None) -> dict[str, Any]:
        return service().create(identity, body, idempotency_key)

    def list_view(identity: Identity, query: dict[str, Any]) -> dict[str, Any]:
        return service().list(identity, query)

    def get_view(identity: Identity, **path: str) -> dict[str, Any]:
        return service().get(identity, path[param])

    def patch_view(
        identity: Identity, body: dict[str, Any], expected_version: int | None, **path: str
    ) -> dict[str, Any]:
        return service().patch(identity, path[param], body, expected_version)

    def delete_view(identity: Identity, expected_version: int | None, **path: str) -> None:
        service().delete(identity, path[param], expected_version)

    for view, view_name in (
        (create_view, f"create_{item}"),
        (list_view, f"list_{plural}"),
        (get_view, f"get_{item}"),
        (patch_view, f"patch_{item}"),
        (delete_view, f"delete_{item}"),
    ):  # placed where the routes module binds it: the route table imports it by this name
        view.__module__, view.__name__, view.__qualname__ = module, view_name, view_name
    router.route(
        collection,
        "POST",
        summary=create,
        request=f"{named}Input",
        response=named,
        status=201,
        errors=(400, 415, 422),
        idempotent=True,
        budget={"dynamodb.TransactWriteItems": 1},
    )(create_view)
    router.route(
        collection,
        "GET",
        summary=listing,
        query=f"{named}sQuery",
        response=f"{named}Page",
        errors=(400,),
        budget={"dynamodb.Query": 1},
    )(list_view)
    router.route(one, "GET", summary=f"One {item}", response=named, errors=(404,), budget={"dynamodb.GetItem": 1})(
        get_view
    )
    router.route(
        one,
        "PATCH",
        summary=patch or f"Change a {item} (If-Match: version to guard against overwrites)",
        request=f"{named}Patch",
        response=named,
        errors=(400, 404, 412, 415),
        conditional=True,
        budget={"dynamodb.UpdateItem": 1},
    )(patch_view)
    router.route(
        one,
        "DELETE",
        summary=f"Delete a {item}",
        status=204,
        errors=(404, 412),
        conditional=True,
        budget={"dynamodb.DeleteItem": 1},
    )(delete_view)
    return create_view, list_view, get_view, patch_view, delete_view

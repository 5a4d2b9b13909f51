"""The five routes of tracked items, declared once (chalicelib/tracked_routes.py): each domain's views
are where the route table names them, the declarations carry the shared rules and the domain's own
words, and a view hands its path parameter to the service built on the request, not at import."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.api.router import Router, import_named
from chalicelib.domains import routers
from chalicelib.identity import MEMBER, Identity
from chalicelib.tracked_routes import tracked_routes

IDENTITY = Identity("u-1", "u@example.com", "t-1", MEMBER)
SCHEMAS = "tests.unit.meal_schemas"


class FakeMeals:
    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    def create(self, identity: Identity, body: dict[str, Any], idempotency_key: str | None) -> dict[str, Any]:
        self.calls.append(("create", identity, body, idempotency_key))
        return {"id": "m-1"}

    def list(self, identity: Identity, query: dict[str, Any]) -> dict[str, Any]:
        self.calls.append(("list", identity, query))
        return {"items": [], "next_cursor": None}

    def get(self, identity: Identity, item_id: str) -> dict[str, Any]:
        self.calls.append(("get", identity, item_id))
        return {"id": item_id}

    def patch(
        self, identity: Identity, item_id: str, changes: dict[str, Any], expected_version: int | None
    ) -> dict[str, Any]:
        self.calls.append(("patch", identity, item_id, changes, expected_version))
        return {"id": item_id}

    def delete(self, identity: Identity, item_id: str, expected_version: int | None) -> None:
        self.calls.append(("delete", identity, item_id, expected_version))


@pytest.fixture
def declared():
    meals, built = FakeMeals(), []

    def service() -> FakeMeals:
        built.append(True)
        return meals

    router = Router("nutrition")
    views = tracked_routes(
        router,
        "tests.unit.meal_routes",
        service,
        item="body_meal",
        schemas=SCHEMAS,
        create="Log a meal",
        listing="Meals, newest first",
    )
    return router, views, meals, built


def _bound(name: str) -> object:
    try:
        return import_named(name)
    except AttributeError:  # the routes module did not bind the view under its name
        return None


def test_every_routes_view_is_bound_where_the_route_table_names_it():
    unbound = [
        f"{view.__module__}:{view.__name__}"
        for router in routers()
        for _, view in router.routes
        if _bound(f"{view.__module__}:{view.__name__}") is not view
    ]
    assert unbound == []


@pytest.mark.parametrize("domain", ["weights", "workouts", "tasks"])
def test_each_tracked_domain_declares_the_five_routes_with_its_own_names(domain):
    item, module = domain.removesuffix("s"), f"chalicelib.domains.{domain}.routes"
    router = import_named(f"{module}:router")
    declared = [(spec.method, spec.path, f"{view.__module__}:{view.__name__}") for spec, view in router.routes]
    assert declared == [
        ("POST", f"/{domain}", f"{module}:create_{item}"),
        ("GET", f"/{domain}", f"{module}:list_{domain}"),
        ("GET", f"/{domain}/{{{item}_id}}", f"{module}:get_{item}"),
        ("PATCH", f"/{domain}/{{{item}_id}}", f"{module}:patch_{item}"),
        ("DELETE", f"/{domain}/{{{item}_id}}", f"{module}:delete_{item}"),
    ]


def test_the_declarations_carry_the_shared_rules_and_the_domains_words(declared):
    router, _, _, _ = declared
    specs = {(spec.method, spec.path): spec for spec, _ in router.routes}
    create = specs["POST", "/body_meals"]
    assert (create.summary, create.status, create.idempotent, create.errors) == (
        "Log a meal",
        201,
        True,
        (400, 415, 422),
    )
    assert (create.request, create.response) == (f"{SCHEMAS}:BodyMealInput", f"{SCHEMAS}:BodyMeal")
    assert create.budget == {"dynamodb.TransactWriteItems": 1}
    listing = specs["GET", "/body_meals"]
    assert (listing.summary, listing.query, listing.response) == (
        "Meals, newest first",
        f"{SCHEMAS}:BodyMealsQuery",
        f"{SCHEMAS}:BodyMealPage",
    )
    patch = specs["PATCH", "/body_meals/{body_meal_id}"]
    assert patch.summary == "Change a body_meal (If-Match: version to guard against overwrites)"
    assert (patch.conditional, patch.request, patch.budget) == (
        True,
        f"{SCHEMAS}:BodyMealPatch",
        {"dynamodb.UpdateItem": 1},
    )
    delete = specs["DELETE", "/body_meals/{body_meal_id}"]
    assert (delete.status, delete.conditional, delete.errors, delete.response) == (204, True, (404, 412), None)
    assert specs["GET", "/body_meals/{body_meal_id}"].budget == {"dynamodb.GetItem": 1}
    assert [spec.view_name for spec, _ in router.routes] == [
        "create_body_meal",
        "list_body_meals",
        "get_body_meal",
        "patch_body_meal",
        "delete_body_meal",
    ]


def test_a_view_hands_its_path_parameter_to_the_service_built_on_the_request(declared):
    _, (create, listing, get, patch, delete), meals, built = declared
    assert built == []  # declaring the routes builds no service
    create(identity=IDENTITY, body={"calories": 500}, idempotency_key="k-1")
    listing(identity=IDENTITY, query={"limit": 5})
    get(identity=IDENTITY, body_meal_id="m-2")
    patch(identity=IDENTITY, body_meal_id="m-3", body={"calories": 400}, expected_version=2)
    assert delete(identity=IDENTITY, body_meal_id="m-4", expected_version=None) is None
    assert meals.calls == [
        ("create", IDENTITY, {"calories": 500}, "k-1"),
        ("list", IDENTITY, {"limit": 5}),
        ("get", IDENTITY, "m-2"),
        ("patch", IDENTITY, "m-3", {"calories": 400}, 2),
        ("delete", IDENTITY, "m-4", None),
    ]
    assert len(built) == 5


def test_a_plural_of_its_own_names_the_paths_and_the_list():
    router = Router("nutrition")
    tracked_routes(
        router,
        "tests.unit.meal_routes",
        FakeMeals,
        item="meal",
        plural="nutrition",
        schemas=SCHEMAS,
        create="c",
        listing="l",
    )
    assert [(spec.path, spec.view_name) for spec, _ in router.routes][:3] == [
        ("/nutrition", "create_meal"),
        ("/nutrition", "list_nutrition"),
        ("/nutrition/{meal_id}", "get_meal"),
    ]

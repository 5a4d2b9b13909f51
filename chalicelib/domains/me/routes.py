from __future__ import annotations

from typing import Any

from chalicelib import deps
from chalicelib.api.router import Router
from chalicelib.domains.me import account
from chalicelib.identity import Identity

router = Router("me")


@router.route("/me", "GET", summary="The signed-in account", response="chalicelib.domains.auth.schemas:Me")
def me(identity: Identity) -> dict[str, Any]:
    return account.describe(identity)


@router.route(
    "/me/profile",
    "GET",
    summary="The caller's profile",
    response="chalicelib.domains.me.profile_schemas:Profile",
    errors=(404,),
    budget={"dynamodb.GetItem": 1},
)
def get_profile(identity: Identity) -> dict[str, Any]:
    return deps.profiles().get(identity)


@router.route(
    "/me/profile",
    "PUT",
    summary="Replace the profile: fields left out are removed",
    request="chalicelib.domains.me.profile_schemas:ProfileInput",
    response="chalicelib.domains.me.profile_schemas:Profile",
    errors=(400, 415, 422),
    budget={"dynamodb.UpdateItem": 1},
)
def replace_profile(identity: Identity, body: dict[str, Any]) -> dict[str, Any]:
    from chalicelib.domains.me.profile_schemas import to_storage  # loaded with the request's schema

    return deps.profiles().replace(identity, to_storage(body))


@router.route(
    "/me/profile",
    "PATCH",
    summary="Change the given fields (null removes one), nested ones included",
    request="chalicelib.domains.me.profile_schemas:ProfilePatch",
    response="chalicelib.domains.me.profile_schemas:Profile",
    errors=(400, 415, 422),
    budget={"dynamodb.UpdateItem": 1},
)
def patch_profile(identity: Identity, body: dict[str, Any]) -> dict[str, Any]:
    from chalicelib.domains.me.profile_schemas import to_storage  # loaded with the request's schema

    return deps.profiles().patch(identity, to_storage(body))


@router.route(
    "/me/preferences",
    "GET",
    summary="The caller's preferences (defaults before the first PUT)",
    response="chalicelib.domains.me.preferences_schemas:Preferences",
    budget={"dynamodb.GetItem": 1},
)
def get_preferences(identity: Identity) -> dict[str, Any]:
    return deps.preferences().get(identity)


@router.route(
    "/me/preferences",
    "PUT",
    summary="Replace the preferences (fields left out take their defaults)",
    request="chalicelib.domains.me.preferences_schemas:PreferencesInput",
    response="chalicelib.domains.me.preferences_schemas:Preferences",
    errors=(400, 415),
    budget={"dynamodb.TransactWriteItems": 1},
)
def put_preferences(identity: Identity, body: dict[str, Any]) -> dict[str, Any]:
    return deps.preferences().put(identity, body)

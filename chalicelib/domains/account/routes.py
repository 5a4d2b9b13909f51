from __future__ import annotations

from typing import Any

from chalicelib import deps
from chalicelib.api.body import Payload
from chalicelib.api.router import Router
from chalicelib.identity import Identity

router = Router("account")


@router.route(
    "/me/export",
    "GET",
    summary="Everything you own, as one JSON document (or a link to it when large)",
    response="chalicelib.domains.account.schemas:Export",
    # The partition, the businesses ever joined, what they wrote in each (one, typically).
    budget={"dynamodb.Query": 3},
)
def export_data(identity: Identity) -> dict[str, Any]:
    return deps.account_data().export(identity)


@router.route(
    "/me/import",
    "POST",
    summary="Merge an export (application/json) or a CSV of weights (text/csv, as its schema shows)",
    response="chalicelib.domains.account.schemas:ImportResult",
    raw_body=("application/json", "text/csv"),
    raw_shapes=(
        ("application/json", "chalicelib.domains.account.schemas:ImportDocument"),
        ("text/csv", "chalicelib.domains.account.schemas:CSV_IMPORT"),
    ),
    errors=(400, 409, 413, 415, 429),
    # Unfinished imports (markers), the ids already there, one transaction a 98 records.
    budget={"dynamodb.Query": 2, "dynamodb.TransactWriteItems": 1},
)
def import_data(identity: Identity, payload: Payload) -> dict[str, Any]:
    return deps.account_data().import_payload(identity, payload)


@router.route(
    "/me",
    "DELETE",
    summary="Delete your account and everything it owns; signs out every session",
    status=204,
    errors=(409,),
    budget={
        "dynamodb.GetItem": 1,
        "dynamodb.DeleteItem": 1,
        # Two of them find the webhooks and the e-mail schedule, deleted before the data.
        "dynamodb.Query": 5,
        "dynamodb.BatchWriteItem": 1,
        "s3.ListObjectsV2": 1,
        "cognito-idp.AdminUserGlobalSignOut": 1,
        "cognito-idp.AdminDeleteUser": 1,
    },
)
def delete_account(identity: Identity) -> None:
    deps.account_data().delete_account(identity)

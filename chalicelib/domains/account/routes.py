from __future__ import annotations

from typing import Any

from chalicelib import deps
from chalicelib.api.body import Payload
from chalicelib.api.router import Accepted, Router
from chalicelib.identity import Identity

router = Router("account")


@router.route(
    "/me/export",
    "GET",
    summary="Everything you own, as one JSON document (or a link to it when large); 202 and a Location to "
    "poll when it is built in the background",
    response="chalicelib.domains.account.schemas:Export",
    accepted="chalicelib.domains.account.schemas:ExportJob",
    # The partition, the businesses ever joined, what they wrote in each (one, typically). An
    # account of more than one read: that read, the job's status item, the job queued.
    budget={"dynamodb.Query": 3},
)
def export_data(identity: Identity) -> dict[str, Any] | Accepted:
    result = deps.account_data().export(identity)
    if isinstance(result, tuple):
        _, job = result
        return Accepted(job, f"/me/export/jobs/{job['id']}")
    return result


@router.route(
    "/me/export/jobs/{export_id}",
    "GET",
    summary="A background export: running, then ready with a pre-signed link to the document",
    response="chalicelib.domains.account.schemas:ExportJob",
    errors=(404,),
    budget={"dynamodb.GetItem": 1},
)
def export_job(export_id: str, identity: Identity) -> dict[str, Any]:
    return deps.account_data().export_status(identity, export_id)


@router.route(
    "/me/import",
    "POST",
    summary="Merge an export (application/json) or a CSV of weights (text/csv, as its schema shows); more "
    "than 500 records: 202 and a Location to poll, written in the background",
    response="chalicelib.domains.account.schemas:ImportResult",
    accepted="chalicelib.domains.account.schemas:ImportJob",
    raw_body=("application/json", "text/csv"),
    raw_shapes=(
        ("application/json", "chalicelib.domains.account.schemas:ImportDocument"),
        ("text/csv", "chalicelib.domains.account.schemas:CSV_IMPORT"),
    ),
    errors=(400, 409, 413, 415, 429),
    # Unfinished imports (markers), the records' own keys (BatchGetItem, 100 a call: never the
    # whole history, which was a Query of every key), one transaction a 98 records. Queued (more
    # than 500 records): the markers, the records put in S3, marker and status in one
    # transaction, the job queued.
    budget={"dynamodb.Query": 1, "dynamodb.BatchGetItem": 1, "dynamodb.TransactWriteItems": 1},
)
def import_data(identity: Identity, payload: Payload) -> dict[str, Any] | Accepted:
    result = deps.account_data().import_payload(identity, payload)
    if isinstance(result, tuple):
        _, job = result
        return Accepted(job, f"/me/import/jobs/{job['id']}")
    return result


@router.route(
    "/me/import/jobs/{import_id}",
    "GET",
    summary="A background import: running, then done with its counts or failed with its per-row errors",
    response="chalicelib.domains.account.schemas:ImportJob",
    errors=(404,),
    budget={"dynamodb.GetItem": 1},
)
def import_job(import_id: str, identity: Identity) -> dict[str, Any]:
    return deps.account_data().import_status(identity, import_id)


@router.route(
    "/me",
    "DELETE",
    summary="Delete your account: signed out and refused at once, everything it owns erased in the background",
    status=202,
    response="chalicelib.domains.account.schemas:ErasureAccepted",
    errors=(409,),
    budget={
        # The membership (left first: refused for a business's last admin), then the profile.
        "dynamodb.GetItem": 1,
        "dynamodb.DeleteItem": 1,
        # The erasure, queued: flat in the size of the account (it was ~1,215 calls at 10,000 records).
        "sqs.SendMessage": 1,
        "cognito-idp.AdminUserGlobalSignOut": 1,
        "cognito-idp.AdminDeleteUser": 1,
    },
)
def delete_account(identity: Identity) -> dict[str, Any]:
    deps.account_data().delete_account(identity)
    return {"status": "erasing"}

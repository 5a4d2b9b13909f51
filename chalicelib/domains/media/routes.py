from __future__ import annotations

from typing import Any

from chalicelib import deps
from chalicelib.api.router import Router
from chalicelib.identity import Identity

router = Router("media")


@router.route(
    "/media/uploads",
    "POST",
    summary="Start an upload: a pre-signed POST straight to the bucket",
    request="chalicelib.domains.social.schemas:UploadInput",
    response="chalicelib.domains.social.schemas:Upload",
    status=201,
    errors=(400, 413, 415),
    budget={"dynamodb.TransactWriteItems": 1},
)
def start_upload(identity: Identity, body: dict[str, Any]) -> dict[str, Any]:
    return deps.media().start_upload(identity, body)


@router.route(
    "/media/{media_id}/complete",
    "POST",
    summary="Check the uploaded file (size and signature); ready if sound",
    response="chalicelib.domains.social.schemas:Media",
    errors=(404, 422),
    budget={
        "dynamodb.GetItem": 1,
        "s3.HeadObject": 1,
        "s3.GetObject": 1,
        "s3.CopyObject": 1,
        "s3.DeleteObjects": 1,
        "dynamodb.UpdateItem": 1,
    },
)
def complete_upload(identity: Identity, media_id: str) -> dict[str, Any]:
    return deps.media().complete(identity, media_id)


@router.route(
    "/media/{media_id}",
    "GET",
    summary="A pre-signed GET for media you own or can see on a post",
    response="chalicelib.domains.social.schemas:MediaLink",
    errors=(404,),
    budget={"dynamodb.GetItem": 1},
)
def download(identity: Identity, media_id: str) -> dict[str, Any]:
    return deps.media().download(identity, media_id)

from __future__ import annotations

from typing import Any

from chalicelib import deps
from chalicelib.api.router import Router
from chalicelib.identity import ADMIN, COACH, Identity

router = Router("videos")


@router.route(
    "/videos",
    "POST",
    summary="Add a video to your tenant's library, from an mp4 you uploaded and completed",
    request="chalicelib.domains.videos.schemas:VideoInput",
    response="chalicelib.domains.videos.schemas:Video",
    status=201,
    errors=(400, 403, 422),
    # The caller's member item (the router's staff check), the upload, the copy, the write.
    budget={"dynamodb.GetItem": 2, "s3.CopyObject": 1, "dynamodb.TransactWriteItems": 1},
    roles=(ADMIN, COACH),
)
def add_video(identity: Identity, body: dict[str, Any]) -> dict[str, Any]:
    return deps.videos().add(identity, body)


@router.route(
    "/videos",
    "GET",
    summary="Your tenant's videos, newest first, optionally those with a tag",
    query="chalicelib.domains.videos.schemas:VideoQuery",
    response="chalicelib.domains.videos.schemas:VideoPage",
    errors=(400,),
    budget={"dynamodb.Query": 1},
)
def list_videos(identity: Identity, query: dict[str, Any]) -> dict[str, Any]:
    return deps.videos().list(identity, query)


@router.route(
    "/videos/{video_id}",
    "GET",
    summary="One video of your tenant's library",
    response="chalicelib.domains.videos.schemas:Video",
    errors=(404,),
    budget={"dynamodb.GetItem": 1},
)
def get_video(identity: Identity, video_id: str) -> dict[str, Any]:
    return deps.videos().get(identity, video_id)


@router.route(
    "/videos/{video_id}",
    "PATCH",
    summary="Edit a video's title, description or tags (an admin any video, a coach their own)",
    request="chalicelib.domains.videos.schemas:VideoPatch",
    response="chalicelib.domains.videos.schemas:Video",
    errors=(400, 403, 404, 412, 415),
    conditional=True,
    roles=(ADMIN, COACH),
    # The caller's member item (the router's staff check), the video, the video and its pointers.
    budget={"dynamodb.GetItem": 2, "dynamodb.TransactWriteItems": 1},
)
def edit_video(identity: Identity, video_id: str, body: dict[str, Any], expected_version: int | None) -> dict[str, Any]:
    return deps.videos().edit(identity, video_id, body, expected_version)


@router.route(
    "/videos/{video_id}",
    "DELETE",
    summary="Delete a video, its tag entries and its file (an admin any video, a coach their own)",
    status=204,
    errors=(403, 404, 412),
    conditional=True,
    roles=(ADMIN, COACH),
    budget={"dynamodb.GetItem": 2, "dynamodb.TransactWriteItems": 1, "s3.DeleteObject": 1},
)
def delete_video(identity: Identity, video_id: str, expected_version: int | None) -> None:
    deps.videos().delete(identity, video_id, expected_version)


@router.route(
    "/videos/{video_id}/stream",
    "GET",
    summary="A link to watch the video for 5 minutes (pre-signed S3, or signed CloudFront)",
    response="chalicelib.domains.videos.schemas:VideoStream",
    errors=(404,),
    budget={"dynamodb.GetItem": 1},
)
def stream_video(identity: Identity, video_id: str) -> dict[str, Any]:
    return deps.videos().stream(identity, video_id)


@router.route(
    "/videos/{video_id}/progress",
    "PUT",
    summary="Report how far you got; a position behind the stored one changes nothing",
    request="chalicelib.domains.videos.schemas:ProgressInput",
    response="chalicelib.domains.videos.schemas:Progress",
    errors=(400, 404),
    budget={"dynamodb.BatchGetItem": 1, "dynamodb.TransactWriteItems": 1},
)
def report_progress(identity: Identity, video_id: str, body: dict[str, Any]) -> dict[str, Any]:
    return deps.video_progress().report(identity, video_id, body)


@router.route(
    "/videos/{video_id}/progress",
    "GET",
    summary="How far you got in a video (position 0 before your first report)",
    response="chalicelib.domains.videos.schemas:Progress",
    errors=(404,),
    budget={"dynamodb.BatchGetItem": 1},
)
def get_progress(identity: Identity, video_id: str) -> dict[str, Any]:
    return deps.video_progress().get(identity, video_id)


@router.route(
    "/me/video-progress",
    "GET",
    summary="Your progress in every video you watched, most recent first",
    query="chalicelib.domains.videos.schemas:ProgressQuery",
    response="chalicelib.domains.videos.schemas:ProgressPage",
    errors=(400,),
    budget={"dynamodb.Query": 1},
)
def list_progress(identity: Identity, query: dict[str, Any]) -> dict[str, Any]:
    return deps.video_progress().list(identity, query)

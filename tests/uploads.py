"""Uploading through Stride's pre-signed POST, as a browser would."""

from __future__ import annotations

from typing import Any

import requests

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
MP4 = b"\x00\x00\x00\x18ftypmp42" + bytes(range(48))


def upload(
    api: Any,
    user: Any,
    content: bytes = PNG,
    purpose: str = "post",
    content_type: str = "image/png",
    declared: int | None = None,
) -> str:
    """Starts an upload and posts the bytes to S3; answers the media id (not yet completed)."""
    started = api.post(
        "/media/uploads",
        {
            "purpose": purpose,
            "content_type": content_type,
            "size_bytes": declared if declared is not None else len(content),
        },
        token=user.token,
    )
    assert started.status == 201, started.body
    form = started.body["upload"]
    sent = requests.post(form["url"], data=form["fields"], files={"file": ("upload.bin", content)}, timeout=10)
    assert sent.status_code in (200, 201, 204), sent.text
    return started.body["media_id"]


def ready_media(api: Any, user: Any, **kwargs: Any) -> str:
    media_id = upload(api, user, **kwargs)
    completed = api.post(f"/media/{media_id}/complete", token=user.token)
    assert completed.status == 200, completed.body
    return media_id


def ready_video_upload(api: Any, user: Any) -> str:
    """A completed mp4 upload of `user`'s: what POST /videos takes."""
    return ready_media(api, user, content=MP4, purpose="video", content_type="video/mp4")

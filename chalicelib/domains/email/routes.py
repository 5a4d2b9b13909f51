from __future__ import annotations

from typing import Any

from chalicelib import deps
from chalicelib.api.body import Payload
from chalicelib.api.router import Router

router = Router("notifications")
# RFC 8058: the mail provider POSTs this form to the List-Unsubscribe address.
ONE_CLICK_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


@router.route(
    "/unsubscribe",
    "GET",
    summary="Turn off the one kind of e-mail a link names (the link in every e-mail; no sign-in)",
    public=True,
    query="chalicelib.domains.email.schemas:UnsubscribeQuery",
    response="chalicelib.domains.email.schemas:Unsubscribed",
    errors=(400,),
    budget={"dynamodb.TransactWriteItems": 1},
)
def unsubscribe(query: dict[str, Any]) -> dict[str, Any]:
    return deps.reminders().unsubscribe(query["token"])


@router.route(
    "/unsubscribe",
    "POST",
    summary="One-click unsubscribe (RFC 8058): what mail providers call for the e-mail's List-Unsubscribe header",
    public=True,
    query="chalicelib.domains.email.schemas:UnsubscribeQuery",
    response="chalicelib.domains.email.schemas:Unsubscribed",
    errors=(400, 413, 415),
    raw_body=ONE_CLICK_TYPES,
    raw_shapes=tuple((media_type, "chalicelib.domains.email.schemas:ONE_CLICK_BODY") for media_type in ONE_CLICK_TYPES),
    budget={"dynamodb.TransactWriteItems": 1},
)
def unsubscribe_one_click(query: dict[str, Any], payload: Payload) -> dict[str, Any]:
    # The body only says "List-Unsubscribe=One-Click"; the signed token in the URL decides.
    return deps.reminders().unsubscribe(query["token"])

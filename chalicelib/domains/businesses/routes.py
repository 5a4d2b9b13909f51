from __future__ import annotations

from typing import Any

from chalicelib import deps
from chalicelib.api.router import Router
from chalicelib.identity import ADMIN, COACH, Identity

router = Router("businesses")
COGNITO_UPDATE = "cognito-idp.AdminUpdateUserAttributes"
COGNITO_READ = "cognito-idp.AdminGetUser"


@router.route(
    "/businesses",
    "POST",
    summary="Found a business (you become its admin) or, as a chain's admin, add a location to it",
    request="chalicelib.domains.businesses.schemas:BusinessInput",
    response="chalicelib.domains.businesses.schemas:CreatedBusiness",
    status=201,
    errors=(403, 404, 409),
    # Whether the founder signs in with two steps (kept on their member item for the staff check).
    budget={"dynamodb.TransactWriteItems": 1, COGNITO_UPDATE: 1, COGNITO_READ: 1},
)
def create_business(identity: Identity, body: dict[str, Any]) -> dict[str, Any]:
    return deps.businesses().create(identity, body)


@router.route(
    "/businesses/{business_id}",
    "GET",
    summary="Your business",
    response="chalicelib.domains.businesses.schemas:Business",
    business_param="business_id",
    budget={"dynamodb.GetItem": 1},
)
def get_business(business_id: str, identity: Identity) -> dict[str, Any]:
    return deps.businesses().get(identity, business_id)


@router.route(
    "/businesses/{business_id}/invites",
    "POST",
    summary=(
        "Invite someone by e-mail, with a role (a code valid for 7 days, used once); with send_email, "
        "the code is e-mailed too, as a link to the web app's join screen (email_status says whether it went)"
    ),
    request="chalicelib.domains.businesses.schemas:InviteInput",
    response="chalicelib.domains.businesses.schemas:Invite",
    status=201,
    roles=(ADMIN,),
    business_param="business_id",
    budget={"dynamodb.GetItem": 1, "dynamodb.TransactWriteItems": 1},
)
def invite(business_id: str, identity: Identity, body: dict[str, Any]) -> dict[str, Any]:
    return deps.businesses().invite(identity, business_id, body)


@router.route(
    "/businesses/{business_id}/invites",
    "GET",
    summary="The business's pending invitations (not used, revoked or expired), newest first",
    query="chalicelib.domains.businesses.schemas:InviteQuery",
    response="chalicelib.domains.businesses.schemas:PendingInvitePage",
    errors=(400,),
    roles=(ADMIN,),
    business_param="business_id",
    budget={"dynamodb.GetItem": 1, "dynamodb.Query": 1},
)
def list_invites(business_id: str, identity: Identity, query: dict[str, Any]) -> dict[str, Any]:
    return deps.businesses().pending_invites(identity, business_id, query)


@router.route(
    "/businesses/{business_id}/invites/{invite_id}",
    "DELETE",
    summary="Revoke a pending invitation: its code stops working (used, revoked or unknown: 404)",
    status=204,
    errors=(404,),
    roles=(ADMIN,),
    business_param="business_id",
    budget={"dynamodb.GetItem": 2, "dynamodb.TransactWriteItems": 1},
)
def revoke_invite(business_id: str, invite_id: str, identity: Identity) -> None:
    deps.businesses().revoke_invite(identity, business_id, invite_id)


@router.route(
    "/invites/{code}/accept",
    "POST",
    summary="Join the business that invited you (takes effect at your next token refresh)",
    response="chalicelib.domains.businesses.schemas:Membership",
    errors=(403, 404, 409),
    budget={"dynamodb.GetItem": 1, "dynamodb.TransactWriteItems": 1, COGNITO_UPDATE: 1, COGNITO_READ: 1},
)
def accept_invite(code: str, identity: Identity) -> dict[str, Any]:
    return deps.businesses().accept(identity, code)


@router.route(
    "/businesses/{business_id}/members",
    "GET",
    summary="The business's members (staff whose member item still says coach or admin)",
    response="chalicelib.domains.businesses.schemas:MemberPage",
    query="chalicelib.domains.businesses.schemas:MemberQuery",
    errors=(400,),
    roles=(ADMIN, COACH),
    business_param="business_id",
    # The staff check, the page, and the page's display names in one BatchGetItem.
    budget={"dynamodb.GetItem": 1, "dynamodb.Query": 1, "dynamodb.BatchGetItem": 1},
)
def list_members(business_id: str, identity: Identity, query: dict[str, Any]) -> dict[str, Any]:
    return deps.businesses().members(identity, business_id, query)


@router.route(
    "/businesses/{business_id}/members/{user_id}",
    "PATCH",
    summary="Change a member's role (a business keeps at least one admin)",
    request="chalicelib.domains.businesses.schemas:RoleInput",
    response="chalicelib.domains.businesses.schemas:Member",
    errors=(404, 409),
    roles=(ADMIN,),
    business_param="business_id",
    # The caller's member item (the router's staff check), the member's, the change, their name.
    budget={"dynamodb.GetItem": 2, "dynamodb.TransactWriteItems": 1, COGNITO_UPDATE: 1, "dynamodb.BatchGetItem": 1},
)
def change_role(business_id: str, user_id: str, identity: Identity, body: dict[str, Any]) -> dict[str, Any]:
    return deps.businesses().change_role(identity, business_id, user_id, body["role"])


@router.route(
    "/businesses/{business_id}/members/{user_id}",
    "DELETE",
    summary="Remove a member (they keep their account and their own data)",
    status=204,
    errors=(404, 409),
    roles=(ADMIN,),
    business_param="business_id",
    # The caller's member item (the router's staff check), the member's, the change.
    budget={"dynamodb.GetItem": 2, "dynamodb.TransactWriteItems": 1, COGNITO_UPDATE: 1},
)
def remove_member(business_id: str, user_id: str, identity: Identity) -> None:
    deps.businesses().remove(identity, business_id, user_id)

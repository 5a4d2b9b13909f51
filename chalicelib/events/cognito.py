"""The user pool's trigger: an account made straight in Cognito (Amplify's signUp, the Hosted UI,
an administrator) gets what `POST /auth/signup` gives, through the same service.

One function serves three trigger sources of the pool:
- pre sign-up: an invitation passed as client metadata (`invite_code`) that cannot be used refuses
  the sign-up, as `POST /auth/signup` does, before the account exists; a usable one is held for
  the confirmation (Cognito hands sign-up's metadata to pre sign-up only);
- post confirmation: the new account gets its personal tenant (or, when its address is verified,
  the invitation's business, from the confirmation's client metadata or the one its sign-up
  held), role and profile (its preferences in the zone of its `zoneinfo` attribute, when valid);
- pre token generation: an account still without a tenant (made before this trigger, by an
  administrator, or whose confirmation step failed) is settled at sign-in, and the token being
  issued already carries the claims.
Each step is skipped when the account has a tenant, so a retried or repeated trigger changes nothing.
"""

from __future__ import annotations

import json
import logging
import os
from typing import Any

from chalice import Blueprint

from chalicelib import deps
from chalicelib.errors import StrideError
from chalicelib.identity import TENANT_CLAIM

blueprint = Blueprint(__name__)
logger = logging.getLogger(__name__)
INVITE_METADATA = "invite_code"


def _adopt_user_pool(event: dict[str, Any]) -> None:
    """The pool names this function, so the function's environment cannot name the pool (that is a
    circular dependency in the template); the event names it instead."""
    os.environ.setdefault("USER_POOL_ID", event["userPoolId"])
    os.environ.setdefault("APP_CLIENT_IDS", (event.get("callerContext") or {}).get("clientId") or "none")


def _invite_code(event: dict[str, Any]) -> str | None:
    return ((event.get("request") or {}).get("clientMetadata") or {}).get(INVITE_METADATA) or None


def _settle(event: dict[str, Any], invite_code: str | None, held_invite: bool) -> dict[str, Any] | None:
    attributes = event["request"]["userAttributes"]
    if attributes.get(TENANT_CLAIM):
        return None
    # Lower-cased as the API takes e-mail addresses (invitations name them so).
    email, name = attributes.get("email", "").lower(), attributes.get("name", "")
    zone = _zone(attributes.get("zoneinfo"))
    return deps.auth().provision(attributes["sub"], email, name, invite_code, held_invite=held_invite, timezone=zone)


def _zone(zoneinfo: str | None) -> str | None:
    """Cognito's standard `zoneinfo` attribute (Amplify's sign-up sends the browser's zone), when it
    names a zone Stride knows; Cognito checks nothing, so anything else leaves the default (UTC)
    rather than refusing an account that is already confirmed."""
    if not zoneinfo:
        return None
    # Here, not at the top: the app's import (every cold start) loads no schema and no marshmallow.
    from marshmallow import ValidationError

    from chalicelib.schemas.common import validate_timezone

    try:
        validate_timezone(zoneinfo)
    except ValidationError:
        logger.warning(json.dumps({"message": "cognito_zoneinfo_ignored"}))
        return None
    return zoneinfo


@blueprint.lambda_function(name="cognito_trigger")
def cognito_trigger(event: dict[str, Any], context: Any) -> dict[str, Any]:
    _adopt_user_pool(event)
    source = event.get("triggerSource", "")
    try:
        if source == "PreSignUp_SignUp" and (code := _invite_code(event)):
            deps.auth().hold_invite(event["request"]["userAttributes"].get("email", "").lower(), code)
        elif source == "PostConfirmation_ConfirmSignUp":
            # An invitation is for a verified address: confirming with the e-mailed code verifies
            # it; an administrator's confirmation does not, and the account joins nothing (it can
            # accept the invitation once its address is verified).
            verified = event["request"]["userAttributes"].get("email_verified") == "true"
            _settle(event, _invite_code(event) if verified else None, held_invite=verified)
        elif source.startswith("TokenGeneration_") and (claims := _settle(event, None, held_invite=False)):
            event["response"]["claimsOverrideDetails"] = {"claimsToAddOrOverride": claims}
    except StrideError as error:
        # Cognito shows the message to the caller ("PreSignUp failed with error <message>").
        logger.warning(json.dumps({"message": "cognito_trigger_refused", "source": source, "code": error.code}))
        raise
    return event

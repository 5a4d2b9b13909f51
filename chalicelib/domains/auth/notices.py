"""Telling a person that the way they sign in changed: two-step sign-in on, off or replaced, the
password, the e-mail address. The changes come as the CloudTrail events Cognito records (through
an EventBridge rule, `chalicelib/events/sign_in.py`), so a change made straight through Cognito's
own API with a person's access token (Amplify's `updateMFAPreference`, `updatePassword`,
`updateUserAttributes`) is told as one made through Stride's routes is: Stride's routes call the
same Cognito operations.

What an event is read for (CloudTrail hides tokens, passwords and attribute values):
- `eventName`, and `errorCode` (a refused call changed nothing: no e-mail);
- whose account: `additionalEventData.sub`, else `requestParameters.username` (admin calls);
- `requestParameters.softwareTokenMfaSettings.enabled` and `requestParameters.userAttributes[].name`
  when present; otherwise the account's state now, read from Cognito.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from chalicelib.adapters.ses_mailer import Mail, MailRejected
from chalicelib.domains.auth.changes import ATTRIBUTES, MFA_PREFERENCE, PASSWORD, SIGN_IN_CHANGES

if TYPE_CHECKING:
    from chalicelib.adapters.cognito_users import CognitoUsers
    from chalicelib.adapters.ses_mailer import SesMailer

log = logging.getLogger(__name__)


_HELP = (
    "If this was you, there is nothing to do. If it was not, reset your password now "
    '("Forgot password" on the sign-in screen) and turn two-step sign-in on again: '
    "someone else may have your password or a signed-in device."
)


@dataclass(frozen=True)
class Notice:
    kind: str
    subject: str
    text: str


NOTICES = {
    "two_step_on": Notice(
        "two_step_on", "Two-step sign-in is on", "Two-step sign-in was turned on for your Stride account."
    ),
    "two_step_off": Notice(
        "two_step_off", "Two-step sign-in was turned off", "Two-step sign-in was turned off for your Stride account."
    ),
    "authenticator_set_up": Notice(
        "authenticator_set_up",
        "An authenticator app was set up for two-step sign-in",
        "An authenticator app was set up for two-step sign-in to your Stride account. Signing in now asks for "
        "its codes; if two-step sign-in was on with another app, that app no longer works.",
    ),
    "password_changed": Notice(
        "password_changed", "Your password was changed", "The password of your Stride account was changed."
    ),
    "email_change_asked": Notice(
        "email_change_asked",
        "A change of your e-mail address was asked for",
        "Someone signed in to your Stride account asked to change its e-mail address (or its details). "
        "The new address takes effect once it is confirmed with the code sent to it.",
    ),
    "email_changed": Notice(
        "email_changed",
        "Your e-mail address was changed",
        "This is now the e-mail address of your Stride account: you sign in with it.",
    ),
}


def _who(detail: dict[str, Any]) -> str | None:
    extra = detail.get("additionalEventData") or {}
    parameters = detail.get("requestParameters") or {}
    for candidate in (extra.get("sub"), parameters.get("username")):
        if isinstance(candidate, str) and candidate and not candidate.startswith("HIDDEN"):
            return candidate
    return None


def _attribute_names(parameters: dict[str, Any]) -> set[str] | None:
    attributes = parameters.get("userAttributes")
    if not isinstance(attributes, list):
        return None  # hidden: which attributes changed is unknown
    return {str(item.get("name")) for item in attributes if isinstance(item, dict)}


class SignInNotices:
    """Sends the owner of an account one e-mail per change to how they sign in."""

    def __init__(
        self,
        users: CognitoUsers,
        mailer: SesMailer,
        user_pool_id: str,
        two_step_changed: Callable[[str, bool], None] | None = None,
    ):
        self._users = users
        self._mailer = mailer
        self._pool = user_pool_id
        # Keeps the staff flag (businesses' member item) equal to Cognito's state, for a change
        # made straight through Cognito's API (Amplify, an operator) as for one made by Stride.
        self._two_step_changed = two_step_changed

    def on_cloudtrail(self, detail: dict[str, Any]) -> str | None:
        """The kind of e-mail sent for a CloudTrail event's detail, or None when it told nothing."""
        name = detail.get("eventName", "")
        if name not in SIGN_IN_CHANGES or detail.get("errorCode"):
            return None
        pool = (detail.get("additionalEventData") or {}).get("userPoolId") or (
            detail.get("requestParameters") or {}
        ).get("userPoolId")
        user_id = _who(detail)
        if (pool and pool != self._pool) or not user_id:
            return None
        names = _attribute_names(detail.get("requestParameters") or {})
        if name in ATTRIBUTES and names is not None and "email" not in names:
            return None  # a name or Stride's own tenancy attributes: not how the person signs in
        account = self._users.account(user_id)
        if account is None:  # deleted since: nobody to tell
            return None
        email, totp_on, sub = account
        if self._two_step_changed is not None and name in MFA_PREFERENCE:
            # Cognito's state now, read after the change (VerifySoftwareToken alone turns nothing on:
            # read then, it could undo the flag a confirmation just wrote).
            self._two_step_changed(sub, totp_on)
        kind = self._kind(name, detail.get("requestParameters") or {}, totp_on)
        if kind is None:
            return None
        notice = NOTICES[kind]
        try:
            self._mailer.send(Mail(to=email, subject=notice.subject, text=f"{notice.text}\n\n{_HELP}\n"))
        except MailRejected:
            log.warning("sign_in_notice_rejected kind=%s", kind)  # the address: nothing a retry changes
        return kind

    @staticmethod
    def _kind(name: str, parameters: dict[str, Any], totp_on: bool) -> str | None:
        if name in MFA_PREFERENCE:
            asked = (parameters.get("softwareTokenMfaSettings") or {}).get("enabled")
            if asked is True:
                return None  # on needs a confirmed secret, and confirming one was told (VerifySoftwareToken)
            if asked is False:
                return "two_step_off"
            return "two_step_on" if totp_on else "two_step_off"  # the request hidden: the state now
        if name == "VerifySoftwareToken":
            # Whether the enrolment is new or replaces an app, and in whatever order the events come.
            return "authenticator_set_up"
        if name in PASSWORD:
            return "password_changed"
        if name == "VerifyUserAttribute":
            return "email_changed" if parameters.get("attributeName") in (None, "email") else None
        names = _attribute_names(parameters)
        if names is None:
            # Stride's own tenancy writes are admin calls: a hidden list there is not told.
            return "email_change_asked" if name == "UpdateUserAttributes" else None
        return "email_change_asked" if "email" in names else None

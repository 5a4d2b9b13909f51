"""The local Cognito's e-mail addresses, as the deployed pool treats them (infra/stride.json).

moto writes a changed e-mail at once, unverified but looking verified (`email_verified` stays as it
was), so a person could take an address they do not own, and an invitation sent to it; it then
cannot find the user a refresh token names (it was issued under the old address: a 503). moto
also compares addresses exactly, while the pool's UsernameConfiguration is not CaseSensitive.

Here, as Cognito does with the pool's settings:
- confirming a sign-up with the code sent by e-mail verifies the address (AutoVerifiedAttributes);
- with `email` in UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate (Stride's
  pool), a changed address waits: the old one stays, still verified, until the code sent to the
  new one is given to VerifyUserAttribute; without that setting the new address is written with
  `email_verified` false until then. An administrator's update that sets `email_verified` true
  writes the address at once;
- the code goes to the new address through the local SES: `GET /dev/outbox?to=<address>` shows
  it. A code lasts 24 hours; 5 wrong codes discard it (ask for another with
  GetUserAttributeVerificationCode);
- an address is another user's whatever its case (AliasExistsException), and tokens issued under
  the old address keep working, refresh included.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from moto.core import DEFAULT_ACCOUNT_ID

CODE_SECONDS = 24 * 3600
MAX_WRONG_CODES = 5
# The sender of Cognito's own messages (EmailSendingAccount COGNITO_DEFAULT).
SENDER = "no-reply@verificationemail.com"


class EmailCodeError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def case_insensitive(pool: Any) -> bool:
    """The pool's UsernameConfiguration: Cognito's default (and infra/stride.json's) is False."""
    return not (pool.extended_config.get("UsernameConfiguration") or {}).get("CaseSensitive", False)


def pool_name(pool: Any, name: str | None) -> str | None:
    """A user name or alias (e-mail) as the pool compares it."""
    return name.lower() if name is not None and case_insensitive(pool) else name


def verifies_before_update(pool: Any) -> bool:
    settings = pool.extended_config.get("UserAttributeUpdateSettings") or {}
    return "email" in (settings.get("AttributesRequireVerificationBeforeUpdate") or ())


@dataclass
class PendingEmail:
    address: str
    code: str
    expires: float
    wrong: int = 0


def _value(attributes: list[dict[str, str]], name: str) -> str | None:
    return next((item.get("Value", "") for item in attributes if item.get("Name") == name), None)


def _masked(address: str) -> str:
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain[:1]}***"


class EmailVerification:
    """Pending addresses and their codes, per user (`pool id/sub`). Called with moto's lock held."""

    def __init__(self, region: str, clock: Callable[[], float] = time.time):
        self._region = region
        self._clock = clock
        self._pending: dict[str, PendingEmail] = {}

    def confirmed_sign_up(self, pool: Any, username: str) -> None:
        """A sign-up confirmed with the code e-mailed to it: its address is verified."""
        user = pool._get_user(username)
        if user is not None and "email" in (pool.extended_config.get("AutoVerifiedAttributes") or ()):
            user.update_attributes([{"Name": "email_verified", "Value": "true"}])

    def update(
        self, pool: Any, user: Any, attributes: list[dict[str, str]], *, admin: bool
    ) -> tuple[list[dict[str, str]], dict[str, str] | None]:
        """An update that names `email`: what to write now, and the code's delivery details."""
        new = _value(attributes, "email") or ""
        current = user.attribute_lookup.get("email")
        rest = [item for item in attributes if item.get("Name") not in ("email", "email_verified")]
        if pool_name(pool, new) == pool_name(pool, current):
            return attributes, None  # the same address (another case at most): nothing to verify
        self._check_free(pool, user, new)
        if admin and (_value(attributes, "email_verified") or "").lower() == "true":
            self._keep_tokens_working(pool, user)
            return attributes, None
        delivery = self._send_code(pool, user, new)
        if verifies_before_update(pool):
            return rest, delivery  # the old address stays, verified, until the code comes back
        self._keep_tokens_working(pool, user)
        return [*rest, {"Name": "email", "Value": new}, {"Name": "email_verified", "Value": "false"}], delivery

    def send_code(self, pool: Any, user: Any) -> dict[str, str]:
        """GetUserAttributeVerificationCode: a new code for the pending address, or the current one."""
        pending = self._pending.get(self._key(pool, user))
        return self._send_code(pool, user, pending.address if pending else user.attribute_lookup.get("email", ""))

    def verify(self, pool: Any, user: Any, code: str) -> None:
        """VerifyUserAttribute for `email`: the pending address becomes the verified one."""
        key = self._key(pool, user)
        pending = self._pending.get(key)
        if pending is None:
            raise EmailCodeError("CodeMismatchException", "Invalid code provided, please request a code again.")
        if pending.expires <= self._clock():
            self._pending.pop(key, None)
            raise EmailCodeError("ExpiredCodeException", "Invalid code provided, please request a code again.")
        if not secrets.compare_digest(pending.code, code or ""):
            pending.wrong += 1
            if pending.wrong >= MAX_WRONG_CODES:
                self._pending.pop(key, None)
                raise EmailCodeError("LimitExceededException", "Attempt limit exceeded, please try after some time.")
            raise EmailCodeError("CodeMismatchException", "Invalid verification code provided, please try again.")
        self._check_free(pool, user, pending.address)
        self._pending.pop(key, None)
        self._keep_tokens_working(pool, user)
        verified = [{"Name": "email", "Value": pending.address}, {"Name": "email_verified", "Value": "true"}]
        user.update_attributes(verified)

    def _key(self, pool: Any, user: Any) -> str:
        return f"{pool.id}/{user.id}"

    def _check_free(self, pool: Any, user: Any, address: str) -> None:
        wanted = pool_name(pool, address)
        for other in pool.users.values():
            if other is not user and pool_name(pool, other.attribute_lookup.get("email")) == wanted:
                raise EmailCodeError("AliasExistsException", "An account with the given email already exists.")

    def _keep_tokens_working(self, pool: Any, user: Any) -> None:
        """moto finds a token's user by the name it signed in with: tokens issued under the old
        address would name no one once it changes. They name the user's own id instead."""
        old = pool_name(pool, user.attribute_lookup.get("email"))

        def renamed(name: str) -> str:
            return user.username if pool_name(pool, name) == old else name

        for token, owner in list(pool.refresh_tokens.items()):
            if owner is not None:
                pool.refresh_tokens[token] = (owner[0], renamed(owner[1]), *owner[2:])
        for tokens in (pool.access_tokens, pool.id_tokens):
            for token, (client_id, name) in list(tokens.items()):
                tokens[token] = (client_id, renamed(name))

    def _send_code(self, pool: Any, user: Any, address: str) -> dict[str, str]:
        code = f"{secrets.randbelow(1_000_000):06d}"
        self._pending[self._key(pool, user)] = PendingEmail(address, code, self._clock() + CODE_SECONDS)
        self._deliver(address, code)
        return {"Destination": _masked(address), "DeliveryMedium": "EMAIL", "AttributeName": "email"}

    def _deliver(self, address: str, code: str) -> None:
        """Into the local SES's sent messages, where GET /dev/outbox reads them."""
        from moto.ses.models import RawMessage, ses_backends
        from moto.ses.utils import get_random_message_id

        message = EmailMessage()
        message["From"], message["To"] = SENDER, address
        message["Subject"] = "Your verification code"
        message["Date"], message["Message-ID"] = formatdate(usegmt=True), make_msgid()
        message.set_content(f"Your verification code is {code}")
        backend = ses_backends[DEFAULT_ACCOUNT_ID][self._region]
        backend.sent_messages.append(RawMessage(get_random_message_id(), SENDER, [address], message.as_string()))

"""Amazon SES: one raw message per send, so the message carries the one-click unsubscribe
headers (RFC 8058) that mail providers show as an "Unsubscribe" button.

Every send names the stage's SES configuration set (SES_CONFIGURATION_SET): its bounce and complaint
events reach Stride's handler (chalicelib/events/email_feedback.py) and its reputation metrics feed
the alarms. An address on Stride's suppression list (a hard bounce, a complaint) is refused here,
before SES is asked, as the configuration set's own suppression refuses it deployed."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

if TYPE_CHECKING:
    from email.policy import EmailPolicy


@functools.cache
def _policy() -> EmailPolicy[EmailMessage]:
    """Header lines up to RFC 5322's limit: a long unsubscribe link must stay one readable line,
    not be folded into encoded words that mail providers do not parse as a List-Unsubscribe URL.
    Built on the first message: email.policy (its header registry and parser, ~4 ms) is imported by
    nothing else a request needs, and the export and import meet this module through the e-mail
    domain's records without sending anything."""
    from email.policy import SMTP

    return SMTP.clone(max_line_length=998)


# SES refuses these for good: trying again changes nothing.
_PERMANENT = {"MessageRejected", "MailFromDomainNotVerifiedException", "InvalidParameterValue"}


class MailRejected(Exception):
    """SES will not send this message (the address, the content): do not retry it."""


class MailUnavailable(Exception):
    """SES did not take the message this time (throttled, unreachable): a later try may."""


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str
    # Empty for a message a person cannot opt out of (a notice that their sign-in changed).
    unsubscribe_url: str = ""


SUPPRESSED = "Suppressed"


class SesMailer:
    def __init__(
        self,
        client: Any,
        sender: str,
        configuration_set: str = "",
        suppressed: Callable[[str], bool] | None = None,
    ):
        self._client = client
        self._sender = sender
        self._configuration_set = configuration_set
        self._suppressed = suppressed

    def render(self, mail: Mail) -> bytes:
        message = EmailMessage(policy=_policy())
        message["From"] = self._sender
        message["To"] = mail.to
        message["Subject"] = mail.subject
        message["Date"] = formatdate(usegmt=True)
        message["Message-ID"] = make_msgid(domain=self._sender.rpartition("@")[2].rstrip(">") or None)
        if mail.unsubscribe_url:
            message["List-Unsubscribe"] = f"<{mail.unsubscribe_url}>"
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message.set_content(mail.text)
        return message.as_bytes()

    def send(self, mail: Mail) -> str:
        """The message id SES gave the message. MailRejected("Suppressed"): the address bounced for
        good or complained, and gets no more mail."""
        if self._suppressed is not None and self._suppressed(mail.to):
            raise MailRejected(SUPPRESSED)
        extra = {"ConfigurationSetName": self._configuration_set} if self._configuration_set else {}
        try:
            response = self._client.send_raw_email(RawMessage={"Data": self.render(mail)}, **extra)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in _PERMANENT:
                raise MailRejected(code) from exc
            raise MailUnavailable(code) from exc
        except BotoCoreError as exc:
            raise MailUnavailable(type(exc).__name__) from exc
        return str(response["MessageId"])

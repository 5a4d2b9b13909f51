"""An invitation e-mailed through a mailer that fails: the invitation stands, the answer says why
no mail went (the paths moto's SES does not take)."""

import pytest

from chalicelib.adapters.ses_mailer import SUPPRESSED, MailRejected, MailUnavailable
from chalicelib.domains.businesses.service import BusinessService
from chalicelib.identity import Identity

ADMIN = Identity(user_id="u-1", email="admin@example.com", tenant_id="01KBUSINESSAAAAAAAAAAAAAAA", role="admin")
NOW = "2026-03-01T10:00:00.000Z"


class Store:
    def __init__(self):
        self.invites = []

    def put_invite(self, hashed, invite, actor_id, pending):
        self.invites.append((hashed, invite, pending))

    def get(self, business_id):
        return {"id": business_id, "name": "Riverside Gym"}


def _service(store, mail, web_origin="https://app.example.com"):
    return BusinessService(store, users=None, cursors=lambda: None, clock=lambda: NOW, mail=mail, web_origin=web_origin)


def _raising(error):
    def send(message):
        raise error

    return send


@pytest.mark.parametrize(
    ("mail", "status"),
    [
        (_raising(MailRejected(SUPPRESSED)), "suppressed"),
        (_raising(MailRejected("MessageRejected")), "rejected"),
        (_raising(MailUnavailable("Throttling")), "failed"),
    ],
)
def test_a_mail_that_does_not_go_leaves_the_invitation_standing(mail, status):
    store = Store()
    answer = _service(store, mail).invite(
        ADMIN, ADMIN.tenant_id, {"email": "a@example.com", "role": "member", "send_email": True}
    )
    assert answer["email_status"] == status and answer["code"]
    [(_, invite, pending)] = store.invites
    assert pending["id"] == invite["id"] == answer["id"] and answer["code"] not in str(pending)


def test_without_a_web_origin_nothing_is_sent():
    sent = []
    service = _service(Store(), sent.append, web_origin="")
    answer = service.invite(ADMIN, ADMIN.tenant_id, {"email": "a@example.com", "role": "member", "send_email": True})
    assert answer["email_status"] == "not_configured" and sent == []


def test_the_link_opens_the_join_screen_with_the_code():
    sent = []
    service = _service(Store(), lambda message: sent.append(message) or "id-1")
    answer = service.invite(ADMIN, ADMIN.tenant_id, {"email": "a@example.com", "role": "coach", "send_email": True})
    [message] = sent
    assert answer["email_status"] == "sent" and message.to == "a@example.com"
    assert f"https://app.example.com/business?invite={answer['code']}" in message.text
    assert message.unsubscribe_url == ""

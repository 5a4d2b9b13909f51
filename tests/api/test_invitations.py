"""Invitations by e-mail (a link to the web app's join screen, never to a suppressed address) and
the business's list of pending invitations, which admins see and revoke."""

from __future__ import annotations

import email
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest

from chalicelib import clock
from chalicelib.domains.businesses.service import invite_hash
from chalicelib.domains.businesses.store import BusinessStore
from chalicelib.domains.email.suppression_store import SuppressionStore
from chalicelib.errors import NotFound
from tests.api.test_emails import outbox
from tests.businesses import found_business, invite, join
from tests.conftest import LOCAL_TABLE


def invitations(api, admin, business_id, query=""):
    answer = api.get(f"/businesses/{business_id}/invites{query}", token=admin.token)
    assert answer.status == 200, answer.body
    return answer.body


def emailed(api, admin, business_id, address, role="member"):
    body = {"email": address, "role": role, "send_email": True}
    answer = api.post(f"/businesses/{business_id}/invites", body, token=admin.token)
    assert answer.status == 201, answer.body
    return answer.body


def mails_to(address):
    return [email.message_from_string(sent.raw_data) for sent in outbox() if address in sent.destinations]


def revoke(api, admin, business_id, invite_id):
    return api.request("DELETE", f"/businesses/{business_id}/invites/{invite_id}", token=admin.token)


# Sending


def test_an_emailed_invitation_links_to_the_join_screen_with_its_code(api, users, user):
    business_id = found_business(api, user, "Riverside Gym")
    person = users.create()
    sent = emailed(api, user, business_id, person.email, "coach")
    assert sent["email_status"] == "sent"
    [mail] = mails_to(person.email)
    assert mail["Subject"] == "You are invited to Riverside Gym on Stride"
    assert mail["List-Unsubscribe"] is None  # an invitation is not a mailing one unsubscribes from
    text = mail.get_payload(decode=True).decode()
    [link] = [word for word in text.split() if word.startswith("http")]
    parsed = urlparse(link)
    assert parsed.path == "/business" and parse_qs(parsed.query) == {"invite": [sent["code"]]}
    assert "as a coach" in text
    accepted = api.post(f"/invites/{parse_qs(parsed.query)['invite'][0]}/accept", token=person.token)
    assert accepted.status == 200 and accepted.body["role"] == "coach"


def test_an_invitation_is_emailed_only_when_asked(api, users, user):
    business_id = found_business(api, user)
    person = users.create()
    answer = api.post(f"/businesses/{business_id}/invites", {"email": person.email, "role": "member"}, token=user.token)
    assert answer.body["email_status"] == "not_requested"
    assert mails_to(person.email) == []


def test_a_suppressed_address_gets_no_invitation_mail_but_the_invitation_stands(api, users, user, local_aws):
    business_id = found_business(api, user)
    person = users.create()
    SuppressionStore(local_aws.client("dynamodb"), LOCAL_TABLE).add(person.email, "bounce", clock.utc_now())
    sent = emailed(api, user, business_id, person.email)
    assert sent["email_status"] == "suppressed"
    assert mails_to(person.email) == []
    assert [item["id"] for item in invitations(api, user, business_id)["items"]] == [sent["id"]]


@pytest.mark.parametrize("send_email", ["yes", 1, None])
def test_a_malformed_send_email_is_400(api, user, send_email):
    business_id = found_business(api, user)
    body = {"email": "someone@example.com", "role": "member", "send_email": send_email}
    answer = api.post(f"/businesses/{business_id}/invites", body, token=user.token)
    assert answer.status == 400 and "send_email" in answer.body["error"]["details"]


# The pending list


def test_pending_invitations_are_listed_newest_first_and_page_with_a_cursor(api, users, user):
    business_id = found_business(api, user)
    made = [invite_answer(api, user, business_id, f"p{index}@example.com") for index in range(3)]
    listed = invitations(api, user, business_id)
    assert [item["id"] for item in listed["items"]] == [item["id"] for item in reversed(made)]
    first = listed["items"][0]
    assert set(first) == {"id", "email", "role", "invited_by", "created_at", "expires_at"}
    assert first["email"] == "p2@example.com" and first["invited_by"] == user.user_id
    assert "code" not in str(listed)
    page = invitations(api, user, business_id, "?limit=2")
    rest = invitations(api, user, business_id, f"?limit=2&cursor={page['next_cursor']}")
    assert [item["id"] for item in page["items"] + rest["items"]] == [item["id"] for item in reversed(made)]
    assert api.get(f"/businesses/{business_id}/invites?limit=0", token=user.token).status == 400


def invite_answer(api, admin, business_id, address, role="member"):
    answer = api.post(f"/businesses/{business_id}/invites", {"email": address, "role": role}, token=admin.token)
    assert answer.status == 201, answer.body
    return answer.body


def test_an_accepted_or_expired_invitation_is_no_longer_pending(api, users, user):
    business_id = found_business(api, user)
    person = users.create()
    accepted = invite_answer(api, user, business_id, person.email)
    waiting = invite_answer(api, user, business_id, "later@example.com")
    assert api.post(f"/invites/{accepted['code']}/accept", token=person.token).status == 200
    assert [item["id"] for item in invitations(api, user, business_id)["items"]] == [waiting["id"]]
    with clock.travel_by(timedelta(days=7, minutes=1)):
        assert invitations(api, user, business_id)["items"] == []


def test_a_revoked_invitation_cannot_be_accepted_and_is_not_listed(api, users, user):
    business_id = found_business(api, user)
    person = users.create()
    made = invite_answer(api, user, business_id, person.email)
    answer = revoke(api, user, business_id, made["id"])
    assert answer.status == 204, answer.body
    assert invitations(api, user, business_id)["items"] == []
    refused = api.post(f"/invites/{made['code']}/accept", token=person.token)
    assert refused.status == 404, refused.body
    again = revoke(api, user, business_id, made["id"])
    assert again.status == 404 and again.body["error"]["code"] == "not_found"


def test_an_accepted_invitation_cannot_be_revoked_and_the_member_stays(api, users, user):
    business_id = found_business(api, user)
    person = users.create()
    made = invite_answer(api, user, business_id, person.email)
    assert api.post(f"/invites/{made['code']}/accept", token=person.token).status == 200
    assert revoke(api, user, business_id, made["id"]).status == 404
    members = api.get(f"/businesses/{business_id}/members", token=user.token).body["items"]
    assert person.user_id in [member["user_id"] for member in members]


def test_the_store_refuses_to_revoke_an_invitation_accepted_meanwhile(api, users, user, local_aws):
    # The admin read the pending entry, then the person accepted: the revocation's conditions fail.
    business_id = found_business(api, user)
    person = users.create()
    made = invite_answer(api, user, business_id, person.email)
    store = BusinessStore(local_aws.client("dynamodb"), LOCAL_TABLE)
    assert store.get_pending_invite(business_id, made["id"]) is not None
    assert api.post(f"/invites/{made['code']}/accept", token=person.token).status == 200
    with pytest.raises(NotFound):
        store.revoke_invite(business_id, made["id"], invite_hash(made["code"]), user.user_id)


@pytest.mark.parametrize("invite_id", ["nope", "01KAAAAAAAAAAAAAAAAAAAAAAA", "01kaaaaaaaaaaaaaaaaaaaaaaa"])
def test_an_unknown_invitation_is_404(api, user, invite_id):
    business_id = found_business(api, user)
    assert revoke(api, user, business_id, invite_id).status == 404


def test_another_business_neither_sees_nor_revokes_the_invitations(api, users, user, other_user):
    mine = found_business(api, user)
    theirs = found_business(api, other_user)
    made = invite_answer(api, user, mine, "someone@example.com")
    assert api.get(f"/businesses/{mine}/invites", token=other_user.token).status == 404
    assert revoke(api, other_user, mine, made["id"]).status == 404
    assert revoke(api, other_user, theirs, made["id"]).status == 404  # their own business: no such entry
    assert [item["id"] for item in invitations(api, user, mine)["items"]] == [made["id"]]


@pytest.mark.parametrize("role", ["coach", "member"])
def test_only_admins_see_and_revoke_invitations(api, users, user, role):
    business_id = found_business(api, user)
    made = invite_answer(api, user, business_id, "someone@example.com")
    staff = join(api, users, user, business_id, role)
    assert api.get(f"/businesses/{business_id}/invites", token=staff.token).status == 403
    assert revoke(api, staff, business_id, made["id"]).status == 403
    assert [item["id"] for item in invitations(api, user, business_id)["items"]] == [made["id"]]


def test_the_helper_invite_still_answers_a_code(api, users, user):
    business_id = found_business(api, user)
    assert invite(api, user, business_id, "helper@example.com")

"""Which CloudTrail events of Cognito tell a person that their sign-in changed, with fakes."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.adapters.cognito_users import Account
from chalicelib.adapters.ses_mailer import Mail, MailRejected
from chalicelib.domains.auth.changes import SIGN_IN_CHANGES
from chalicelib.domains.auth.notices import SignInNotices
from chalicelib.events.sign_in import EVENT_PATTERN
from devtools.local_cognito import CLOUDTRAIL_ACTIONS, cloudtrail_event
from devtools.local_events import matches

POOL = "us-east-1_pool"
SUB = "0f6e7a9c-0000-4000-8000-000000000001"


class FakeUsers:
    def __init__(self, accounts: dict[str, tuple[str, bool]]):
        self.accounts = accounts
        self.reads = 0

    def account(self, user_id: str) -> Account | None:
        self.reads += 1
        found = self.accounts.get(user_id)
        return None if found is None else Account(*found, sub=user_id)


class FakeMailer:
    def __init__(self, refuse: bool = False):
        self.sent: list[Mail] = []
        self.refuse = refuse

    def send(self, mail: Mail) -> str:
        if self.refuse:
            raise MailRejected("MessageRejected")
        self.sent.append(mail)
        return "id"


def notices(totp_on: bool = False, refuse: bool = False) -> tuple[SignInNotices, FakeUsers, FakeMailer]:
    users, mailer = FakeUsers({SUB: ("ann@example.com", totp_on)}), FakeMailer(refuse)
    return SignInNotices(users, mailer, POOL), users, mailer  # type: ignore[arg-type]


def detail(name: str, request: dict[str, Any] | None = None, pool: str = POOL, sub: str = SUB) -> dict[str, Any]:
    return cloudtrail_event("us-east-1", name, request or {"AccessToken": "t"}, pool, sub)["detail"]


@pytest.mark.parametrize(
    ("name", "request_", "totp_on", "kind"),
    [
        ("SetUserMFAPreference", {"SoftwareTokenMfaSettings": {"Enabled": True}}, True, None),
        ("SetUserMFAPreference", {"SoftwareTokenMfaSettings": {"Enabled": False}}, False, "two_step_off"),
        ("SetUserMFAPreference", {"SoftwareTokenMfaSettings": {"Enabled": False}}, True, "two_step_off"),
        ("AdminSetUserMFAPreference", {"UserPoolId": POOL, "Username": SUB}, False, "two_step_off"),
        ("AdminSetUserMFAPreference", {"UserPoolId": POOL, "Username": SUB}, True, "two_step_on"),
        ("VerifySoftwareToken", None, True, "authenticator_set_up"),
        ("VerifySoftwareToken", None, False, "authenticator_set_up"),
        ("ChangePassword", None, False, "password_changed"),
        ("AdminSetUserPassword", {"UserPoolId": POOL, "Username": SUB}, False, "password_changed"),
        ("ConfirmForgotPassword", {"ClientId": "c", "Username": "ann@example.com"}, False, "password_changed"),
        ("UpdateUserAttributes", {"UserAttributes": [{"Name": "email", "Value": "x"}]}, False, "email_change_asked"),
        ("UpdateUserAttributes", {"UserAttributes": [{"Name": "name", "Value": "x"}]}, False, None),
        ("VerifyUserAttribute", {"AttributeName": "email"}, False, "email_changed"),
    ],
)
def test_each_change_is_told_as_what_it_is(name, request_, totp_on, kind):
    service, _, mailer = notices(totp_on)
    assert service.on_cloudtrail(detail(name, request_)) == kind
    assert [mail.to for mail in mailer.sent] == (["ann@example.com"] if kind else [])
    assert all(mail.unsubscribe_url == "" for mail in mailer.sent)  # a security notice cannot be turned off


def test_stride_s_own_tenancy_writes_cost_no_read_and_tell_nothing():
    service, users, mailer = notices()
    attributes = [{"Name": "custom:tenant_id", "Value": "t"}, {"Name": "custom:role", "Value": "member"}]
    request = {"UserPoolId": POOL, "Username": SUB, "UserAttributes": attributes}
    assert service.on_cloudtrail(detail("AdminUpdateUserAttributes", request)) is None
    assert (users.reads, mailer.sent) == (0, [])


def test_hidden_attributes_are_told_for_the_persons_own_call_only():
    service, _, mailer = notices()
    hidden = detail("UpdateUserAttributes")
    hidden["requestParameters"]["userAttributes"] = "HIDDEN_DUE_TO_SECURITY_REASONS"
    assert service.on_cloudtrail(hidden) == "email_change_asked"
    admin = {**hidden, "eventName": "AdminUpdateUserAttributes"}
    assert service.on_cloudtrail(admin) is None
    assert len(mailer.sent) == 1


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.update(errorCode="CodeMismatchException"),  # refused: nothing changed
        lambda d: d["additionalEventData"].update(userPoolId="us-east-1_other"),  # another pool
        lambda d: d["additionalEventData"].update(sub="gone"),  # an account deleted since
        lambda d: d.pop("additionalEventData"),  # nobody named
        lambda d: d.update(eventName="GetUser"),  # not a change
    ],
)
def test_events_that_are_not_a_change_of_one_of_our_accounts_tell_nothing(change):
    service, _, mailer = notices()
    event = detail("ChangePassword")
    change(event)
    assert service.on_cloudtrail(event) is None
    assert mailer.sent == []


def test_an_address_ses_refuses_does_not_fail_the_handler():
    service, _, _ = notices(refuse=True)
    assert service.on_cloudtrail(detail("ChangePassword")) == "password_changed"


def test_the_local_cognito_records_exactly_what_the_rule_listens_for():
    assert SIGN_IN_CHANGES <= CLOUDTRAIL_ACTIONS  # it may record more (other rules listen too)
    for name in SIGN_IN_CHANGES:
        assert matches(EVENT_PATTERN, cloudtrail_event("us-east-1", name, {}, POOL, SUB))
    assert not matches(EVENT_PATTERN, cloudtrail_event("us-east-1", "InitiateAuth", {}, POOL, SUB))
    assert not matches(EVENT_PATTERN, {**cloudtrail_event("us-east-1", "ChangePassword", {}, POOL, SUB), "source": "x"})


@pytest.mark.parametrize(
    ("name", "request_", "totp_on", "recorded"),
    [
        ("SetUserMFAPreference", {"SoftwareTokenMfaSettings": {"Enabled": True}}, True, [(SUB, True)]),
        ("SetUserMFAPreference", {"SoftwareTokenMfaSettings": {"Enabled": False}}, False, [(SUB, False)]),
        # What the event asked is not trusted: Cognito's state now is what the staff check follows.
        ("AdminSetUserMFAPreference", {"UserPoolId": POOL, "Username": "ann@example.com"}, True, [(SUB, True)]),
        ("VerifySoftwareToken", None, False, []),  # nothing is on until a preference turns it on
        ("ChangePassword", None, True, []),
    ],
)
def test_a_two_step_change_records_cognitos_state_for_the_staff_check(
    name: str, request_: dict[str, Any] | None, totp_on: bool, recorded: list[tuple[str, bool]]
) -> None:
    changes: list[tuple[str, bool]] = []
    users, mailer = FakeUsers({SUB: ("ann@example.com", totp_on)}), FakeMailer()
    handler = SignInNotices(users, mailer, POOL, lambda sub, on: changes.append((sub, on)))  # type: ignore[arg-type]

    handler.on_cloudtrail(detail(name, request_))

    assert changes == recorded


def test_a_refused_two_step_change_records_nothing() -> None:
    changes: list[tuple[str, bool]] = []
    users, mailer = FakeUsers({SUB: ("ann@example.com", False)}), FakeMailer()
    handler = SignInNotices(users, mailer, POOL, lambda sub, on: changes.append((sub, on)))  # type: ignore[arg-type]

    handler.on_cloudtrail({**detail("SetUserMFAPreference"), "errorCode": "NotAuthorizedException"})

    assert changes == [] and users.reads == 0

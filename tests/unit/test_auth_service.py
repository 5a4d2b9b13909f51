"""Sign-up makes the account, its tenant and its profile, or none of them (fakes, no AWS)."""

import pytest

from chalicelib.errors import Conflict, DependencyFailed, InvalidInput
from chalicelib.services.auth import AuthService


class FakeUsers:
    def __init__(self, fail_on=None):
        self.fail_on = fail_on
        self.accounts = {}

    def sign_up(self, email, password, name):
        self.accounts["u1"] = {"email": email}
        return "u1", False

    def assign_tenant(self, user_id, tenant_id, role):
        if self.fail_on == "assign_tenant":
            raise DependencyFailed("cognito is down")
        self.accounts[user_id].update(tenant_id=tenant_id, role=role)

    def delete(self, user_id):
        self.accounts.pop(user_id, None)


class FakeProfiles:
    def __init__(self, fail=False):
        self.fail = fail
        self.created = {}

    def create(self, identity, fields, now):
        if self.fail:
            raise DependencyFailed("dynamodb is down")
        self.created[identity.user_id] = fields

    def delete(self, identity):
        self.created.pop(identity.user_id, None)


class FakeBusinesses:
    """An invitation that checks out, then is used by someone else before this sign-up joins."""

    def valid_invite(self, code, email):
        return {"business_id": "b1", "role": "member"}

    def join(self, user_id, email, code, invite):
        raise Conflict("This invitation has been used or has expired.", code="invite_used")


def test_sign_up_assigns_the_personal_tenant_and_creates_the_profile():
    users, profiles = FakeUsers(), FakeProfiles()
    result = AuthService(users, profiles, None, clock=lambda: "2026-01-01T00:00:00.000Z").sign_up(
        "a@example.com", "Password-123!", "Ada"
    )
    assert result == {"user_id": "u1", "confirmed": False}
    assert users.accounts["u1"] == {"email": "a@example.com", "tenant_id": "personal-u1", "role": "member"}
    assert profiles.created["u1"] == {"display_name": "Ada"}


@pytest.mark.parametrize(
    "users, profiles", [(FakeUsers("assign_tenant"), FakeProfiles()), (FakeUsers(), FakeProfiles(fail=True))]
)
def test_a_sign_up_that_fails_halfway_leaves_no_account(users, profiles):
    with pytest.raises(DependencyFailed):
        AuthService(users, profiles, None).sign_up("a@example.com", "Password-123!", "Ada")
    assert users.accounts == {}


def test_a_sign_up_whose_invitation_is_taken_meanwhile_leaves_no_account_and_no_profile():
    users, profiles = FakeUsers(), FakeProfiles()
    with pytest.raises(Conflict):
        AuthService(users, profiles, FakeBusinesses()).sign_up("a@example.com", "Password-123!", "Ada", "c" * 32)
    assert users.accounts == {}
    assert profiles.created == {}


def test_a_weak_password_never_reaches_cognito():
    users = FakeUsers()
    with pytest.raises(InvalidInput):
        AuthService(users, FakeProfiles(), None).sign_up("a@example.com", "short", "Ada")
    assert users.accounts == {}

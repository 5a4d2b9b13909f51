"""Sign-up makes the account, its tenant and its profile, or none of them (fakes, no AWS)."""

import pytest

from chalicelib.domains.auth.service import AuthService
from chalicelib.errors import Conflict, DependencyFailed, InvalidInput


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
        self.zones = {}

    def create(self, identity, fields, now, *, timezone=None):
        if self.fail:
            raise DependencyFailed("dynamodb is down")
        self.created[identity.user_id] = fields
        self.zones[identity.user_id] = timezone

    def delete(self, identity):
        self.created.pop(identity.user_id, None)


class FakeBusinesses:
    """An invitation that checks out, then is used by someone else before this sign-up joins."""

    def valid_invite(self, code, email):
        return {"business_id": "b1", "role": "member"}

    def join_hashed(self, user_id, email, hashed, invite):
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


class ExistingProfiles(FakeProfiles):
    """A profile made by an earlier run of the trigger."""

    def create(self, identity, fields, now, *, timezone=None):
        raise Conflict("A profile already exists for this user.")


def test_provision_settles_an_account_made_in_cognito_as_sign_up_does():
    users, profiles = FakeUsers(), FakeProfiles()
    users.accounts["u1"] = {"email": "a@example.com"}
    claims = AuthService(users, profiles, None).provision("u1", "a@example.com", "")
    assert claims == {"custom:tenant_id": "personal-u1", "custom:role": "member"}
    assert users.accounts["u1"] == {"email": "a@example.com", "tenant_id": "personal-u1", "role": "member"}
    assert profiles.created["u1"] == {"display_name": "a"}  # no name given: the e-mail's local part


def test_provision_run_again_keeps_the_profile_and_the_account():
    users = FakeUsers()
    users.accounts["u1"] = {"email": "a@example.com"}
    claims = AuthService(users, ExistingProfiles(), None).provision("u1", "a@example.com", "Ada")
    assert claims["custom:tenant_id"] == "personal-u1"
    assert "u1" in users.accounts


def test_provision_never_deletes_the_account_when_joining_fails():
    users, profiles = FakeUsers(), FakeProfiles()
    users.accounts["u1"] = {"email": "a@example.com"}
    with pytest.raises(Conflict):
        AuthService(users, profiles, FakeBusinesses()).provision("u1", "a@example.com", "Ada", "c" * 32)
    assert "u1" in users.accounts
    assert profiles.created == {}


def test_a_sign_up_hands_its_zone_to_the_profile_made_with_it():
    users, profiles = FakeUsers(), FakeProfiles()
    AuthService(users, profiles, None).sign_up("a@example.com", "Password-123!", "Ada", timezone="Asia/Tokyo")
    assert profiles.zones == {"u1": "Asia/Tokyo"}

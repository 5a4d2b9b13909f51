"""The local Cognito's e-mail rules read the pool's settings in the template (infra/stride.json),
and a code expires (the clock is injected)."""

from __future__ import annotations

from typing import Any

import pytest

from devtools.infra import render
from devtools.local_cognito_email import CODE_SECONDS, EmailCodeError, EmailVerification, pool_name


class FakeUser:
    def __init__(self, email: str):
        self.id = self.username = f"sub-{email}"
        self.attribute_lookup = {"email": email, "email_verified": "true"}

    def update_attributes(self, attributes: list[dict[str, str]]) -> None:
        self.attribute_lookup.update({item["Name"]: item["Value"] for item in attributes})


class FakePool:
    def __init__(self, config: dict[str, Any], *emails: str):
        self.id = "pool"
        self.extended_config = config
        self.users = {f"sub-{email}": FakeUser(email) for email in emails}
        self.refresh_tokens: dict[str, Any] = {"r": ("client", emails[0].upper(), "jti")}
        self.access_tokens: dict[str, Any] = {"a": ("client", emails[0])}
        self.id_tokens: dict[str, Any] = {}


def template_pool() -> dict[str, Any]:
    return render("local")["Resources"]["UserPool"]["Properties"]


def test_the_template_pool_is_case_insensitive_and_verifies_a_changed_email():
    pool = template_pool()
    assert pool["UsernameConfiguration"] == {"CaseSensitive": False}
    assert pool["UserAttributeUpdateSettings"]["AttributesRequireVerificationBeforeUpdate"] == ["email"]
    assert pool_name(FakePool(pool, "a@x.io"), "Bob@Example.COM") == "bob@example.com"
    assert pool_name(FakePool({"UsernameConfiguration": {"CaseSensitive": True}}, "a@x.io"), "Bob@X.io") == "Bob@X.io"


def _code(pool: FakePool, user: FakeUser, emails: EmailVerification) -> str:
    return emails._pending[f"{pool.id}/{user.id}"].code


def test_with_the_templates_settings_the_old_address_stays_until_the_code_comes_back():
    now = [1_000.0]
    emails = EmailVerification("us-east-1", clock=lambda: now[0])
    pool = FakePool(template_pool(), "old@x.io")
    user = pool.users["sub-old@x.io"]
    write, delivery = emails.update(pool, user, [{"Name": "email", "Value": "new@x.io"}], admin=False)
    assert write == [] and delivery and delivery["AttributeName"] == "email"
    assert user.attribute_lookup == {"email": "old@x.io", "email_verified": "true"}
    emails.verify(pool, user, _code(pool, user, emails))
    assert user.attribute_lookup == {"email": "new@x.io", "email_verified": "true"}
    # Tokens issued under the old address (in any case) now name the user's own id.
    assert pool.refresh_tokens["r"][1] == pool.access_tokens["a"][1] == user.username


def test_without_the_setting_the_new_address_is_written_unverified():
    emails = EmailVerification("us-east-1")
    pool = FakePool({}, "old@x.io")
    user = pool.users["sub-old@x.io"]
    write, _ = emails.update(pool, user, [{"Name": "email", "Value": "new@x.io"}], admin=False)
    assert {"Name": "email_verified", "Value": "false"} in write and {"Name": "email", "Value": "new@x.io"} in write


def test_a_code_expires_after_a_day():
    now = [1_000.0]
    emails = EmailVerification("us-east-1", clock=lambda: now[0])
    pool = FakePool(template_pool(), "old@x.io")
    user = pool.users["sub-old@x.io"]
    emails.update(pool, user, [{"Name": "email", "Value": "new@x.io"}], admin=False)
    code = _code(pool, user, emails)
    now[0] += CODE_SECONDS
    with pytest.raises(EmailCodeError) as expired:
        emails.verify(pool, user, code)
    assert expired.value.code == "ExpiredCodeException"
    assert user.attribute_lookup["email"] == "old@x.io"


def test_another_users_address_in_any_case_is_taken():
    emails = EmailVerification("us-east-1")
    pool = FakePool(template_pool(), "old@x.io", "bob@x.io")
    with pytest.raises(EmailCodeError) as taken:
        emails.update(pool, pool.users["sub-old@x.io"], [{"Name": "email", "Value": "BOB@X.IO"}], admin=False)
    assert taken.value.code == "AliasExistsException"


def test_an_admin_who_says_the_address_is_verified_writes_it_at_once():
    emails = EmailVerification("us-east-1")
    pool = FakePool(template_pool(), "old@x.io")
    attributes = [{"Name": "email", "Value": "new@x.io"}, {"Name": "email_verified", "Value": "true"}]
    write, delivery = emails.update(pool, pool.users["sub-old@x.io"], attributes, admin=True)
    assert write == attributes and delivery is None
    user_says_so = emails.update(pool, pool.users["sub-old@x.io"], attributes, admin=False)
    assert user_says_so[0] == [] and user_says_so[1] is not None

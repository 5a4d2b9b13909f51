"""The local Cognito's e-mail addresses as the deployed pool treats them (infra/stride.json): a
changed address waits for the code sent to it, addresses compare without case, tokens issued under
the old address keep working; and an invitation is accepted with a verified address only."""

from __future__ import annotations

import os
import re
from typing import Any

import boto3
import jwt
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from devtools import dev_routes
from devtools.local_aws import LOCAL_CREDENTIALS, REGION
from devtools.local_cognito_email import MAX_WRONG_CODES
from tests.businesses import found_business, invite
from tests.conftest import PASSWORD


@pytest.fixture
def cognito(local_aws: Any) -> Any:
    """Without retries: botocore retries LimitExceededException, which would hide it."""
    return boto3.client(
        "cognito-idp",
        endpoint_url=local_aws.endpoint,
        region_name=REGION,
        config=Config(retries={"total_max_attempts": 1}),
        **{key.lower(): value for key, value in LOCAL_CREDENTIALS.items()},
    )


def _claims(token: str) -> dict[str, Any]:
    return jwt.decode(token, options={"verify_signature": False})


def _code_sent_to(address: str) -> str:
    messages = dev_routes.outbox(to=address)
    assert messages, f"no code was sent to {address}"
    return re.search(r"\b(\d{6})\b", messages[0]["text"]).group(1)


def _change_email(cognito: Any, person: Any, address: str) -> dict[str, Any]:
    return cognito.update_user_attributes(
        AccessToken=person.access_token, UserAttributes=[{"Name": "email", "Value": address}]
    )


def _error(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return exc.value.response["Error"]["Code"]


def test_a_changed_email_waits_for_its_code_and_the_old_one_stays_verified(api, users, cognito):
    person = users.create()
    new = users.new_email()
    answer = _change_email(cognito, person, new)
    assert answer["CodeDeliveryDetailsList"][0]["AttributeName"] == "email"

    refreshed = api.post("/auth/refresh", {"refresh_token": person.refresh_token}).body
    claims = _claims(refreshed["id_token"])
    assert (claims["email"], claims["email_verified"]) == (person.email, "true")

    cognito.verify_user_attribute(AccessToken=person.access_token, AttributeName="email", Code=_code_sent_to(new))
    claims = _claims(api.post("/auth/refresh", {"refresh_token": person.refresh_token}).body["id_token"])
    assert (claims["email"], claims["email_verified"]) == (new, "true")
    assert api.post("/auth/login", {"email": new, "password": PASSWORD}).status == 200


def test_a_refresh_after_an_email_change_answers_new_tokens(api, users, cognito):
    person = users.create()
    new = users.new_email()
    _change_email(cognito, person, new)
    cognito.verify_user_attribute(AccessToken=person.access_token, AttributeName="email", Code=_code_sent_to(new))

    answer = api.post("/auth/refresh", {"refresh_token": person.refresh_token})
    assert answer.status == 200, answer.body
    assert api.get("/me", token=answer.body["id_token"]).body["email"] == new
    assert cognito.get_user(AccessToken=person.access_token)["Username"] == person.user_id


def test_a_wrong_or_missing_code_does_not_change_the_email(users, cognito):
    person = users.create()
    with pytest.raises(ClientError) as nothing_pending:
        cognito.verify_user_attribute(AccessToken=person.access_token, AttributeName="email", Code="123456")
    assert _error(nothing_pending) == "CodeMismatchException"

    new = users.new_email()
    _change_email(cognito, person, new)
    right = _code_sent_to(new)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for _ in range(MAX_WRONG_CODES - 1):
        with pytest.raises(ClientError) as mismatch:
            cognito.verify_user_attribute(AccessToken=person.access_token, AttributeName="email", Code=wrong)
        assert _error(mismatch) == "CodeMismatchException"
    with pytest.raises(ClientError) as spent:
        cognito.verify_user_attribute(AccessToken=person.access_token, AttributeName="email", Code=wrong)
    assert _error(spent) == "LimitExceededException"
    with pytest.raises(ClientError):  # the right code no longer counts: the pending one is gone
        cognito.verify_user_attribute(AccessToken=person.access_token, AttributeName="email", Code=right)
    found = cognito.admin_get_user(UserPoolId=os.environ["USER_POOL_ID"], Username=person.user_id)
    assert {a["Name"]: a["Value"] for a in found["UserAttributes"]}["email"] == person.email


def test_another_code_can_be_asked_for(users, cognito):
    person = users.create()
    new = users.new_email()
    _change_email(cognito, person, new)
    first = _code_sent_to(new)
    cognito.get_user_attribute_verification_code(AccessToken=person.access_token, AttributeName="email")
    second = _code_sent_to(new)
    if first != second:  # one in a million they are equal
        with pytest.raises(ClientError):
            cognito.verify_user_attribute(AccessToken=person.access_token, AttributeName="email", Code=first)
    cognito.verify_user_attribute(AccessToken=person.access_token, AttributeName="email", Code=second)


def test_an_address_in_another_case_is_the_same_person(api, users, cognito):
    person = users.create()
    shouted = person.email.upper()
    assert api.post("/auth/login", {"email": shouted, "password": PASSWORD}).status == 200
    with pytest.raises(ClientError) as taken:
        cognito.sign_up(
            ClientId=os.environ["APP_CLIENT_IDS"],
            Username=shouted,
            Password=PASSWORD,
            UserAttributes=[{"Name": "email", "Value": shouted}],
        )
    assert _error(taken) == "UsernameExistsException"
    other = users.create()
    with pytest.raises(ClientError) as alias:
        _change_email(cognito, other, shouted)
    assert _error(alias) == "AliasExistsException"


def test_an_invitation_is_not_accepted_with_a_changed_unverified_email(api, users, user, cognito):
    business_id = found_business(api, user)
    invited = users.new_email()
    code = invite(api, user, business_id, invited)
    taker = users.create()
    _change_email(cognito, taker, invited)
    refreshed = api.post("/auth/refresh", {"refresh_token": taker.refresh_token}).body["id_token"]
    assert api.post(f"/invites/{code}/accept", token=refreshed).status == 404  # still their own address

    # The owner of the address verifies it: then it is theirs, and the invitation with it.
    cognito.verify_user_attribute(AccessToken=taker.access_token, AttributeName="email", Code=_code_sent_to(invited))
    verified = api.post("/auth/refresh", {"refresh_token": taker.refresh_token}).body["id_token"]
    assert api.post(f"/invites/{code}/accept", token=verified).status == 200


def test_an_invitation_needs_a_verified_email(api, users, user, cognito):
    """An account an administrator confirmed has an address no one proved they receive mail at."""
    business_id = found_business(api, user)
    email = users.new_email()
    signed_up = users.sign_up(email)
    cognito.admin_confirm_sign_up(UserPoolId=os.environ["USER_POOL_ID"], Username=email)
    person = users.log_in(email, PASSWORD, signed_up.body["user_id"])
    assert _claims(person.token).get("email_verified") != "true"
    code = invite(api, user, business_id, email)

    refused = api.post(f"/invites/{code}/accept", token=person.token)
    assert refused.status == 403 and refused.body["error"]["code"] == "email_not_verified"


def test_an_invitation_is_accepted_by_its_address_in_another_case(api, users, user, cognito):
    business_id = found_business(api, user)
    email = users.new_email().upper()
    signed_up = cognito.sign_up(
        ClientId=os.environ["APP_CLIENT_IDS"],
        Username=email,
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": email}],
    )
    cognito.confirm_sign_up(ClientId=os.environ["APP_CLIENT_IDS"], Username=email, ConfirmationCode="123456")
    person = users.log_in(email, PASSWORD, signed_up["UserSub"])
    code = invite(api, user, business_id, email.lower())
    assert api.post(f"/invites/{code}/accept", token=person.token).status == 200


def test_an_administrators_confirmation_does_not_use_a_held_invitation(api, users, user, cognito):
    """AdminConfirmSignUp verifies no address: the account gets its own tenant, not the business."""
    business_id = found_business(api, user)
    email = users.new_email()
    code = invite(api, user, business_id, email)
    cognito.sign_up(
        ClientId=os.environ["APP_CLIENT_IDS"],
        Username=email,
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": email}],
        ClientMetadata={"invite_code": code},
    )
    cognito.admin_confirm_sign_up(UserPoolId=os.environ["USER_POOL_ID"], Username=email)
    signed_in = cognito.initiate_auth(
        ClientId=os.environ["APP_CLIENT_IDS"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": PASSWORD},
    )["AuthenticationResult"]["IdToken"]
    assert _claims(signed_in)["custom:tenant_id"].startswith("personal-")
    members = api.get(f"/businesses/{business_id}/members", token=user.token).body["items"]
    assert email not in {member["email"] for member in members}

"""Accounts made straight through Cognito's API, as Amplify makes them, against the local Cognito:
the trigger settles them as POST /auth/signup does, and the local pool refuses what AWS refuses."""

from __future__ import annotations

import os
from typing import Any

import jwt
import pytest
from botocore.exceptions import ClientError

from tests.businesses import found_business, invite
from tests.conftest import PASSWORD

WEIGHT = {"measured_at": "2026-01-05T07:30:00+01:00", "weight": {"value": 80.5, "unit": "kg"}}


@pytest.fixture
def cognito(local_aws: Any) -> Any:
    return local_aws.client("cognito-idp")


def client_id() -> str:
    return os.environ["APP_CLIENT_IDS"]


def sign_up(cognito: Any, email: str, metadata: dict[str, str] | None = None, **extra: Any) -> str:
    attributes = [{"Name": "email", "Value": email}, {"Name": "name", "Value": "Amp Lify"}]
    answer = cognito.sign_up(
        ClientId=client_id(),
        Username=email,
        Password=PASSWORD,
        UserAttributes=attributes + extra.get("more", []),
        ClientMetadata=metadata or {},
    )
    return answer["UserSub"]


def sign_in(cognito: Any, email: str) -> dict[str, Any]:
    answer = cognito.initiate_auth(
        ClientId=client_id(), AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": email, "PASSWORD": PASSWORD}
    )
    return answer["AuthenticationResult"]


def claims_of(token: str) -> dict[str, Any]:
    return jwt.decode(token, options={"verify_signature": False})


def error_of(exc: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    return exc.value.response["Error"]["Code"], exc.value.response["Error"]["Message"]


def test_an_account_made_through_cognito_gets_its_tenant_role_and_profile_and_uses_the_api(api, users, cognito):
    email = users.new_email()
    sub = sign_up(cognito, email)
    cognito.confirm_sign_up(ClientId=client_id(), Username=email, ConfirmationCode="123456")
    token = sign_in(cognito, email)["IdToken"]

    me = api.get("/me", token=token)
    assert me.status == 200, me.body
    assert (me.body["user_id"], me.body["tenant_id"], me.body["role"]) == (sub, f"personal-{sub}", "member")
    assert api.get("/me/profile", token=token).body["display_name"] == "Amp Lify"
    assert api.post("/weights", WEIGHT, token=token).status == 201


def test_the_trigger_changes_nothing_for_an_account_made_by_post_auth_signup(api, users, cognito):
    person = users.create()
    before = api.get("/me/profile", token=person.token).body
    cognito.admin_confirm_sign_up(UserPoolId=os.environ["USER_POOL_ID"], Username=person.email)
    again = users.log_in(person.email, person.password, person.user_id)
    assert api.get("/me/profile", token=again.token).body == before
    assert claims_of(again.token)["custom:tenant_id"] == f"personal-{person.user_id}"


def test_an_account_without_a_tenant_is_settled_at_its_next_sign_in(api, users, cognito):
    """As an administrator makes one (the post confirmation trigger never runs for it)."""
    email = users.new_email()
    pool = os.environ["USER_POOL_ID"]
    made = cognito.admin_create_user(
        UserPoolId=pool, Username=email, UserAttributes=[{"Name": "email", "Value": email}], MessageAction="SUPPRESS"
    )
    cognito.admin_set_user_password(UserPoolId=pool, Username=email, Password=PASSWORD, Permanent=True)
    sub = next(item["Value"] for item in made["User"]["Attributes"] if item["Name"] == "sub")

    first = sign_in(cognito, email)["IdToken"]
    assert claims_of(first)["custom:tenant_id"] == f"personal-{sub}"
    assert api.get("/me", token=first).body["role"] == "member"
    assert api.get("/me/profile", token=first).body["display_name"] == email.partition("@")[0]
    # Settled once: signing in again keeps the same tenant and profile.
    second = sign_in(cognito, email)["IdToken"]
    assert claims_of(second)["custom:tenant_id"] == f"personal-{sub}"
    assert api.post("/weights", WEIGHT, token=second).status == 201


@pytest.mark.parametrize("at_sign_up, at_confirmation", [(True, False), (False, True), (True, True)])
def test_an_invitation_passed_as_client_metadata_joins_the_business(
    api, users, user, cognito, at_sign_up, at_confirmation
):
    business_id = found_business(api, user)
    email = users.new_email()
    code = invite(api, user, business_id, email, role="coach")
    sign_up(cognito, email, {"invite_code": code} if at_sign_up else None)
    cognito.confirm_sign_up(
        ClientId=client_id(),
        Username=email,
        ConfirmationCode="123456",
        ClientMetadata={"invite_code": code} if at_confirmation else {},
    )
    me = api.get("/me", token=sign_in(cognito, email)["IdToken"]).body
    assert (me["tenant_id"], me["role"]) == (business_id, "coach")
    members = api.get(f"/businesses/{business_id}/members", token=user.token).body["items"]
    assert email in {member["email"] for member in members}
    # The person's own data still lives in their personal partition, and the profile is there.
    assert api.get("/me/profile", token=sign_in(cognito, email)["IdToken"]).status == 200


@pytest.mark.parametrize("for_someone_else", [False, True])
def test_a_sign_up_with_an_unusable_invitation_is_refused_and_leaves_no_account(
    api, users, user, cognito, for_someone_else
):
    email = users.new_email()
    code = invite(api, user, found_business(api, user), users.new_email()) if for_someone_else else "x" * 32
    with pytest.raises(ClientError) as refused:
        sign_up(cognito, email, {"invite_code": code})
    code, message = error_of(refused)
    assert code == "UserLambdaValidationException"
    assert message.startswith("PreSignUp failed with error")
    with pytest.raises(ClientError) as missing:
        cognito.admin_get_user(UserPoolId=os.environ["USER_POOL_ID"], Username=email)
    assert error_of(missing)[0] == "UserNotFoundException"


# The local pool refuses what the deployed one refuses.


def test_the_public_client_cannot_write_tenancy_attributes_at_sign_up(users, cognito):
    email = users.new_email()
    with pytest.raises(ClientError) as refused:
        sign_up(cognito, email, more=[{"Name": "custom:role", "Value": "admin"}])
    assert error_of(refused) == ("NotAuthorizedException", "A client attempted to write unauthorized attribute")


def test_a_user_cannot_write_tenancy_attributes_with_their_access_token(api, user, cognito):
    for name in ("custom:tenant_id", "custom:role", "custom:parent_business_id"):
        with pytest.raises(ClientError) as refused:
            cognito.update_user_attributes(
                AccessToken=user.access_token, UserAttributes=[{"Name": name, "Value": "gym-1"}]
            )
        assert error_of(refused)[0] == "NotAuthorizedException"
    assert api.get("/me", token=user.token).body["role"] == "member"
    # What the client may write still goes through.
    cognito.update_user_attributes(AccessToken=user.access_token, UserAttributes=[{"Name": "name", "Value": "New"}])


def test_srp_sign_in_is_refused_locally_naming_user_password_auth(user, cognito):
    with pytest.raises(ClientError) as refused:
        cognito.initiate_auth(
            ClientId=client_id(), AuthFlow="USER_SRP_AUTH", AuthParameters={"USERNAME": user.email, "SRP_A": "ab12"}
        )
    code, message = error_of(refused)
    assert code == "InvalidParameterException"
    assert "USER_PASSWORD_AUTH" in message


def test_tokens_last_as_long_as_the_template_says(user):
    for token in (user.id_token, user.access_token):
        claims = claims_of(token)
        assert claims["exp"] - claims["iat"] == 15 * 60


def test_get_tokens_from_refresh_token_answers_fresh_tokens(api, user, cognito):
    answer = cognito.get_tokens_from_refresh_token(RefreshToken=user.refresh_token, ClientId=client_id())
    result = answer["AuthenticationResult"]
    assert result["ExpiresIn"] == 15 * 60
    assert api.get("/me", token=result["IdToken"]).status == 200


def test_a_revoked_refresh_token_stops_working_everywhere(api, user, cognito):
    cognito.revoke_token(Token=user.refresh_token, ClientId=client_id())
    with pytest.raises(ClientError) as refused:
        cognito.get_tokens_from_refresh_token(RefreshToken=user.refresh_token, ClientId=client_id())
    assert error_of(refused)[0] == "NotAuthorizedException"
    answer = api.post("/auth/refresh", {"refresh_token": user.refresh_token})
    assert answer.status == 401
    assert answer.body["error"]["code"] == "invalid_refresh_token"
    # The access tokens issued from it go too.
    with pytest.raises(ClientError):
        cognito.get_user(AccessToken=user.access_token)


def test_an_unknown_refresh_token_is_refused(cognito):
    with pytest.raises(ClientError) as refused:
        cognito.get_tokens_from_refresh_token(RefreshToken="not-a-token", ClientId=client_id())
    assert error_of(refused)[0] == "NotAuthorizedException"


def test_the_trigger_settles_with_three_calls_and_then_costs_sign_ins_none(users, cognito, calls):
    email = users.new_email()
    sign_up(cognito, email)
    assert calls.calls == []  # pre sign-up without an invitation does nothing
    cognito.confirm_sign_up(ClientId=client_id(), Username=email, ConfirmationCode="123456")
    # The profile and the account's entry in the account list, in one transaction.
    assert sorted(calls.calls) == [
        "cognito-idp.AdminUpdateUserAttributes",
        "dynamodb.GetItem",
        "dynamodb.TransactWriteItems",
    ]
    calls.clear()
    sign_in(cognito, email)
    cognito.get_tokens_from_refresh_token(RefreshToken=sign_in(cognito, email)["RefreshToken"], ClientId=client_id())
    assert calls.calls == []  # pre token generation reads the event's attributes only

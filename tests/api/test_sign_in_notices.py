"""Every change to how a person signs in is told to them by e-mail, whether it went through
Stride's routes or straight through Cognito's API with their access token (Amplify): the local
Cognito records its calls as CloudTrail does and hands them to the app's EventBridge rule."""

from __future__ import annotations

import email
from typing import Any

import pytest

from devtools.local_aws import REGION
from devtools.totp import code_at
from tests import mfa

START = 1_800_000_000.0
SET_UP = "An authenticator app was set up for two-step sign-in"


@pytest.fixture
def now(local_aws: Any) -> Any:
    saved = local_aws.cognito.clock
    local_aws.cognito.clock = lambda: START
    yield START
    local_aws.cognito.clock = saved


@pytest.fixture
def cognito(local_aws: Any) -> Any:
    return local_aws.client("cognito-idp")


def subjects(local_aws: Any, address: str) -> list[str]:
    """The subjects of the sign-in notices sent to an address, once every recorded event is handled."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    assert local_aws.cognito.cloudtrail_delivered()
    sent = ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages
    messages = [email.message_from_string(item.raw_data) for item in sent if address in item.destinations]
    return [str(message["Subject"]) for message in messages if "List-Unsubscribe" not in message]


def test_turning_two_step_on_and_off_through_the_api_is_told(api, user, now, local_aws):
    secret = mfa.enrol(api, user, now)
    assert subjects(local_aws, user.email) == [SET_UP]
    body = {"access_token": user.access_token, "code": mfa.next_code(secret, now), "password": user.password}
    assert api.request("DELETE", "/auth/mfa/totp", body, token=user.token).status == 200
    assert subjects(local_aws, user.email) == [SET_UP, "Two-step sign-in was turned off"]


def test_turning_two_step_off_straight_through_cognito_is_told(api, user, now, local_aws, cognito):
    mfa.enrol(api, user, now)
    cognito.set_user_mfa_preference(
        AccessToken=user.access_token, SoftwareTokenMfaSettings={"Enabled": False, "PreferredMfa": False}
    )
    assert subjects(local_aws, user.email)[-1] == "Two-step sign-in was turned off"


def test_enrolling_and_replacing_the_authenticator_are_told_once_each(api, user, now, local_aws):
    owners = mfa.enrol(api, user, now)
    new = mfa.start(api, user)
    body = {
        "access_token": user.access_token,
        "code": mfa.next_code(new, now),
        "password": user.password,
        "current_code": mfa.next_code(owners, now),
    }
    assert api.post("/auth/mfa/totp/verify", body, token=user.token).status == 200
    assert subjects(local_aws, user.email) == [SET_UP, SET_UP]


def test_a_password_changed_through_cognito_is_told(api, user, local_aws, cognito):
    cognito.change_password(
        AccessToken=user.access_token, PreviousPassword=user.password, ProposedPassword="Another-Horse-7-Battery"
    )
    assert subjects(local_aws, user.email) == ["Your password was changed"]


def test_an_email_change_asked_through_cognito_is_told(api, user, local_aws, cognito):
    cognito.update_user_attributes(
        AccessToken=user.access_token, UserAttributes=[{"Name": "email", "Value": "moved-" + user.email}]
    )
    assert local_aws.cognito.cloudtrail_delivered()
    # The owner's (still verified) address is told; the new one gets only Cognito's own code to confirm it.
    assert subjects(local_aws, user.email) == ["A change of your e-mail address was asked for"]
    assert "A change of your e-mail address was asked for" not in subjects(local_aws, "moved-" + user.email)


def test_a_refused_change_and_a_name_change_tell_nothing(api, user, now, local_aws, cognito):
    secret = mfa.start(api, user)
    wrong = {"access_token": user.access_token, "code": code_at(secret, now + 300)}
    assert api.post("/auth/mfa/totp/verify", wrong, token=user.token).status == 422
    cognito.update_user_attributes(AccessToken=user.access_token, UserAttributes=[{"Name": "name", "Value": "Al"}])
    assert subjects(local_aws, user.email) == []  # signing up (Stride's tenancy attributes) told nothing either

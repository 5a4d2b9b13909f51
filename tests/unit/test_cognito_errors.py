"""Cognito's answers that moto does not give (throttling, lockout, challenges) become clear
errors: driven with botocore's Stubber on a real client, no network."""

import boto3
import pytest
from botocore.stub import Stubber

from chalicelib import errors
from chalicelib.adapters.cognito_users import CognitoUsers


@pytest.fixture
def cognito():
    client = boto3.client("cognito-idp", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    with Stubber(client) as stubber:
        yield CognitoUsers(client, "us-east-1_pool", "client"), stubber


def _fail(stubber, operation, code, message="refused"):
    stubber.add_client_error(operation, service_error_code=code, service_message=message, http_status_code=400)


@pytest.mark.parametrize(
    "code, message, error, status",
    [
        ("TooManyRequestsException", "slow down", errors.TooManyRequests, 429),
        ("NotAuthorizedException", "Password attempts exceeded", errors.TooManyRequests, 429),
        ("NotAuthorizedException", "Incorrect username or password.", errors.Unauthenticated, 401),
        ("UserNotFoundException", "User does not exist.", errors.Unauthenticated, 401),
        ("UserNotConfirmedException", "User is not confirmed.", errors.Forbidden, 403),
        ("PasswordResetRequiredException", "Password reset required", errors.Forbidden, 403),
        ("InternalErrorException", "boom", errors.DependencyFailed, 503),
    ],
)
def test_login_failures_map_to_clear_errors(cognito, code, message, error, status):
    users, stubber = cognito
    _fail(stubber, "initiate_auth", code, message)
    with pytest.raises(error) as raised:
        users.login("a@example.com", "Password-123!")
    assert errors.status_for(raised.value) == status


def test_wrong_password_and_unknown_user_get_one_message(cognito):
    users, stubber = cognito
    _fail(stubber, "initiate_auth", "NotAuthorizedException", "Incorrect username or password.")
    _fail(stubber, "initiate_auth", "UserNotFoundException", "User does not exist.")
    messages = []
    for _ in range(2):
        with pytest.raises(errors.Unauthenticated) as raised:
            users.login("a@example.com", "Password-123!")
        messages.append(raised.value.message)
    assert messages[0] == messages[1]


def test_a_totp_challenge_is_answered_with_its_session(cognito):
    users, stubber = cognito
    stubber.add_response("initiate_auth", {"ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": "s" * 20})
    answer = users.login("a@example.com", "Password-123!")
    assert (answer["challenge_name"], answer["session"], answer["id_token"]) == ("SOFTWARE_TOKEN_MFA", "s" * 20, None)


def test_another_login_challenge_is_refused_clearly(cognito):
    users, stubber = cognito
    stubber.add_response("initiate_auth", {"ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": "s" * 20})
    with pytest.raises(errors.Forbidden) as raised:
        users.login("a@example.com", "Password-123!")
    assert raised.value.code == "challenge_required"


@pytest.mark.parametrize(
    "code, error, status",
    [
        ("NotAuthorizedException", errors.Conflict, 409),
        ("CodeMismatchException", errors.InvalidInput, 400),
        ("ExpiredCodeException", errors.InvalidInput, 400),
        ("TooManyFailedAttemptsException", errors.TooManyRequests, 429),
        ("LimitExceededException", errors.TooManyRequests, 429),
    ],
)
def test_confirmation_failures_map_to_clear_errors(cognito, code, error, status):
    users, stubber = cognito
    _fail(stubber, "confirm_sign_up", code)
    with pytest.raises(error) as raised:
        users.confirm("a@example.com", "123456")
    assert errors.status_for(raised.value) == status


def test_sign_up_maps_a_weak_password_and_a_taken_email(cognito):
    users, stubber = cognito
    _fail(stubber, "sign_up", "InvalidPasswordException")
    _fail(stubber, "sign_up", "UsernameExistsException")
    with pytest.raises(errors.InvalidInput):
        users.sign_up("a@example.com", "x", "A")
    with pytest.raises(errors.Conflict):
        users.sign_up("a@example.com", "x", "A")


def test_forgot_password_is_silent_about_unknown_accounts_but_not_about_throttling(cognito):
    users, stubber = cognito
    _fail(stubber, "forgot_password", "UserNotFoundException")
    _fail(stubber, "forgot_password", "LimitExceededException")
    users.forgot_password("nobody@example.com")
    with pytest.raises(errors.TooManyRequests):
        users.forgot_password("nobody@example.com")


def test_reset_password_maps_a_wrong_code_and_throttling(cognito):
    users, stubber = cognito
    _fail(stubber, "confirm_forgot_password", "CodeMismatchException")
    _fail(stubber, "confirm_forgot_password", "LimitExceededException")
    with pytest.raises(errors.InvalidInput):
        users.reset_password("a@example.com", "1", "Password-123!")
    with pytest.raises(errors.TooManyRequests):
        users.reset_password("a@example.com", "1", "Password-123!")


def test_deleting_a_user_already_gone_is_fine_but_other_failures_are_not(cognito):
    users, stubber = cognito
    _fail(stubber, "admin_delete_user", "UserNotFoundException")
    _fail(stubber, "admin_delete_user", "InternalErrorException")
    users.delete("someone")
    with pytest.raises(errors.DependencyFailed):
        users.delete("someone")


@pytest.mark.parametrize(
    "operation, call",
    [
        ("initiate_auth", lambda users: users.login("a@example.com", "Password-123!")),
        ("confirm_sign_up", lambda users: users.confirm("a@example.com", "1")),
        ("confirm_forgot_password", lambda users: users.reset_password("a@example.com", "1", "Password-123!")),
    ],
)
def test_parameters_cognito_refuses_are_a_400_not_a_503(cognito, operation, call):
    users, stubber = cognito
    _fail(stubber, operation, "InvalidParameterException", "1 validation error detected")
    with pytest.raises(errors.InvalidInput):
        call(users)


@pytest.mark.parametrize("code", ["UnauthorizedException", "UnsupportedTokenTypeException"])
def test_a_sign_out_with_a_token_that_names_no_sign_in_ends_nothing_and_is_not_an_error(cognito, code):
    # POST /auth/logout answers 204 for such a token (an id or access token sent instead): it was a 503.
    users, stubber = cognito
    _fail(stubber, "revoke_token", code)
    users.revoke("not-a-refresh-token")
    stubber.assert_no_pending_responses()


def test_a_sign_out_cognito_cannot_serve_is_a_dependency_failure(cognito):
    users, stubber = cognito
    _fail(stubber, "revoke_token", "InternalErrorException")
    with pytest.raises(errors.DependencyFailed):
        users.revoke("refresh-token")

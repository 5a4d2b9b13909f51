"""As an Amplify app does it, over HTTP against `make run`: sign up, confirm and sign in straight
through the local Cognito, then use the API with the id token."""

import json
import urllib.error
import urllib.request
import uuid

PASSWORD = "Amplify-pass-2026!"


def test_an_account_made_through_cognito_uses_the_api(stack):
    cognito = stack.cognito()
    email = f"amp-{uuid.uuid4().hex[:10]}@example.com"
    sub = cognito.sign_up(
        ClientId=stack.client_id,
        Username=email,
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": email}, {"Name": "name", "Value": "Amp"}],
    )["UserSub"]
    cognito.confirm_sign_up(ClientId=stack.client_id, Username=email, ConfirmationCode="123456")
    result = cognito.initiate_auth(
        ClientId=stack.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": PASSWORD},
    )["AuthenticationResult"]

    me = stack.call("GET", "/me", token=f"Bearer {result['IdToken']}")
    assert me.status == 200, me.body
    assert (me.body["tenant_id"], me.body["role"]) == (f"personal-{sub}", "member")
    weight = {"measured_at": "2026-01-05T07:30:00+01:00", "weight": {"value": 70, "unit": "kg"}}
    assert stack.call("POST", "/weights", weight, token=result["IdToken"]).status == 201


def test_a_browser_may_read_the_local_cognitos_own_answers(stack):
    """Amplify calls Cognito from the page: what the local layer answers itself carries CORS too."""
    body = json.dumps({"ClientId": stack.client_id, "RefreshToken": "not-a-token"}).encode()
    request = urllib.request.Request(
        stack.aws,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AWSCognitoIdentityProviderService.GetTokensFromRefreshToken",
            "Origin": stack.origin,
        },
    )
    try:
        urllib.request.urlopen(request, timeout=10)
        raise AssertionError("an unknown refresh token was accepted")
    except urllib.error.HTTPError as error:
        assert error.code == 400
        assert json.loads(error.read())["__type"] == "NotAuthorizedException"
        assert error.headers["Access-Control-Allow-Origin"] == "*"

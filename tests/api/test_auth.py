import pytest

from chalicelib.policy import MESSAGE as PASSWORD_POLICY
from tests.conftest import PASSWORD


def test_sign_up_answers_201_with_the_user_id_unconfirmed(api, users):
    answer = users.sign_up()
    assert answer.status == 201
    assert set(answer.body) == {"user_id", "confirmed"}
    assert answer.body["confirmed"] is False


def test_sign_up_assigns_a_personal_tenant_and_the_member_role(api, user):
    me = api.get("/me", token=user.token).body
    assert me == {
        "user_id": user.user_id,
        "email": user.email,
        "tenant_id": f"personal-{user.user_id}",
        "role": "member",
        "parent_business_id": None,
    }


def test_sign_up_creates_the_profile_with_the_given_name(api, users):
    email = users.new_email()
    users.sign_up(email, name="Ada Runner")
    api.post("/auth/confirm", {"email": email, "code": "123456"})
    user = users.log_in(email, PASSWORD, "")
    assert api.get("/me/profile", token=user.token).body["display_name"] == "Ada Runner"


def test_sign_up_with_an_existing_email_is_409(api, users, user):
    answer = users.sign_up(user.email)
    assert answer.status == 409
    assert answer.body["error"]["code"] == "email_taken"


def test_sign_up_ignores_no_case_an_existing_email_differs_by(api, users, user):
    assert users.sign_up(user.email.upper()).status == 409


@pytest.mark.parametrize(
    "password, missing",
    [
        ("Short-1a", "at least 12 characters"),
        ("no-upper-case-1", "an upper-case letter"),
        ("NO-LOWER-CASE-1", "a lower-case letter"),
        ("No-digits-at-all", "a digit"),
        ("NoSymbolsHere123", "a symbol"),
    ],
)
def test_a_weak_password_is_400_and_states_the_policy(api, users, password, missing):
    answer = users.sign_up(password=password)
    assert answer.status == 400
    assert answer.body["error"]["code"] == "weak_password"
    assert answer.body["error"]["message"] == PASSWORD_POLICY
    assert missing in answer.body["error"]["details"]["password"][0]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"password": PASSWORD, "name": "A"}, "email"),
        ({"email": "not-an-email", "password": PASSWORD, "name": "A"}, "email"),
        ({"email": "a@example.com", "name": "A"}, "password"),
        ({"email": "a@example.com", "password": PASSWORD}, "name"),
        ({"email": "a@example.com", "password": PASSWORD, "name": ""}, "name"),
        ({"email": "a@example.com", "password": PASSWORD, "name": "A", "role": "admin"}, "role"),
        ({"email": "a@example.com", "password": PASSWORD, "name": "A", "custom:tenant_id": "x"}, "custom:tenant_id"),
        ({"email": 42, "password": PASSWORD, "name": "A"}, "email"),
    ],
)
def test_sign_up_names_each_invalid_field(api, body, field):
    answer = api.post("/auth/signup", body)
    assert answer.status == 400
    assert answer.body["error"]["code"] == "validation_error"
    assert field in answer.body["error"]["details"]


def test_login_before_confirming_is_403(api, users):
    email = users.new_email()
    users.sign_up(email)
    answer = api.post("/auth/login", {"email": email, "password": PASSWORD})
    assert answer.status == 403
    assert answer.body["error"]["code"] == "user_not_confirmed"


def test_login_returns_the_three_tokens(api, user):
    answer = api.post("/auth/login", {"email": user.email, "password": user.password})
    assert answer.status == 200
    assert set(answer.body) == {
        "id_token",
        "access_token",
        "refresh_token",
        "expires_in",
        "token_type",
        "challenge_name",
        "session",
    }
    assert answer.body["challenge_name"] is None and answer.body["session"] is None
    assert answer.body["token_type"] == "Bearer"
    assert isinstance(answer.body["expires_in"], int)


def test_wrong_password_and_unknown_email_get_the_same_401(api, user):
    wrong_password = api.post("/auth/login", {"email": user.email, "password": "Wrong-password-123"})
    unknown_email = api.post("/auth/login", {"email": "nobody-here@example.com", "password": "Wrong-password-123"})
    assert wrong_password.status == unknown_email.status == 401
    assert wrong_password.body["error"] | {"x": 1} == unknown_email.body["error"] | {"x": 1}


def test_confirming_an_unknown_account_is_400_like_a_wrong_code(api):
    answer = api.post("/auth/confirm", {"email": "nobody-here@example.com", "code": "123456"})
    assert answer.status == 400
    assert answer.body["error"]["code"] == "invalid_code"


def test_refresh_returns_a_working_id_token(api, user):
    answer = api.post("/auth/refresh", {"refresh_token": user.refresh_token})
    assert answer.status == 200
    assert set(answer.body) == {"id_token", "access_token", "expires_in", "token_type", "claims"}
    assert answer.body["claims"] == {
        "tenant_id": f"personal-{user.user_id}",
        "role": "member",
        "parent_business_id": None,
    }
    assert api.get("/me", token=answer.body["id_token"]).body["user_id"] == user.user_id


def test_an_unknown_refresh_token_is_401(api):
    answer = api.post("/auth/refresh", {"refresh_token": "not-a-refresh-token"})
    assert answer.status == 401
    assert answer.body["error"]["code"] == "invalid_refresh_token"


def test_forgot_password_answers_the_same_whether_or_not_the_account_exists(api, user):
    known = api.post("/auth/forgot-password", {"email": user.email})
    unknown = api.post("/auth/forgot-password", {"email": "nobody-here@example.com"})
    assert known.status == unknown.status == 202
    assert known.body == unknown.body


def test_reset_password_with_the_code_replaces_the_password(api, users, user):
    code = users.reset_code(user.email)
    answer = api.post("/auth/reset-password", {"email": user.email, "code": code, "new_password": "Brand-new-pass-42"})
    assert answer.status == 200
    assert api.post("/auth/login", {"email": user.email, "password": user.password}).status == 401
    assert api.post("/auth/login", {"email": user.email, "password": "Brand-new-pass-42"}).status == 200


def test_reset_password_with_a_wrong_code_is_400_and_keeps_the_password(api, users, user):
    users.reset_code(user.email)
    answer = api.post(
        "/auth/reset-password",
        {"email": user.email, "code": "moto-confirmation-code:000000", "new_password": "Brand-new-pass-42"},
    )
    assert answer.status == 400
    assert answer.body["error"]["code"] == "invalid_code"
    assert api.post("/auth/login", {"email": user.email, "password": user.password}).status == 200


def test_reset_password_refuses_a_weak_new_password(api, users, user):
    code = users.reset_code(user.email)
    answer = api.post("/auth/reset-password", {"email": user.email, "code": code, "new_password": "weak"})
    assert answer.status == 400
    assert answer.body["error"]["code"] == "weak_password"
    assert "new_password" in answer.body["error"]["details"]


@pytest.mark.parametrize(
    "path, body, field",
    [
        ("/auth/confirm", {"email": "a@example.com", "code": "123456\n"}, "code"),
        ("/auth/confirm", {"email": "a@example.com", "code": ""}, "code"),
        ("/auth/login", {"email": "a" * 120 + "@example.com", "password": "x"}, "email"),
        ("/auth/reset-password", {"email": "a@example.com", "code": "1 2", "new_password": PASSWORD}, "code"),
    ],
)
def test_details_cognito_would_refuse_are_400_before_reaching_it(api, path, body, field):
    answer = api.post(path, body)
    assert answer.status == 400
    assert field in answer.body["error"]["details"]


def test_a_password_with_a_space_at_either_end_is_weak(api, users):
    answer = users.sign_up(password=f" {PASSWORD}")
    assert answer.status == 400
    assert "no space at the start or the end" in answer.body["error"]["details"]["password"][0]

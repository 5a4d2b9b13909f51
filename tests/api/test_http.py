"""The conventions every route shares: the error envelope, headers, logs, CORS."""

import json
import os
import subprocess
import sys

import pytest

from chalicelib.api.body import MAX_BODY_BYTES
from tests.conftest import ROOT


def _assert_envelope(answer, status, code):
    assert answer.status == status
    assert set(answer.body) == {"error", "request_id"}
    assert answer.body["error"]["code"] == code
    assert answer.body["error"]["message"]
    assert isinstance(answer.body["error"]["details"], dict)


def test_malformed_json_is_400_in_the_envelope(api, user):
    _assert_envelope(api.patch("/me/profile", raw=b'{"bio": ', token=user.token), 400, "malformed_json")


@pytest.mark.parametrize("raw", [b"NaN", b'{"height_cm": Infinity}', b"[" * 100_000, b"\xff\xfe"])
def test_json_that_python_would_accept_or_choke_on_is_400(api, user, raw):
    _assert_envelope(api.patch("/me/profile", raw=raw, token=user.token), 400, "malformed_json")


@pytest.mark.parametrize("raw", [b"[]", b'"text"', b"42", b"null"])
def test_a_body_that_is_not_an_object_is_400(api, user, raw):
    _assert_envelope(api.patch("/me/profile", raw=raw, token=user.token), 400, "validation_error")


def test_a_missing_body_is_400(api, user):
    _assert_envelope(api.request("PATCH", "/me/profile", token=user.token), 400, "missing_body")


def test_a_body_over_one_megabyte_is_413(api, user):
    raw = json.dumps({"bio": "x" * (MAX_BODY_BYTES + 1)}).encode()
    _assert_envelope(api.patch("/me/profile", raw=raw, token=user.token), 413, "payload_too_large")


def test_a_wrong_content_type_is_415_in_the_envelope(api, user):
    answer = api.patch("/me/profile", raw=b"bio=x", token=user.token, headers={"Content-Type": "text/plain"})
    _assert_envelope(answer, 415, "unsupported_media_type")


def test_a_wrong_method_is_405_in_the_envelope(api, user):
    _assert_envelope(api.request("DELETE", "/me/preferences", token=user.token), 405, "method_not_allowed")


def test_every_answer_carries_no_store_and_nosniff(api, user):
    for answer in (api.get("/health"), api.get("/me", token=user.token), api.get("/me")):
        assert answer.headers["Cache-Control"] == "no-store"
        assert answer.headers["X-Content-Type-Options"] == "nosniff"


def test_a_correlation_id_is_echoed_or_made(api):
    echoed = api.get("/health", headers={"X-Correlation-Id": "trace-123.abc"})
    assert echoed.headers["X-Correlation-Id"] == "trace-123.abc"
    made = api.get("/health", headers={"X-Correlation-Id": "bad id\nwith newline"})
    assert made.headers["X-Correlation-Id"] not in ("", "bad id\nwith newline")


def test_error_answers_carry_a_request_id(api):
    answer = api.post("/auth/login", {"email": "x"})
    assert answer.body["request_id"] not in ("", "-")


def test_cors_allows_the_configured_front_end_origin_only(api):
    # The preflight (OPTIONS) is API Gateway's; chalice's test client cannot answer it, so the
    # end-to-end suite checks it over HTTP.
    answer = api.get("/health", headers={"Origin": "https://evil.example"})
    assert answer.headers["Access-Control-Allow-Origin"] == "http://127.0.0.1:5173"


def test_health_is_public(api):
    answer = api.get("/health")
    assert answer.status == 200
    assert answer.body == {"status": "ok"}


def test_one_log_line_per_request_without_secrets(api, users, capsys):
    capsys.readouterr()
    email = users.new_email()
    password = "Logged-never-99!"
    users.sign_up(email, password)
    api.post("/auth/confirm", {"email": email, "code": "123456"})
    tokens = api.post("/auth/login", {"email": email, "password": password}, headers={"X-Correlation-Id": "c-1"}).body
    api.get("/me", token=tokens["id_token"])
    output = capsys.readouterr().out
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    assert [line["route"] for line in lines] == ["/auth/signup", "/auth/confirm", "/auth/login", "/me"]
    for line in lines:
        assert {
            "request_id",
            "correlation_id",
            "route",
            "method",
            "status",
            "latency_ms",
            "user_id",
            "tenant_id",
        } <= set(line)
    assert lines[2]["correlation_id"] == "c-1"
    assert lines[3]["user_id"] and lines[3]["tenant_id"]
    for secret in (email, password, tokens["id_token"], tokens["access_token"], tokens["refresh_token"], "Test Person"):
        assert secret not in output


def test_importing_the_app_makes_no_aws_client_and_no_network_call():
    probe = """
import socket, sys
def refuse(*args, **kwargs):
    raise AssertionError("network call during import")
socket.socket.connect = refuse
socket.create_connection = refuse
import app
assert "boto3" not in sys.modules and "botocore" not in sys.modules, "boto loaded at import"
print("clean")
"""
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={key: value for key, value in os.environ.items() if not key.startswith("AWS_ENDPOINT")},
    )
    assert result.stdout.strip() == "clean", result.stderr


@pytest.mark.parametrize(
    "raw",
    [b'{"weekly_workout_goal": 1e999999999}', b'{"weekly_workout_goal": -1e999999999}', b'{"units": "\\ud800"}'],
    ids=["huge_exponent", "huge_negative_exponent", "lone_surrogate"],
)
def test_numbers_and_text_no_store_can_keep_are_400_at_once(api, user, raw):
    _assert_envelope(api.put("/me/preferences", raw=raw, token=user.token), 400, "malformed_json")


def test_a_lone_surrogate_in_a_key_is_400(api, user):
    _assert_envelope(api.patch("/me/profile", raw=b'{"\\udfff": 1}', token=user.token), 400, "malformed_json")

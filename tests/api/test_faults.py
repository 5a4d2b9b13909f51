"""AWS failing as AWS does: throttling, unavailability, timeouts. botocore retries first (standard
mode); then the caller gets a 503 with Retry-After (429 for Cognito's throttling), nothing is half
written, and the log names what failed without any user data."""

import json

import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ReadTimeoutError

from chalicelib import deps
from tests.catalog import WEIGHT


class _Raw:
    def __init__(self, body: bytes):
        self._body = body

    def stream(self, **_):
        yield self._body


class Faults:
    """Answers chosen AWS operations with an error at the HTTP level, inside botocore's retry loop."""

    def __init__(self):
        self.registered = []
        self.attempts = 0

    def fail(self, service, operation, code, status=400, times=None, protocol="json", extra=None):
        def answer(request, **_):
            if times is not None and self.attempts >= times:
                return None
            self.attempts += 1
            if protocol == "xml":
                body = f"<Error><Code>{code}</Code><Message>injected</Message></Error>".encode()
                headers = {"Content-Type": "application/xml"}
            else:
                body = json.dumps({"__type": code, "message": "injected", **(extra or {})}).encode()
                headers = {"Content-Type": "application/x-amz-json-1.0", "x-amzn-ErrorType": code}
            return AWSResponse(request.url, status, headers, _Raw(body))

        self._register(service, f"before-send.{service}.{operation}", answer)

    def time_out(self, service, operation):
        def answer(request, **_):
            self.attempts += 1
            raise ReadTimeoutError(endpoint_url=request.url)

        self._register(service, f"before-send.{service}.{operation}", answer)

    def _register(self, service, event, handler):
        events = deps.aws_client(service).meta.events
        events.register(event, handler)
        self.registered.append((events, event, handler))

    def clear(self):
        for events, event, handler in self.registered:
            events.unregister(event, handler)


@pytest.fixture
def faults(api, user, monkeypatch):
    api.get("/me/preferences", token=user.token)  # the clients exist, the preferences are cached
    # botocore still retries every failure as deployed; only its backoff's wait is skipped.
    monkeypatch.setattr("botocore.endpoint.time.sleep", lambda seconds: None)
    injected = Faults()
    yield injected
    injected.clear()


@pytest.mark.parametrize(
    "code, status",
    [
        ("ProvisionedThroughputExceededException", 400),
        ("ThrottlingException", 400),
        ("InternalServerError", 500),
        ("ServiceUnavailable", 503),
    ],
)
def test_dynamodb_failing_is_a_503_with_retry_after_after_botocore_retried(api, user, faults, code, status):
    faults.fail("dynamodb", "GetItem", code, status)
    answer = api.get("/me/profile", token=user.token)
    assert answer.status == 503
    assert answer.headers["Retry-After"] == "2"
    assert answer.body["error"]["code"] == "service_unavailable"
    assert faults.attempts == 4  # standard mode, max_attempts 3: the first try and three retries


def test_a_throttle_that_passes_is_retried_and_nobody_notices(api, user, faults):
    faults.fail("dynamodb", "GetItem", "ProvisionedThroughputExceededException", times=2)
    assert api.get("/me/profile", token=user.token).status == 200
    assert faults.attempts == 2


def test_a_timeout_is_a_503(api, user, faults):
    faults.time_out("dynamodb", "Query")
    answer = api.get("/weights", token=user.token)
    assert answer.status == 503
    assert answer.body["error"]["code"] == "service_unavailable"


def test_a_failed_create_writes_nothing(api, user, faults):
    faults.fail("dynamodb", "TransactWriteItems", "InternalServerError", 500)
    assert api.post("/weights", WEIGHT, token=user.token).status == 503
    faults.clear()
    assert api.get("/weights", token=user.token).body["items"] == []


def test_a_transaction_cancelled_halfway_leaves_nothing_half_written(api, user, faults):
    # DynamoDB cancels the whole transaction; a like and its counter go together or not at all.
    post = api.post("/posts", {"text": "x"}, token=user.token).body
    faults.fail("dynamodb", "TransactWriteItems", "TransactionCanceledException")
    assert api.request("PUT", f"/posts/{post['id']}/like", token=user.token).status == 503
    faults.clear()
    seen = api.get(f"/posts/{post['id']}", token=user.token).body
    assert (seen["like_count"], seen["liked_by_me"]) == (0, False)


def test_preferences_racing_another_write_are_retried_not_taken_for_a_deleted_account(api, user, faults):
    # The e-mail run moves the same schedule items the preferences' transaction writes.
    conflict = {"CancellationReasons": [{"Code": "TransactionConflict"}, {"Code": "None"}, {"Code": "None"}]}
    faults.fail("dynamodb", "TransactWriteItems", "TransactionCanceledException", times=1, extra=conflict)
    prefs = {"notifications": {"email_reminders": True, "weekly_summary": False}}
    answer = api.put("/me/preferences", prefs, token=user.token)
    assert answer.status == 200, answer.body
    assert faults.attempts == 1


def test_s3_unavailable_on_completing_an_upload_is_a_503(api, user, faults):
    from tests.uploads import upload

    media_id = upload(api, user)
    faults.fail("s3", "HeadObject", "ServiceUnavailable", 503, protocol="xml")
    assert api.post(f"/media/{media_id}/complete", token=user.token).status == 503
    faults.clear()
    assert api.post(f"/media/{media_id}/complete", token=user.token).status == 200  # nothing was lost


def test_cognito_throttling_is_a_429_with_retry_after(api, user, faults):
    faults.fail("cognito-idp", "InitiateAuth", "TooManyRequestsException")
    answer = api.post("/auth/login", {"email": user.email, "password": user.password})
    assert answer.status == 429
    assert answer.headers["Retry-After"] == "30"


def test_the_log_says_what_failed_and_nothing_about_the_user(api, user, faults, capsys):
    faults.fail("dynamodb", "GetItem", "ProvisionedThroughputExceededException")
    capsys.readouterr()
    api.get("/me/profile", token=user.token)
    output = capsys.readouterr().out
    failure = next(json.loads(line) for line in output.splitlines() if '"dependency_failed"' in line)
    assert failure["operation"] == "GetItem" and failure["aws_code"] == "ProvisionedThroughputExceededException"
    for private in (user.email, user.token, "Test Person"):
        assert private not in output

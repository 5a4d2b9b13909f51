"""`make smoke` against the local stack, as CI runs it against `make run`: both journeys pass, and a
failing step says which, skips the rest and fails the run."""

from __future__ import annotations

import secrets
from types import SimpleNamespace
from typing import Any

from devtools import smoke
from tests.e2e.staff import enrol_staff
from tests.e2e.test_journey import PASSWORD, _new_user
from tests.e2e.test_social import _refreshed
from tests.uploads import ready_video_upload


def journey(stack, **facts) -> tuple[smoke.Journey, list[str]]:  # type: ignore[no-untyped-def]
    run = smoke.Journey(stack.api, f"smoke-{secrets.token_hex(4)}")
    run.facts.update(facts)
    return run, []


def test_the_operator_account_journey_passes_and_leaves_the_account(stack) -> None:  # type: ignore[no-untyped-def]
    run, lines = journey(stack, email=stack.demo_email, password=stack.demo_password)
    assert smoke.run(run, signing_up=False, out=lines.append)
    assert [line.split(":")[0] for line in lines[1:-1]] == [
        "PASS health",
        "PASS login",
        "PASS weight",
        "PASS read back",
        "PASS summary",
        "PASS export",
        "SKIP video stream",  # the demo account's library is empty (a gym's video: below)
        "PASS delete weight",
    ]
    assert lines[-1] == "smoke: passed"
    assert stack.call("POST", "/auth/login", {"email": stack.demo_email, "password": stack.demo_password}).status == 200


def test_the_signup_journey_ends_with_the_account_gone(stack) -> None:  # type: ignore[no-untyped-def]
    email = f"smoke-{secrets.token_hex(4)}@stride.local"
    # moto checks no confirmation code (real Cognito e-mails one: the operator types it or passes --code).
    run, lines = journey(stack, email=email, password="Sm0ke-Journey-a1Z", code="123456")
    assert smoke.run(run, signing_up=True, out=lines.append), lines
    assert lines[2].startswith("PASS signup") and lines[3].startswith("PASS confirm")
    assert lines[-2].startswith("PASS delete account: deleted, login now 401")


def test_a_failing_step_is_named_and_the_rest_are_skipped(stack) -> None:  # type: ignore[no-untyped-def]
    run, lines = journey(stack, email=stack.demo_email, password="Not-the-password-1")
    assert not smoke.run(run, signing_up=False, out=lines.append)
    assert lines[2] == "FAIL login: POST /auth/login: expected 200, got 401 invalid_credentials"
    assert lines[3:-1] == [
        f"SKIP {name}" for name in ("weight", "read back", "summary", "export", "video stream", "delete weight")
    ]
    assert lines[-1] == "smoke: FAILED"


def test_an_unreachable_stage_fails_at_the_first_step() -> None:
    run = smoke.Journey("http://127.0.0.1:9", "smoke-x", timeout=2)
    lines: list[str] = []
    assert not smoke.run(run, signing_up=False, out=lines.append)
    assert lines[1].startswith("FAIL health: GET /health: no answer")


class _StackApi:
    """tests/uploads.py's `api` over real HTTP."""

    def __init__(self, stack) -> None:  # type: ignore[no-untyped-def]
        self._stack = stack

    def post(self, path: str, body: Any = None, token: str | None = None) -> Any:
        return self._stack.call("POST", path, body, token=token)


def test_a_member_of_a_gym_with_a_video_streams_it(stack) -> None:  # type: ignore[no-untyped-def]
    """The "video stream" step passes where the library has a video: its signed link (S3's here, a
    stage's CloudFront one deployed) answers the first byte."""
    _, _, coach = _new_user(stack)
    founded = stack.call("POST", "/businesses", {"name": "Smoke Gym"}, token=coach["id_token"])
    assert founded.status == 201, founded.body
    business_id = founded.body["business"]["id"]
    enrol_staff(stack, coach["access_token"], coach["id_token"])
    staff = SimpleNamespace(token=_refreshed(stack, coach, business_id))
    media_id = ready_video_upload(_StackApi(stack), staff)
    video = {"title": "Warm-up", "duration_s": 60, "tags": ["warmup"], "media_id": media_id}
    assert stack.call("POST", "/videos", video, token=staff.token).status == 201
    email, _, member = _new_user(stack)
    invited = stack.call(
        "POST", f"/businesses/{business_id}/invites", {"email": email, "role": "member"}, token=staff.token
    )
    assert stack.call("POST", f"/invites/{invited.body['code']}/accept", token=member["id_token"]).status == 200

    run, lines = journey(stack, email=email, password=PASSWORD)
    assert smoke.run(run, signing_up=False, out=lines.append), lines
    [streamed] = [line for line in lines if line.startswith("PASS video stream")]
    assert "signed link answers 20" in streamed, streamed

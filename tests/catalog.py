"""One typical request for every route of the app, made ready for a given user.

The call-budget test runs each one and counts its AWS calls; the ownership walk runs the
requests prepared for one user with another user's token. A route without an entry here fails
`test_every_route_has_a_typical_request`, so a route added later is covered automatically.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from chalicelib.domains.tasks.public import TASKS
from chalicelib.domains.weights.public import WEIGHTS
from chalicelib.domains.workouts.public import WORKOUTS
from chalicelib.repositories.items import Kind
from devtools.totp import code_at
from tests import mfa
from tests.businesses import enrol_staff, found_business, invite, join, refresh
from tests.conftest import PASSWORD
from tests.uploads import ready_media, ready_video_upload, upload

WEIGHT = {"measured_at": "2026-01-05T07:30:00+01:00", "weight": {"value": 80.5, "unit": "kg"}}
WORKOUT = {"started_at": "2026-01-05T18:00:00+01:00", "duration_min": 40, "type": "cardio", "title": "Run"}
TASK = {"title": "Stretch", "due_date": "2026-01-07"}
ANSWERS = {"push_ups": 12, "squats_in_60s": 30, "plank_seconds": 45, "active_days": "1-2", "jog_10_minutes": True}
ASSESSMENT = {
    "title": "Grip check",
    "questions": [
        {"id": "hang_seconds", "prompt": "Dead hang, seconds?", "type": "integer", "weight": 1, "min": 0, "max": 300}
    ],
}


@dataclass
class Request:
    method: str
    path: str
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    public: bool = False
    # The id the request addresses, owned by the user it was prepared for.
    owned_id: str | None = None
    # Where the owner reads what the request addresses (default: the item's own path).
    readback: str | None = None
    # A body sent as it is (a file), with its Content-Type in `headers`.
    raw: bytes | None = None

    def send(self, api: Any, token: str | None) -> Any:
        return api.request(
            self.method, self.path, self.body, token=None if self.public else token, headers=self.headers, raw=self.raw
        )


def seed_weights(user_id: str, count: int) -> None:
    """`count` weights straight into the person's partition (a long history without the requests)."""
    from chalicelib import deps
    from chalicelib.config import settings
    from chalicelib.repositories.dynamo import home_partition

    table = settings().table_name
    items = [
        {
            "PutRequest": {
                "Item": {
                    "PK": {"S": home_partition(user_id)},
                    "SK": {"S": f"WEIGHT#{index:026d}"},
                    "TSK": {"S": f"WEIGHT#2020-01-01T00:00:00.000Z#{index:026d}"},
                    "id": {"S": f"{index:026d}"},
                    "measured_at": {"S": "2020-01-01"},
                    "at": {"S": "2020-01-01T00:00:00.000Z"},
                    "weight_kg": {"N": "80"},
                    "entered": {"M": {"value": {"N": "80"}, "unit": {"S": "kg"}}},
                    "created_at": {"S": "2020-01-01T00:00:00.000Z"},
                    "updated_at": {"S": "2020-01-01T00:00:00.000Z"},
                    "version": {"N": "1"},
                }
            }
        }
        for index in range(count)
    ]
    for start in range(0, len(items), 25):
        deps.aws_client("dynamodb").batch_write_item(RequestItems={table: items[start : start + 25]})


def _export_job(api: Any, user: Any) -> Request:
    """An export too large for one read: built in the background, polled at its Location."""
    seed_weights(user.user_id, 1_001)
    answer = api.get("/me/export", token=user.token)
    assert answer.status == 202, answer.body
    location = next(value for name, value in answer.headers.items() if name.lower() == "location")
    return Request("GET", location, owned_id=answer.body["id"], readback=location)


def _import_job(api: Any, user: Any) -> Request:
    """An import too large for the request: written in the background, polled at its Location."""
    from chalicelib.domains.account.service import INLINE_IMPORT_RECORDS
    from chalicelib.ids import new_id

    weights = [{**WEIGHT, "id": new_id()} for _ in range(INLINE_IMPORT_RECORDS + 1)]
    answer = api.post("/me/import", {"schema_version": 1, "weights": weights}, token=user.token)
    assert answer.status == 202, answer.body
    location = next(value for name, value in answer.headers.items() if name.lower() == "location")
    return Request("GET", location, owned_id=answer.body["id"], readback=location)


def _created(api: Any, user: Any, collection: str, body: dict[str, Any]) -> str:
    answer = api.post(f"/{collection}", body, token=user.token)
    assert answer.status == 201, answer.body
    return answer.body["id"]


def item_path(kind: Kind) -> str:
    """The path of one item of a plain tracked collection: /weights/{weight_id}."""
    return f"/{kind.name}/{{{kind.singular}_id}}"


def _item_routes(kind: Kind, body: dict[str, Any], patch: dict[str, Any]) -> dict[tuple[str, str], Callable]:
    collection, singular = kind.name, item_path(kind)

    def on_item(method: str, payload: Any = None) -> Callable:
        def prepare(api: Any, users: Any, user: Any) -> Request:
            item_id = _created(api, user, collection, body)
            return Request(method, f"/{collection}/{item_id}", payload, owned_id=item_id)

        return prepare

    def listing(api: Any, users: Any, user: Any) -> Request:
        item_id = _created(api, user, collection, body)
        return Request("GET", f"/{collection}", owned_id=item_id)

    return {
        ("POST", f"/{collection}"): lambda api, users, user: Request("POST", f"/{collection}", body),
        ("GET", f"/{collection}"): listing,
        ("GET", singular): on_item("GET"),
        ("PATCH", singular): on_item("PATCH", patch),
        ("DELETE", singular): on_item("DELETE"),
    }


def _reset(api: Any, users: Any, user: Any) -> Request:
    code = users.reset_code(user.email)
    body = {"email": user.email, "code": code, "new_password": PASSWORD}
    return Request("POST", "/auth/reset-password", body, public=True)


def _unsubscribe(method: str) -> Callable:
    def prepare(api: Any, users: Any, user: Any) -> Request:
        from chalicelib import deps

        preferences = {"notifications": {"email_reminders": True, "weekly_summary": False}}
        assert api.put("/me/preferences", preferences, token=user.token).status == 200
        link = urlparse(deps.reminders().unsubscribe_url(user.user_id, "email_reminders"))
        form = {"Content-Type": "application/x-www-form-urlencoded"} if method == "POST" else {}
        return Request(method, f"{link.path}?{link.query}", headers=form, public=True)

    return prepare


def _public(method: str, path: str, body: Callable[[Any, Any], Any] | None = None) -> Callable:
    return lambda api, users, user: Request(method, path, body(users, user) if body else None, public=True)


def _logout(api: Any, users: Any, user: Any) -> Request:
    """A sign-out of a second sign-in (the fixture's own refresh token stays good)."""
    login = api.post("/auth/login", {"email": user.email, "password": PASSWORD})
    assert login.status == 200, login.body
    return Request("POST", "/auth/logout", {"refresh_token": login.body["refresh_token"]}, public=True)


def _mfa_login(api: Any, users: Any, user: Any) -> Request:
    now = time.time()
    secret = mfa.enrol(api, user, now)
    body = {"email": user.email, "session": mfa.challenge(api, user), "code": mfa.next_code(secret, now)}
    return Request("POST", "/auth/login/mfa", body, public=True)


def _totp_code(method: str, path: str, enrolled: bool) -> Callable:
    def prepare(api: Any, users: Any, user: Any) -> Request:
        now = time.time()
        code = mfa.next_code(mfa.enrol(api, user, now), now) if enrolled else code_at(mfa.start(api, user), now)
        proof = {"password": PASSWORD} if enrolled else {}
        return Request(method, path, {"access_token": user.access_token, "code": code, **proof})

    return prepare


def _post(api: Any, user: Any, liked: bool = False) -> str:
    post_id = _created(api, user, "posts", {"text": "Leg day done"})
    if liked:
        assert api.request("PUT", f"/posts/{post_id}/like", token=user.token).status == 204
    return post_id


def _on_post(method: str, suffix: str = "", body: Any = None, liked: bool = False) -> Callable:
    def prepare(api: Any, users: Any, user: Any) -> Request:
        post_id = _post(api, user, liked)
        return Request(method, f"/posts/{post_id}{suffix}", body, owned_id=post_id, readback=f"/posts/{post_id}")

    return prepare


def _comment(method: str, body: Any = None) -> Callable:
    def prepare(api: Any, users: Any, user: Any) -> Request:
        post_id = _post(api, user)
        comment_id = _created(api, user, f"posts/{post_id}/comments", {"text": "Nice"})
        return Request(
            method, f"/comments/{comment_id}", body, owned_id=comment_id, readback=f"/posts/{post_id}/comments"
        )

    return prepare


def _listing(path: Callable[[Any], str]) -> Callable:
    def prepare(api: Any, users: Any, user: Any) -> Request:
        post_id = _post(api, user)
        return Request("GET", path(user), owned_id=post_id, readback=f"/posts/{post_id}")

    return prepare


def _media(method: str, suffix: str, ready: bool) -> Callable:
    def prepare(api: Any, users: Any, user: Any) -> Request:
        media_id = ready_media(api, user) if ready else upload(api, user)
        # Pending media has no link yet; the owner sees its state in the export.
        readback = f"/media/{media_id}" if ready else "/me/export"
        return Request(method, f"/media/{media_id}{suffix}", owned_id=media_id, readback=readback)

    return prepare


def _activity_file() -> bytes:
    from tests.fixtures.activities import files, make, tracks

    return files.watch_gpx(tracks.realistic(**make.RUN))  # type: ignore[arg-type]


def _upload_activity(api: Any, users: Any, user: Any) -> Request:
    return Request("POST", "/workouts/files", raw=_activity_file(), headers={"Content-Type": "application/gpx+xml"})


def _activity_upload(api: Any, users: Any, user: Any) -> Request:
    media_id = ready_media(api, user, content=_activity_file(), purpose="activity", content_type="application/gpx+xml")
    answer = api.post("/workouts/files", {"media_id": media_id}, token=user.token)
    assert answer.status == 202, answer.body
    location = f"/workouts/files/{media_id}"
    return Request("GET", location, owned_id=media_id, readback=location)


def _on_track(suffix: str, accept: str = "application/json") -> Callable:
    def prepare(api: Any, users: Any, user: Any) -> Request:
        sent = _upload_activity(api, users, user).send(api, user.token)
        assert sent.status == 201, sent.body
        workout_id = sent.body["id"]
        path = f"/workouts/{workout_id}{suffix}"
        return Request("GET", path, headers={"Accept": accept}, owned_id=workout_id, readback=f"/workouts/{workout_id}")

    return prepare


def _video(api: Any, users: Any, user: Any) -> str:
    """A video of the user's tenant, added by the user made a coach (their token changes)."""
    users.grant(user, role="coach")
    body = {"title": "Mobility", "duration_s": 600, "tags": ["mobility"], "media_id": ready_video_upload(api, user)}
    return _created(api, user, "videos", body)


def _add_video(api: Any, users: Any, user: Any) -> Request:
    users.grant(user, role="coach")
    return Request("POST", "/videos", {"title": "Squat", "duration_s": 90, "media_id": ready_video_upload(api, user)})


def _on_video(method: str, suffix: str = "", body: Any = None, watched: bool = False) -> Callable:
    def prepare(api: Any, users: Any, user: Any) -> Request:
        video_id = _video(api, users, user)
        if watched:
            assert api.put(f"/videos/{video_id}/progress", {"position_s": 60}, token=user.token).status == 200
        readback = f"/videos/{video_id}/progress" if "progress" in suffix else f"/videos/{video_id}"
        return Request(method, f"/videos/{video_id}{suffix}", body, owned_id=video_id, readback=readback)

    return prepare


def _video_listing(path: str, watched: bool = False) -> Callable:
    def prepare(api: Any, users: Any, user: Any) -> Request:
        addressed = _on_video("GET", "/progress" if watched else "", watched=watched)(api, users, user)
        return Request("GET", path, owned_id=addressed.owned_id, readback=addressed.readback)

    return prepare


def _business(method: str, suffix: str = "", body: Any = None) -> Callable:
    def prepare(api: Any, users: Any, user: Any) -> Request:
        business_id = found_business(api, user)
        readback = f"/businesses/{business_id}"
        return Request(method, f"/businesses/{business_id}{suffix}", body, owned_id=business_id, readback=readback)

    return prepare


def _pending_invite(method: str) -> Callable:
    """An admin's business with one pending invitation: the list, or the invitation's own path."""

    def prepare(api: Any, users: Any, user: Any) -> Request:
        business_id = found_business(api, user)
        made = api.post(
            f"/businesses/{business_id}/invites", {"email": "x@example.com", "role": "member"}, token=user.token
        )
        assert made.status == 201, made.body
        readback = f"/businesses/{business_id}/invites"
        path = readback if method == "GET" else f"{readback}/{made.body['id']}"
        return Request(method, path, owned_id=business_id, readback=readback)

    return prepare


def _member(method: str, body: Any = None) -> Callable:
    def prepare(api: Any, users: Any, user: Any) -> Request:
        business_id = found_business(api, user)
        member = join(api, users, user, business_id)
        path = f"/businesses/{business_id}/members/{member.user_id}"
        return Request(method, path, body, owned_id=business_id, readback=f"/businesses/{business_id}/members")

    return prepare


def _accept(api: Any, users: Any, user: Any) -> Request:
    admin = users.create()
    code = invite(api, admin, found_business(api, admin), user.email)
    return Request("POST", f"/invites/{code}/accept", owned_id=code, readback="/me/export")


def _submitted(api: Any, user: Any) -> dict[str, Any]:
    answer = api.post("/assessments/baseline/submissions", {"answers": ANSWERS}, token=user.token)
    assert answer.status == 201, answer.body
    return answer.body


def _as_admin(api: Any, users: Any, user: Any) -> Request:
    users.grant(user, role="admin")
    return Request("POST", "/assessments", ASSESSMENT)


def _submission_to_own_assessment(api: Any, users: Any, user: Any) -> Request:
    # A tenant's own assessment: another tenant's member cannot find it (the baseline is everyone's).
    users.grant(user, role="admin")
    assessment_id = _created(api, user, "assessments", ASSESSMENT)
    body = {"answers": {"hang_seconds": 40}}
    path = f"/assessments/{assessment_id}/submissions"
    return Request("POST", path, body, owned_id=assessment_id, readback="/programs")


def _on_assessment(method: str, body: Any = None) -> Callable:
    def prepare(api: Any, users: Any, user: Any) -> Request:
        users.grant(user, role="admin")
        assessment_id = _created(api, user, "assessments", ASSESSMENT)
        return Request(method, f"/assessments/{assessment_id}", body, owned_id=assessment_id, readback="/assessments")

    return prepare


def _on_program(method: str, suffix: str = "", body: Any = None) -> Callable:
    def prepare(api: Any, users: Any, user: Any) -> Request:
        program_id = _submitted(api, user)["program"]["id"]
        return Request(
            method, f"/programs/{program_id}{suffix}", body, owned_id=program_id, readback=f"/programs/{program_id}"
        )

    return prepare


def _mine(path: str, part: str) -> Callable:
    def prepare(api: Any, users: Any, user: Any) -> Request:
        return Request("GET", path, owned_id=_submitted(api, user)[part]["id"], readback=path)

    return prepare


def _coach_reads(suffix: str, track: bool = False) -> Callable:
    """The user becomes a coach of a business (by invitation) whose member shares their programs
    (with `track`, the member did session 1 of theirs with a file's workout; `{program_id}` in the
    suffix is its program)."""

    def prepare(api: Any, users: Any, user: Any) -> Request:
        admin = users.create()
        business_id = found_business(api, admin)
        member = join(api, users, admin, business_id)
        assert api.put("/me/sharing", {"coach_access": True}, token=member.token).status == 200
        program_id = _submitted(api, member)["program"]["id"]
        if track:
            sent = _upload_activity(api, users, member).send(api, member.token)
            assert sent.status == 201, sent.body
            done = {"workout_id": sent.body["id"]}
            answer = api.post(f"/programs/{program_id}/sessions/1/complete", done, token=member.token)
            assert answer.status == 200, answer.body
            suffix_now = suffix.format(program_id=program_id)
        else:
            suffix_now = suffix
        code = invite(api, admin, business_id, user.email, "coach")
        assert api.post(f"/invites/{code}/accept", token=user.token).status == 200
        enrol_staff(api, user)
        refresh(api, user)
        path = f"/businesses/{business_id}/members/{member.user_id}/{suffix_now}"
        return Request("GET", path, owned_id=member.user_id, readback=path)

    return prepare


WEBHOOK = {"url": "http://127.0.0.1:9/stride", "events": ["workout.created"]}


def _webhook(method: str) -> Callable:
    def prepare(api: Any, users: Any, user: Any) -> Request:
        webhook_id = _created(api, user, "me/webhooks", WEBHOOK)
        path = "/me/webhooks" if method == "GET" else f"/me/webhooks/{webhook_id}"
        return Request(method, path, owned_id=webhook_id, readback="/me/webhooks")

    return prepare


CATALOG: dict[tuple[str, str], Callable[[Any, Any, Any], Request]] = {
    ("GET", "/health"): _public("GET", "/health"),
    ("GET", "/openapi.json"): _public("GET", "/openapi.json"),
    ("GET", "/unsubscribe"): _unsubscribe("GET"),
    ("POST", "/unsubscribe"): _unsubscribe("POST"),
    ("POST", "/auth/signup"): _public(
        "POST", "/auth/signup", lambda users, user: {"email": users.new_email(), "password": PASSWORD, "name": "A"}
    ),
    ("POST", "/auth/confirm"): _public("POST", "/auth/confirm", lambda users, user: {"email": user.email, "code": "1"}),
    ("POST", "/auth/login"): _public(
        "POST", "/auth/login", lambda users, user: {"email": user.email, "password": PASSWORD}
    ),
    ("POST", "/auth/refresh"): _public(
        "POST", "/auth/refresh", lambda users, user: {"refresh_token": user.refresh_token}
    ),
    ("POST", "/auth/logout"): _logout,
    ("POST", "/auth/forgot-password"): _public(
        "POST", "/auth/forgot-password", lambda users, user: {"email": user.email}
    ),
    ("POST", "/auth/reset-password"): _reset,
    ("POST", "/auth/login/mfa"): _mfa_login,
    ("POST", "/auth/mfa/totp"): lambda api, users, user: Request(
        "POST", "/auth/mfa/totp", {"access_token": user.access_token}
    ),
    ("GET", "/auth/mfa"): lambda api, users, user: Request("GET", "/auth/mfa"),
    ("POST", "/auth/mfa/totp/verify"): _totp_code("POST", "/auth/mfa/totp/verify", enrolled=False),
    ("DELETE", "/auth/mfa/totp"): _totp_code("DELETE", "/auth/mfa/totp", enrolled=True),
    ("GET", "/me"): lambda api, users, user: Request("GET", "/me"),
    ("GET", "/me/profile"): lambda api, users, user: Request("GET", "/me/profile"),
    ("PUT", "/me/profile"): lambda api, users, user: Request("PUT", "/me/profile", {"display_name": "A"}),
    ("PATCH", "/me/profile"): lambda api, users, user: Request("PATCH", "/me/profile", {"bio": "B"}),
    ("GET", "/me/preferences"): lambda api, users, user: Request("GET", "/me/preferences"),
    ("PUT", "/me/preferences"): lambda api, users, user: Request("PUT", "/me/preferences", {"units": "imperial"}),
    ("GET", "/me/export"): lambda api, users, user: Request("GET", "/me/export"),
    ("GET", "/me/export/jobs/{export_id}"): lambda api, users, user: _export_job(api, user),
    ("POST", "/me/import"): lambda api, users, user: Request(
        "POST", "/me/import", {"schema_version": 1, "weights": [{**WEIGHT, "id": "01KAAAAAAAAAAAAAAAAAAAAAAA"}]}
    ),
    ("GET", "/me/import/jobs/{import_id}"): lambda api, users, user: _import_job(api, user),
    ("DELETE", "/me"): lambda api, users, user: _created(api, user, "weights", WEIGHT) and Request("DELETE", "/me"),
    ("GET", "/stats/summary"): lambda api, users, user: Request("GET", "/stats/summary?from=2026-01-01&to=2026-01-31"),
    ("POST", "/posts"): lambda api, users, user: Request("POST", "/posts", {"text": "First run"}),
    ("GET", "/feed"): _listing(lambda user: "/feed"),
    ("GET", "/users/{user_id}/posts"): _listing(lambda user: f"/users/{user.user_id}/posts"),
    ("GET", "/posts/{post_id}"): _on_post("GET"),
    ("PATCH", "/posts/{post_id}"): _on_post("PATCH", body={"text": "Edited"}),
    ("DELETE", "/posts/{post_id}"): _on_post("DELETE", liked=True),
    ("PUT", "/posts/{post_id}/like"): _on_post("PUT", "/like"),
    ("DELETE", "/posts/{post_id}/like"): _on_post("DELETE", "/like", liked=True),
    ("GET", "/posts/{post_id}/likes"): _on_post("GET", "/likes", liked=True),
    ("POST", "/posts/{post_id}/comments"): _on_post("POST", "/comments", {"text": "Well done"}),
    ("GET", "/posts/{post_id}/comments"): _on_post("GET", "/comments"),
    ("PATCH", "/comments/{comment_id}"): _comment("PATCH", {"text": "Well done, edited"}),
    ("DELETE", "/comments/{comment_id}"): _comment("DELETE"),
    ("POST", "/media/uploads"): lambda api, users, user: Request(
        "POST", "/media/uploads", {"purpose": "avatar", "content_type": "image/png", "size_bytes": 1000}
    ),
    ("POST", "/media/{media_id}/complete"): _media("POST", "/complete", ready=False),
    ("GET", "/media/{media_id}"): _media("GET", "", ready=True),
    ("POST", "/videos"): _add_video,
    ("GET", "/videos"): _video_listing("/videos"),
    ("GET", "/videos/{video_id}"): _on_video("GET"),
    ("PATCH", "/videos/{video_id}"): _on_video("PATCH", body={"title": "Hip mobility", "tags": ["hips"]}),
    ("DELETE", "/videos/{video_id}"): _on_video("DELETE"),
    ("GET", "/videos/{video_id}/stream"): _on_video("GET", "/stream"),
    ("PUT", "/videos/{video_id}/progress"): _on_video("PUT", "/progress", {"position_s": 120}, watched=True),
    ("GET", "/videos/{video_id}/progress"): _on_video("GET", "/progress", watched=True),
    ("GET", "/me/video-progress"): _video_listing("/me/video-progress", watched=True),
    ("POST", "/businesses"): lambda api, users, user: Request("POST", "/businesses", {"name": "Riverside Gym"}),
    ("GET", "/businesses/{business_id}"): _business("GET"),
    ("POST", "/businesses/{business_id}/invites"): _business(
        "POST", "/invites", {"email": "new.member@example.com", "role": "member"}
    ),
    ("POST", "/invites/{code}/accept"): _accept,
    ("GET", "/businesses/{business_id}/invites"): _pending_invite("GET"),
    ("DELETE", "/businesses/{business_id}/invites/{invite_id}"): _pending_invite("DELETE"),
    ("GET", "/businesses/{business_id}/members"): _business("GET", "/members"),
    ("PATCH", "/businesses/{business_id}/members/{user_id}"): _member("PATCH", {"role": "coach"}),
    ("DELETE", "/businesses/{business_id}/members/{user_id}"): _member("DELETE"),
    ("GET", "/me/sharing"): lambda api, users, user: Request("GET", "/me/sharing"),
    ("PUT", "/me/sharing"): lambda api, users, user: Request("PUT", "/me/sharing", {"coach_access": True}),
    ("GET", "/assessments"): lambda api, users, user: Request("GET", "/assessments"),
    ("POST", "/assessments"): _as_admin,
    ("PATCH", "/assessments/{assessment_id}"): _on_assessment("PATCH", {"title": "Grip, again"}),
    ("DELETE", "/assessments/{assessment_id}"): _on_assessment("DELETE"),
    ("POST", "/assessments/{assessment_id}/submissions"): _submission_to_own_assessment,
    ("GET", "/programs"): _mine("/programs", "program"),
    ("GET", "/submissions"): _mine("/submissions", "submission"),
    ("GET", "/programs/{program_id}"): _on_program("GET"),
    ("POST", "/programs/{program_id}/sessions/{number}/complete"): _on_program("POST", "/sessions/1/complete", {}),
    ("GET", "/businesses/{business_id}/members/{user_id}/programs"): _coach_reads("programs"),
    ("GET", "/businesses/{business_id}/members/{user_id}/programs/{program_id}/sessions/{number}/track"): (
        _coach_reads("programs/{program_id}/sessions/1/track", track=True)
    ),
    ("GET", "/businesses/{business_id}/members/{user_id}/submissions"): _coach_reads("submissions"),
    ("POST", "/me/webhooks"): lambda api, users, user: Request("POST", "/me/webhooks", WEBHOOK),
    ("GET", "/me/webhooks"): _webhook("GET"),
    ("DELETE", "/me/webhooks/{webhook_id}"): _webhook("DELETE"),
    **_item_routes(WEIGHTS, WEIGHT, {"note": "after breakfast"}),
    **_item_routes(WORKOUTS, WORKOUT, {"perceived_effort": 7}),
    ("POST", "/workouts/files"): _upload_activity,
    ("GET", "/workouts/files/{media_id}"): _activity_upload,
    ("GET", "/workouts/{workout_id}/track"): _on_track("/track"),
    ("GET", "/workouts/{workout_id}/gpx"): _on_track("/gpx", "application/gpx+xml"),
    ("GET", "/me/records"): lambda api, users, user: Request("GET", "/me/records"),
    **_item_routes(TASKS, TASK, {"done": True}),
}

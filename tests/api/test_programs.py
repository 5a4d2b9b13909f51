"""Programs: the member's own (listed, read, sessions marked done once, with a workout linked or
made), the sharing setting, coaches' and admins' reads of what a member shares, and the data in
export and account deletion."""

import uuid
from datetime import datetime

import pytest

from chalicelib.identity import Identity
from chalicelib.ids import stable_id
from chalicelib.repositories.dynamo import user_partition
from tests.catalog import WORKOUT
from tests.conftest import LOCAL_TABLE

ANSWERS = {"push_ups": 12, "squats_in_60s": 30, "plank_seconds": 45, "active_days": "1-2", "jog_10_minutes": True}
ROLES = ("member", "coach", "admin")
NOW = "2026-01-01T00:00:00.000Z"


def submitted(api, user):
    answer = api.post("/assessments/baseline/submissions", {"answers": ANSWERS}, token=user.token)
    assert answer.status == 201, answer.body
    return answer.body


def complete(api, user, program_id, number, body=None):
    return api.post(
        f"/programs/{program_id}/sessions/{number}/complete", {} if body is None else body, token=user.token
    )


def session(program, number):
    return next(s for week in program["weeks"] for s in week["sessions"] if s["number"] == number)


@pytest.fixture
def business():
    return f"gym-{uuid.uuid4().hex[:10]}"


def person(users, tenants, business, role="member", joined=True):
    [someone] = tenants(1, business)
    if role != "member":
        users.grant(someone, role=role)
    if joined:
        users.join(business, someone, role)
    return someone


def share(api, user, on=True):
    answer = api.put("/me/sharing", {"coach_access": on}, token=user.token)
    assert answer.status == 200, answer.body
    return answer.body


# The member's own programs


@pytest.mark.parametrize("role", ROLES)
def test_every_role_lists_and_reads_their_own_programs(api, users, tenants, business, role):
    caller = person(users, tenants, business, role)
    first, second = submitted(api, caller), submitted(api, caller)
    listed = api.get("/programs", token=caller.token)
    assert listed.status == 200
    assert [p["id"] for p in listed.body["items"]] == [second["program"]["id"], first["program"]["id"]]
    assert api.get(f"/programs/{first['program']['id']}", token=caller.token).body == first["program"]
    submissions = api.get("/submissions", token=caller.token).body["items"]
    assert [s["id"] for s in submissions] == [second["submission"]["id"], first["submission"]["id"]]
    assert submissions[0]["answers"] == ANSWERS


@pytest.mark.parametrize("role", ROLES)
def test_every_role_completes_sessions_of_their_own_program(api, users, tenants, business, role):
    caller = person(users, tenants, business, role)
    program_id = submitted(api, caller)["program"]["id"]
    answer = complete(api, caller, program_id, 1)
    assert answer.status == 200, answer.body
    assert session(answer.body, 1)["completed_at"]


def test_programs_page_with_signed_cursors(api, user, other_user):
    ids = [submitted(api, user)["program"]["id"] for _ in range(3)]
    first = api.get("/programs?limit=2", token=user.token).body
    assert [p["id"] for p in first["items"]] == ids[:0:-1]
    second = api.get(f"/programs?limit=2&cursor={first['next_cursor']}", token=user.token).body
    assert [p["id"] for p in second["items"]] == [ids[0]] and second["next_cursor"] is None
    for path in (f"/programs?cursor={first['next_cursor']}", f"/submissions?cursor={first['next_cursor']}"):
        bad = api.get(path, token=other_user.token if "programs" in path else user.token)
        assert bad.status == 400 and bad.body["error"]["code"] == "invalid_cursor"
    assert api.get("/programs?limit=0", token=user.token).status == 400


@pytest.mark.parametrize("program_id", ["nope", "01KAAAAAAAAAAAAAAAAAAAAAAA"])
def test_an_unknown_program_is_404(api, user, program_id):
    assert api.get(f"/programs/{program_id}", token=user.token).status == 404
    assert complete(api, user, program_id, 1).status == 404


def test_another_tenants_member_finds_nothing(api, users, tenants, business):
    owner = person(users, tenants, business)
    program_id = submitted(api, owner)["program"]["id"]
    [stranger] = tenants(1)
    [colleague] = tenants(1, business)  # same business: still not theirs
    for other in (stranger, colleague):
        assert api.get(f"/programs/{program_id}", token=other.token).status == 404
        assert complete(api, other, program_id, 1).status == 404
        assert api.get("/programs", token=other.token).body["items"] == []
        assert api.get("/submissions", token=other.token).body["items"] == []
    assert session(api.get(f"/programs/{program_id}", token=owner.token).body, 1)["completed_at"] is None


# Completing a session


def test_completing_without_a_workout_logs_one_made_from_the_session(api, user):
    program = submitted(api, user)["program"]
    assert complete(api, user, program["id"], 1).status == 200
    answer = complete(api, user, program["id"], 2)
    assert answer.status == 200, answer.body
    done = session(answer.body, 2)
    assert done["completed_at"] and done["workout_id"]
    assert answer.body["version"] == 3
    assert api.get(f"/programs/{program['id']}", token=user.token).body == answer.body
    workout = api.get(f"/workouts/{done['workout_id']}", token=user.token).body
    planned = session(program, 2)["exercises"]
    assert workout["type"] == "strength" and "Week 1, session 2" in workout["title"]
    assert [e["name"] for e in workout["exercises"]] == [e["name"] for e in planned]
    assert workout["exercises"][0]["sets"] == [{"reps": planned[0]["reps"]}] * planned[0]["sets"]
    assert workout["duration_min"] >= 1


def test_sessions_are_done_in_order_and_one_out_of_order_is_409_changing_nothing(api, user):
    program_id = submitted(api, user)["program"]["id"]
    for number in (2, 5):
        refused = complete(api, user, program_id, number)
        assert refused.status == 409, refused.body
        assert refused.body["error"]["code"] == "session_out_of_order"
        assert refused.body["error"]["details"] == {"next_session": 1}
    assert complete(api, user, program_id, 1).status == 200
    skipped = complete(api, user, program_id, 3)
    assert skipped.status == 409 and skipped.body["error"]["details"] == {"next_session": 2}
    assert complete(api, user, program_id, 2).status == 200
    assert complete(api, user, program_id, 1).status == 200  # done already: unchanged, not out of order
    program = api.get(f"/programs/{program_id}", token=user.token).body
    assert [s["number"] for w in program["weeks"] for s in w["sessions"] if s["completed_at"]] == [1, 2]
    assert program["version"] == 3
    assert len(api.get("/workouts", token=user.token).body["items"]) == 2  # none made by the refusals


def test_the_store_refuses_a_session_whose_predecessor_is_not_done(api, user, local_aws):
    # The condition holds even for a writer that skipped the service's check (a concurrent race).
    from chalicelib.domains.coaching.program_store import ProgramStore, SessionAlreadyCompleted

    program_id = submitted(api, user)["program"]["id"]
    store = ProgramStore(local_aws.client("dynamodb"), LOCAL_TABLE)
    workout_id = api.post("/workouts", WORKOUT, token=user.token).body["id"]
    with pytest.raises(SessionAlreadyCompleted):
        store.complete_session(_identity(user), program_id, (0, 1), (0, 0), NOW, workout_id, None)
    assert session(api.get(f"/programs/{program_id}", token=user.token).body, 2)["completed_at"] is None


def test_completing_twice_changes_nothing_and_logs_one_workout(api, user):
    program_id = submitted(api, user)["program"]["id"]
    first = complete(api, user, program_id, 1).body
    again = complete(api, user, program_id, 1)
    assert again.status == 200 and again.body == first
    same_workout = complete(api, user, program_id, 1, {"workout_id": session(first, 1)["workout_id"]})
    assert same_workout.status == 200 and same_workout.body == first
    assert len(api.get("/workouts", token=user.token).body["items"]) == 1


def test_completing_links_the_sessions_workout_when_it_exists_already(api, user):
    # An import can bring back the workout a session made (its id derives from program and session).
    program = submitted(api, user)["program"]
    created_ms = int(datetime.fromisoformat(program["created_at"].replace("Z", "+00:00")).timestamp() * 1000)
    derived = stable_id(created_ms, program["id"], "1")
    imported = api.post("/me/import", {"schema_version": 1, "workouts": [{**WORKOUT, "id": derived}]}, token=user.token)
    assert imported.status == 200, imported.body
    answer = complete(api, user, program["id"], 1)
    assert answer.status == 200, answer.body
    assert session(answer.body, 1)["workout_id"] == derived
    assert [w["id"] for w in api.get("/workouts", token=user.token).body["items"]] == [derived]


def test_completing_links_a_workout_of_the_callers(api, user):
    workout_id = api.post("/workouts", WORKOUT, token=user.token).body["id"]
    program_id = submitted(api, user)["program"]["id"]
    answer = complete(api, user, program_id, 1, {"workout_id": workout_id})
    assert answer.status == 200, answer.body
    assert session(answer.body, 1)["workout_id"] == workout_id
    assert len(api.get("/workouts", token=user.token).body["items"]) == 1  # none made
    other = api.post("/workouts", WORKOUT, token=user.token).body["id"]
    conflict = complete(api, user, program_id, 1, {"workout_id": other})
    assert conflict.status == 409 and conflict.body["error"]["code"] == "session_already_completed"


def test_linking_a_workout_that_is_not_the_callers_is_422_and_changes_nothing(api, user, other_user):
    theirs = api.post("/workouts", WORKOUT, token=other_user.token).body["id"]
    program_id = submitted(api, user)["program"]["id"]
    for workout_id in (theirs, "01KAAAAAAAAAAAAAAAAAAAAAAA"):
        answer = complete(api, user, program_id, 1, {"workout_id": workout_id})
        assert answer.status == 422 and answer.body["error"]["code"] == "workout_not_found"
    program = api.get(f"/programs/{program_id}", token=user.token).body
    assert session(program, 1)["completed_at"] is None and program["version"] == 1


@pytest.mark.parametrize("number", ["0", "13", "-1", "x", "1.5", "9" * 50, "٣"])
def test_a_session_the_program_does_not_have_is_404(api, user, number):
    program_id = submitted(api, user)["program"]["id"]
    answer = complete(api, user, program_id, number)
    assert answer.status == 404, answer.body


@pytest.mark.parametrize("body", [{"workout_id": "not-an-id"}, {"workout_id": 5}, {"extra": True}])
def test_a_malformed_completion_is_400(api, user, body):
    program_id = submitted(api, user)["program"]["id"]
    assert complete(api, user, program_id, 1, body).status == 400


# Videos linked when the program is read


def _video(local_aws, tenant_id, video_id, tags):
    local_aws.client("dynamodb").put_item(
        TableName=LOCAL_TABLE,
        Item={
            "PK": {"S": f"TENANT#{tenant_id}"},
            "SK": {"S": f"VIDEO#{video_id}"},
            "id": {"S": video_id},
            "title": {"S": "How to"},
            "tags": {"L": [{"S": tag} for tag in tags]},
        },
    )


def _links(program):
    return {e["slug"]: e["video_id"] for w in program["weeks"] for s in w["sessions"] for e in s["exercises"]}


def test_a_video_added_after_the_program_was_made_is_linked_when_it_is_read(api, users, tenants, business, local_aws):
    member = person(users, tenants, business)
    made = submitted(api, member)["program"]
    slug = made["weeks"][0]["sessions"][0]["exercises"][0]["slug"]
    assert _links(made)[slug] is None
    _video(local_aws, business, "vid-later", [slug])
    _video(local_aws, "gym-elsewhere", "vid-other", [slug])
    read = api.get(f"/programs/{made['id']}", token=member.token).body
    assert _links(read)[slug] == "vid-later"
    assert _links(api.get("/programs", token=member.token).body["items"][0])[slug] == "vid-later"
    assert _links(complete(api, member, made["id"], 1).body)[slug] == "vid-later"
    share(api, member)
    coach = person(users, tenants, business, "coach")
    assert _links(api.get(member_path(business, member), token=coach.token).body["items"][0])[slug] == "vid-later"
    local_aws.client("dynamodb").delete_item(
        TableName=LOCAL_TABLE, Key={"PK": {"S": f"TENANT#{business}"}, "SK": {"S": "VIDEO#vid-later"}}
    )
    assert _links(api.get(f"/programs/{made['id']}", token=member.token).body)[slug] is None  # gone: no link


def test_reading_a_program_is_one_get_and_one_query_of_the_library_whatever_its_history(api, user, calls):
    program_id = submitted(api, user)["program"]["id"]
    for number in (1, 2, 3):
        assert complete(api, user, program_id, number).status == 200
    calls.clear()
    assert api.get(f"/programs/{program_id}", token=user.token).status == 200
    assert sorted(calls.calls) == ["dynamodb.GetItem", "dynamodb.Query"]


# Sharing


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sets_their_own_sharing(api, users, tenants, business, role):
    caller = person(users, tenants, business, role)
    assert api.get("/me/sharing", token=caller.token).body["coach_access"] is False
    assert share(api, caller)["coach_access"] is True
    [colleague] = tenants(1, business)
    assert api.get("/me/sharing", token=colleague.token).body["coach_access"] is False  # one's own only


def test_sharing_is_off_until_the_member_turns_it_on(api, user):
    off = {"coach_access": False, "business_id": None, "updated_at": None}
    assert api.get("/me/sharing", token=user.token).body == off
    assert share(api, user)["coach_access"] is True
    assert api.get("/me/sharing", token=user.token).body["coach_access"] is True
    assert share(api, user, on=False)["coach_access"] is False


@pytest.mark.parametrize("body", [{}, {"coach_access": "yes"}, {"coach_access": 1}, {"coach_access": True, "x": 1}])
def test_a_malformed_sharing_setting_is_400(api, user, body):
    assert api.put("/me/sharing", body, token=user.token).status == 400


# Coaches' and admins' reads


def member_path(business, member, what="programs"):
    return f"/businesses/{business}/members/{member.user_id}/{what}"


@pytest.mark.parametrize("role", ["coach", "admin"])
def test_staff_see_what_a_member_of_their_business_shares(api, users, tenants, business, role):
    member = person(users, tenants, business)
    made = submitted(api, member)
    staff = person(users, tenants, business, role)
    assert api.get(member_path(business, member), token=staff.token).status == 404  # not shared yet
    share(api, member)
    programs = api.get(member_path(business, member), token=staff.token)
    assert programs.status == 200, programs.body
    assert [p["id"] for p in programs.body["items"]] == [made["program"]["id"]]
    submissions = api.get(member_path(business, member, "submissions"), token=staff.token).body
    assert submissions["items"][0]["answers"] == ANSWERS
    share(api, member, on=False)
    assert api.get(member_path(business, member), token=staff.token).status == 404


def test_a_member_may_not_read_another_members_programs(api, users, tenants, business):
    member = person(users, tenants, business)
    share(api, member)
    peer = person(users, tenants, business)
    for what in ("programs", "submissions"):
        answer = api.get(member_path(business, member, what), token=peer.token)
        assert answer.status == 403 and answer.body["error"]["code"] == "role_required"


def test_a_coach_of_another_business_finds_nothing(api, users, tenants, business):
    member = person(users, tenants, business)
    share(api, member)
    submitted(api, member)
    elsewhere = f"gym-{uuid.uuid4().hex[:10]}"
    coach = person(users, tenants, elsewhere, "coach")
    for path in (member_path(business, member), member_path(elsewhere, member)):
        answer = api.get(path, token=coach.token)
        assert answer.status == 404 and answer.body["error"]["code"] == "not_found"
    solo = users.grant(users.create(), role="coach")  # a coach in their personal tenant: no business
    personal = f"personal-{solo.user_id}"
    for path in (member_path(business, member), member_path(personal, member, "submissions")):
        assert api.get(path, token=solo.token).status == 404


def test_a_sharing_person_who_is_not_a_member_is_not_found(api, users, tenants, business, user):
    share(api, user)  # shares, but in no business
    submitted(api, user)
    coach = person(users, tenants, business, "coach")
    assert api.get(member_path(business, user), token=coach.token).status == 404
    assert api.get(f"/businesses/{business}/members/bad%20id!/programs", token=coach.token).status == 404


def test_staff_reads_page_with_cursors_bound_to_the_member(api, users, tenants, business):
    member, other_member = person(users, tenants, business), person(users, tenants, business)
    for someone in (member, other_member):
        share(api, someone)
    ids = [submitted(api, member)["program"]["id"] for _ in range(2)]
    coach = person(users, tenants, business, "coach")
    first = api.get(member_path(business, member) + "?limit=1", token=coach.token).body
    assert [p["id"] for p in first["items"]] == [ids[1]]
    second = api.get(member_path(business, member) + f"?limit=1&cursor={first['next_cursor']}", token=coach.token)
    assert [p["id"] for p in second.body["items"]] == [ids[0]]
    misused = api.get(member_path(business, other_member) + f"?cursor={first['next_cursor']}", token=coach.token)
    assert misused.status == 400 and misused.body["error"]["code"] == "invalid_cursor"


def test_a_staff_read_is_the_staff_check_one_batch_get_and_two_queries(api, users, tenants, business, calls):
    member = person(users, tenants, business)
    submitted(api, member)
    share(api, member)
    coach = person(users, tenants, business, "coach")
    calls.clear()
    assert api.get(member_path(business, member), token=coach.token).status == 200
    # The router's check of the coach's member item, then the member's items and setting, the page,
    # and the business's library (to link the exercises to its videos).
    assert calls.calls == ["dynamodb.GetItem", "dynamodb.BatchGetItem", "dynamodb.Query", "dynamodb.Query"]


# Export and deletion


def _identity(user):
    return Identity(user_id=user.user_id, email=user.email, tenant_id=f"personal-{user.user_id}", role="member")


def test_the_export_holds_submissions_programs_and_the_sharing_setting(api, user):
    made = submitted(api, user)
    complete(api, user, made["program"]["id"], 1)
    share(api, user)
    document = api.get("/me/export", token=user.token).body
    assert [s["id"] for s in document["assessment_submissions"]] == [made["submission"]["id"]]
    assert document["assessment_submissions"][0]["answers"] == ANSWERS
    [program] = document["programs"]
    assert program["id"] == made["program"]["id"] and session(program, 1)["completed_at"]
    assert document["sharing"]["coach_access"] is True


def test_deleting_the_account_removes_submissions_programs_and_sharing(api, user, local_aws, background):
    submitted(api, user)
    share(api, user)
    assert api.request("DELETE", "/me", token=user.token).status == 202
    background.drain()
    remaining = local_aws.client("dynamodb").query(
        TableName=LOCAL_TABLE,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": user_partition(_identity(user))}},
    )
    assert remaining["Items"] == []


def test_a_deleted_account_can_submit_and_share_nothing(api, user, background):
    assert api.request("DELETE", "/me", token=user.token).status == 202
    background.drain()
    answer = api.post("/assessments/baseline/submissions", {"answers": ANSWERS}, token=user.token)
    assert answer.status == 401 and answer.body["error"]["code"] == "account_deleted"
    assert api.put("/me/sharing", {"coach_access": True}, token=user.token).status == 401

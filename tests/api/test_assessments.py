"""Assessments: the built-in baseline and a tenant's own definitions (admins add them, strictly
validated), and submissions: answers checked against the definition, scored, turned into a
program sized to the score and the weekly goal, saved together."""

import copy
import uuid

import pytest

from tests.conftest import LOCAL_TABLE

BASELINE_ANSWERS = {
    "push_ups": 12,
    "squats_in_60s": 30,
    "plank_seconds": 45,
    "resting_heart_rate": 72,
    "active_days": "1-2",
    "jog_10_minutes": True,
}
STRONG = {"push_ups": 50, "squats_in_60s": 60, "plank_seconds": 200, "active_days": "5-7", "jog_10_minutes": True}
WEAK = {"push_ups": 0, "squats_in_60s": 5, "plank_seconds": 10, "active_days": "0", "jog_10_minutes": False}
GRIP = {
    "title": "Grip and balance",
    "description": "Two quick checks",
    "questions": [
        {"id": "hang_seconds", "prompt": "Dead hang, seconds?", "type": "integer", "weight": 2, "min": 0, "max": 300},
        {
            "id": "balance",
            "prompt": "Single-leg stand",
            "type": "choice",
            "weight": 1,
            "choices": [
                {"value": "no", "label": "Under 10 s", "points": 0},
                {"value": "yes", "label": "30 s", "points": 100},
            ],
        },
        {
            "id": "bmi",
            "prompt": "BMI",
            "type": "number",
            "weight": 1,
            "required": False,
            "min": 10,
            "max": 60,
            "zero_at": 40,
            "full_at": 22,
        },
        {
            "id": "smoker",
            "prompt": "Smoker?",
            "type": "boolean",
            "weight": 1,
            "required": False,
            "true_points": 0,
            "false_points": 100,
        },
    ],
}
ROLES = ("member", "coach", "admin")


def submit(api, user, answers, assessment_id="baseline"):
    return api.post(f"/assessments/{assessment_id}/submissions", {"answers": answers}, token=user.token)


def in_business(users, tenants, role, business_id=None):
    [person] = tenants(1, business_id)
    return users.grant(person, role=role) if role != "member" else person


@pytest.fixture
def business():
    return f"gym-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def admin(users, tenants, business):
    return in_business(users, tenants, "admin", business)


def added(api, admin, definition=GRIP):
    answer = api.post("/assessments", definition, token=admin.token)
    assert answer.status == 201, answer.body
    return answer.body


# Definitions


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_the_baseline_first(api, users, tenants, business, role):
    person = in_business(users, tenants, role, business)
    answer = api.get("/assessments", token=person.token)
    assert answer.status == 200, answer.body
    [baseline] = answer.body["items"]
    assert baseline["id"] == "baseline" and baseline["built_in"] is True
    assert [q["id"] for q in baseline["questions"]] == list(BASELINE_ANSWERS)
    assert answer.body["next_cursor"] is None


@pytest.mark.parametrize("role", ["member", "coach"])
def test_only_an_admin_adds_an_assessment(api, users, tenants, business, role):
    person = in_business(users, tenants, role, business)
    answer = api.post("/assessments", GRIP, token=person.token)
    assert answer.status == 403 and answer.body["error"]["code"] == "role_required"
    assert [item["id"] for item in api.get("/assessments", token=person.token).body["items"]] == ["baseline"]


def test_an_admins_assessment_is_offered_to_their_tenant_only(api, users, tenants, business, admin, other_user):
    created = added(api, admin)
    assert created["built_in"] is False and created["version"] == 1
    bmi = next(q for q in created["questions"] if q["id"] == "bmi")
    assert (bmi["zero_at"], bmi["full_at"]) == (40, 22)
    hang = created["questions"][0]
    assert (hang["zero_at"], hang["full_at"], hang["required"]) == (0, 300, True)  # defaults: the range
    [colleague] = tenants(1, business)
    assert [i["id"] for i in api.get("/assessments", token=colleague.token).body["items"]] == [
        "baseline",
        created["id"],
    ]
    [stranger] = tenants(1)
    for outsider in (stranger, other_user):
        assert [i["id"] for i in api.get("/assessments", token=outsider.token).body["items"]] == ["baseline"]
        assert submit(api, outsider, {"hang_seconds": 10, "balance": "no"}, created["id"]).status == 404


def test_the_tenants_assessments_page_newest_first_behind_the_built_in(api, admin, other_user):
    ids = [added(api, admin, {**GRIP, "title": f"Check {n}"})["id"] for n in range(3)]
    first = api.get("/assessments?limit=2", token=admin.token).body
    assert [i["id"] for i in first["items"]] == ["baseline", ids[2], ids[1]]
    second = api.get(f"/assessments?limit=2&cursor={first['next_cursor']}", token=admin.token).body
    assert [i["id"] for i in second["items"]] == [ids[0]] and second["next_cursor"] is None
    stolen = api.get(f"/assessments?limit=2&cursor={first['next_cursor']}", token=other_user.token)
    assert stolen.status == 400 and stolen.body["error"]["code"] == "invalid_cursor"


def _question(**changes):
    return {**copy.deepcopy(GRIP["questions"][0]), **changes}


INVALID_DEFINITIONS = {
    "duplicate ids": {**GRIP, "questions": [_question(), _question()]},
    "unknown type": {**GRIP, "questions": [_question(type="text")]},
    "min not below max": {**GRIP, "questions": [_question(min=10, max=10)]},
    "integer with a fraction": {**GRIP, "questions": [_question(max=10.5)]},
    "missing range": {**GRIP, "questions": [{k: v for k, v in _question().items() if k != "max"}]},
    "zero_at outside the range": {**GRIP, "questions": [_question(zero_at=-1)]},
    "zero_at equals full_at": {**GRIP, "questions": [_question(zero_at=5, full_at=5)]},
    "choices on an integer": {**GRIP, "questions": [_question(choices=GRIP["questions"][1]["choices"])]},
    "choice without choices": {**GRIP, "questions": [{**_question(type="choice"), "min": None}]},
    "duplicate choice values": {
        **GRIP,
        "questions": [
            {**GRIP["questions"][1], "choices": [{"value": "a", "label": "A", "points": 0}] * 2},
            _question(id="other"),
        ],
    },
    "points over 100": {**GRIP, "questions": [{**GRIP["questions"][3], "true_points": 101}, _question(id="x")]},
    "weight out of range": {**GRIP, "questions": [_question(weight=11)]},
    "weight as text": {**GRIP, "questions": [_question(weight="2")]},
    "required as text": {**GRIP, "questions": [_question(required="yes")]},
    "bad question id": {**GRIP, "questions": [_question(id="Has Spaces")]},
    "no required weighted question": {**GRIP, "questions": [_question(required=False)]},
    "no questions": {**GRIP, "questions": []},
    "too many questions": {**GRIP, "questions": [_question(id=f"q{n}") for n in range(51)]},
    "unknown field": {**GRIP, "scoring": "mine"},
    "unknown question field": {**GRIP, "questions": [_question(hint="x")]},
    "no title": {k: v for k, v in GRIP.items() if k != "title"},
    "prompt too long": {**GRIP, "questions": [_question(prompt="x" * 501)]},
}


@pytest.mark.parametrize("name", sorted(INVALID_DEFINITIONS))
def test_an_invalid_definition_is_a_400_naming_the_field(api, admin, name):
    answer = api.post("/assessments", INVALID_DEFINITIONS[name], token=admin.token)
    assert answer.status == 400, answer.body
    assert answer.body["error"]["code"] == "validation_error"
    assert answer.body["error"]["details"]
    assert [i["id"] for i in api.get("/assessments", token=admin.token).body["items"]] == ["baseline"]


# Editing and deleting


def _own_ids(api, reader):
    return [item["id"] for item in api.get("/assessments", token=reader.token).body["items"] if not item["built_in"]]


def test_an_admin_edits_an_assessment_the_fields_given_replace_the_stored_ones(api, admin, users, tenants, business):
    added_one = added(api, admin)
    questions = [GRIP["questions"][0]]
    answer = api.patch(
        f"/assessments/{added_one['id']}", {"title": "Grip only", "questions": questions}, token=admin.token
    )
    assert answer.status == 200, answer.body
    assert answer.body["title"] == "Grip only" and answer.body["description"] == GRIP["description"]
    assert [question["id"] for question in answer.body["questions"]] == ["hang_seconds"]
    assert answer.body["version"] == 2
    member = in_business(users, tenants, "member", business)
    [listed] = [item for item in api.get("/assessments", token=member.token).body["items"] if not item["built_in"]]
    assert listed == answer.body
    assert submit(api, member, {"hang_seconds": 30}, added_one["id"]).status == 201


def test_an_admin_deletes_an_assessment_and_its_programs_stay(api, admin, users, tenants, business):
    added_one = added(api, admin)
    member = in_business(users, tenants, "member", business)
    program_id = submit(api, member, {"hang_seconds": 30, "balance": "yes"}, added_one["id"]).body["program"]["id"]

    assert api.request("DELETE", f"/assessments/{added_one['id']}", token=admin.token).status == 204

    assert _own_ids(api, member) == []
    assert submit(api, member, {"hang_seconds": 30, "balance": "yes"}, added_one["id"]).status == 404
    assert api.get(f"/programs/{program_id}", token=member.token).status == 200
    assert api.request("DELETE", f"/assessments/{added_one['id']}", token=admin.token).status == 404


@pytest.mark.parametrize("role", ["member", "coach"])
def test_only_an_admin_edits_or_deletes_an_assessment(api, admin, users, tenants, business, role):
    added_one = added(api, admin)
    caller = in_business(users, tenants, role, business)
    for method, body in (("PATCH", {"title": "Mine"}), ("DELETE", None)):
        answer = api.request(method, f"/assessments/{added_one['id']}", body, token=caller.token)
        assert answer.status == 403 and answer.body["error"]["code"] == "role_required"
    assert _own_ids(api, admin) == [added_one["id"]]


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_a_built_in_assessment_cannot_be_changed(api, admin, method):
    answer = api.request(
        method, "/assessments/baseline", {"title": "Mine"} if method == "PATCH" else None, token=admin.token
    )
    assert answer.status == 403 and answer.body["error"]["code"] == "built_in"


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_another_tenants_assessment_is_not_found_to_an_admin(api, admin, users, tenants, method):
    added_one = added(api, admin)
    stranger = in_business(users, tenants, "admin", f"gym-{uuid.uuid4().hex[:10]}")
    answer = api.request(
        method, f"/assessments/{added_one['id']}", {"title": "x"} if method == "PATCH" else None, token=stranger.token
    )
    assert answer.status == 404
    assert _own_ids(api, admin) == [added_one["id"]]


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_a_stale_version_of_an_assessment_is_412(api, admin, method):
    added_one = added(api, admin)
    assert api.patch(f"/assessments/{added_one['id']}", {"title": "Second"}, token=admin.token).status == 200
    body = {"title": "Third"} if method == "PATCH" else None
    answer = api.request(method, f"/assessments/{added_one['id']}", body, token=admin.token, headers={"If-Match": "1"})
    assert answer.status == 412, answer.body
    [listed] = [item for item in api.get("/assessments", token=admin.token).body["items"] if not item["built_in"]]
    assert listed["title"] == "Second"


@pytest.mark.parametrize(
    "body",
    [{}, {"title": ""}, {"questions": []}, {"questions": [_question(required=False)]}, {"scoring": "mine"}],
    ids=["nothing", "empty title", "no questions", "no required weighted question", "unknown field"],
)
def test_an_invalid_edit_is_400(api, admin, body):
    added_one = added(api, admin)
    answer = api.patch(f"/assessments/{added_one['id']}", body, token=admin.token)
    assert answer.status == 400 and answer.body["error"]["code"] == "validation_error", answer.body
    [listed] = [item for item in api.get("/assessments", token=admin.token).body["items"] if not item["built_in"]]
    assert listed["version"] == 1


# Submissions


@pytest.mark.parametrize("role", ROLES)
def test_every_role_submits_and_gets_the_documented_score_and_a_program(api, users, tenants, business, role):
    person = in_business(users, tenants, role, business)
    answer = submit(api, person, BASELINE_ANSWERS)
    assert answer.status == 201, answer.body
    body = answer.body
    assert body["score"] == body["submission"]["score"] == body["program"]["score"] == 48
    submission, program = body["submission"], body["program"]
    assert submission["answers"] == BASELINE_ANSWERS
    assert submission["level"] == program["level"] == "intermediate"
    assert submission["program_id"] == program["id"] and program["submission_id"] == submission["id"]
    assert api.get(f"/programs/{program['id']}", token=person.token).body == program


def test_the_program_is_weeks_of_sessions_of_exercises(api, user):
    program = submit(api, user, BASELINE_ANSWERS).body["program"]
    assert (program["weeks_count"], program["sessions_per_week"]) == (4, 3)  # the default weekly goal
    assert [week["number"] for week in program["weeks"]] == [1, 2, 3, 4]
    numbers = [s["number"] for week in program["weeks"] for s in week["sessions"]]
    assert numbers == list(range(1, 13))
    first, last = program["weeks"][0]["sessions"][0], program["weeks"][3]["sessions"][0]
    assert len(first["exercises"]) == 5
    exercise = first["exercises"][0]
    assert set(exercise) == {"name", "slug", "sets", "reps", "rest_s", "video_id"}
    assert (exercise["sets"], exercise["reps"], exercise["rest_s"], exercise["video_id"]) == (3, 10, 75, None)
    assert (last["exercises"][0]["sets"], last["exercises"][0]["reps"]) == (4, 13)  # progression
    assert first["completed_at"] is None and first["workout_id"] is None


@pytest.mark.parametrize(
    ("answers", "level", "per_session", "sets", "reps", "rest_s"),
    [(WEAK, "beginner", 4, 2, 8, 90), (STRONG, "advanced", 6, 4, 12, 60)],
)
def test_the_program_is_sized_to_the_score(api, user, answers, level, per_session, sets, reps, rest_s):
    body = submit(api, user, answers).body
    first = body["program"]["weeks"][0]["sessions"][0]["exercises"]
    assert body["program"]["level"] == level
    assert len(first) == per_session
    assert (first[0]["sets"], first[0]["reps"], first[0]["rest_s"]) == (sets, reps, rest_s)


@pytest.mark.parametrize(("goal", "sessions"), [(0, 1), (5, 5), (14, 6)])
def test_the_program_is_sized_to_the_weekly_goal(api, user, goal, sessions):
    assert api.put("/me/preferences", {"weekly_workout_goal": goal}, token=user.token).status == 200
    program = submit(api, user, BASELINE_ANSWERS).body["program"]
    assert program["sessions_per_week"] == sessions
    assert all(len(week["sessions"]) == sessions for week in program["weeks"])


def test_the_same_answers_make_the_same_plan(api, user):
    first, second = (submit(api, user, BASELINE_ANSWERS).body["program"] for _ in range(2))
    assert first["weeks"] == second["weeks"] and first["id"] != second["id"]


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


def test_exercises_link_a_video_of_the_tenants_library_tagged_with_their_slug(api, users, tenants, business, local_aws):
    [member] = tenants(1, business)
    _video(local_aws, business, "vid-push", ["push-up", "upper-body"])
    _video(local_aws, business, "vid-squat", ["split-squat"])
    _video(local_aws, "gym-elsewhere", "vid-other", ["mountain-climber"])
    exercises = submit(api, member, BASELINE_ANSWERS).body["program"]["weeks"][0]["sessions"][0]["exercises"]
    links = {exercise["slug"]: exercise["video_id"] for exercise in exercises}
    assert links["push-up"] == "vid-push" and links["split-squat"] == "vid-squat"
    assert links["mountain-climber"] is None  # another tenant's video


def test_a_submission_is_one_query_and_one_transaction(api, user, calls):
    api.get("/me/preferences", token=user.token)
    calls.clear()
    assert submit(api, user, BASELINE_ANSWERS).status == 201
    assert sorted(calls.calls) == ["dynamodb.Query", "dynamodb.TransactWriteItems"]


def test_missing_required_answers_are_listed(api, user):
    answer = submit(api, user, {"push_ups": 10, "resting_heart_rate": 60})
    assert answer.status == 400
    details = answer.body["error"]["details"]
    assert details["missing"] == ["squats_in_60s", "plank_seconds", "active_days", "jog_10_minutes"]
    assert details["answers"]["squats_in_60s"] == ["Missing required answer."]
    assert "push_ups" not in details["answers"]


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("push_ups", 1.5),
        ("push_ups", "12"),
        ("push_ups", True),
        ("push_ups", -1),
        ("push_ups", 201),
        ("push_ups", 1e20),
        ("active_days", "2"),
        ("active_days", 2),
        ("jog_10_minutes", "true"),
        ("jog_10_minutes", 1),
        ("resting_heart_rate", 10),
        ("resting_heart_rate", [60]),
    ],
)
def test_an_answer_of_the_wrong_type_or_range_is_named(api, user, question, value):
    answer = submit(api, user, {**BASELINE_ANSWERS, question: value})
    assert answer.status == 400, answer.body
    assert list(answer.body["error"]["details"]["answers"]) == [question]
    assert api.get("/programs", token=user.token).body["items"] == []


def test_an_unknown_question_is_named(api, user):
    answer = submit(api, user, {**BASELINE_ANSWERS, "deadlift_kg": 100})
    assert answer.status == 400
    assert answer.body["error"]["details"]["answers"] == {"deadlift_kg": ["Not a question of this assessment."]}


def test_an_optional_answer_may_be_left_out_or_null(api, user):
    left_out = {k: v for k, v in BASELINE_ANSWERS.items() if k != "resting_heart_rate"}
    for answers in (left_out, {**left_out, "resting_heart_rate": None}):
        answer = submit(api, user, answers)
        assert answer.status == 201, answer.body
        assert "resting_heart_rate" not in answer.body["submission"]["answers"]
        assert answer.body["score"] == 48  # 100 x 5.25 / 11 = 47.7: the left-out weight counts in neither sum


@pytest.mark.parametrize("body", [{}, {"answers": []}, {"answers": "x"}, {"answers": {}, "extra": 1}])
def test_a_malformed_submission_is_400(api, user, body):
    answer = api.post("/assessments/baseline/submissions", body, token=user.token)
    assert answer.status == 400, answer.body


@pytest.mark.parametrize("assessment_id", ["nope", "01KAAAAAAAAAAAAAAAAAAAAAAA", "BASELINE", "x" * 300])
def test_an_unknown_assessment_is_404(api, user, assessment_id):
    answer = submit(api, user, BASELINE_ANSWERS, assessment_id)
    assert answer.status == 404 and answer.body["error"]["code"] == "not_found"


def test_a_custom_assessment_scores_numbers_choices_and_booleans(api, users, tenants, business, admin):
    created = added(api, admin)
    [member] = tenants(1, business)
    # hang 150/300 = 0.5 x2; balance yes = 1 x1; bmi 31 between 40 and 22 = 0.5 x1; smoker false = 1 x1
    answer = submit(api, member, {"hang_seconds": 150, "balance": "yes", "bmi": 31, "smoker": False}, created["id"])
    assert answer.status == 201, answer.body
    assert answer.body["score"] == 70 and answer.body["program"]["level"] == "advanced"
    assert answer.body["submission"]["answers"]["bmi"] == 31
    too_precise = submit(api, member, {"hang_seconds": 1, "balance": "no", "bmi": 22.1234}, created["id"])
    assert too_precise.status == 400
    assert too_precise.body["error"]["details"]["answers"] == {"bmi": ["At most 3 decimal places."]}
    decimal = submit(api, member, {"hang_seconds": 1, "balance": "no", "bmi": 22.125}, created["id"])
    assert decimal.status == 201 and decimal.body["submission"]["answers"]["bmi"] == 22.125

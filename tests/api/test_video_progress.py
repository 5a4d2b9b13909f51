"""Each member's progress through the videos of their tenant: only forward, kept in their own
partition, exported with their data and deleted with their account."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from chalicelib.config import settings
from tests.api.test_videos import add_video

ROLES = ("member", "coach", "admin")


@pytest.fixture
def gym(tenants, users):
    coach, admin, member = tenants(3)
    users.grant(coach, role="coach")
    users.grant(admin, role="admin")
    return {"coach": coach, "admin": admin, "member": member}


@pytest.fixture
def video(api, gym):
    return add_video(api, gym["coach"], duration_s=600)


def report(api, person, video_id, position, completed=None):
    body = {"position_s": position} if completed is None else {"position_s": position, "completed": completed}
    return api.put(f"/videos/{video_id}/progress", body, token=person.token)


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reports_and_reads_its_own_progress(api, gym, video, role):
    person = gym[role]
    before = api.get(f"/videos/{video['id']}/progress", token=person.token)
    assert before.status == 200
    assert before.body["position_s"] == 0
    assert before.body["completed"] is False
    assert before.body["updated_at"] is None

    answer = report(api, person, video["id"], 120)
    assert answer.status == 200, answer.body
    assert answer.body["position_s"] == 120
    assert answer.body["completed"] is False
    assert answer.body["video_id"] == video["id"]
    assert api.get(f"/videos/{video['id']}/progress", token=person.token).body == answer.body
    listed = api.get("/me/video-progress", token=person.token).body
    assert listed == {"items": [answer.body], "next_cursor": None}


def test_progress_is_each_members_own(api, gym, video):
    report(api, gym["member"], video["id"], 300)
    assert api.get(f"/videos/{video['id']}/progress", token=gym["coach"].token).body["position_s"] == 0
    assert api.get("/me/video-progress", token=gym["coach"].token).body["items"] == []


def test_a_late_smaller_position_keeps_the_larger_one(api, gym, video):
    member = gym["member"]
    report(api, member, video["id"], 400)
    late = report(api, member, video["id"], 100)
    assert late.status == 200
    assert late.body["position_s"] == 400
    assert api.get(f"/videos/{video['id']}/progress", token=member.token).body["position_s"] == 400
    assert report(api, member, video["id"], 400).body["position_s"] == 400  # the same position is fine
    assert report(api, member, video["id"], 450).body["position_s"] == 450


def test_concurrent_reports_leave_the_largest_position(api, gym, video):
    member = gym["member"]
    positions = [10, 590, 200, 30, 420, 5, 300, 100]
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda position: report(api, member, video["id"], position), positions))
    assert {answer.status for answer in answers} == {200}
    assert api.get(f"/videos/{video['id']}/progress", token=member.token).body["position_s"] == 590


def test_completed_once_true_stays_true(api, gym, video):
    member = gym["member"]
    assert report(api, member, video["id"], 600, completed=True).body["completed"] is True
    assert report(api, member, video["id"], 600, completed=False).body["completed"] is True
    assert report(api, member, video["id"], 600).body["completed"] is True
    assert api.get(f"/videos/{video['id']}/progress", token=member.token).body["completed"] is True


def test_completing_from_behind_the_stored_position_completes_and_keeps_the_position(api, gym, video):
    member = gym["member"]
    report(api, member, video["id"], 500)
    answer = report(api, member, video["id"], 50, completed=True)
    assert answer.status == 200
    assert (answer.body["position_s"], answer.body["completed"]) == (500, True)


@pytest.mark.parametrize(
    "body",
    [
        {"position_s": 601},
        {"position_s": -1},
        {"position_s": 1.5},
        {"position_s": "10"},
        {},
        {"position_s": 1, "completed": "yes"},
        {"position_s": 1, "x": 1},
    ],
)
def test_a_position_outside_the_video_or_malformed_is_400(api, gym, video, body):
    answer = api.put(f"/videos/{video['id']}/progress", body, token=gym["member"].token)
    assert answer.status == 400, answer.body
    assert api.get(f"/videos/{video['id']}/progress", token=gym["member"].token).body["updated_at"] is None


@pytest.mark.parametrize("role", ROLES)
def test_another_tenants_video_has_no_progress_for_anyone(api, gym, tenants, users, video, role):
    coach, admin, member = tenants(3)
    users.grant(coach, role="coach")
    users.grant(admin, role="admin")
    outsider = {"coach": coach, "admin": admin, "member": member}[role]
    assert report(api, outsider, video["id"], 10).status == 404
    answer = api.get(f"/videos/{video['id']}/progress", token=outsider.token)
    assert answer.status == 404
    assert answer.body["error"]["code"] == "not_found"
    assert api.get("/me/video-progress", token=outsider.token).body["items"] == []


@pytest.mark.parametrize("video_id", ["nope", "01KAAAAAAAAAAAAAAAAAAAAAAA"])
def test_an_unknown_video_has_no_progress(api, gym, video_id):
    assert report(api, gym["member"], video_id, 10).status == 404
    assert api.get(f"/videos/{video_id}/progress", token=gym["member"].token).status == 404


def test_my_progress_lists_most_recent_first_and_pages(api, gym):
    coach, member = gym["coach"], gym["member"]
    videos = [add_video(api, coach, duration_s=100) for _ in range(3)]
    for item in videos:
        report(api, member, item["id"], 10)
    report(api, member, videos[0]["id"], 20)  # watched again: the most recent now

    first = api.get("/me/video-progress?limit=2", token=member.token).body
    assert [item["video_id"] for item in first["items"]] == [videos[0]["id"], videos[2]["id"]]
    rest = api.get(f"/me/video-progress?limit=2&cursor={first['next_cursor']}", token=member.token).body
    assert [item["video_id"] for item in rest["items"]] == [videos[1]["id"]]
    assert rest["next_cursor"] is None
    stolen = api.get(f"/me/video-progress?limit=2&cursor={first['next_cursor']}", token=coach.token)
    assert stolen.status == 400
    assert stolen.body["error"]["code"] == "invalid_cursor"


def test_progress_lives_in_the_members_own_partition(api, gym, video, local_aws):
    member = gym["member"]
    report(api, member, video["id"], 60)
    item = local_aws.client("dynamodb").get_item(
        TableName=settings().table_name,
        Key={
            "PK": {"S": f"TENANT#personal-{member.user_id}#USER#{member.user_id}"},
            "SK": {"S": f"VIDEOPROGRESS#{video['id']}"},
        },
    )["Item"]
    assert item["position_s"] == {"N": "60"}
    assert item["TSK"]["S"].startswith("VIDEOPROGRESS#")


def test_the_export_holds_my_progress_and_deleting_the_account_removes_it(api, gym, video, local_aws, background):
    member = gym["member"]
    report(api, member, video["id"], 90, completed=False)
    exported = api.get("/me/export", token=member.token).body
    [record] = exported["video_progress"]
    assert {key: record[key] for key in ("video_id", "position_s", "completed")} == {
        "video_id": video["id"],
        "position_s": 90,
        "completed": False,
    }
    assert "TSK" not in record

    assert api.request("DELETE", "/me", token=member.token).status == 202

    background.drain()
    left = local_aws.client("dynamodb").query(
        TableName=settings().table_name,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": f"TENANT#personal-{member.user_id}#USER#{member.user_id}"}},
    )["Items"]
    assert left == []
    # A token still valid after the deletion writes nothing back.
    answer = report(api, member, video["id"], 120)
    assert answer.status == 401
    assert answer.body["error"]["code"] == "account_deleted"
    assert api.get(f"/videos/{video['id']}", token=gym["coach"].token).status == 200  # the library stays

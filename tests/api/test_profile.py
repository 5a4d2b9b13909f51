import datetime

import pytest

from chalicelib import clock


def test_a_new_profile_has_the_sign_up_name_and_empty_goals(api, user):
    answer = api.get("/me/profile", token=user.token)
    assert answer.status == 200
    assert answer.body["id"] == user.user_id
    assert answer.body["goals"] == {}
    assert answer.body["version"] == 1
    assert answer.body["created_at"].endswith("Z")


def test_patch_sets_a_nested_path_and_keeps_its_siblings(api, user):
    api.patch("/me/profile", {"goals": {"weekly_workouts": 4}}, token=user.token)
    answer = api.patch("/me/profile", {"goals": {"target_weight_kg": 70.5}}, token=user.token)
    assert answer.status == 200
    assert answer.body["goals"] == {"weekly_workouts": 4, "target_weight_kg": 70.5}


def test_patch_removes_a_nested_field_set_to_null(api, user):
    api.patch("/me/profile", {"goals": {"weekly_workouts": 4, "daily_steps": 9000}}, token=user.token)
    answer = api.patch("/me/profile", {"goals": {"weekly_workouts": None}}, token=user.token)
    assert answer.body["goals"] == {"daily_steps": 9000}


def test_patch_removes_a_top_level_field_set_to_null(api, user):
    api.patch("/me/profile", {"bio": "Runner", "height_cm": 170}, token=user.token)
    answer = api.patch("/me/profile", {"bio": None}, token=user.token)
    assert "bio" not in answer.body
    assert answer.body["height_cm"] == 170


def test_patch_is_one_update_item(api, user, calls):
    calls.clear()
    api.patch("/me/profile", {"display_name": "New", "goals": {"weekly_workouts": 3}}, token=user.token)
    assert calls.calls == ["dynamodb.UpdateItem"]


def test_patch_answers_the_stored_profile_with_a_new_version(api, user):
    before = api.get("/me/profile", token=user.token).body
    answer = api.patch("/me/profile", {"sex": "female"}, token=user.token)
    assert answer.body["version"] == before["version"] + 1
    assert answer.body["updated_at"] >= before["updated_at"]
    assert answer.body == api.get("/me/profile", token=user.token).body


def test_decimal_values_come_back_exactly(api, user):
    answer = api.patch("/me/profile", {"height_cm": 180.4, "goals": {"target_weight_kg": 81.85}}, token=user.token)
    assert answer.body["height_cm"] == 180.4
    assert answer.body["goals"]["target_weight_kg"] == 81.85


@pytest.mark.parametrize(
    "body, field",
    [
        ({"nickname": "x"}, "nickname"),
        ({"goals": {"favourite_food": "x"}}, "goals"),
        ({"height_cm": 49}, "height_cm"),
        ({"height_cm": 273}, "height_cm"),
        ({"height_cm": "180"}, "height_cm"),
        ({"birth_date": "1899-12-31"}, "birth_date"),
        ({"birth_date": "2020-02-30"}, "birth_date"),
        ({"sex": "robot"}, "sex"),
        ({"goals": {"weekly_workouts": 3.5}}, "goals"),
        ({"goals": {"weekly_workouts": True}}, "goals"),
        ({"goals": {"weekly_workouts": 15}}, "goals"),
        ({"goals": {"target_weight_kg": 19}}, "goals"),
        ({"display_name": ""}, "display_name"),
        ({"bio": "x" * 1001}, "bio"),
        ({"avatar_media_id": "../../etc"}, "avatar_media_id"),
        ({"goals": []}, "goals"),
    ],
)
def test_invalid_fields_are_400_and_named(api, user, body, field):
    answer = api.patch("/me/profile", body, token=user.token)
    assert answer.status == 400
    assert field in answer.body["error"]["details"]
    assert api.get("/me/profile", token=user.token).body["version"] == 1


@pytest.mark.parametrize("days", [0, 1])
def test_a_birth_date_today_or_later_is_400(api, user, days):
    born = (clock.today() + datetime.timedelta(days=days)).isoformat()
    answer = api.patch("/me/profile", {"birth_date": born}, token=user.token)
    assert answer.status == 400
    assert "birth_date" in answer.body["error"]["details"]


def test_an_empty_patch_is_400(api, user):
    answer = api.patch("/me/profile", {}, token=user.token)
    assert answer.status == 400
    assert answer.body["error"]["code"] == "empty_patch"


def test_an_avatar_that_is_not_a_ready_upload_is_422(api, user):
    answer = api.patch("/me/profile", {"avatar_media_id": "01HZZZZZZZZZZZZZZZZZZZZZZZ"}, token=user.token)
    assert answer.status == 422
    assert answer.body["error"]["code"] == "media_not_ready"


def test_put_replaces_the_profile_removing_fields_left_out(api, user):
    api.patch("/me/profile", {"bio": "Runner", "goals": {"weekly_workouts": 4}}, token=user.token)
    answer = api.put("/me/profile", {"display_name": "Only Name", "height_cm": 165.5}, token=user.token)
    assert answer.status == 200
    assert answer.body["display_name"] == "Only Name"
    assert answer.body["height_cm"] == 165.5
    assert "bio" not in answer.body
    assert answer.body["goals"] == {}


def test_put_is_one_update_item(api, user, calls):
    calls.clear()
    api.put("/me/profile", {"display_name": "X", "goals": {"daily_steps": 100}}, token=user.token)
    assert calls.calls == ["dynamodb.UpdateItem"]


def test_get_profile_is_one_get_item(api, user, calls):
    calls.clear()
    api.get("/me/profile", token=user.token)
    assert calls.calls == ["dynamodb.GetItem"]


def test_one_users_changes_never_touch_another_users_profile(api, user, other_user):
    api.patch("/me/profile", {"bio": "Mine"}, token=user.token)
    assert "bio" not in api.get("/me/profile", token=other_user.token).body


def test_goals_set_to_null_are_cleared_and_can_be_set_again(api, user):
    api.patch("/me/profile", {"goals": {"weekly_workouts": 4}}, token=user.token)
    assert api.patch("/me/profile", {"goals": None}, token=user.token).body["goals"] == {}
    answer = api.patch("/me/profile", {"goals": {"weekly_workouts": 3}}, token=user.token)
    assert answer.status == 200
    assert answer.body["goals"] == {"weekly_workouts": 3}

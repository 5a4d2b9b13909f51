import pytest

FULL = {
    "units": "imperial",
    "weekly_workout_goal": 5,
    "timezone": "Europe/Paris",
    "week_starts_on": "sunday",
    "notifications": {"email_reminders": True, "weekly_summary": False},
    "privacy": {"profile_visibility": "tenant", "activity_ends_m": 500},
}


def test_defaults_are_returned_before_the_first_put(api, user):
    answer = api.get("/me/preferences", token=user.token)
    assert answer.status == 200
    assert answer.body == {
        "units": "metric",
        "weekly_workout_goal": 3,
        "timezone": "UTC",
        "week_starts_on": "monday",
        "notifications": {"email_reminders": False, "weekly_summary": False},
        "privacy": {"profile_visibility": "private", "activity_ends_m": 200},
        "updated_at": None,
    }


def test_put_stores_exactly_what_was_put(api, user):
    answer = api.put("/me/preferences", FULL, token=user.token)
    assert answer.status == 200
    stored = api.get("/me/preferences", token=user.token).body
    assert {k: v for k, v in stored.items() if k != "updated_at"} == FULL
    assert stored == answer.body
    assert stored["updated_at"].endswith("Z")


def test_put_is_one_round_trip_with_no_read(api, user, calls):
    # The put and the check that the account still exists, in one transaction.
    calls.clear()
    api.put("/me/preferences", FULL, token=user.token)
    assert calls.calls == ["dynamodb.TransactWriteItems"]


def test_get_is_one_get_item(api, user, calls):
    calls.clear()
    api.get("/me/preferences", token=user.token)
    assert calls.calls == ["dynamodb.GetItem"]


def test_fields_left_out_of_a_put_take_their_defaults(api, user):
    api.put("/me/preferences", FULL, token=user.token)
    answer = api.put("/me/preferences", {"units": "imperial"}, token=user.token)
    assert answer.body["weekly_workout_goal"] == 3
    assert answer.body["notifications"] == {"email_reminders": False, "weekly_summary": False}


@pytest.mark.parametrize(
    "body, field",
    [
        ({"units": "stone"}, "units"),
        ({"weekly_workout_goal": 15}, "weekly_workout_goal"),
        ({"weekly_workout_goal": -1}, "weekly_workout_goal"),
        ({"weekly_workout_goal": "3"}, "weekly_workout_goal"),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"timezone": "../../etc/passwd"}, "timezone"),
        ({"timezone": ""}, "timezone"),
        ({"week_starts_on": "funday"}, "week_starts_on"),
        ({"notifications": {"email_reminders": "yes"}}, "notifications"),
        ({"notifications": {"sms": True}}, "notifications"),
        ({"privacy": {"profile_visibility": "public"}}, "privacy"),
        ({"theme": "dark"}, "theme"),
    ],
)
def test_invalid_preferences_are_400_and_named(api, user, body, field):
    answer = api.put("/me/preferences", body, token=user.token)
    assert answer.status == 400
    assert field in answer.body["error"]["details"]


def test_each_user_has_their_own_preferences(api, user, other_user):
    api.put("/me/preferences", FULL, token=user.token)
    assert api.get("/me/preferences", token=other_user.token).body["updated_at"] is None


def test_a_document_stored_before_the_track_privacy_setting_shows_its_default(api, user, local_aws):
    from chalicelib.repositories.dynamo import home_partition
    from tests.conftest import LOCAL_TABLE

    assert api.put("/me/preferences", FULL, token=user.token).status == 200
    local_aws.client("dynamodb").update_item(
        TableName=LOCAL_TABLE,
        Key={"PK": {"S": home_partition(user.user_id)}, "SK": {"S": "PREFERENCES"}},
        UpdateExpression="REMOVE privacy.activity_ends_m",
    )

    from chalicelib import deps

    deps.preferences()._recent.clear()  # another container: nothing cached
    shown = api.get("/me/preferences", token=user.token).body

    assert shown["privacy"] == {"profile_visibility": "tenant", "activity_ends_m": 200}


@pytest.mark.parametrize("metres", [-1, 2001, "200", 1.5])
def test_the_hidden_ends_of_a_track_are_whole_metres_up_to_two_kilometres(api, user, metres):
    answer = api.put("/me/preferences", {"privacy": {"activity_ends_m": metres}}, token=user.token)

    assert answer.status == 400

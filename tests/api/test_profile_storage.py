"""The profile store against the local DynamoDB: races and items made outside sign-up."""

import threading
import uuid

import pytest

from chalicelib.domains.me.profile_store import ProfileStore
from chalicelib.identity import Identity

NOW = "2026-01-01T00:00:00.000Z"


@pytest.fixture
def store(local_aws):
    return ProfileStore(local_aws.client("dynamodb"), "stride-local")


@pytest.fixture
def identity():
    user_id = str(uuid.uuid4())
    return Identity(user_id=user_id, email="", tenant_id=f"personal-{user_id}", role="member")


def test_concurrent_patches_of_different_fields_all_land(store, identity):
    store.create(identity, {"display_name": "A"}, NOW)
    fields = [("display_name", "B"), ("bio", "C"), ("sex", "female")] + [
        ("goals", {name: 1}) for name in ("weekly_workouts", "daily_steps")
    ]
    threads = [threading.Thread(target=store.patch, args=(identity, {name: value}, NOW)) for name, value in fields]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = store.get(identity)
    assert stored["display_name"] == "B" and stored["bio"] == "C" and stored["sex"] == "female"
    assert stored["goals"] == {"weekly_workouts": 1, "daily_steps": 1}
    assert stored["version"] == 1 + len(fields)


def test_no_write_recreates_the_profile_of_a_deleted_account(store, identity):
    from chalicelib.errors import Unauthenticated

    for write in (
        lambda: store.patch(identity, {"goals": {"weekly_workouts": 2}}, NOW),
        lambda: store.replace(identity, {"display_name": "Ghost"}, NOW),
    ):
        with pytest.raises(Unauthenticated):
            write()
    assert store.get(identity) is None


def test_a_profile_is_created_once(store, identity):
    from chalicelib.errors import Conflict

    store.create(identity, {"display_name": "A"}, NOW)
    with pytest.raises(Conflict):
        store.create(identity, {"display_name": "B"}, NOW)
    assert store.get(identity)["display_name"] == "A"

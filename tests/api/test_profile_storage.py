"""The profile repository against the local DynamoDB: races and items made outside sign-up."""

import threading
import uuid

import pytest

from chalicelib.domains.me.profile_store import ProfileRepository
from chalicelib.identity import Identity

NOW = "2026-01-01T00:00:00.000Z"


@pytest.fixture
def repository(local_aws):
    return ProfileRepository(local_aws.client("dynamodb"), "stride-local")


@pytest.fixture
def identity():
    user_id = str(uuid.uuid4())
    return Identity(user_id=user_id, email="", tenant_id=f"personal-{user_id}", role="member")


def test_concurrent_patches_of_different_fields_all_land(repository, identity):
    repository.create(identity, {"display_name": "A"}, NOW)
    fields = [("display_name", "B"), ("bio", "C"), ("sex", "female")] + [
        ("goals", {name: 1}) for name in ("weekly_workouts", "daily_steps")
    ]
    threads = [threading.Thread(target=repository.patch, args=(identity, {name: value}, NOW)) for name, value in fields]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = repository.get(identity)
    assert stored["display_name"] == "B" and stored["bio"] == "C" and stored["sex"] == "female"
    assert stored["goals"] == {"weekly_workouts": 1, "daily_steps": 1}
    assert stored["version"] == 1 + len(fields)


def test_no_write_recreates_the_profile_of_a_deleted_account(repository, identity):
    from chalicelib.errors import Unauthenticated

    for write in (
        lambda: repository.patch(identity, {"goals": {"weekly_workouts": 2}}, NOW),
        lambda: repository.replace(identity, {"display_name": "Ghost"}, NOW),
    ):
        with pytest.raises(Unauthenticated):
            write()
    assert repository.get(identity) is None


def test_a_profile_is_created_once(repository, identity):
    from chalicelib.errors import Conflict

    repository.create(identity, {"display_name": "A"}, NOW)
    with pytest.raises(Conflict):
        repository.create(identity, {"display_name": "B"}, NOW)
    assert repository.get(identity)["display_name"] == "A"

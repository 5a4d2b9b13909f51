"""Which stream records start a post's erasure: only the REMOVE of a post item, read from its keys
and its last image; and a failure stops the batch at its record, for Lambda to hand it again."""

from typing import Any

import pytest

from chalicelib.domains.social.service import SocialService
from chalicelib.domains.social.store import removed_post

POST_ID = "01KAAAAAAAAAAAAAAAAAAAAAAA"
AUTHOR = "3f1c2b9e-0000-4000-8000-000000000001"


def record(name: str, partition: str, sort_key: str, old: dict[str, Any] | None, sequence: str = "1") -> dict:
    data: dict[str, Any] = {"Keys": {"PK": {"S": partition}, "SK": {"S": sort_key}}, "SequenceNumber": sequence}
    if old is not None:
        data["OldImage"] = old
    return {"eventID": sequence, "eventName": name, "dynamodb": data}


OLD_POST = {
    "author_id": {"S": AUTHOR},
    "media_ids": {"L": [{"S": "01KBBBBBBBBBBBBBBBBBBBBBBB"}]},
    "visibility": {"S": "tenant"},
}


def test_a_removed_post_names_its_tenant_author_and_media():
    found = removed_post(record("REMOVE", f"TENANT#gym-1#POST#{POST_ID}", "POST", OLD_POST))
    assert found is not None
    tenant_id, post = found
    assert tenant_id == "gym-1"
    assert (post["id"], post["author_id"], post["media_ids"]) == (POST_ID, AUTHOR, ["01KBBBBBBBBBBBBBBBBBBBBBBB"])


@pytest.mark.parametrize(
    "change",
    [
        record("INSERT", f"TENANT#gym-1#POST#{POST_ID}", "POST", None),
        record("MODIFY", f"TENANT#gym-1#POST#{POST_ID}", "POST", OLD_POST),
        record("REMOVE", f"TENANT#gym-1#POST#{POST_ID}", f"LIKE#{AUTHOR}", OLD_POST),
        record("REMOVE", f"TENANT#gym-1#POST#{POST_ID}", "COMMENT#01KC", OLD_POST),
        record("REMOVE", f"TENANT#personal-{AUTHOR}#USER#{AUTHOR}", "POST", OLD_POST),
        record("REMOVE", f"TENANT#gym-1#POST#{POST_ID}", "POST", None),
    ],
    ids=["insert", "modify", "like", "comment", "not-a-post-partition", "no-old-image"],
)
def test_any_other_record_is_passed_over(change):
    assert removed_post(change) is None


class FailingStore:
    def __init__(self) -> None:
        self.erased: list[str] = []

    def partition_keys(self, tenant_id: str, post_id: str) -> list:
        raise AssertionError("not used")

    def delete_remains(self, identity: Any, post_id: str, media_ids: list[str]) -> None:
        if post_id == "boom":
            raise ConnectionError("cut off")
        self.erased.append(post_id)


class NoFiles:
    def delete(self, keys: list[str]) -> None:
        pass


def test_a_failure_reports_its_record_and_leaves_the_rest_of_the_batch_for_the_retry():
    store = FailingStore()
    service = SocialService(store, NoFiles(), lambda: None)  # type: ignore[arg-type]
    batch = [
        record("REMOVE", "TENANT#gym-1#POST#first", "POST", OLD_POST, "1"),
        record("REMOVE", "TENANT#gym-1#POST#boom", "POST", OLD_POST, "2"),
        record("REMOVE", "TENANT#gym-1#POST#after", "POST", OLD_POST, "3"),
    ]
    assert service.on_stream(batch) == {"batchItemFailures": [{"itemIdentifier": "2"}]}
    assert store.erased == ["first"]

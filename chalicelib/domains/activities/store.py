"""Where activity files live.

- The workout item (`WORKOUT#<id>`, the workouts domain's own kind) carries the file's figures, never
  its track: an item is at most 400 KB, a six-hour ride's points are megabytes.
- `ACTIVITY#file#<sha256>`: one a file a person uploaded, naming the workout it became. Put with the
  workout in one transaction, under the condition that no live one exists: the same file twice is
  the same workout. It goes when its workout goes (`release_file`, from the table's stream); one
  naming a workout that is gone is taken over by the next upload of that file.
- `ACTIVITY#records`: the person's personal bests, kept from the table's stream (`RecordStore`).
- The bucket, under the person's prefix (`users/<tenant>/<sub>/activities/<workout id>/`): the
  full-resolution track as GPX (`track.gpx`: the upload itself when it was a GPX), the simplified
  track as JSON (`track.json`), and a TCX's or FIT's own bytes (`source.tcx`, `source.fit`). Keys
  are built from the verified sub only.
"""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.domains.workouts.public import WORKOUTS
from chalicelib.errors import Conflict
from chalicelib.identity import Identity, personal_tenant
from chalicelib.repositories.anchor import ACCOUNT, account_check, account_deleted
from chalicelib.repositories.dynamo import (
    from_item,
    home_partition,
    put_new,
    run_transaction,
    to_item,
    to_value,
    user_key,
)

PREFIX = "ACTIVITY#"
RECORDS_KEY = f"{PREFIX}records"
TRACK_NAMES = ("track.gpx", "track.json", "source.tcx", "source.fit")


def upload_sort_key(media_id: str) -> str:
    return f"{PREFIX}upload#{media_id}"


def file_sort_key(sha256: str) -> str:
    return f"{PREFIX}file#{sha256}"


def track_prefix(user_id: str, workout_id: str) -> str:
    return f"users/{personal_tenant(user_id)}/{user_id}/activities/{workout_id}/"


class SameFile(Exception):
    """This person uploaded this file already: `workout_id` is the workout it became."""

    def __init__(self, workout_id: str):
        super().__init__(workout_id)
        self.workout_id = workout_id


class ActivityStore:
    def __init__(self, client: Any, table_name: str):
        self._client = client
        self._table = table_name

    def create(self, identity: Identity, workout: dict[str, Any], sha256: str, stale: str | None = None) -> None:
        """The workout and its file's item, in one transaction with the account's check. `stale`:
        the workout a file item names that is gone (its item may be replaced). Raises SameFile."""
        file_item = {"workout_id": workout["id"], "created_at": workout["created_at"]}
        key = user_key(identity, file_sort_key(sha256))
        if stale is None:
            file_put = put_new(self._table, key, file_item)
        else:
            file_put = {
                "Put": {
                    "TableName": self._table,
                    "Item": {**key, **to_item(file_item)},
                    "ConditionExpression": "attribute_not_exists(PK) OR workout_id = :stale",
                    "ExpressionAttributeValues": {":stale": to_value(stale)},
                }
            }
        actions = [
            ("workout", put_new(self._table, user_key(identity, WORKOUTS.sort_key(workout["id"])), workout)),
            ("file", file_put),
            account_check(self._table, identity),
        ]

        def same_file() -> Exception:
            named = self.file_workout(identity, sha256)
            return SameFile(named) if named else Conflict("The file is being stored: try again.")

        run_transaction(self._client, actions, {ACCOUNT: account_deleted, "file": same_file, "workout": lambda: None})

    def file_workout(self, identity: Identity, sha256: str) -> str | None:
        """The workout a file became, if this person uploaded it."""
        response = self._client.get_item(
            TableName=self._table, Key=user_key(identity, file_sort_key(sha256)), ConsistentRead=True
        )
        return str(from_item(response["Item"])["workout_id"]) if "Item" in response else None

    def workout(self, identity: Identity, workout_id: str) -> dict[str, Any] | None:
        response = self._client.get_item(
            TableName=self._table, Key=user_key(identity, WORKOUTS.sort_key(workout_id)), ConsistentRead=True
        )
        return from_item(response["Item"]) if "Item" in response else None

    def start_upload(self, identity: Identity, media_id: str, now: str) -> tuple[dict[str, Any], bool]:
        """The state of a file uploaded to the bucket being made a workout: a new one (processing),
        or the one that exists (True: it is new)."""
        item = {"id": media_id, "status": "processing", "created_at": now, "updated_at": now}
        try:
            run_transaction(
                self._client,
                [
                    ("upload", put_new(self._table, user_key(identity, upload_sort_key(media_id)), item)),
                    account_check(self._table, identity),
                ],
                {ACCOUNT: account_deleted, "upload": lambda: _Exists()},
            )
        except _Exists:
            found = self.upload(identity, media_id)
            if found is not None:
                return found, False
            raise
        return item, True

    def upload(self, identity: Identity, media_id: str) -> dict[str, Any] | None:
        response = self._client.get_item(
            TableName=self._table, Key=user_key(identity, upload_sort_key(media_id)), ConsistentRead=True
        )
        return from_item(response["Item"]) if "Item" in response else None

    def finish_upload(self, identity: Identity, media_id: str, outcome: dict[str, Any], now: str) -> None:
        """processing -> done (with the workout's id) or failed (with the error), once."""
        names = {"#status": "status"}
        values = {":processing": to_value("processing"), ":now": to_value(now)}
        sets = ["updated_at = :now"]
        for index, (name, value) in enumerate(outcome.items()):
            names[f"#f{index}"] = name
            values[f":v{index}"] = to_value(value)
            sets.append(f"#f{index} = :v{index}")
        try:
            self._client.update_item(
                TableName=self._table,
                Key=user_key(identity, upload_sort_key(media_id)),
                UpdateExpression="SET " + ", ".join(sets),
                ConditionExpression="#status = :processing",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise

    def release_file(self, user_id: str, sha256: str, workout_id: str) -> None:
        """Forgets a file whose workout was deleted (only if it still names that workout)."""
        try:
            self._client.delete_item(
                TableName=self._table,
                Key={"PK": {"S": home_partition(user_id)}, "SK": {"S": file_sort_key(sha256)}},
                ConditionExpression="workout_id = :workout",
                ExpressionAttributeValues={":workout": to_value(workout_id)},
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise


class TrackFiles:
    """The tracks in the media bucket, under the owner's prefix."""

    def __init__(self, client: Any, bucket: str):
        self._client = client
        self._bucket = bucket

    def _put(self, key: str, body: bytes, content_type: str) -> None:
        self._client.put_object(Bucket=self._bucket, Key=key, Body=body, ContentType=content_type)

    def store(
        self, user_id: str, workout_id: str, gpx: bytes, simplified: dict[str, Any], source: tuple[str, bytes] | None
    ) -> None:
        prefix = track_prefix(user_id, workout_id)
        self._put(f"{prefix}track.gpx", gpx, "application/gpx+xml")
        self._put(f"{prefix}track.json", json.dumps(simplified, separators=(",", ":")).encode(), "application/json")
        if source is not None:
            extension, data = source
            self._put(f"{prefix}source.{extension}", data, "application/octet-stream")

    def _get(self, key: str) -> bytes | None:
        try:
            return bytes(self._client.get_object(Bucket=self._bucket, Key=key)["Body"].read())
        except ClientError as exc:
            if exc.response["Error"]["Code"] in ("NoSuchKey", "404"):
                return None
            raise

    def read(self, key: str) -> bytes | None:
        """An object of the person's prefix (an uploaded file), or None when it is not there."""
        return self._get(key)

    def gpx(self, user_id: str, workout_id: str) -> bytes | None:
        return self._get(f"{track_prefix(user_id, workout_id)}track.gpx")

    def simplified(self, user_id: str, workout_id: str) -> dict[str, Any] | None:
        data = self._get(f"{track_prefix(user_id, workout_id)}track.json")
        return json.loads(data) if data is not None else None

    def delete(self, user_id: str, workout_id: str) -> None:
        prefix = track_prefix(user_id, workout_id)
        self._client.delete_objects(
            Bucket=self._bucket, Delete={"Objects": [{"Key": f"{prefix}{name}"} for name in TRACK_NAMES], "Quiet": True}
        )


class RecordStore:
    """The person's records item (`ACTIVITY#records`), written under a condition on its version."""

    def __init__(self, client: Any, table_name: str):
        self._client = client
        self._table = table_name

    def _key(self, user_id: str) -> dict[str, Any]:
        return {"PK": {"S": home_partition(user_id)}, "SK": {"S": RECORDS_KEY}}

    def get(self, user_id: str, consistent: bool = False) -> tuple[dict[str, Any], int, str | None]:
        """The records, their version (0: none yet) and when they last changed."""
        response = self._client.get_item(TableName=self._table, Key=self._key(user_id), ConsistentRead=consistent)
        if "Item" not in response:
            return {}, 0, None
        item = from_item(response["Item"])
        return dict(item.get("records") or {}), int(item["version"]), item.get("updated_at")

    def put(self, user_id: str, records: dict[str, Any], version: int, now: str) -> bool:
        """Writes the records over `version` (False: they changed since, read them again). Carries
        the person's existence: nothing is written back into an erased partition."""
        from chalicelib.repositories.anchor import person_exists_check

        item = {"records": records, "version": version + 1, "updated_at": now}
        if version == 0:
            condition, values = "attribute_not_exists(PK)", {}
        else:
            condition, values = "version = :version", {":version": to_value(version)}
        put: dict[str, Any] = {
            "TableName": self._table,
            "Item": {**self._key(user_id), **to_item(item)},
            "ConditionExpression": condition,
        }
        if values:
            put["ExpressionAttributeValues"] = values
        try:
            run_transaction(
                self._client,
                [("records", {"Put": put}), ("person", person_exists_check(self._table, user_id))],
                {"person": lambda: _Gone(), "records": lambda: _Stale()},
            )
        except _Gone:
            return True  # the account is gone: nothing to keep
        except _Stale:
            return False
        return True

    def workouts_page(
        self, user_id: str, start: dict[str, Any] | None
    ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        """One page of the person's workouts (the rebuild's read), and where the next starts."""
        params: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
            "ExpressionAttributeValues": {
                ":pk": to_value(home_partition(user_id)),
                ":prefix": to_value(WORKOUTS.prefix),
            },
            "ProjectionExpression": "id, started_at, distance_m, elevation_gain_m, best_efforts",
        }
        if start:
            params["ExclusiveStartKey"] = start
        response = self._client.query(**params)
        return [from_item(item) for item in response.get("Items", [])], response.get("LastEvaluatedKey")


class _Exists(Exception):
    pass


class _Gone(Exception):
    pass


class _Stale(Exception):
    pass

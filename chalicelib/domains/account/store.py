"""The whole of one user's partition: for export, import and account deletion."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.errors import Conflict
from chalicelib.identity import Identity
from chalicelib.repositories.anchor import ACCOUNT, account_check, account_deleted
from chalicelib.repositories.anchor import SORT_KEY as PROFILE_SORT_KEY
from chalicelib.repositories.dynamo import (
    Labelled,
    batch_delete,
    failed_conditions,
    from_item,
    put_new,
    query_all,
    to_item,
    to_value,
    transact,
    user_key,
    user_partition,
)

# TransactWriteItems takes 100 actions: 98 puts, the import marker (or its removal), the account check.
TRANSACTION_SIZE = 98
IMPORT_PREFIX = "IMPORT#"
# The status of an export built in the background (expires a day later, as its file does).
EXPORT_PREFIX = "EXPORTJOB#"
# The status and result of an import written in the background (expires a day later). Not under
# IMPORT_PREFIX: `unfinished` reads the markers only.
IMPORT_JOB_PREFIX = "IMPORTJOB#"
# BatchGetItem takes 100 keys a call.
BATCH_GET_KEYS = 100


LEASE_LOST = "import_lease_lost"
# What a roll-back sets the lease's end to: before any instant, so no renewal's condition holds.
REVOKED = "0000-00-00T00:00:00.000Z"


def _on_marker(
    table: str, marker: dict[str, Any], condition: str, values: dict[str, Any], action: dict[str, Any]
) -> dict[str, Any]:
    """`action` ({"Update": {UpdateExpression, until}} or {"Delete": {}}) on an import's marker,
    under `condition`."""
    kind, spec = next(iter(action.items()))
    operation: dict[str, Any] = {
        "TableName": table,
        "Key": marker,
        "ConditionExpression": f"attribute_exists(PK) AND {condition}",
        "ExpressionAttributeValues": values,
    }
    if kind == "Update":
        operation["UpdateExpression"] = spec["UpdateExpression"]
        values[":until"] = to_value(spec["until"])
    return {kind: operation}


def _own(table: str, marker: dict[str, Any], action: dict[str, Any]) -> dict[str, Any]:
    """`action` on a background import's own marker, on the condition that no roll-back revoked it
    (whatever its lease: the job is this import's own, handed out again after a crash)."""
    return _on_marker(table, marker, "lease_until <> :revoked", {":revoked": to_value(REVOKED)}, action)


def _still_running() -> Conflict:
    return Conflict("Another import of yours is still running; try again in a minute.", code="import_running")


def _held(table: str, marker: dict[str, Any], now: str, action: dict[str, Any]) -> dict[str, Any]:
    """`action` on the import's marker, on the condition that its lease is still held at `now`."""
    return _on_marker(table, marker, "lease_until > :now", {":now": to_value(now)}, action)


class AccountStore:
    def __init__(self, client: Any, table_name: str):
        self._client = client
        self._table = table_name

    def _query(self, identity: Identity, **extra: Any) -> list[dict[str, Any]]:
        params: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "PK = :pk",
            "ExpressionAttributeValues": {":pk": to_value(user_partition(identity))},
            "ConsistentRead": True,
            **extra,
        }
        return query_all(self._client, params)

    def all_items(self, identity: Identity, consistent: bool = True) -> list[tuple[str, dict[str, Any]]]:
        """(sort key, item) for everything in the user's partition, one page per call."""
        return [(raw["SK"]["S"], from_item(raw)) for raw in self._query(identity, ConsistentRead=consistent)]

    def first_items(self, identity: Identity, limit: int) -> tuple[list[tuple[str, dict[str, Any]]], bool]:
        """Up to `limit` items of the partition (one call), and whether more remain."""
        response = self._client.query(
            TableName=self._table,
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": to_value(user_partition(identity))},
            ConsistentRead=True,
            Limit=limit,
        )
        items = [(raw["SK"]["S"], from_item(raw)) for raw in response.get("Items", [])]
        return items, "LastEvaluatedKey" in response

    def start_export(self, identity: Identity, export_id: str, now: str, expires_at: int) -> None:
        """The status of an export built in the background: running until the worker finishes it."""
        item = {"export_id": export_id, "status": "running", "started_at": now, "expires_at": expires_at}
        self._client.put_item(
            TableName=self._table, Item={**user_key(identity, EXPORT_PREFIX + export_id), **to_item(item)}
        )

    def finish_export(
        self,
        identity: Identity,
        export_id: str,
        key: str,
        size: int,
        exported_at: str,
        archives: dict[str, dict[str, Any]] | None = None,
    ) -> bool:
        """Marks the export ready (with the archives beside the document, by name: {key, size,
        count}); False when its status is gone (the account was erased meanwhile)."""
        try:
            self._client.update_item(
                TableName=self._table,
                Key=user_key(identity, EXPORT_PREFIX + export_id),
                UpdateExpression="SET #status = :ready, file_key = :key, size_bytes = :size, exported_at = :at, "
                "archives = :archives",
                ConditionExpression="attribute_exists(PK)",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={
                    ":ready": to_value("ready"),
                    ":key": to_value(key),
                    ":size": to_value(size),
                    ":at": to_value(exported_at),
                    ":archives": to_value(archives or {}),
                },
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def export_status(self, identity: Identity, export_id: str) -> dict[str, Any] | None:
        response = self._client.get_item(
            TableName=self._table, Key=user_key(identity, EXPORT_PREFIX + export_id), ConsistentRead=True
        )
        return from_item(response["Item"]) if "Item" in response else None

    def existing(self, identity: Identity, sort_keys: list[str]) -> dict[str, str | None]:
        """Which of these sort keys are in the partition, each with the id of the import that wrote
        it (None: not an import's). BatchGetItem of the keys only (a call a 100, strongly
        consistent): what an import costs grows with its records, never with the history."""
        found: dict[str, str | None] = {}
        for start in range(0, len(sort_keys), BATCH_GET_KEYS):
            request: dict[str, Any] = {
                self._table: {
                    "Keys": [user_key(identity, key) for key in sort_keys[start : start + BATCH_GET_KEYS]],
                    "ProjectionExpression": "SK, import_id",
                    "ConsistentRead": True,
                }
            }
            while request:
                response = self._client.batch_get_item(RequestItems=request)
                for raw in response.get("Responses", {}).get(self._table, []):
                    found[raw["SK"]["S"]] = raw["import_id"]["S"] if "import_id" in raw else None
                request = response.get("UnprocessedKeys") or {}
        return found

    def put_new(
        self,
        identity: Identity,
        items: list[tuple[str, dict[str, Any]]],
        import_id: str,
        lease: Callable[[], tuple[str, str]],
        result: dict[str, Any] | None = None,
    ) -> None:
        """Puts items that must not exist yet, all or none. One transaction when they fit (with
        the account check). More: the import holds a lease on its marker (`lease()` answers now
        and the lease's new end): the first transaction puts the marker, every later one renews
        the lease on the condition that it is still held (not expired, not revoked by a roll-back),
        the last deletes the marker on that condition. A chunk whose lease is gone fails whole
        (`import_lease_lost`), and what this import wrote is deleted; an import cut short (a Lambda
        timeout) leaves its marker for the next import to roll back once the lease has expired.

        With `result`, a background import (`start_import` put its marker and status): its first
        transaction takes the marker over (whatever its lease, unless a roll-back revoked it: a job
        handed out again after a crash resumes), and its last deletes the marker and sets the
        status done with `result`, in one transaction. A failure deletes nothing: the job, run
        again, resumes."""
        if result is not None:
            self._put_job(identity, items, import_id, lease, result)
            return
        chunks = [items[start : start + TRANSACTION_SIZE] for start in range(0, len(items), TRANSACTION_SIZE)]
        if len(chunks) <= 1:
            self._put_chunk(identity, chunks[0] if chunks else [], [])
            return
        marker = user_key(identity, IMPORT_PREFIX + import_id)
        written: list[str] = []
        try:
            for number, chunk in enumerate(chunks):
                now, until = lease()
                if number == 0:
                    started = {"import_id": import_id, "started_at": now, "lease_until": until}
                    extra = [put_new(self._table, marker, started)]
                elif number == len(chunks) - 1:
                    extra = [_held(self._table, marker, now, {"Delete": {}})]
                else:
                    renewal = {"UpdateExpression": "SET lease_until = :until", "until": until}
                    extra = [_held(self._table, marker, now, {"Update": renewal})]
                written.extend(self._put_chunk(identity, chunk, extra))
        except Conflict as exc:
            if exc.code != LEASE_LOST:
                self._delete_keys([user_key(identity, key) for key in written] + [marker])
            # Lease lost: the import that revoked it deletes what this one wrote (by its id), and
            # may already have written the same records as its own: deleting by key here would
            # take them.
            raise
        except Exception:
            self._delete_keys([user_key(identity, key) for key in written] + [marker])
            raise

    def _put_job(
        self,
        identity: Identity,
        items: list[tuple[str, dict[str, Any]]],
        import_id: str,
        lease: Callable[[], tuple[str, str]],
        result: dict[str, Any],
    ) -> None:
        # 97 puts: the marker, the status and the account check make 100 actions.
        size = TRANSACTION_SIZE - 1
        chunks = [items[start : start + size] for start in range(0, len(items), size)] or [[]]
        marker = user_key(identity, IMPORT_PREFIX + import_id)
        for number, chunk in enumerate(chunks):
            now, until = lease()
            renewal = {"UpdateExpression": "SET lease_until = :until", "until": until}
            last = number == len(chunks) - 1
            if number == 0:
                extra = [_own(self._table, marker, {"Delete": {}} if last else {"Update": renewal})]
            elif last:
                extra = [_held(self._table, marker, now, {"Delete": {}})]
            else:
                extra = [_held(self._table, marker, now, {"Update": renewal})]
            if last:
                extra.append(self._finished(identity, import_id, now, result))
            self._put_chunk(identity, chunk, extra)

    def _finished(self, identity: Identity, import_id: str, now: str, result: dict[str, Any]) -> dict[str, Any]:
        """The job's status set done with its result, while it is running (not failed, not done by
        another delivery of the same job)."""
        return {
            "Update": {
                "TableName": self._table,
                "Key": user_key(identity, IMPORT_JOB_PREFIX + import_id),
                "UpdateExpression": "SET #status = :done, #result = :result, finished_at = :now",
                "ConditionExpression": "#status = :running",
                "ExpressionAttributeNames": {"#status": "status", "#result": "result"},
                "ExpressionAttributeValues": {
                    ":done": to_value("done"),
                    ":running": to_value("running"),
                    ":result": to_value(result),
                    ":now": to_value(now),
                },
            }
        }

    def start_import(
        self, identity: Identity, import_id: str, file_key: str, lease: tuple[str, str], expires_at: int
    ) -> None:
        """A background import's marker (its lease held until the job takes it) and its status
        (running), in one transaction with the account check."""
        now, until = lease
        marker = {"import_id": import_id, "started_at": now, "lease_until": until}
        status = {"status": "running", "file_key": file_key, "started_at": now, "expires_at": expires_at}
        actions: list[Labelled] = [
            ("marker", put_new(self._table, user_key(identity, IMPORT_PREFIX + import_id), marker)),
            ("status", put_new(self._table, user_key(identity, IMPORT_JOB_PREFIX + import_id), status)),
            account_check(self._table, identity),
        ]
        try:
            transact(self._client, [action for _, action in actions])
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "TransactionCanceledException":
                raise
            if ACCOUNT in failed_conditions(exc, [label for label, _ in actions]):
                raise account_deleted() from exc
            raise

    def import_status(self, identity: Identity, import_id: str) -> dict[str, Any] | None:
        response = self._client.get_item(
            TableName=self._table, Key=user_key(identity, IMPORT_JOB_PREFIX + import_id), ConsistentRead=True
        )
        return from_item(response["Item"]) if "Item" in response else None

    def fail_import(self, identity: Identity, import_id: str, now: str, error: dict[str, Any]) -> None:
        """The job's status set failed with `error` (while it is running), and its marker deleted
        (nothing of it is kept: it wrote nothing, or a roll-back deleted what it wrote)."""
        try:
            self._client.update_item(
                TableName=self._table,
                Key=user_key(identity, IMPORT_JOB_PREFIX + import_id),
                UpdateExpression="SET #status = :failed, #error = :error, finished_at = :now",
                ConditionExpression="#status = :running",
                ExpressionAttributeNames={"#status": "status", "#error": "error"},
                ExpressionAttributeValues={
                    ":failed": to_value("failed"),
                    ":running": to_value("running"),
                    ":error": to_value(error),
                    ":now": to_value(now),
                },
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
        self._client.delete_item(TableName=self._table, Key=user_key(identity, IMPORT_PREFIX + import_id))

    def _put_chunk(
        self, identity: Identity, chunk: list[tuple[str, dict[str, Any]]], extra: list[dict[str, Any]]
    ) -> list[str]:
        """One transaction: the puts, `extra`, the account check last. Returns the keys it put."""
        # Each put is labelled by its own sort key: a failed one names the record another import wrote.
        actions: list[Labelled] = [
            *((sort_key, put_new(self._table, user_key(identity, sort_key), item)) for sort_key, item in chunk),
            *(("marker", action) for action in extra),
            account_check(self._table, identity),
        ]
        try:
            transact(self._client, [action for _, action in actions])
            return [key for key, _ in chunk]
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "TransactionCanceledException":
                raise
            failed = failed_conditions(exc, [label for label, _ in actions])
            if ACCOUNT in failed:
                raise account_deleted() from exc
            if "marker" in failed and extra and "Put" not in extra[0]:
                raise Conflict(
                    "This import ran past its lease and was rolled back; nothing of it was kept.",
                    code=LEASE_LOST,
                ) from exc
            # Another import wrote some of these meanwhile: put the rest (those are not ours).
            taken = failed & {key for key, _ in chunk}
            if not taken:
                raise
            return self._put_chunk(identity, [(key, item) for key, item in chunk if key not in taken], extra)

    def unfinished(self, identity: Identity) -> list[dict[str, Any]]:
        """The markers of imports that have not finished (running, or cut short)."""
        return [
            from_item(raw)
            for raw in self._query(
                identity,
                KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
                ExpressionAttributeValues={
                    ":pk": to_value(user_partition(identity)),
                    ":prefix": to_value(IMPORT_PREFIX),
                },
            )
        ]

    def roll_back(self, identity: Identity, import_id: str, now: str) -> int:
        """Deletes what an import cut short wrote (its items carry its id), then its marker. The
        lease is revoked first, on the condition that it has expired: an import still writing
        fails its next chunk instead of finishing half rolled back (Conflict when it renewed the
        lease meanwhile)."""
        marker = user_key(identity, IMPORT_PREFIX + import_id)
        try:
            self._client.update_item(
                TableName=self._table,
                Key=marker,
                UpdateExpression="SET lease_until = :revoked",
                ConditionExpression=(
                    "attribute_exists(PK) AND (attribute_not_exists(lease_until) OR lease_until <= :now)"
                ),
                ExpressionAttributeValues={":now": to_value(now), ":revoked": to_value(REVOKED)},
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            raise _still_running() from exc
        keys = [
            {"PK": raw["PK"], "SK": raw["SK"]}
            for raw in self._query(
                identity,
                FilterExpression="import_id = :import",
                ExpressionAttributeValues={":pk": to_value(user_partition(identity)), ":import": to_value(import_id)},
                ProjectionExpression="PK, SK",
            )
            if not raw["SK"]["S"].startswith(IMPORT_PREFIX)
        ]
        self._delete_keys([*keys, marker])
        return len(keys)

    def _delete_keys(self, keys: list[dict[str, Any]]) -> None:
        batch_delete(self._client, self._table, keys)

    def delete_anchor(self, identity: Identity) -> None:
        """The profile: from then on no write of this account succeeds."""
        self._client.delete_item(TableName=self._table, Key=user_key(identity, PROFILE_SORT_KEY))

    def delete_prefixed(self, identity: Identity, prefixes: tuple[str, ...]) -> None:
        """Every item whose sort key starts with one of `prefixes` (one Query each)."""
        keys = [
            {"PK": raw["PK"], "SK": raw["SK"]}
            for prefix in prefixes
            for raw in self._query(
                identity,
                KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
                ExpressionAttributeValues={":pk": to_value(user_partition(identity)), ":prefix": to_value(prefix)},
                ProjectionExpression="PK, SK",
            )
        ]
        batch_delete(self._client, self._table, keys)

    def delete_some(self, identity: Identity, limit: int) -> int:
        """Deletes up to `limit` items of the partition (one Query page of keys); returns how many,
        0 once it is empty. Nothing to resume from: what was deleted is gone, so each call reads
        from the start."""
        response = self._client.query(
            TableName=self._table,
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": to_value(user_partition(identity))},
            ProjectionExpression="PK, SK",
            ConsistentRead=True,
            Limit=limit,
        )
        keys = [{"PK": raw["PK"], "SK": raw["SK"]} for raw in response.get("Items", [])]
        batch_delete(self._client, self._table, keys)
        return len(keys)

    def delete_everything(self, identity: Identity) -> int:
        """Every item left in the partition."""
        keys = [{"PK": raw["PK"], "SK": raw["SK"]} for raw in self._query(identity, ProjectionExpression="PK, SK")]
        batch_delete(self._client, self._table, keys)
        return len(keys)

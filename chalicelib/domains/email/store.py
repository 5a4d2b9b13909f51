"""Who gets which e-mail when, and what was sent: the schedule items (one per person and kind,
in the sparse `Due` index while the person has opted in) and the send records.

The index's partition is the kind and a shard (`DUE#email#<kind>#<shard>`), its sort key the next
send time, so a run asks each shard for what is due now, page by page: a run reads what it sends,
never the users who opted out, and a thousand people waking at the same hour spread over the
shards instead of one hot partition.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from botocore.exceptions import ClientError

from chalicelib.repositories.dynamo import (
    due_shard,
    failed_conditions,
    from_item,
    home_partition,
    query_items,
    to_item,
    to_value,
)
from chalicelib.repositories.items import Kind

DUE_INDEX = "Due"
SCHEDULE_PREFIX = "NOTIFY#"
SENT_PREFIX = "SENT#"
SCHEDULE = Kind("email_schedule", SCHEDULE_PREFIX, "scheduled e-mail")
SENT = Kind("emails_sent", SENT_PREFIX, "sent e-mail")
SENT_RECORD_DAYS = 400  # a year of history in the export, then DynamoDB's TTL removes it


def schedule_key(user_id: str, kind: str) -> dict[str, Any]:
    return {"PK": {"S": home_partition(user_id)}, "SK": {"S": f"{SCHEDULE_PREFIX}{kind}"}}


def sent_key(user_id: str, kind: str, local_date: str) -> dict[str, Any]:
    return {"PK": {"S": home_partition(user_id)}, "SK": {"S": f"{SENT_PREFIX}{kind}#{local_date}"}}


def _due_partition(kind: str, shard: int) -> str:
    return f"DUE#email#{kind}#{shard}"


class ScheduleEntry(NamedTuple):
    user_id: str
    kind: str
    email: str
    timezone: str
    week_starts_on: str
    send_at: str  # ISO UTC
    local_date: str

    def index_keys(self) -> dict[str, str]:
        return {"DPK": _due_partition(self.kind, due_shard(self.user_id)), "DSK": f"{self.send_at}#{self.user_id}"}

    def attributes(self) -> dict[str, Any]:
        return {
            "user_id": self.user_id,
            "kind": self.kind,
            "email": self.email,
            "timezone": self.timezone,
            "week_starts_on": self.week_starts_on,
            "send_at": self.send_at,
            "local_date": self.local_date,
            **self.index_keys(),
        }


def _entry(item: dict[str, Any]) -> ScheduleEntry:
    values = from_item(item)
    return ScheduleEntry(**{name: values[name] for name in ScheduleEntry._fields})


class EmailSchedule:
    def __init__(self, client: Any, table_name: str):
        self._client = client
        self._table = table_name

    # Writes that join the preferences' own transaction, so the schedule always says what they say.
    def put_action(self, entry: ScheduleEntry) -> dict[str, Any]:
        item = {**schedule_key(entry.user_id, entry.kind), **to_item(entry.attributes())}
        return {"Put": {"TableName": self._table, "Item": item}}

    def delete_action(self, user_id: str, kind: str) -> dict[str, Any]:
        return {"Delete": {"TableName": self._table, "Key": schedule_key(user_id, kind)}}

    def put_if_missing(self, put_action: dict[str, Any], guard: dict[str, Any]) -> bool:
        """A schedule entry written only where none exists, and only while `guard` holds."""
        put = {**put_action["Put"], "ConditionExpression": "attribute_not_exists(PK)"}
        try:
            self._client.transact_write_items(TransactItems=[{"Put": put}, guard])
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "TransactionCanceledException":
                return False
            raise
        return True

    def due(self, kind: str, shard: int, now: str) -> Iterator[ScheduleEntry]:
        """Entries of one shard due at or before `now`, soonest first, a page (1 MB) per call."""
        params: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": DUE_INDEX,
            "KeyConditionExpression": "DPK = :partition AND DSK <= :now",
            "ExpressionAttributeValues": {
                ":partition": to_value(_due_partition(kind, shard)),
                ":now": to_value(now + "~"),
            },
        }
        for item in query_items(self._client, params):
            yield _entry(item)

    def _move(self, entry: ScheduleEntry, following: ScheduleEntry) -> dict[str, Any]:
        """Moves the entry to its next send, only if it is still where this run found it (a
        concurrent run, or a preference change, has otherwise moved it already)."""
        keys = following.index_keys()
        return {
            "Update": {
                "TableName": self._table,
                "Key": schedule_key(entry.user_id, entry.kind),
                "UpdateExpression": "SET send_at = :next, local_date = :day, DPK = :dpk, DSK = :dsk",
                "ConditionExpression": "send_at = :found",
                "ExpressionAttributeValues": {
                    ":next": to_value(following.send_at),
                    ":day": to_value(following.local_date),
                    ":dpk": to_value(keys["DPK"]),
                    ":dsk": to_value(keys["DSK"]),
                    ":found": to_value(entry.send_at),
                },
            }
        }

    def advance(self, entry: ScheduleEntry, following: ScheduleEntry) -> bool:
        """Skips a send (nothing to say, or too late to say it). False: someone else moved it."""
        try:
            self._client.transact_write_items(TransactItems=[self._move(entry, following)])
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "TransactionCanceledException":
                return False
            raise
        return True

    def claim(self, entry: ScheduleEntry, following: ScheduleEntry, record: dict[str, Any], expires_at: int) -> bool:
        """The send record (which must not exist: a day's e-mail goes once) and the move to the next
        send, together. False: this send was claimed already, or the entry moved."""
        item = {
            **sent_key(entry.user_id, entry.kind, entry.local_date),
            **to_item({**record, "status": "sending", "expires_at": expires_at}),
        }
        actions = [
            {"Put": {"TableName": self._table, "Item": item, "ConditionExpression": "attribute_not_exists(PK)"}},
            self._move(entry, following),
        ]
        try:
            self._client.transact_write_items(TransactItems=actions)
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "TransactionCanceledException":
                raise
            if failed_conditions(exc, ["send_record", "move"]) == {"send_record"}:
                # That day's e-mail went already (the person moved zones since): move on to the next
                # send, or every run would compose it again until it is too late.
                self.advance(entry, following)
            return False
        return True

    def mark_sent(self, entry: ScheduleEntry, message_id: str, sent_at: str) -> None:
        self._record(
            entry,
            "SET #status = :sent, message_id = :id, sent_at = :at",
            {":sent": "sent", ":id": message_id, ":at": sent_at},
        )

    def mark_rejected(self, entry: ScheduleEntry, reason: str) -> None:
        """SES refused the message for good (an address it will not send to): recorded, not retried."""
        self._record(
            entry, "SET #status = :rejected, reason = :reason", {":rejected": "rejected", ":reason": reason[:200]}
        )

    def _record(self, entry: ScheduleEntry, update: str, values: dict[str, Any]) -> None:
        """Updates the send record this run claimed; if the account was deleted meanwhile (the
        record with it), nothing is written back."""
        try:
            self._client.update_item(
                TableName=self._table,
                Key=sent_key(entry.user_id, entry.kind, entry.local_date),
                UpdateExpression=update,
                ConditionExpression="attribute_exists(PK)",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={name: to_value(value) for name, value in values.items()},
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise

    def release(self, entry: ScheduleEntry, following: ScheduleEntry) -> None:
        """Undoes a claim whose send failed for a passing reason, so the next run tries again."""
        actions = [
            {
                "Delete": {
                    "TableName": self._table,
                    "Key": sent_key(entry.user_id, entry.kind, entry.local_date),
                    "ConditionExpression": "#status = :sending",
                    "ExpressionAttributeNames": {"#status": "status"},
                    "ExpressionAttributeValues": {":sending": to_value("sending")},
                }
            },
            self._move(following, entry),
        ]
        try:
            self._client.transact_write_items(TransactItems=actions)
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "TransactionCanceledException":
                raise
            # The preferences changed meanwhile: what they now say stands; this day's e-mail is lost.

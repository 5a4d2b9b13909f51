"""The table's stream: one record (as Lambda delivers it) as a plain change of one item."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from chalicelib import clock
from chalicelib.repositories.dynamo import from_item

_HOME = "TENANT#personal-"


@dataclass(frozen=True)
class TableChange:
    event_id: str  # the stream record's eventID: the same when a batch is delivered again
    sequence_number: str
    name: str  # INSERT, MODIFY or REMOVE
    partition: str
    sort_key: str
    new: dict[str, Any] | None
    old: dict[str, Any] | None
    at: datetime

    @property
    def owner(self) -> str | None:
        """The user whose personal partition holds the item, if it is one."""
        if not self.partition.startswith(_HOME) or "#USER#" not in self.partition:
            return None
        tenant, user_id = self.partition[len("TENANT#") :].split("#USER#", 1)
        return user_id if tenant == f"personal-{user_id}" else None


def owner_of(record: dict[str, Any]) -> str | None:
    """The owner of a record's item, read from its keys alone (for a record nothing else parses)."""
    partition = record.get("dynamodb", {}).get("Keys", {}).get("PK", {}).get("S", "")
    change = TableChange("", "", "", str(partition), "", None, None, clock.now())
    return change.owner


def change_of(record: dict[str, Any]) -> TableChange:
    data = record["dynamodb"]
    keys = data["Keys"]
    new, old = data.get("NewImage"), data.get("OldImage")
    return TableChange(
        event_id=str(record["eventID"]),
        sequence_number=str(data.get("SequenceNumber", "")),
        name=str(record["eventName"]),
        partition=keys["PK"]["S"],
        sort_key=keys["SK"]["S"],
        new=from_item(new) if new else None,
        old=from_item(old) if old else None,
        at=datetime.fromtimestamp(float(data.get("ApproximateCreationDateTime") or clock.epoch()), UTC),
    )

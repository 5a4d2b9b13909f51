"""Where a person's running totals live, in their own partition, kept by the table's stream.

- `STATS#<kind>#<YYYY-MM>` (kind: weights, workouts, tasks): one item a UTC month, holding one
  attribute `e_<item id>` a weight, workout or completed task of that month: the few fields a
  summary needs (a weight's kilograms, a workout's minutes and type, a task's completion), and
  `ver`, its version (ADD 1 a change). Keyed by id, so the stream sets or removes one entry
  idempotently; no summary reads it (the ids are most of its bytes: ~7 KB a month at 5 a day).
- `STATS#packed-<kind>#<YYYY-MM>`: the same month as the summary reads it, `p`: its entries without
  their ids, zlib-compressed (`pack`, ~10 bytes an entry: 5 a day of each kind fit a 30-day range in
  0.5 of a read unit a kind), and `ver`, the version of the month item it was made of. Written
  after each change of the month from the month item as it then stands (one consistent GetItem,
  one transaction with the account check) on the condition that the one there was made of an
  older version: exact and idempotent, and a refresh that read before a later change or a rebuild
  writes nothing over theirs. A summary over any range reads the packed months it spans, never
  the history before them. A stage whose months predate the packed form (the month items alone)
  gets them from `python -m devtools.rebuild_stats`; until then, a month the stream touches is
  packed whole, the others read as empty.
- `STATS#open`: the open tasks: how many, how many fall due on each date (`d_<date>`), and the
  sequence number of the last stream record counted (`seq`). Dates more than two days past (before
  today in every zone, UTC-12 included) are folded into one count, `d_0000-00-00`, which every
  reader's today is after: the item holds the dates still to come, not one key a day of the
  history (10,000 tasks over five years left ~1,800 keys, 27 KB, read by every summary). The
  stream handler folds after a batch that changed due counts (`_fold`), `rebuild` writes it folded.
- `STATS#weeks#<YYYY-MM>`: the workouts of that month as the streak reads them, a few hundred bytes
  however many: per UTC ISO week, how many fell where every zone puts them in that same week
  (`c_<YYYY-Www>`), and the moments of those near a week's turn (`bandz`, packed as `pack` packs a
  month; `band`, a list, as written before, still read; between Sunday 10:00 and
  Monday 12:00 UTC: local Monday midnight in zones from UTC-12 to UTC+14), which the reader places
  in its own zone. Derived from the month's item after each change, so it is exact and idempotent
  (written in the packed form's transaction, under its version condition).

Each entry is set to the item's latest image or removed, so a record applied twice changes
nothing; the open-task counts are added under a condition on `seq`, so a batch delivered again
is not counted again. Every write carries the account check: a record read after the account
was deleted writes nothing back. `rebuild` recounts everything from the items themselves, and
numbers the month items and packed forms it writes with the time in milliseconds: above any
version the stream gave, which the stream's next change counts on from.
"""

from __future__ import annotations

import json
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from chalicelib import clock
from chalicelib.repositories.anchor import person_exists_check
from chalicelib.repositories.dynamo import (
    CONDITION_FAILED,
    batch_delete,
    cancellation_reasons,
    from_item,
    home_partition,
    query_items,
    to_item,
    to_value,
    transact,
)
from chalicelib.repositories.items import OPEN_TASKS_INDEX, TIME_INDEX
from chalicelib.timeutil import iso_utc, parse_iso_utc

PREFIX = "STATS#"
OPEN_KEY = f"{PREFIX}open"
ENTRY = "e_"
DUE = "d_"
UNDATED = "~"
# Where the due counts of dates more than FOLD_AFTER past are added up: before any date.
PAST = "0000-00-00"
FOLD_AFTER = timedelta(days=2)
# Keys one fold removes at most (each one a condition in its expression); the rest, the next batch.
FOLD_KEYS = 80
TRANSACTION_UPDATES = 99  # and the account check: DynamoDB's 100 actions
SEQUENCE_WIDTH = 40  # stream sequence numbers are up to 40 digits: padded, they compare as text
# The kinds whose items are totalled: sort-key prefix -> (bucket name, fields kept).
TRACKED = {
    "WEIGHT#": ("weights", ("weight_kg", "entered", "measured_at")),
    "WORKOUT#": ("workouts", ("duration_min", "type")),
    "TASK#": ("tasks", ()),
}
TASK_PREFIX = "TASK#"


WEEKS = "weeks"
CORE = "c_"
BAND = "band"  # the moments near a week's turn as a list (as written before the packed form: still read)
BAND_PACKED = "bandz"  # the same moments packed (B: `pack`), ~3 bytes a moment
# The packed form of a month, the one the summary reads: `STATS#packed-<kind>#<YYYY-MM>`.
PACKED = "packed-"
PACK = "p"  # B: zlib of the month's entries, without their ids (pack/unpack)
VERSION = "ver"  # the month item's version (ADD 1 a change); its packed form carries the one it was made of


def bucket_key(kind: str, month: str) -> str:
    return f"{PREFIX}{kind}#{month}"


def packed_key(kind: str, month: str) -> str:
    return bucket_key(f"{PACKED}{kind}", month)


def _month_start(month: str) -> datetime:
    return datetime(int(month[:4]), int(month[5:7]), 1, tzinfo=UTC)


def _at_code(month: str, at: str) -> int | str:
    """A moment of the month as milliseconds since the month's start (the text when it would not
    come back the same)."""
    try:
        moment = parse_iso_utc(at)
    except ValueError:
        return at
    if moment.tzinfo is None or iso_utc(moment) != at or at[:7] != month:
        return at
    return (moment - _month_start(month)) // timedelta(milliseconds=1)


def pack(month: str, entries: Iterable[dict[str, Any]]) -> bytes:
    """A month's entries as the summary reads them, without ids, in a few bytes each: in moment
    order, the moments as milliseconds since the previous one, the other fields typed as DynamoDB
    types them (a number stays a Decimal), zlib-compressed. The same entries give the same bytes."""
    rows = sorted(
        (str(entry["at"]), json.dumps(to_value({k: v for k, v in entry.items() if k != "at"})["M"], sort_keys=True))
        for entry in entries
    )
    moments: list[int | str] = []
    previous = 0
    for at, _ in rows:
        code = _at_code(month, at)
        if isinstance(code, int):
            code, previous = code - previous, code
        moments.append(code)
    document = {"a": moments, "r": [json.loads(rest) for _, rest in rows]}
    return zlib.compress(json.dumps(document, separators=(",", ":"), sort_keys=True).encode(), 9)


def unpack(month: str, packed: bytes) -> list[dict[str, Any]]:
    document = json.loads(zlib.decompress(packed))
    start, previous, found = _month_start(month), 0, []
    for code, rest in zip(document["a"], document["r"], strict=True):
        if isinstance(code, int):
            previous += code
            at = iso_utc(start + timedelta(milliseconds=previous))
        else:
            at = code
        found.append({"at": at, **from_item(rest)})
    return found


def utc_week(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def in_band(moment: datetime) -> bool:
    """Near a week's turn: in some zone (UTC-12 to UTC+14) in another ISO week than in UTC."""
    weekday, hour = moment.weekday(), moment.hour
    return (weekday == 6 and hour >= 10) or (weekday == 0 and hour < 12)


def week_digest(month: str, entries: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """A month of workouts as the streak reads them (see the module's docstring)."""
    core: dict[str, int] = defaultdict(int)
    band = []
    for entry in entries:
        moment = parse_iso_utc(str(entry["at"]))
        if in_band(moment):
            band.append(str(entry["at"]))
        else:
            core[f"{CORE}{utc_week(moment)}"] += 1
    return {**core, **({BAND_PACKED: pack(month, [{"at": moment} for moment in band])} if band else {})}


def _moment(prefix: str, image: dict[str, Any] | None) -> str | None:
    """When the item counts (its time-index key: a weight's or workout's moment, a task's
    completion); None when it counts nowhere (absent, or an open task)."""
    if not image or not image.get("TSK"):
        return None
    return str(image["TSK"])[len(prefix) :].rsplit("#", 1)[0]


def _entry(prefix: str, image: dict[str, Any]) -> dict[str, Any]:
    """The fields a summary reads of one item."""
    moment = _moment(prefix, image)
    kept: dict[str, Any] = {"at": moment}
    for name in TRACKED[prefix][1]:
        value = image.get(name)
        if name == "measured_at" and (not isinstance(value, str) or len(value) != 10):
            continue  # only a date-only weight keeps its given date: the rest use `at`
        if value is not None:
            kept[name] = value
    return kept


def _open_due(image: dict[str, Any] | None) -> str | None:
    """The due date of an open task (UNDATED without one); None for a done or absent task."""
    if not image or image.get("done"):
        return None
    return str(image.get("due_date") or UNDATED)


def _horizon() -> str:
    """Due dates before this one are past in every zone (UTC-12 to UTC+14) whatever the reader's
    today: their counts are folded into PAST."""
    return (clock.now() - FOLD_AFTER).date().isoformat()


def _folded(due: dict[str, int]) -> dict[str, int]:
    """Due counts by date, those before the horizon added up under PAST, zeros left out."""
    horizon, kept = _horizon(), defaultdict[str, int](int)
    for day, count in due.items():
        kept[PAST if day < horizon else day] += count
    return {day: count for day, count in kept.items() if count}


def _only_conditions_failed(exc: ClientError) -> bool:
    """A cancelled transaction whose only refusals were conditions (the account check, `seq`)."""
    if exc.response["Error"]["Code"] != "TransactionCanceledException":
        return False
    refused = {reason for reason in cancellation_reasons(exc) if reason != "None"}
    return refused == {CONDITION_FAILED}


def _padded(sequence: str) -> str:
    return sequence.rjust(SEQUENCE_WIDTH, "0")


@dataclass
class _PersonChanges:
    """What one stream batch changes in one person's totals."""

    entries: dict[tuple[str, str], dict[str, dict[str, Any] | None]] = field(
        default_factory=lambda: defaultdict(dict)
    )  # (kind, month) -> item id -> entry (None: removed)
    open_delta: int = 0
    due_delta: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    first_sequence: str = ""
    last_sequence: str = ""


class RollupStore:
    """A person's running totals: read by the summary, written by the stream handler and `rebuild`."""

    def __init__(self, client: Any, table_name: str):
        self._client = client
        self._table = table_name

    # --- reads ------------------------------------------------------------------------------------
    def _months(self, user_id: str, kind: str, first_month: str, last_month: str) -> Iterator[dict[str, Any]]:
        """The totals items of one kind for the months first..last: one Query, paged."""
        params = {
            "TableName": self._table,
            "KeyConditionExpression": "PK = :pk AND SK BETWEEN :lower AND :upper",
            "ExpressionAttributeValues": {
                ":pk": to_value(home_partition(user_id)),
                ":lower": to_value(bucket_key(kind, first_month)),
                ":upper": to_value(bucket_key(kind, last_month)),
            },
        }
        yield from query_items(self._client, params)

    def entries(self, user_id: str, kind: str, first_month: str, last_month: str) -> list[dict[str, Any]]:
        """Every entry of the months first..last (one Query of their packed forms, one small item a
        month), oldest first."""
        found: list[dict[str, Any]] = []
        for raw in self._months(user_id, f"{PACKED}{kind}", first_month, last_month):
            month = raw["SK"]["S"].rsplit("#", 1)[1]
            found.extend(unpack(month, bytes(raw[PACK]["B"])))
        return sorted(found, key=lambda entry: str(entry["at"]))

    def weeks(self, user_id: str, first_month: str, last_month: str) -> tuple[dict[str, int], list[str]]:
        """The workouts of the months first..last as the streak reads them (one Query of small
        items): counts by UTC ISO week of those every zone places in it, and the moments of the rest."""
        core: dict[str, int] = defaultdict(int)
        band: list[str] = []
        for raw in self._months(user_id, WEEKS, first_month, last_month):
            for name, value in from_item(raw).items():
                if name.startswith(CORE):
                    core[name[len(CORE) :]] += int(value)
                elif name == BAND:
                    band.extend(value)
                elif name == BAND_PACKED:
                    band.extend(entry["at"] for entry in unpack(raw["SK"]["S"].rsplit("#", 1)[1], bytes(value)))
        return dict(core), band

    def open_tasks(self, user_id: str) -> tuple[int, dict[str, int]]:
        """How many tasks are open, and how many of them fall due on each date (UNDATED: none)."""
        response = self._client.get_item(
            TableName=self._table, Key={"PK": {"S": home_partition(user_id)}, "SK": {"S": OPEN_KEY}}
        )
        item = from_item(response.get("Item") or {})
        due = {name[len(DUE) :]: int(count) for name, count in item.items() if name.startswith(DUE) and int(count)}
        return int(item.get("open", 0)), due

    # --- the stream -------------------------------------------------------------------------------
    def apply(self, changes: list[Any]) -> int:
        """Applies a batch of table changes (chalicelib.repositories.stream.TableChange), one
        transaction a person; returns how many people's totals changed."""
        people: dict[str, _PersonChanges] = defaultdict(_PersonChanges)
        for change in changes:
            prefix = next((p for p in TRACKED if change.sort_key.startswith(p)), None)
            if prefix is None or change.owner is None:
                continue
            self._collect(people[change.owner], prefix, change)
        applied = 0
        for user_id, person in people.items():
            applied += self._write(user_id, person)
            if any(person.due_delta.values()):
                self._fold(user_id)
            # Derived from the month as it now stands, also when the batch had been counted already
            # (a run cut off between the two writes is completed by the retry).
            for kind, month in person.entries:
                self._refresh(user_id, kind, month)
        return applied

    def _fold(self, user_id: str) -> None:
        """Folds the open-task counter's past dates (and dates counted down to zero) into PAST: one
        GetItem, one UpdateItem on the condition that each folded count is still what was read
        (a batch applied meanwhile leaves it to the next). Idempotent: a count is moved once."""
        key = {"PK": {"S": home_partition(user_id)}, "SK": {"S": OPEN_KEY}}
        item = from_item(self._client.get_item(TableName=self._table, Key=key, ConsistentRead=True).get("Item") or {})
        horizon = _horizon()
        due = {name: int(count) for name, count in item.items() if name.startswith(DUE) and name != DUE + PAST}
        moved = sorted(name for name, count in due.items() if name[len(DUE) :] < horizon or count == 0)[:FOLD_KEYS]
        if not moved:
            return
        names = {"#past": DUE + PAST, **{f"#k{index}": name for index, name in enumerate(moved)}}
        values = {":sum": to_value(sum(due[name] for name in moved))}
        values.update({f":v{index}": to_value(due[name]) for index, name in enumerate(moved)})
        conditions = " AND ".join(f"#k{index} = :v{index}" for index in range(len(moved)))
        try:
            self._client.update_item(
                TableName=self._table,
                Key=key,
                UpdateExpression=f"ADD #past :sum REMOVE {', '.join(f'#k{index}' for index in range(len(moved)))}",
                ConditionExpression=f"attribute_exists(PK) AND {conditions}",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
            )
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise

    def _refresh(self, user_id: str, kind: str, month: str) -> None:
        """Writes a month's packed form (and for workouts its week counts) from the month item as it
        now stands: one consistent GetItem, one transaction with the account check, on the condition
        that the packed form there was made of an older version (a refresh that read before another
        change or a rebuild writes nothing over what they wrote)."""
        partition = home_partition(user_id)
        answer = self._client.get_item(
            TableName=self._table,
            Key={"PK": {"S": partition}, "SK": {"S": bucket_key(kind, month)}},
            ConsistentRead=True,
        )
        item = from_item(answer.get("Item") or {})
        version = int(item.get(VERSION, 0))
        entries = [value for name, value in item.items() if name.startswith(ENTRY)]
        key = {"PK": {"S": partition}, "SK": {"S": packed_key(kind, month)}}
        condition = {
            "ConditionExpression": "attribute_not_exists(#ver) OR #ver < :ver",
            "ExpressionAttributeNames": {"#ver": VERSION},
            "ExpressionAttributeValues": {":ver": to_value(version)},
        }
        if entries:
            packed = {**key, PACK: {"B": pack(month, entries)}, VERSION: to_value(version)}
            actions = [{"Put": {"TableName": self._table, "Item": packed, **condition}}]
        else:
            actions = [{"Delete": {"TableName": self._table, "Key": key, **condition}}]
        if kind == TRACKED["WORKOUT#"][0]:
            digest = {
                "PK": {"S": partition},
                "SK": {"S": bucket_key(WEEKS, month)},
                **to_item(week_digest(month, entries)),
            }
            actions.append({"Put": {"TableName": self._table, "Item": digest}})
        try:
            transact(self._client, [person_exists_check(self._table, user_id), *actions])
        except ClientError as exc:
            if not _only_conditions_failed(exc):
                raise  # otherwise the account is gone (its totals with it), or a newer form is there

    @staticmethod
    def _collect(person: _PersonChanges, prefix: str, change: Any) -> None:
        kind = TRACKED[prefix][0]
        item_id = change.sort_key[len(prefix) :]
        before, after = _moment(prefix, change.old), _moment(prefix, change.new)
        if before is not None and (after is None or before[:7] != after[:7]):
            person.entries[(kind, before[:7])][item_id] = None
        if after is not None:
            person.entries[(kind, after[:7])][item_id] = _entry(prefix, change.new)
        if prefix == TASK_PREFIX:
            was, now = _open_due(change.old), _open_due(change.new)
            if was != now:
                person.open_delta += (now is not None) - (was is not None)
                if was is not None:
                    person.due_delta[was] -= 1
                if now is not None:
                    person.due_delta[now] += 1
        sequence = _padded(change.sequence_number)
        person.first_sequence = min(person.first_sequence or sequence, sequence)
        person.last_sequence = max(person.last_sequence, sequence)

    def _write(self, user_id: str, person: _PersonChanges) -> int:
        partition = home_partition(user_id)
        updates = [
            self._bucket_update(partition, bucket_key(kind, month), entries)
            for (kind, month), entries in person.entries.items()
        ]
        deltas = {date: delta for date, delta in person.due_delta.items() if delta}
        # The counter is written with every batch, last: its `seq` refuses a batch counted already.
        updates.append(self._open_update(partition, person, deltas))
        try:
            # A transaction takes 100 actions: each chunk carries the account check (a batch of 100
            # records touching more than 98 months is written in two; the entries are idempotent).
            for start in range(0, len(updates), TRANSACTION_UPDATES):
                chunk = updates[start : start + TRANSACTION_UPDATES]
                transact(self._client, [person_exists_check(self._table, user_id), *chunk])
        except ClientError as exc:
            if _only_conditions_failed(exc):
                return 0  # the account is gone, or this batch was counted already: nothing to do
            raise  # a conflict that outlasted the retries, an item too large: Lambda retries the batch
        return 1

    def _bucket_update(self, partition: str, sort_key: str, entries: dict[str, Any]) -> dict[str, Any]:
        sets, removes, names, values = [], [], {}, {}
        for index, (item_id, entry) in enumerate(sorted(entries.items())):
            names[f"#e{index}"] = f"{ENTRY}{item_id}"
            if entry is None:
                removes.append(f"#e{index}")
            else:
                sets.append(f"#e{index} = :e{index}")
                values[f":e{index}"] = to_value(entry)
        names["#ver"] = VERSION
        values[":one"] = to_value(1)
        expression = " ".join(
            part
            for part in (
                f"SET {', '.join(sets)}" if sets else "",
                f"REMOVE {', '.join(removes)}" if removes else "",
                "ADD #ver :one",
            )
            if part
        )
        update: dict[str, Any] = {
            "TableName": self._table,
            "Key": {"PK": {"S": partition}, "SK": {"S": sort_key}},
            "UpdateExpression": expression,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
        }
        return {"Update": update}

    def _open_update(self, partition: str, person: _PersonChanges, deltas: dict[str, int]) -> dict[str, Any]:
        names = {"#seq": "seq", "#open": "open"}
        values = {":first": to_value(person.first_sequence), ":last": to_value(person.last_sequence)}
        adds = ["#open :open"]
        values[":open"] = to_value(person.open_delta)
        for index, (date, delta) in enumerate(sorted(deltas.items())):
            names[f"#d{index}"] = f"{DUE}{date}"
            values[f":d{index}"] = to_value(delta)
            adds.append(f"#d{index} :d{index}")
        return {
            "Update": {
                "TableName": self._table,
                "Key": {"PK": {"S": partition}, "SK": {"S": OPEN_KEY}},
                "UpdateExpression": f"SET #seq = :last ADD {', '.join(adds)}",
                "ConditionExpression": "attribute_not_exists(#seq) OR #seq < :first",
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": values,
            }
        }

    # --- repair -----------------------------------------------------------------------------------
    def rebuild(self, user_id: str, sequence: str = "") -> dict[str, int]:
        """Recounts a person's totals from their items (reads the whole history: run it in the
        background, never in a request) and replaces what was there. `sequence`: the stream
        position the recount reflects (records up to it are not counted again)."""
        partition = home_partition(user_id)
        buckets: dict[str, dict[str, Any]] = defaultdict(dict)
        counts: dict[str, int] = {}
        for prefix, (kind, _) in TRACKED.items():
            params = {
                "TableName": self._table,
                "IndexName": TIME_INDEX,
                "KeyConditionExpression": "PK = :pk AND TSK BETWEEN :lower AND :upper",
                "ExpressionAttributeValues": {
                    ":pk": to_value(partition),
                    ":lower": to_value(prefix),
                    ":upper": to_value(f"{prefix}~"),
                },
            }
            counts[kind] = 0
            for raw in query_items(self._client, params):
                item = from_item(raw)
                item["TSK"] = raw["TSK"]["S"]
                moment = _moment(prefix, item)
                assert moment is not None  # noqa: S101 (read from the time index)
                buckets[bucket_key(kind, moment[:7])][f"{ENTRY}{item['id']}"] = _entry(prefix, item)
                counts[kind] += 1
        # Versions above any the stream gave (ADD 1 a change): a refresh that read before the
        # rebuild writes nothing over its packed forms; the stream's next change counts on from it.
        version = int(clock.epoch() * 1000)
        for kind, _ in TRACKED.values():
            for sort_key, entries in list(buckets.items()):
                if not sort_key.startswith(bucket_key(kind, "")):
                    continue
                month = sort_key[len(bucket_key(kind, "")) :]
                values = list(entries.values())
                buckets[packed_key(kind, month)] = {PACK: pack(month, values), VERSION: version}
                if kind == TRACKED["WORKOUT#"][0]:
                    buckets[bucket_key(WEEKS, month)] = week_digest(month, values)
                entries[VERSION] = version
        due: dict[str, int] = defaultdict(int)
        open_params = {
            "TableName": self._table,
            "IndexName": OPEN_TASKS_INDEX,
            "KeyConditionExpression": "PK = :pk",
            "ExpressionAttributeValues": {":pk": to_value(partition)},
            "ProjectionExpression": "PK, SK, OSK",
        }
        for raw in query_items(self._client, open_params):
            due[raw["OSK"]["S"]] += 1
        stale = [
            {"PK": raw["PK"], "SK": raw["SK"]}
            for raw in query_items(
                self._client,
                {
                    "TableName": self._table,
                    "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
                    "ExpressionAttributeValues": {":pk": to_value(partition), ":prefix": to_value(PREFIX)},
                    "ProjectionExpression": "PK, SK",
                },
            )
            if raw["SK"]["S"] not in buckets
        ]
        batch_delete(self._client, self._table, stale)
        counter: dict[str, Any] = {"open": sum(due.values()), "seq": _padded(sequence)}
        counter.update({f"{DUE}{day}": count for day, count in _folded(due).items()})
        for sort_key, entries in [*buckets.items(), (OPEN_KEY, counter)]:
            self._client.put_item(
                TableName=self._table, Item={"PK": {"S": partition}, "SK": {"S": sort_key}, **to_item(entries)}
            )
        counts["open"] = sum(due.values())
        return counts

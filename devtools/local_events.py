"""What Lambda does for the deployed app's event handlers, done locally: a stream pump and a
scheduler, each a background thread of `make run` (and so of the end-to-end stack).

- The pump reads the table's stream from moto (DescribeTable -> LatestStreamArn, DescribeStream,
  GetShardIterator, GetRecords every POLL_SECONDS, following NextShardIterator) and hands each
  batch, shaped as Lambda shapes it, to every `on_dynamodb_record` handler of the app. A table
  made again (the tests empty it that way) has a new stream: the pump follows it.
- The scheduler runs every `schedule` handler of the app every STRIDE_SCHEDULE_SECONDS
  (default 60). Both find the handlers in the Chalice app itself (`app.event_sources`), so a
  handler added later runs locally without a change here.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from chalice.app import CloudWatchEventConfig, DynamoDBEventConfig, ScheduledEventConfig
from chalice.local import LambdaContext

logger = logging.getLogger("stride.local_events")
POLL_SECONDS = 0.5
DEFAULT_SCHEDULE_SECONDS = 60.0
# As long as a deployed event handler may run (its lambda_timeout).
MAX_RUNTIME_MS = 60_000


class LocalInvoker:
    """Invokes the app's event handlers as Lambda would, with the stage's environment."""

    def __init__(self, app: Any, environment: dict[str, str] | None = None):
        self._app = app
        self._environment = environment or {}
        self._lock = threading.Lock()  # one invocation at a time, as one Lambda container runs them

    def names(self, kind: type) -> list[str]:
        return [source.name for source in self._app.event_sources if isinstance(source, kind)]

    @contextlib.contextmanager
    def _environ(self) -> Iterator[None]:
        saved = {name: os.environ.get(name) for name in self._environment}
        os.environ.update(self._environment)
        try:
            yield
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value

    def invoke(self, name: str, event: dict[str, Any]) -> Any:
        with self._lock, self._environ():
            context = LambdaContext(name, memory_size=512, max_runtime_ms=MAX_RUNTIME_MS)
            return self._app.handler_map[name](event, context)

    def stream_batch(self, records: list[dict[str, Any]]) -> None:
        for name in self.names(DynamoDBEventConfig):
            self._safely(name, {"Records": records})

    def scheduled(self) -> None:
        event = scheduled_event(datetime.now(UTC))
        for name in self.names(ScheduledEventConfig):
            self._safely(name, event)

    def event_bridge(self, event: dict[str, Any]) -> list[str]:
        """Hands an event to every rule of the app whose pattern it matches, as EventBridge does
        (the local Cognito sends the CloudTrail events of its calls here); returns their names."""
        matched = [
            source.name
            for source in self._app.event_sources
            if type(source) is CloudWatchEventConfig and matches(source.event_pattern, event)
        ]
        for name in matched:
            self._safely(name, event)
        return matched

    def _safely(self, name: str, event: dict[str, Any]) -> None:
        try:
            self.invoke(name, event)
        except Exception:  # Lambda would log it and retry; locally, log it and go on
            logger.exception("local event handler %s failed", name)


def matches(pattern: dict[str, Any], event: dict[str, Any]) -> bool:
    """EventBridge's matching for the patterns the app uses: every field named must be there, a
    list lists the values allowed, a dict matches the nested object."""
    for field, wanted in pattern.items():
        value = event.get(field) if isinstance(event, dict) else None
        if isinstance(wanted, dict):
            if not isinstance(value, dict) or not matches(wanted, value):
                return False
        elif value not in wanted:
            return False
    return True


def scheduled_event(moment: datetime) -> dict[str, Any]:
    """What EventBridge hands a scheduled function that fires at `moment`."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "000000000000",
        "time": moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": "us-east-1",
        "resources": [],
        "detail": {},
    }


def lambda_record(record: dict[str, Any], stream_arn: str) -> dict[str, Any]:
    """A record as GetRecords answers it (through boto3), as Lambda hands it to a function."""
    data = dict(record["dynamodb"])
    created = data.get("ApproximateCreationDateTime")
    data["ApproximateCreationDateTime"] = created.timestamp() if isinstance(created, datetime) else time.time()
    return {**record, "eventSourceARN": stream_arn, "dynamodb": data}


class StreamPump:
    """Reads the table's stream and hands what is new to `deliver`, a batch at a time.

    Each poll starts from a fresh iterator just after the last record handed on, then follows
    NextShardIterator to the end: moto puts back a copy of the whole table when a transaction
    is cancelled, and an iterator kept from before reads the old copy's stream for ever.
    """

    def __init__(
        self, aws: Any, table_name: str, deliver: Callable[[list[dict[str, Any]]], None], start: str = "LATEST"
    ):
        self._dynamodb = aws.client("dynamodb")
        self._streams = aws.client("dynamodbstreams")
        self._table = table_name
        self._deliver = deliver
        self._arn: str | None = None
        self._shard: str | None = None
        self._last: str | None = None  # sequence number of the last record handed on
        self._follow()
        if start == "LATEST":  # from here on: what is in the stream already is passed over
            self._drain(lambda records: None)

    def _follow(self) -> None:
        """A table made again (the tests empty it that way) has a new stream: read that one from its start."""
        arn = self._dynamodb.describe_table(TableName=self._table)["Table"].get("LatestStreamArn")
        if arn != self._arn:
            self._arn, self._shard, self._last = arn, None, None
            if arn:
                description = self._streams.describe_stream(StreamArn=arn)["StreamDescription"]
                self._shard = description["Shards"][0]["ShardId"]

    def _drain(self, deliver: Callable[[list[dict[str, Any]]], None], batch_size: int = 100) -> int:
        if not (self._arn and self._shard):
            return 0
        position: dict[str, Any] = {"ShardIteratorType": "TRIM_HORIZON"}
        if self._last is not None:
            position = {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": self._last}
        iterator = self._streams.get_shard_iterator(StreamArn=self._arn, ShardId=self._shard, **position)
        iterator = iterator.get("ShardIterator")
        handed = 0
        while iterator:
            answer = self._streams.get_records(ShardIterator=iterator, Limit=batch_size)
            records = answer.get("Records", [])
            if not records:
                break
            deliver([lambda_record(record, self._arn) for record in records])
            self._last = records[-1]["dynamodb"]["SequenceNumber"]
            handed += len(records)
            iterator = answer.get("NextShardIterator")
        return handed

    def poll(self, batch_size: int = 100) -> int:
        """Delivers every record that arrived since the last poll; returns how many."""
        self._follow()
        return self._drain(self._deliver, batch_size)


def _loop(stop: threading.Event, every: float, step: Callable[[], Any], what: str) -> None:
    while not stop.wait(every):
        try:
            step()
        except Exception:  # moto stopping, a table being made again: say so, try again next time
            logger.warning("local %s step failed", what, exc_info=True)


def start(aws: Any, app: Any, table_name: str, environment: dict[str, str], stop: threading.Event) -> list[Any]:
    """Starts the pump and the scheduler as daemon threads that end when `stop` is set."""
    invoker = LocalInvoker(app, environment)
    pump = StreamPump(aws, table_name, invoker.stream_batch, start="TRIM_HORIZON")
    every = float(os.environ.get("STRIDE_SCHEDULE_SECONDS", DEFAULT_SCHEDULE_SECONDS))
    threads = [
        threading.Thread(target=_loop, args=(stop, POLL_SECONDS, pump.poll, "stream"), name="stride-stream"),
        threading.Thread(target=_loop, args=(stop, every, invoker.scheduled, "schedule"), name="stride-schedule"),
    ]
    for thread in threads:
        thread.daemon = True
        thread.start()
    logger.info(json.dumps({"message": "local_events_started", "schedule_seconds": every}))
    return threads

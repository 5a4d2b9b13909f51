"""What Lambda does for the deployed app's event handlers, done locally: a stream pump and a
scheduler, each a background thread of `make run` (and so of the end-to-end stack).

- The pump reads the table's stream from moto (DescribeTable -> LatestStreamArn, DescribeStream,
  GetShardIterator, GetRecords every POLL_SECONDS, following NextShardIterator) and hands each
  batch, shaped as Lambda shapes it, to every `on_dynamodb_record` handler of the app. A table
  made again (the tests empty it that way) has a new stream: the pump follows it.
- The scheduler runs every `schedule` handler of the app every STRIDE_SCHEDULE_SECONDS
  (default 60). Both find the handlers in the Chalice app itself (`app.event_sources`), so a
  handler added later runs locally without a change here.
- The queue pump hands what is on the app's queues to their `on_sqs_message` handlers (the
  background jobs), as Lambda's event source mapping does: a message is deleted once its handler
  returned; one whose handler raised is handed out again later.
- The template's EventBridge rules that target a queue (`LocalRules`): an event published to them
  (the local Cognito publishes user deletions as CloudTrail would) is matched against each rule's
  pattern and put on its queue as the rule's input transformer shapes it; the scheduler puts each
  schedule rule's input on its queue.
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

from chalice.app import CloudWatchEventConfig, DynamoDBEventConfig, ScheduledEventConfig, SQSEventConfig
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
        return [source.name for source in self.sources(kind)]

    def sources(self, kind: type) -> list[Any]:
        return [source for source in self._app.event_sources if isinstance(source, kind)]

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
            self._last = aws.last_stream_record(table_name)

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


def _camel(name: str) -> str:
    """The template's name of a Chalice function (`background_jobs` -> `BackgroundJobs`)."""
    return "".join(part.capitalize() for part in name.split("_"))


def _rendered(stage: str) -> dict[str, Any]:
    from devtools.infra import render

    return render(stage)["Resources"]


def _path(document: Any, path: str) -> Any:
    for part in path.removeprefix("$").strip(".").split("."):
        document = document.get(part) if isinstance(document, dict) and part else document
    return document


def rule_input(target: dict[str, Any], event: dict[str, Any]) -> str:
    """What a rule's target receives: its constant `Input`, its `InputTransformer`'s template with
    each <name> replaced by the JSON of its path, or the whole event."""
    if "Input" in target:
        return str(target["Input"])
    transformer = target.get("InputTransformer")
    if transformer is None:
        return json.dumps(event)
    text = transformer["InputTemplate"]
    for name, path in transformer.get("InputPathsMap", {}).items():
        text = text.replace(f"<{name}>", json.dumps(_path(event, path)))
    return text


class LocalRules:
    """The template's EventBridge rules whose targets are the app's queues."""

    def __init__(self, aws: Any, stage: str = "local"):
        self._sqs = aws.client("sqs")
        self._rules: list[tuple[dict[str, Any], dict[str, Any], str]] = []
        for resource in _rendered(stage).values():
            if resource.get("Type") != "AWS::Events::Rule":
                continue
            properties = resource["Properties"]
            for target in properties.get("Targets", []):
                queue = (target.get("Arn") or {}).get("Fn::GetAtt", [None])[0]
                if queue in aws.queue_urls:
                    self._rules.append((properties, target, aws.queue_urls[queue]))

    def publish(self, event: dict[str, Any]) -> int:
        """Puts the event on every queue whose rule matches it; returns how many."""
        sent = 0
        for properties, target, url in self._rules:
            if "EventPattern" in properties and matches(properties["EventPattern"], event):
                self._sqs.send_message(QueueUrl=url, MessageBody=rule_input(target, event))
                sent += 1
        return sent

    def scheduled(self) -> None:
        event = scheduled_event(datetime.now(UTC))
        for properties, target, url in self._rules:
            if "ScheduleExpression" in properties:
                self._sqs.send_message(QueueUrl=url, MessageBody=rule_input(target, event))


def sqs_record(message: dict[str, Any], queue_arn: str) -> dict[str, Any]:
    """A received message as Lambda hands it to a function."""
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": message.get("Attributes", {}),
        "messageAttributes": message.get("MessageAttributes", {}),
        "md5OfBody": message.get("MD5OfBody", ""),
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": "us-east-1",
    }


class QueuePump:
    """Hands the messages of the app's queues to their `on_sqs_message` handlers, as Lambda does."""

    # Locally a failed message is handed out again this soon (deployed: the queue's visibility timeout).
    RETRY_SECONDS = 2

    def __init__(self, aws: Any, invoker: LocalInvoker, stage: str = "local"):
        self._sqs = aws.client("sqs")
        self._invoker = invoker
        resources = _rendered(stage)
        self._queues: list[tuple[str, str, str, int]] = []  # handler, url, arn, batch size
        for source in invoker.sources(SQSEventConfig):
            events = resources.get(_camel(source.name), {}).get("Properties", {}).get("Events", {})
            for event in events.values():
                queue = event["Properties"]["Queue"]["Fn::GetAtt"][0]
                url = aws.queue_urls[queue]
                arn = self._sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
                self._queues.append((source.name, url, arn["QueueArn"], source.batch_size))

    def poll(self, raise_errors: bool = False) -> int:
        """One batch from each queue to its handler; returns how many messages were handled."""
        handled = 0
        for name, url, arn, batch_size in self._queues:
            answer = self._sqs.receive_message(
                QueueUrl=url, MaxNumberOfMessages=batch_size, VisibilityTimeout=self.RETRY_SECONDS
            )
            messages = answer.get("Messages", [])
            if not messages:
                continue
            try:
                self._invoker.invoke(name, {"Records": [sqs_record(message, arn) for message in messages]})
            except Exception:
                if raise_errors:
                    raise
                logger.exception("local queue handler %s failed; its messages will be handed out again", name)
                continue
            for message in messages:
                self._sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
            handled += len(messages)
        return handled

    def drain(self, limit: int = 10_000) -> int:
        """Until the queues are empty (for tests): a handler's failure is raised; returns how many were handled."""
        total = 0
        while handled := self.poll(raise_errors=True):
            total += handled
            if total > limit:
                raise RuntimeError(f"more than {limit} messages: a job that never ends?")
        return total


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
    queues = QueuePump(aws, invoker)
    rules = LocalRules(aws)
    # The local Cognito's user deletions reach the template's rule, as CloudTrail's events do deployed.
    aws.cognito.publish = rules.publish
    every = float(os.environ.get("STRIDE_SCHEDULE_SECONDS", DEFAULT_SCHEDULE_SECONDS))

    def scheduled() -> None:
        invoker.scheduled()
        rules.scheduled()

    threads = [
        threading.Thread(target=_loop, args=(stop, POLL_SECONDS, pump.poll, "stream"), name="stride-stream"),
        threading.Thread(target=_loop, args=(stop, every, scheduled, "schedule"), name="stride-schedule"),
        threading.Thread(target=_loop, args=(stop, POLL_SECONDS, queues.poll, "queue"), name="stride-queue"),
    ]
    for thread in threads:
        thread.daemon = True
        thread.start()
    logger.info(json.dumps({"message": "local_events_started", "schedule_seconds": every}))
    return threads

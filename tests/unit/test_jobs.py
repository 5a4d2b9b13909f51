"""The background jobs' runner (chalicelib.jobs) and the local stack's EventBridge rules, with fakes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chalicelib import domains
from chalicelib.jobs import JobRunner, UnknownJob, message
from devtools.local_cognito import deletion_event
from devtools.local_events import matches, rule_input


class FakeQueue:
    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []

    def submit(self, kind: str, args: dict[str, Any]) -> None:
        self.sent.append((kind, args))


def test_a_job_that_finishes_queues_nothing_and_one_that_runs_short_queues_where_it_stopped():
    queue = FakeQueue()
    handlers = {"done.job": lambda args, remaining: None, "long.job": lambda args, remaining: {**args, "page": 2}}
    runner = JobRunner(handlers.get, queue)  # type: ignore[arg-type]

    assert runner.run(message("done.job", {"a": 1}), lambda: 60.0) == "done"
    assert queue.sent == []
    assert runner.run(message("long.job", {"a": 1}), lambda: 60.0) == "continued"
    assert queue.sent == [("long.job", {"a": 1, "page": 2})]


@pytest.mark.parametrize("body", ["not json", "[]", json.dumps({"job": "no.such"}), json.dumps({"args": {}})])
def test_a_message_naming_no_declared_job_is_refused_so_it_reaches_the_dead_letter_queue(body):
    with pytest.raises(UnknownJob):
        JobRunner(lambda kind: None, FakeQueue()).run(body, lambda: 60.0)  # type: ignore[arg-type]


def test_every_declared_job_names_a_handler_that_imports():
    kinds = [kind for domain in domains.manifests() for kind, _ in domain.jobs]
    assert kinds and len(kinds) == len(set(kinds))
    for kind in kinds:
        assert callable(domains.job_handler(kind)), kind
    assert domains.job_handler("no.such") is None


PATTERN = {
    "source": ["aws.cognito-idp"],
    "detail-type": ["AWS API Call via CloudTrail"],
    "detail": {"eventSource": ["cognito-idp.amazonaws.com"], "eventName": ["DeleteUser", "AdminDeleteUser"]},
}
TRANSFORMER = {
    "InputTransformer": {
        "InputPathsMap": {"detail": "$.detail"},
        "InputTemplate": '{"job": "account.user_deleted", "args": <detail>}',
    }
}


@pytest.mark.parametrize("action", ["DeleteUser", "AdminDeleteUser"])
def test_a_user_deletion_matches_the_rule_and_becomes_the_erasure_job(action):
    event = deletion_event(action, "us-east-1", "sub-1", {})
    assert matches(PATTERN, event)
    job = json.loads(rule_input(TRANSFORMER, event))
    assert job["job"] == "account.user_deleted"
    assert job["args"]["additionalEventData"] == {"sub": "sub-1"}


def test_other_cognito_calls_do_not_match():
    event = deletion_event("AdminDeleteUser", "us-east-1", "sub-1", {})
    event["detail"]["eventName"] = "AdminDeleteUserAttributes"
    assert not matches(PATTERN, event)
    assert not matches(PATTERN, {**event, "source": "aws.s3"})


def test_a_rule_with_a_constant_input_sends_it_as_it_is():
    assert rule_input({"Input": '{"job": "account.reconcile", "args": {}}'}, {}) == (
        '{"job": "account.reconcile", "args": {}}'
    )

"""`make run`'s API server over real sockets: HEAD keeps a kept-alive connection in step, the
access log carries no query string and no invitation code, http.server's own 431 is in the
envelope, and /dev/ needs this run's token."""

from __future__ import annotations

import http.client
import json
import urllib.parse

from tests.e2e.conftest import Stack


def _connection(stack: Stack) -> http.client.HTTPConnection:
    address = urllib.parse.urlparse(stack.api)
    return http.client.HTTPConnection(address.hostname, address.port, timeout=10)


def test_head_has_no_body_and_the_next_request_on_the_connection_is_read_right(stack):
    connection = _connection(stack)
    connection.request("HEAD", "/health")
    head = connection.getresponse()
    assert head.read() == b""
    connection.request("GET", "/health")
    answer = connection.getresponse()
    assert answer.status == 200 and json.loads(answer.read())["status"] == "ok"
    connection.close()


def test_a_header_over_64_kb_is_a_431_in_the_envelope(stack):
    answer = stack.call("GET", "/me", headers={"Authorization": "Bearer " + "a" * 70_000})
    assert answer.status == 431
    assert answer.body["error"]["code"] == "request_header_fields_too_large"


def test_the_access_log_has_no_query_strings_and_no_invitation_codes(stack):
    code = "Secret-Invite-Code-0123456789"
    marker = "cursor-that-must-not-be-logged"
    stack.call("GET", f"/weights?cursor={marker}")
    stack.call("POST", f"/invites/{code}/accept")
    # The log line is written as the answer goes out: waited for, line by line.
    assert stack.output.wait_for("/invites/***/accept", timeout=20, anywhere=True), stack.output.text
    log = stack.output.text
    assert "/invites/***/accept" in log and "/weights" in log
    assert code not in log and marker not in log


def test_dev_tools_need_this_runs_token(stack):
    assert stack.call("GET", "/dev/outbox").status == 200  # the token, sent by Stack.call
    for wrong in ("", "not-the-token"):
        answer = stack.call("GET", "/dev/outbox", headers={"X-Dev-Token": wrong})
        assert answer.status == 403 and answer.body["error"]["code"] == "forbidden"
    assert stack.call("POST", "/dev/schedules/send_emails", headers={"X-Dev-Token": "x"}).status == 403

"""`make run` stops on Ctrl-C (SIGINT) and SIGTERM within 10 s whatever it is doing, the start
included, and leaves no process and no port behind. Each case waits for the line the stack
prints as it enters a step (an event, not a guess at how long a step takes) and signals it."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest

from devtools.local_aws import free_port, port_is_free
from tests.e2e.conftest import kill_group, launch, prepare_web, start_stack, stop_stack

pytestmark = pytest.mark.e2e
STOPS_WITHIN_SECONDS = 10


def _group_is_gone(process: subprocess.Popen) -> bool:
    try:
        os.killpg(process.pid, 0)
    except ProcessLookupError:
        return True
    return False


def _stopped_within(process: subprocess.Popen, signal_number: int) -> float:
    signalled = time.monotonic()
    process.send_signal(signal_number)
    try:
        process.wait(timeout=STOPS_WITHIN_SECONDS)
    finally:
        took = time.monotonic() - signalled
        alive = not _group_is_gone(process)
        kill_group(process)
    assert not alive, "a process of the stack's group outlived it"
    return took


@pytest.mark.parametrize(
    ("step", "signal_number"),
    [
        ("Starting: the local AWS", signal.SIGINT),
        ("Starting: the user pool, table and bucket", signal.SIGTERM),
        ("Starting: the API", signal.SIGINT),
        ("Starting: the demo user", signal.SIGTERM),
    ],
)
def test_a_signal_while_starting_stops_it_within_10_s_leaving_nothing(step, signal_number):
    ports = free_port(), free_port()
    process, output = launch("--api-port", str(ports[0]), "--aws-port", str(ports[1]), "--no-web")
    try:
        assert output.wait_for(step, timeout=90) is not None, output.text
    except BaseException:
        kill_group(process)
        raise
    took = _stopped_within(process, signal_number)
    output.join(timeout=5)
    assert process.returncode == 0, output.text
    assert all(port_is_free(port) for port in ports), output.text
    assert "READY " not in output.text, "the start went on after the signal"
    assert output.text.rstrip().endswith("Stopped."), output.text
    assert took < STOPS_WITHIN_SECONDS


def test_a_signal_while_the_web_app_starts_stops_it_within_10_s_leaving_nothing():
    if skipped := prepare_web():
        pytest.skip(f"the web app cannot be built here: {skipped}")
    ports = free_port(), free_port(), free_port()
    process, output = launch("--api-port", str(ports[0]), "--aws-port", str(ports[1]), "--web-port", str(ports[2]))
    try:
        assert output.wait_for("Starting: the web app", timeout=90) is not None, output.text
    except BaseException:
        kill_group(process)
        raise
    assert _stopped_within(process, signal.SIGINT) < STOPS_WITHIN_SECONDS
    output.join(timeout=5)
    assert process.returncode == 0, output.text
    assert all(port_is_free(port) for port in ports), output.text
    assert output.text.rstrip().endswith("Stopped."), output.text


def test_a_signal_before_anything_started_ends_it_at_once():
    ports = free_port(), free_port()
    process, _ = launch("--api-port", str(ports[0]), "--aws-port", str(ports[1]), "--no-web")
    _stopped_within(process, signal.SIGTERM)
    assert all(port_is_free(port) for port in ports)


def test_sigterm_stops_a_ready_stack_leaving_no_process_and_no_port_behind():
    """(SIGINT: the session's own stack, at the end of every run, in tests/e2e/conftest.py.)"""
    signal_number = signal.SIGTERM
    stack = start_stack()
    ports = [int(url.rsplit(":", 1)[1]) for url in (stack.api, stack.aws, *([stack.web] if stack.web else []))]
    signalled = time.monotonic()
    assert stop_stack(stack, signal_number, timeout=STOPS_WITHIN_SECONDS) == 0
    assert time.monotonic() - signalled < STOPS_WITHIN_SECONDS
    assert all(port_is_free(port) for port in ports)
    assert stack.output.text.rstrip().endswith("Stopped."), stack.output.text
    assert "forced" not in stack.output.text
    assert _group_is_gone(stack.process)


def test_what_a_failing_test_does_to_its_stack_leaves_nothing_either():
    """A test that fails never asks the stack to stop: its fixture kills the stack's process group
    (kill_group), whatever the stack is doing, and nothing of it is left."""
    ports = free_port(), free_port()
    process, output = launch("--api-port", str(ports[0]), "--aws-port", str(ports[1]), "--no-web")
    try:
        assert output.wait_for("Starting: the API", timeout=90) is not None, output.text
    finally:
        kill_group(process)
    assert _group_is_gone(process)
    assert all(port_is_free(port) for port in ports)

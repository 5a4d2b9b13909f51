"""devtools/run.py's Stopper: how `make run` turns SIGINT and SIGTERM into a bounded stop."""

from __future__ import annotations

import os
import signal
import threading

import pytest

from devtools.run import Interrupted, Stopper


class FakeExit:
    def __init__(self) -> None:
        self.codes: list[int] = []
        self.called = threading.Event()

    def __call__(self, code: int) -> None:
        self.codes.append(code)
        self.called.set()


@pytest.fixture
def pipe():
    read, write = os.pipe()
    yield read, write
    os.close(read)
    os.close(write)


def test_a_signal_while_starting_abandons_the_start_and_sets_the_stop(pipe):
    stopper = Stopper(grace=30, exit=FakeExit(), fd=pipe[1])
    with pytest.raises(Interrupted, match="SIGTERM"):
        stopper.handle(signal.SIGTERM)
    assert stopper.event.is_set() and not stopper.interruptible


def test_a_signal_once_ready_sets_the_stop_without_raising(pipe):
    stopper = Stopper(grace=30, exit=FakeExit(), fd=pipe[1])
    stopper.interruptible = False
    stopper.handle(signal.SIGINT)
    assert stopper.event.is_set()


def test_a_second_signal_ends_the_process_at_once(pipe):
    exit_ = FakeExit()
    stopper = Stopper(grace=30, exit=exit_, fd=pipe[1])
    stopper.interruptible = False
    stopper.handle(signal.SIGINT)
    assert exit_.codes == []
    stopper.handle(signal.SIGINT)
    assert exit_.codes == [0]
    assert os.read(pipe[0], 200) == b"Stopped (forced: a second SIGINT).\n"


def test_a_stop_that_outlasts_its_grace_ends_the_process(pipe):
    exit_ = FakeExit()
    stopper = Stopper(grace=0.05, exit=exit_, fd=pipe[1])
    stopper.interruptible = False
    stopper.handle(signal.SIGTERM)
    assert exit_.called.wait(10)
    assert os.read(pipe[0], 200) == b"Stopped (forced: still stopping after 0.05 s).\n"


def test_a_stop_that_finishes_in_time_is_left_alone(pipe):
    exit_ = FakeExit()
    stopper = Stopper(grace=0.2, exit=exit_, fd=pipe[1])
    stopper.arm()
    stopper.stopped.set()
    assert not exit_.called.wait(0.5)
    stopper.arm()  # once armed, again changes nothing
    assert exit_.codes == []

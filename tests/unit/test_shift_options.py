"""The suite's date and zone options (tests/conftest.py): the end-to-end tests and the processes
they start keep the machine's date and zone whatever the unit and API suites run at."""

import os
from datetime import timedelta

from chalicelib import clock
from tests import conftest


def test_the_machines_date_and_zone_hold_inside_and_the_shift_comes_back_after(monkeypatch):
    monkeypatch.setenv("STRIDE_MACHINE_TZ", "UTC")
    shifted, zone = clock.offset(), os.environ.get("TZ")
    clock.set_offset(timedelta(days=3.4))
    conftest._set_zone("Pacific/Kiritimati")
    try:
        with conftest.at_the_machines_date_and_zone():
            assert clock.offset() == timedelta(0)
            assert os.environ["TZ"] == "UTC"  # what a process started here gets
            assert conftest.machine_environment()["TZ"] == "UTC"
        assert clock.offset() == timedelta(days=3.4)
        assert os.environ["TZ"] == "Pacific/Kiritimati"
    finally:
        clock.set_offset(shifted)
        conftest._set_zone(zone)


def test_a_started_process_gets_the_machines_zone_not_the_tests(monkeypatch):
    monkeypatch.setenv("STRIDE_MACHINE_TZ", "")
    monkeypatch.setenv("TZ", "America/Adak")
    assert "TZ" not in conftest.machine_environment()

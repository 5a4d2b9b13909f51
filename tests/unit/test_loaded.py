"""devtools/loaded.py (`make test-loaded`): runs a command beside a CPU hog, and the hog never
outlives it."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from devtools.loaded import main, start_hog, stop_hog
from tests.conftest import ROOT


def _gone(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    try:
        return "\nState:\tZ" in status.read_text()
    except FileNotFoundError:
        return True


def test_every_run_is_timed_and_the_first_failure_ends_it(capsys):
    assert main(["--runs", "3", "--hogs", "1", "--", sys.executable, "-c", "raise SystemExit(3)"]) == 3
    out = capsys.readouterr().out
    assert "run 1 of 3: exit 3" in out and "run 2" not in out


def test_runs_that_pass_are_each_reported(capsys):
    assert main(["--runs", "2", "--hogs", "1", "--", sys.executable, "-c", "pass"]) == 0
    out = capsys.readouterr().out
    assert "run 2 of 2: exit 0" in out and "every run passed" in out


def test_the_hog_keeps_a_core_busy_until_it_is_stopped():
    [hog] = start_hog(1)
    try:
        assert hog.poll() is None
    finally:
        stop_hog([hog])
    assert hog.returncode is not None


def test_the_hog_ends_by_itself_when_its_parent_is_killed():
    orphaning = "import os\nfrom devtools.loaded import start_hog\nprint(start_hog(1)[0].pid)\nos._exit(0)"
    parent = subprocess.run(
        [sys.executable, "-c", orphaning],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    pid = int(parent.stdout)
    deadline = time.monotonic() + 10
    while not _gone(pid):
        assert time.monotonic() < deadline, "the hog outlived its parent"
        time.sleep(0.05)

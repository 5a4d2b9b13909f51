"""`chalice local`, typed as a Chalice user types it, refuses at once and names `make run`: on its
own it has neither the local AWS nor the checks API Gateway makes (tests/e2e/test_journey.py
shows what `make run` serves instead)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from devtools.local_aws import free_port, port_is_free
from tests.conftest import ROOT, machine_environment
from tests.e2e.conftest import kill_group

pytestmark = pytest.mark.e2e
CHALICE = Path(sys.executable).parent / "chalice"


@pytest.mark.parametrize("arguments", [["--stage", "local"], ["--no-autoreload"]])
def test_chalice_local_refuses_at_once_naming_make_run(arguments):
    port = free_port()
    process = subprocess.Popen(
        [str(CHALICE), "local", "--port", str(port), *arguments],
        cwd=ROOT,
        env=machine_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=60)
    finally:
        kill_group(process)  # its reloader's worker too, had it started serving
    assert process.returncode != 0
    assert "Run `make run` instead" in stderr, stderr
    assert "Serving on" not in stdout + stderr
    assert port_is_free(port)

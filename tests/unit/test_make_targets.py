"""The local loop checks what CI checks: `make check` runs CI's static checks, one by one, and CI
(.ci/run) runs `make check` rather than restating them. `make run` and `make package` refuse a stale
route table or response-shapes file (what the app reads as it runs), naming the fix."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

CI = ROOT / ".ci" / "run"
STAMP = ".venv/.installed-3.13"
# CI's static checks: lint, format, types, import contracts, bandit and the deploy workflow's actionlint.
STATIC = [
    ".venv/bin/ruff check .",
    ".venv/bin/ruff format --check .",
    ".venv/bin/mypy",
    ".venv/bin/lint-imports",
    ".venv/bin/bandit -q -r chalicelib app.py -ll",
    ".venv/bin/actionlint",
]


def generators() -> list[str]:
    """Every devtools module that writes a generated file `make openapi` keeps (its --check fails
    when stale): found by what it calls, so a new generated file is a new check."""
    return sorted(
        f".venv/bin/python -m devtools.{path.stem} --check"
        for path in (ROOT / "devtools").glob("*.py")
        if "generated_file.main(" in path.read_text()
    )


def recipe(target: str, cwd: Path = ROOT) -> list[str]:
    """The commands `make -n` says the target runs, in order (the venv taken as made)."""
    # --no-print-directory: under `make test` the outer make's flags would add "make[1]: Entering ..." lines.
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", "-o", STAMP, target],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return [line.strip() for line in result.stdout.splitlines() if line.strip()]


def test_make_check_runs_every_static_check_ci_runs():
    commands = recipe("check")
    assert commands[: len(STATIC)] == STATIC
    assert sorted(commands[len(STATIC) :]) == generators()
    assert {
        ".venv/bin/python -m devtools.route_table --check",
        ".venv/bin/python -m devtools.response_shapes --check",
    } <= set(generators())


def test_ci_runs_make_check_and_restates_none_of_its_commands():
    script = CI.read_text()
    assert re.search(r"^make check$", script, re.MULTILINE)
    lines = [line.strip() for line in script.splitlines()]
    for command in recipe("check"):
        assert command not in lines, f".ci/run restates `{command}`: `make check` runs it"
    for tool in ("ruff", "mypy", "lint-imports", "bandit", "actionlint", "--check"):
        assert not [line for line in lines if tool in line and not line.startswith(("step ", "#"))], tool


@pytest.mark.parametrize("target", ["run", "package"])
def test_run_and_package_check_the_served_tables_before_anything_else(target):
    commands = recipe(target)
    checks = [index for index, command in enumerate(commands) if "--check" in command]
    started = next(
        index for index, command in enumerate(commands) if "devtools.run" in command or "devtools.package" in command
    )
    assert [commands[index].split("devtools.")[1].split()[0] for index in checks] == ["route_table", "response_shapes"]
    assert max(checks) < started


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A copy of what `make run` and `make package` read, beside the same venv."""
    for name in ("Makefile", "app.py", "requirements.txt", "requirements-dev.txt", "pyproject.toml"):
        shutil.copy2(ROOT / name, tmp_path / name)
    for name in ("chalicelib", "devtools"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / ".venv").symlink_to(ROOT / ".venv")
    return tmp_path


def _make(target: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The target run for real; should it start the stack after all, it is stopped, group and all."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    process = subprocess.Popen(
        ["make", "-o", STAMP, target],
        cwd=cwd,
        env={**environment, "STRIDE_API_PORT": "1", "STRIDE_AWS_PORT": "1", "STRIDE_WEB_PORT": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def _drop_the_last_route(path: Path) -> None:
    lines = path.read_text().splitlines()
    lines[-3] = lines[-3].rstrip(",")
    del lines[-2]
    path.write_text("\n".join(lines) + "\n")


STALE = {
    "route_table.json": _drop_the_last_route,
    "response_shapes.json": lambda path: path.write_text("{}\n"),
}


@pytest.mark.parametrize("target", ["run", "package"])
@pytest.mark.parametrize("stale", STALE)
def test_run_and_package_refuse_a_stale_table_naming_the_fix(checkout, target, stale):
    STALE[stale](checkout / "chalicelib" / stale)
    result = _make(target, checkout)
    assert result.returncode != 0
    assert f"chalicelib/{stale} is stale: run `make openapi`" in result.stderr
    assert f"make {target}: refused" in result.stderr
    assert "devtools.run" not in result.stdout and "devtools.package" not in result.stdout

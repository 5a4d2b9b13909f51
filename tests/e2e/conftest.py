"""End to end: the stack `make run` starts (moto's server, chalice local with the verifying
authorizer), in its own process, over real HTTP."""

from __future__ import annotations

import atexit
import contextlib
import io
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest

from devtools.infra import stage_environment
from devtools.local_aws import LOCAL_CREDENTIALS, REGION, free_port, port_is_free
from tests.conftest import ROOT, at_the_machines_date_and_zone, machine_environment
from tests.e2e.browser import browser, person  # noqa: F401 (the browser journeys' fixtures)

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True, scope="module")
def _machine_date_and_zone() -> Iterator[None]:
    with at_the_machines_date_and_zone():
        yield


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: Any


@dataclass
class Stack:
    api: str
    aws: str
    pool_id: str
    client_id: str
    demo_email: str
    demo_password: str
    banner: str
    process: subprocess.Popen
    output: OutputReader
    dev_token: str = ""  # for /dev/ (printed at start)
    web: str | None = None  # the web app's address, when it was built and is served
    web_skipped: str = ""  # why not, otherwise

    @property
    def origin(self) -> str:
        """The one origin the API's CORS allows: the web app's, or the stage's without it."""
        return self.web or stage_environment("local")["FRONTEND_ORIGIN"]

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
    ) -> Reply:
        sent = dict(headers or {})
        if body is not None:
            raw = json.dumps(body).encode()
        if raw is not None:
            sent.setdefault("Content-Type", "application/json")
        if token:
            sent["Authorization"] = token
        if path.startswith("/dev/"):
            sent.setdefault("X-Dev-Token", self.dev_token)
        request = urllib.request.Request(self.api + path, data=raw, headers=sent, method=method)
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                status, reply_headers, text = response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            status, reply_headers, text = error.code, dict(error.headers), error.read()
        return Reply(status, reply_headers, json.loads(text) if text else None)

    def cognito(self) -> Any:
        return boto3.client(
            "cognito-idp",
            endpoint_url=self.aws,
            region_name=REGION,
            aws_access_key_id=LOCAL_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=LOCAL_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        )


class OutputReader(threading.Thread):
    """Drains the stack's output (a full pipe would block its server) and keeps it; `wait_for`
    waits for a line, woken by each line as it comes (and by the end of the output)."""

    def __init__(self, process: subprocess.Popen):
        super().__init__(daemon=True)
        self.process = process
        self.lines: list[str] = []
        self.ended = False
        self._changed = threading.Condition()

    def run(self) -> None:
        for line in self.process.stdout:
            with self._changed:
                self.lines.append(line)
                self._changed.notify_all()
        with self._changed:
            self.ended = True
            self._changed.notify_all()

    def wait_for(self, text: str, timeout: float, anywhere: bool = False) -> str | None:
        """The first line that starts with `text` (holds it, `anywhere`), once written; None if
        the output ends or `timeout` passes first."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = next((line for line in self.lines if self._holds(line, text, anywhere)), None)
                left = deadline - time.monotonic()
                if found is not None or self.ended or left <= 0:
                    return found
                self._changed.wait(left)

    @staticmethod
    def _holds(line: str, text: str, anywhere: bool) -> bool:
        return text in line if anywhere else line.startswith(text)

    @property
    def text(self) -> str:
        return "".join(self.lines)


def _wait_until_ready(reader: OutputReader, timeout: float) -> str:
    if reader.wait_for("READY ", timeout) is None:
        raise RuntimeError(f"the local stack did not become ready:\n{reader.text}")
    return reader.text


# Every stack a test started: whatever becomes of the test, its process group is killed at exit.
_STARTED: list[subprocess.Popen] = []


def kill_group(process: subprocess.Popen) -> None:
    """The stack and anything it started (it leads its own process group): gone, at once."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


atexit.register(lambda: [kill_group(process) for process in _STARTED])


def stop_stack(stack: Stack, signal_number: int = signal.SIGINT, timeout: float = 10) -> int:
    """Asks the stack to stop as Ctrl-C (or SIGTERM) does; it has `timeout` seconds. Whatever
    happens, its process group is gone afterwards. Raises TimeoutExpired if it did not stop."""
    try:
        stack.process.send_signal(signal_number)
        return stack.process.wait(timeout=timeout)
    finally:
        kill_group(stack.process)
        stack.output.join(timeout=5)


def prepare_web() -> str:
    """Builds web/ if stale, here rather than inside the stack's start (which has a deadline).
    Returns why the web app is skipped, or "" when it is built."""
    from devtools.web import WebUnavailable, ensure_built

    log = io.StringIO()
    try:
        ensure_built(log)
    except WebUnavailable as reason:
        return f"{reason}\n{log.getvalue()}".strip()
    return ""


def start_stack(attempts: int = 3) -> Stack:
    """A free port can be taken by someone else's connection between free_port() and the stack's
    bind: the stack then exits at once saying so, and is started again on other ports."""
    web_skipped = prepare_web()
    for attempt in range(attempts):
        try:
            return _start_stack(web_skipped)
        except RuntimeError as error:
            if "is in use" not in str(error) or attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def launch(*arguments: str) -> tuple[subprocess.Popen, OutputReader]:
    """`python -m devtools.run ARGUMENTS` in its own process group, with its output read."""
    environment = {
        key: value
        for key, value in machine_environment().items()
        if not key.startswith(("AWS_", "USER_POOL", "APP_CLIENT", "JWKS"))
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "devtools.run", *arguments],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=environment,
        start_new_session=True,
    )
    _STARTED.append(process)
    reader = OutputReader(process)
    reader.start()
    return process, reader


def _start_stack(web_skipped: str) -> Stack:
    api_port, aws_port, web_port = free_port(), free_port(), free_port()
    web_args = ["--no-web"] if web_skipped else ["--web-port", str(web_port)]
    process, reader = launch("--api-port", str(api_port), "--aws-port", str(aws_port), *web_args)
    try:
        banner = _wait_until_ready(reader, timeout=90)
    except BaseException:
        kill_group(process)
        raise
    ready_line = next(line for line in banner.splitlines() if line.startswith("READY "))
    _, api, aws, pool_id, client_id = ready_line.split()
    email, password = re.search(r"Demo user\s+(\S+) / (\S+)", banner).groups()
    web = re.search(r"^Web app\s+(http://\S+)", banner, re.MULTILINE)
    stack = Stack(api, aws, pool_id, client_id, email, password, banner, process, reader)
    stack.dev_token = re.search(r"X-Dev-Token: (\S+)", banner).group(1)
    stack.web, stack.web_skipped = (web.group(1), "") if web else (None, web_skipped or "not served")
    return stack


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    stack = start_stack()
    yield stack
    # The session's stack is stopped as Ctrl-C stops it, and must stop as cleanly (test_stopping.py
    # checks SIGTERM and every step of the start).
    ports = [int(url.rsplit(":", 1)[1]) for url in (stack.api, stack.aws, *([stack.web] if stack.web else []))]
    assert stop_stack(stack, signal.SIGINT, timeout=10) == 0, stack.output.text[-2000:]
    assert stack.output.text.rstrip().endswith("Stopped."), stack.output.text[-2000:]
    assert all(port_is_free(port) for port in ports), "a port outlived the stack"

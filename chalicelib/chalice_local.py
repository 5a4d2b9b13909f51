"""`chalice local` alone cannot serve Stride: stage local needs the embedded AWS (Cognito, DynamoDB,
S3, SES) and the checks API Gateway makes that chalice's local gateway lacks (a token's signature,
unknown routes, a header that is no JWT), which `make run` provides (devtools/run.py,
devtools/local_gateway.py). So app.py refuses at once under it, naming what to run.

Imported by app.py before anything else; in Lambda the process is never the chalice CLI, so it
only reads sys.argv and returns.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

REFUSAL = (
    "Stride does not run under `chalice local`: its local stage needs the embedded AWS and the\n"
    "token checks of API Gateway. Run `make run` instead: the same chalice app for stage local on\n"
    "http://127.0.0.1:8000 (STRIDE_API_PORT chooses another port), with the local AWS, the web app\n"
    "and a demo user (see README, Two commands).\n"
)


def chalice_command(argv: list[str]) -> str | None:
    """The chalice CLI's command (`local`, `package`, ...) when this process is the chalice CLI."""
    if not argv or "chalice" not in (Path(argv[0]).name, Path(argv[0]).parent.name):
        return None
    words = iter(argv[1:])
    for word in words:
        if word == "--project-dir":
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def refuse_chalice_local(argv: list[str]) -> None:
    """Ends the process, saying what to run, when it is `chalice local`.

    With its default --autoreload, chalice imports app.py in a thread of a worker process, where
    SystemExit would end only the thread, and the parent answers 0 for any end of its worker: the
    worker ends itself and its parent, so the command fails as it should."""
    if chalice_command(argv) != "local":
        return
    sys.stderr.write(REFUSAL)
    sys.stderr.flush()
    if os.environ.get("CHALICE_WORKER"):
        os.kill(os.getppid(), signal.SIGTERM)
    os._exit(2)

"""Stride's loggers: one JSON line a message on stdout, where Lambda sends it to CloudWatch."""

from __future__ import annotations

import json
import logging
import sys
from typing import Any


class _StdoutHandler(logging.Handler):
    """Writes to whatever sys.stdout is now (Lambda and test capture both replace it)."""

    def emit(self, record: logging.LogRecord) -> None:
        _write(self.format(record))


def stdout_logger(name: str) -> logging.Logger:
    """The named logger, writing INFO and above to stdout and nowhere else."""
    logger = logging.getLogger(name)
    if not logger.handlers:
        logger.addHandler(_StdoutHandler())
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger


def write_line(document: dict[str, Any]) -> None:
    """One JSON line on stdout, without a log record: the request line, written on every request,
    where logging's record (caller, thread, process, handler lock) cost ~35 µs of a ~600 µs warm
    request."""
    _write(json.dumps(document))


def _write(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()

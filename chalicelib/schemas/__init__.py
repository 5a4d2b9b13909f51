"""The request and response schemas, one module a domain; routes name them and the router
imports a domain's module on its first request.

Importing this package imports marshmallow with one change: the patterns `marshmallow.validate`
compiles as it is imported are compiled on first use instead. Its e-mail validator's domain
pattern (Unicode letters, case-insensitive) takes Python 3.13 most of marshmallow's import time
to compile, on every cold start, and Stride never uses that validator (schemas.common.Email has
its own rule).
"""

from __future__ import annotations

import re
import sys
from typing import Any

_compile = re.compile


class _LazyPattern:
    """A regular expression compiled the first time it is used."""

    def __init__(self, pattern: str, flags: int = 0):
        self._source = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # asked of every class attribute (ABCMeta's __isabstractmethod__...)
            raise AttributeError(name)
        if self._compiled is None:
            self._compiled = _compile(*self._source)
        return getattr(self._compiled, name)


def _compile_lazily_in_validate(pattern: Any, flags: int = 0) -> Any:
    if sys._getframe(1).f_globals.get("__name__") == "marshmallow.validate":
        return _LazyPattern(pattern, flags)
    return _compile(pattern, flags)  # any other caller, another thread's included: as usual


def _import_marshmallow() -> None:
    if "marshmallow" in sys.modules:
        return
    re.compile = _compile_lazily_in_validate  # for this import only
    try:
        import marshmallow  # noqa: F401
    finally:
        re.compile = _compile


_import_marshmallow()

"""The command line of a file `make openapi` writes from the declarations and CI checks:
`--output PATH` writes it, `--check` exits 1 when the committed one is stale, neither prints it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None, committed: Path, text: str) -> int:
    shown = f"chalicelib/{committed.name}"
    parser = argparse.ArgumentParser(description=f"Write {shown}.")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--output", type=Path, help=f"write it here ({shown})")
    group.add_argument("--check", action="store_true", help="exit 1 if the committed file is stale")
    args = parser.parse_args(argv)
    if args.check:
        if not committed.exists() or committed.read_text() != text:
            print(f"{shown} is stale: run `make openapi`.", file=sys.stderr)
            return 1
        print(f"{shown} is up to date.")
        return 0
    if args.output is None:
        sys.stdout.write(text)
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)
    return 0

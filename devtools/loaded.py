"""`make test-loaded`: a command (by default `make test`), run beside a CPU hog that keeps every
core busy, RUNS times in a row; each run's time is printed, the first failure ends it, and the
hog is always stopped (its processes also end by themselves if this one is killed outright).

    python -m devtools.loaded [--runs 3] [--hogs N] [-- COMMAND ...]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence

# One busy loop a process; it ends when its parent (this program, whose pid it is given: asked
# for at its own start, it could already be init's) is gone, however that went.
HOG = """
import os, sys
parent = int(sys.argv[1])
while os.getppid() == parent:
    for _ in range(200_000):
        pass
"""


def start_hog(count: int) -> list[subprocess.Popen]:
    quiet = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    return [subprocess.Popen([sys.executable, "-c", HOG, str(os.getpid())], **quiet) for _ in range(count)]


def stop_hog(hog: Sequence[subprocess.Popen]) -> None:
    for process in hog:
        if process.poll() is None:
            process.kill()
    for process in hog:
        process.wait()


def _as_interrupt(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=int(os.environ.get("RUNS", 3)))
    parser.add_argument("--hogs", type=int, default=os.cpu_count() or 1, help="busy processes (default: one a core)")
    parser.add_argument("command", nargs="*", default=["make", "test"])
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _as_interrupt)
    hog = start_hog(args.hogs)
    print(f"loaded: {len(hog)} busy processes beside `{' '.join(args.command)}`, {args.runs} runs", flush=True)
    times: list[float] = []
    try:
        for run in range(1, args.runs + 1):
            started = time.monotonic()
            code = subprocess.call(args.command)
            times.append(time.monotonic() - started)
            print(f"loaded: run {run} of {args.runs}: exit {code} in {times[-1]:.0f} s", flush=True)
            if code != 0:
                return code
    except KeyboardInterrupt:
        print("loaded: interrupted", flush=True)
        return 130
    finally:
        stop_hog(hog)
    print("loaded: every run passed: " + ", ".join(f"{seconds:.0f} s" for seconds in times), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

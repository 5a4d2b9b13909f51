"""`make fuzz`: schemathesis, driven by /openapi.json, against the local stack of `make run`, signed
in as the demo user. `--quick` for CI's budget (about 2,000 requests), more examples otherwise."""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    stack = subprocess.Popen(
        [sys.executable, "-m", "devtools.run", "--api-port", "18901", "--aws-port", "15901"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        banner = ""
        for line in stack.stdout:
            banner += line
            if line.startswith("READY "):
                break
        # Keep reading its request log: a full pipe would block every request thread mid-write.
        threading.Thread(target=lambda: [None for _ in stack.stdout], daemon=True).start()
        api = banner.strip().splitlines()[-1].split()[1]
        email, password = re.search(r"Demo user\s+(\S+) / (\S+)", banner).groups()
        login = urllib.request.Request(
            f"{api}/auth/login",
            data=json.dumps({"email": email, "password": password}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(login, timeout=10) as response:
            token = json.loads(response.read())["id_token"]
        examples = "20" if args.quick else "100"
        command = [
            str(Path(sys.executable).parent / "schemathesis"),
            "run",
            f"{api}/openapi.json",
            "-H",
            f"Authorization: {token}",
            "--checks",
            "all",
            "-n",
            examples,
            # The account routes would sign the fuzzer out of its own session.
            "--exclude-path-regex",
            "^/(me|auth/.*)$",
            "--exclude-method",
            "DELETE",
        ]
        return subprocess.run(command, cwd=ROOT, check=False).returncode
    finally:
        stack.terminate()
        stack.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())

"""The e-mail run at 10,000 people due at once, with the latency of the real calls injected: 10 ms a
DynamoDB call, 50 ms an SES send (tests/email_fakes.py: the schedule, SES, the open tasks and the
summary, each making the calls the real ones make). Measures the run's wall time with its workers,
and one worker on a sample (what the sequential run took, per person), against the Lambda's 300 s.

    python bench/email_run.py [--people 10000]

Writes its section into bench/results.md (between the e-mail markers) and prints it.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "bench" / "results.md"
START, END = "<!-- email-run:start -->", "<!-- email-run:end -->"
LIMIT_SECONDS = 300
NOW = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


def timed(people: int, workers: int) -> dict[str, float]:
    from collections import Counter

    from tests.email_fakes import Latency, people_due, service

    latency = Latency(dynamodb=0.010, ses=0.050)
    run, schedule, mailer = service(latency)
    due = people_due(schedule, people, NOW)
    started = time.monotonic()
    report = run.run(NOW, lambda: LIMIT_SECONDS - (time.monotonic() - started), workers=workers)
    seconds = time.monotonic() - started
    assert report.finished and report.sent == due == len(mailer.sent), report
    assert max(Counter(mailer.sent).values()) == 1  # nothing sent twice
    return {
        "people": people,
        "emails": due,
        "workers": workers,
        "seconds": seconds,
        "dynamodb_calls": sum(latency.calls.values()),
    }


def render(parallel: dict[str, float], sample: dict[str, float], people: int) -> str:
    from chalicelib.domains.email.service import RUN_WORKERS

    per_email = sample["seconds"] / sample["emails"]
    sequential = per_email * parallel["emails"]
    return "\n".join(
        [
            START,
            "## The e-mail run at scale (`make scale`)",
            "",
            f"{people:,} people due at the same instant ({parallel['emails']:,.0f} e-mails:",
            "every morning reminder, and",
            "a weekly summary for one in seven), 10 ms injected into every DynamoDB call and 50 ms into every SES",
            "send (`bench/email_run.py`, the fakes of `tests/email_fakes.py` making the calls the real code makes:",
            "the summary reads the running totals, 5 calls). Nothing was sent twice.",
            "",
            "| run | workers | e-mails | DynamoDB calls | wall time (s) | limit (s) |",
            "|---|---|---|---|---|---|",
            f"| one person at a time (before), measured on {sample['people']:,} people and scaled | 1 | "
            f"{parallel['emails']:,.0f} | | {sequential:,.0f} | {LIMIT_SECONDS} |",
            f"| `RUN_WORKERS` people at a time | {RUN_WORKERS} | {parallel['emails']:,.0f} | "
            f"{parallel['dynamodb_calls']:,.0f} | **{parallel['seconds']:,.1f}** | {LIMIT_SECONDS} |",
            "",
            f"Within the limit: {'yes' if parallel['seconds'] < LIMIT_SECONDS else '**no**'}"
            f" ({parallel['seconds'] / LIMIT_SECONDS:.0%} of it).",
            "A run stops starting people 2 s before its time is up;",
            "whoever it did not reach stays due for the next run, 15 minutes later (`tests/unit/test_email_run.py`).",
            END,
        ]
    )


def write(section: str) -> None:
    text = RESULTS.read_text()
    if START in text:
        before, _, rest = text.partition(START)
        text = before + section + rest.partition(END)[2]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    RESULTS.write_text(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    from chalicelib.domains.email.service import RUN_WORKERS

    sample = timed(max(args.people // 50, 20), 1)
    parallel = timed(args.people, RUN_WORKERS)
    section = render(parallel, sample, args.people)
    print(section)
    if not args.no_write:
        write(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Recounts people's running totals (`STATS#…` items, docs/data-model.md#running-totals) from their
items: the backfill for a stage deployed before the totals existed, and the repair when a check
finds them drifted. It reads each person's whole history, which is why it runs here, never in a
request. Safe to run again: each person's totals are replaced by the recount.

    AWS_PROFILE=... python -m devtools.rebuild_stats --table stride-prod --user <sub>
    AWS_PROFILE=... python -m devtools.rebuild_stats --table stride-prod --user-pool-id us-east-1_X

With a user pool it pages through its users (ListUsers), not the table: no Scan.
"""

from __future__ import annotations

import argparse
import sys

import boto3

from chalicelib.domains.stats.store import RollupStore
from devtools.backfill_email_schedule import people


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--table", required=True)
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--user", action="append", help="a person's sub (repeatable)")
    who.add_argument("--user-pool-id", help="everyone in this pool")
    parser.add_argument("--region", default=None)
    args = parser.parse_args(argv)
    session = boto3.session.Session(region_name=args.region)
    store = RollupStore(session.client("dynamodb"), args.table)
    subs = args.user or [sub for sub, _ in people(session.client("cognito-idp"), args.user_pool_id)]
    for sub in subs:
        print(sub, store.rebuild(sub))
    print(f"{len(subs)} people recounted")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""One-off, for a stage deployed before the account list existed: lists every account of the user
pool in the table's account list (chalicelib/repositories/accounts.py), which sign-up otherwise
writes and the periodic reconciliation reads. Safe to run again: it writes only entries that do
not exist.

    AWS_PROFILE=... python -m devtools.backfill_account_list --user-pool-id us-east-1_X --table stride-prod

It pages through the user pool (ListUsers), not the table: no Scan. An account whose Cognito user
was deleted before this ran is not in the pool any more, so it cannot be listed this way (see
docs/operations.md, "Background jobs").
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

import boto3

from chalicelib.repositories.accounts import AccountList
from chalicelib.timeutil import iso_utc


def users(cognito: Any, pool_id: str) -> Any:
    """(sub, created at) of every user of the pool."""
    for page in cognito.get_paginator("list_users").paginate(UserPoolId=pool_id):
        for user in page["Users"]:
            sub = next((a["Value"] for a in user.get("Attributes", []) if a["Name"] == "sub"), None)
            if sub:
                yield sub, iso_utc(user["UserCreateDate"])


def backfill(dynamodb: Any, cognito: Any, pool_id: str, table: str) -> tuple[int, int]:
    """(users seen, entries written)."""
    listed = AccountList(dynamodb, table)
    seen = written = 0
    for sub, created_at in users(cognito, pool_id):
        seen += 1
        written += listed.ensure(sub, created_at)
    return seen, written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--user-pool-id", required=True)
    parser.add_argument("--table", required=True)
    parser.add_argument("--region", default=None)
    args = parser.parse_args(argv)
    session = boto3.session.Session(region_name=args.region)
    seen, written = backfill(session.client("dynamodb"), session.client("cognito-idp"), args.user_pool_id, args.table)
    print(f"{seen} users, {written} account list entries written")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""One-off, for a stage deployed before e-mail was sent: schedules the e-mail of everyone whose
saved preferences already turned it on (the schedule is otherwise written when preferences are
saved). Safe to run again: it writes only entries that do not exist, and only while the person's
preferences are still the ones it read.

    AWS_PROFILE=... python -m devtools.backfill_email_schedule --user-pool-id us-east-1_X --table stride-prod

It pages through the user pool (ListUsers), not the table: no Scan.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

import boto3

from chalicelib.domains.email.store import EmailSchedule
from chalicelib.domains.me.preferences_service import PreferencesService
from chalicelib.domains.me.preferences_store import PreferencesStore
from chalicelib.identity import MEMBER, Identity, personal_tenant


def people(cognito: Any, pool_id: str) -> Any:
    """(sub, e-mail) of every user of the pool."""
    for page in cognito.get_paginator("list_users").paginate(UserPoolId=pool_id):
        for user in page["Users"]:
            attributes = {attribute["Name"]: attribute["Value"] for attribute in user.get("Attributes", [])}
            if attributes.get("sub") and attributes.get("email"):
                yield attributes["sub"], attributes["email"]


def backfill(dynamodb: Any, cognito: Any, pool_id: str, table: str) -> tuple[int, int]:
    """(people seen, schedule entries written)."""
    schedule = EmailSchedule(dynamodb, table)
    service = PreferencesService(PreferencesStore(dynamodb, table), lambda: schedule)
    seen = written = 0
    for sub, email in people(cognito, pool_id):
        seen += 1
        written += service.reschedule(Identity(sub, email, personal_tenant(sub), MEMBER))
    return seen, written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--user-pool-id", required=True)
    parser.add_argument("--table", required=True)
    parser.add_argument("--region", default=None)
    args = parser.parse_args(argv)
    session = boto3.session.Session(region_name=args.region)
    seen, written = backfill(session.client("dynamodb"), session.client("cognito-idp"), args.user_pool_id, args.table)
    print(f"{seen} people, {written} e-mail schedule entries written")
    return 0


if __name__ == "__main__":
    sys.exit(main())

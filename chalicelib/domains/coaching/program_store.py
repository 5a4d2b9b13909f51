"""A submission and the program made from it, written together; a program session marked done
(with its workout linked, or created) in one transaction."""

from __future__ import annotations

from typing import Any

from chalicelib.domains.workouts.public import WORKOUTS
from chalicelib.errors import Unprocessable
from chalicelib.identity import Identity
from chalicelib.repositories.anchor import ACCOUNT, account_check, account_deleted
from chalicelib.repositories.dynamo import (
    Refusal,
    put_new,
    run_transaction,
    to_value,
    user_key,
)
from chalicelib.repositories.items import Kind

SUBMISSION_PREFIX, PROGRAM_PREFIX = "SUBMISSION#", "PROGRAM#"
SUBMISSIONS = Kind("submissions", SUBMISSION_PREFIX, "submission")
PROGRAMS = Kind("programs", PROGRAM_PREFIX, "program")
WORKOUT_PREFIX = WORKOUTS.prefix


class SessionAlreadyCompleted(Exception):
    """The session was marked done meanwhile (or before), or the one before it is not: the
    caller reads the program again."""


class WorkoutAlreadyLogged(Exception):
    """The workout made from this session exists already (its id is derived): link it instead."""


class ProgramStore:
    def __init__(self, client: Any, table_name: str):
        self._client = client
        self._table = table_name

    def save(self, identity: Identity, submission: dict[str, Any], program: dict[str, Any]) -> None:
        actions = [
            (
                "submission",
                put_new(self._table, user_key(identity, f"{SUBMISSION_PREFIX}{submission['id']}"), submission),
            ),
            ("program", put_new(self._table, user_key(identity, f"{PROGRAM_PREFIX}{program['id']}"), program)),
            account_check(self._table, identity),
        ]
        run_transaction(self._client, actions, {ACCOUNT: account_deleted})

    def complete_session(
        self,
        identity: Identity,
        program_id: str,
        position: tuple[int, int],
        previous: tuple[int, int] | None,
        completed_at: str,
        workout_id: str,
        new_workout: dict[str, Any] | None,
    ) -> None:
        """Sets the session's completed_at and workout_id, on condition it is not done yet and the
        session before it (`previous`, None for the first) is, and in the same transaction either
        checks the workout exists or puts the new one."""
        week, session = position
        path = f"#weeks[{week}].#sessions[{session}]"
        condition = f"attribute_exists(PK) AND attribute_type({path}.#completed, :null)"
        values = {":null": to_value("NULL")}
        if previous is not None:
            condition += f" AND attribute_type(#weeks[{previous[0]}].#sessions[{previous[1]}].#completed, :string)"
            values[":string"] = to_value("S")
        update = {
            "Update": {
                "TableName": self._table,
                "Key": user_key(identity, f"{PROGRAM_PREFIX}{program_id}"),
                "UpdateExpression": (
                    f"SET {path}.#completed = :at, {path}.#workout = :workout, #updated = :at ADD #version :one"
                ),
                "ConditionExpression": condition,
                "ExpressionAttributeNames": {
                    "#weeks": "weeks",
                    "#sessions": "sessions",
                    "#completed": "completed_at",
                    "#workout": "workout_id",
                    "#updated": "updated_at",
                    "#version": "version",
                },
                "ExpressionAttributeValues": {
                    ":at": to_value(completed_at),
                    ":workout": to_value(workout_id),
                    ":one": to_value(1),
                    **values,
                },
            }
        }
        workout_key = user_key(identity, f"{WORKOUT_PREFIX}{workout_id}")
        if new_workout is None:
            second = {
                "ConditionCheck": {
                    "TableName": self._table,
                    "Key": workout_key,
                    "ConditionExpression": "attribute_exists(PK)",
                }
            }
        else:
            second = put_new(self._table, workout_key, new_workout)
        workout_refused: Refusal = (
            WorkoutAlreadyLogged
            if new_workout is not None
            else lambda: Unprocessable("No such workout.", code="workout_not_found")
        )
        run_transaction(
            self._client,
            [("session", update), ("workout", second)],
            {"session": SessionAlreadyCompleted, "workout": workout_refused},
        )

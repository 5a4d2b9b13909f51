"""The running totals the summaries read (chalicelib/domains/stats/store.py) stay exact: after
writes, edits, deletions, re-dated items, toggled tasks and an import, kept from the stream,
they equal a recount of the items; a batch delivered again changes nothing; they are repaired
when they drift; they go with the account."""

from __future__ import annotations

import os
from typing import Any

import pytest

from chalicelib import deps
from chalicelib.repositories.dynamo import from_item, home_partition

TABLE = os.environ.get("TABLE_NAME", "stride-local")


def stored_totals(local_aws: Any, user: Any) -> dict[str, dict[str, Any]]:
    """Every totals item of the person, by sort key (empty months, the stream position and the
    months' versions aside: a recount numbers them afresh)."""
    answer = local_aws.client("dynamodb").query(
        TableName=TABLE,
        KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
        ExpressionAttributeValues={":pk": {"S": home_partition(user.user_id)}, ":prefix": {"S": "STATS#"}},
        ConsistentRead=True,
    )
    found = {}
    for raw in answer["Items"]:
        item = {name: value for name, value in from_item(raw).items() if name not in ("seq", "ver") and value != 0}
        if item:
            found[raw["SK"]["S"]] = item
    return found


def recounted(local_aws: Any, user: Any) -> dict[str, dict[str, Any]]:
    deps.stats().rebuild(user.user_id)
    return stored_totals(local_aws, user)


def created(answer: Any) -> dict[str, Any]:
    assert answer.status == 201, answer.body
    return answer.body


def summary(api: Any, user: Any, first: str, last: str) -> dict[str, Any]:
    answer = api.get(f"/stats/summary?from={first}&to={last}", token=user.token)
    assert answer.status == 200, answer.body
    return answer.body


def history(api: Any, user: Any) -> dict[str, Any]:
    weight = created(
        api.post("/weights", {"measured_at": "2026-01-10", "weight": {"value": 80, "unit": "kg"}}, token=user.token)
    )
    created(
        api.post(
            "/weights", {"measured_at": "2026-01-20T07:00:00Z", "weight": {"value": 79, "unit": "kg"}}, token=user.token
        )
    )
    workout = created(
        api.post(
            "/workouts",
            {"started_at": "2026-01-12T07:00:00Z", "duration_min": 30, "type": "cardio", "title": "Run"},
            token=user.token,
        )
    )
    gone = created(
        api.post(
            "/workouts",
            {"started_at": "2026-01-13T07:00:00Z", "duration_min": 20, "type": "cardio", "title": "Jog"},
            token=user.token,
        )
    )
    task = created(api.post("/tasks", {"title": "stretch", "due_date": "2020-01-01"}, token=user.token))
    created(api.post("/tasks", {"title": "plan", "due_date": "2099-01-01"}, token=user.token))
    created(api.post("/tasks", {"title": "someday"}, token=user.token))
    return {"weight": weight, "workout": workout, "gone": gone, "task": task}


def test_totals_kept_from_the_stream_equal_a_recount_after_edits_deletions_re_dates_and_an_import(
    api, user, other_user, local_aws, totals
):
    made = history(api, user)
    # Re-dated into another month, edited, deleted, toggled, re-dated while open.
    assert api.patch(f"/weights/{made['weight']['id']}", {"measured_at": "2026-02-03"}, token=user.token).status == 200
    assert api.patch(f"/workouts/{made['workout']['id']}", {"duration_min": 50}, token=user.token).status == 200
    assert api.request("DELETE", f"/workouts/{made['gone']['id']}", token=user.token).status == 204
    assert api.patch(f"/tasks/{made['task']['id']}", {"done": True}, token=user.token).status == 200
    assert api.patch(f"/tasks/{made['task']['id']}", {"done": False}, token=user.token).status == 200
    assert api.patch(f"/tasks/{made['task']['id']}", {"due_date": "2026-01-05"}, token=user.token).status == 200
    done = created(api.post("/tasks", {"title": "done already", "done": True}, token=user.token))
    assert api.patch(f"/tasks/{done['id']}", {"title": "renamed"}, token=user.token).status == 200
    assert totals.poll() > 0
    kept = stored_totals(local_aws, user)
    assert kept == recounted(local_aws, user)
    assert kept["STATS#weights#2026-02"] and kept["STATS#workouts#2026-01"]
    assert kept["STATS#open"]["open"] == 3

    # An import into another account: its totals are built from the imported items.
    document = api.get("/me/export", token=user.token).body
    assert api.post("/me/import", document, token=other_user.token).status == 200
    assert totals.poll() > 0
    imported = stored_totals(local_aws, other_user)
    assert imported == recounted(local_aws, other_user)
    assert summary(api, other_user, "2026-01-01", "2026-02-28") == summary(api, user, "2026-01-01", "2026-02-28")


def test_the_summary_reads_what_the_totals_say(api, user, totals):
    history(api, user)
    totals.poll()
    kept = summary(api, user, "2026-01-01", "2026-01-31")
    assert kept["weight"]["entries"] == 2 and kept["workouts"]["count"] == 2
    assert kept["workouts"]["total_minutes"] == 50
    assert kept["tasks"] == {"open": 3, "overdue": 1, "done_in_range": 0, "completion_rate": 0.0}


def test_a_batch_delivered_again_changes_no_total(api, user, local_aws, totals):
    history(api, user)
    assert totals.poll() > 0
    before = stored_totals(local_aws, user)
    for batch in totals.batches:  # Lambda retrying every batch, in order, then one alone
        totals.invoke(batch)
    totals.invoke(totals.batches[0][-1:])
    assert stored_totals(local_aws, user) == before


def test_totals_that_drifted_are_repaired_by_the_rebuild(api, user, local_aws, totals):
    history(api, user)
    totals.poll()
    right = stored_totals(local_aws, user)
    client = local_aws.client("dynamodb")
    partition = {"S": home_partition(user.user_id)}
    # A lost month, a wrong counter and a month of an item that never was.
    client.delete_item(TableName=TABLE, Key={"PK": partition, "SK": {"S": "STATS#workouts#2026-01"}})
    client.put_item(TableName=TABLE, Item={"PK": partition, "SK": {"S": "STATS#open"}, "open": {"N": "40"}})
    client.put_item(
        TableName=TABLE,
        Item={"PK": partition, "SK": {"S": "STATS#weights#2019-05"}, "e_X": {"M": {"at": {"S": "2019-05-01"}}}},
    )
    assert stored_totals(local_aws, user) != right
    assert deps.stats().rebuild(user.user_id) == {"weights": 2, "workouts": 2, "tasks": 0, "open": 3}
    assert stored_totals(local_aws, user) == right
    # and the stream goes on from there
    created(api.post("/tasks", {"title": "one more"}, token=user.token))
    totals.poll()
    assert stored_totals(local_aws, user)["STATS#open"]["open"] == 4


def test_a_deleted_accounts_totals_are_not_written_back_by_late_records(api, users, local_aws, totals):
    person = users.create()
    history(api, person)
    assert api.request("DELETE", "/me", token=person.token).status in (202, 204)
    totals.poll()  # the creations, then the deletions, read after the account is gone
    for batch in totals.batches:
        totals.invoke(batch)
    assert stored_totals(local_aws, person) == {}


@pytest.mark.parametrize("years", [1, 7])
def test_a_summary_reads_the_months_of_its_range_whatever_the_history(api, user, totals, years):
    for year in range(2026 - years, 2026):  # one weight and one workout each June, for years before the range
        created(
            api.post(
                "/weights", {"measured_at": f"{year}-06-01", "weight": {"value": 80, "unit": "kg"}}, token=user.token
            )
        )
        workout = {"started_at": f"{year}-06-01T07:00:00Z", "duration_min": 30, "type": "cardio", "title": "Run"}
        created(api.post("/workouts", workout, token=user.token))
    created(
        api.post("/weights", {"measured_at": "2026-03-02", "weight": {"value": 79, "unit": "kg"}}, token=user.token)
    )
    totals.poll()
    api.get("/me/preferences", token=user.token)
    read: list[int] = []

    def count(parsed: Any, **_: Any) -> None:
        read.append(len(parsed.get("Items", [])) + (1 if "Item" in parsed else 0))

    events = deps.aws_client("dynamodb").meta.events
    events.register("after-call.dynamodb", count)
    try:
        kept = summary(api, user, "2026-03-01", "2026-03-31")
    finally:
        events.unregister("after-call.dynamodb", count)
    assert kept["weight"]["entries"] == 1
    # March's weights, March's workouts (none; from the Monday of March 1st's week),
    # the week counts of the streak's year (one month with any), the open-task counter, no month of
    # done tasks: the same items after one year of history or seven
    assert read == [1, 0, 1, 1, 0], read


def test_the_operators_rebuild_command_recounts_a_person(api, user, local_aws, totals, capsys):
    from devtools import rebuild_stats

    history(api, user)
    totals.poll()
    right = stored_totals(local_aws, user)
    local_aws.client("dynamodb").delete_item(
        TableName=TABLE, Key={"PK": {"S": home_partition(user.user_id)}, "SK": {"S": "STATS#open"}}
    )
    assert rebuild_stats.main(["--table", TABLE, "--user", user.user_id]) == 0
    assert stored_totals(local_aws, user) == right
    assert "1 people recounted" in capsys.readouterr().out


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Kathmandu", "Europe/Paris"])
def test_the_streak_read_from_week_counts_is_the_one_the_workouts_give_in_every_zone(api, user, totals, zone):
    """Workouts near a week's turn (Sunday evening and Monday morning UTC) fall in different ISO
    weeks by zone: the week counts keep them as moments, so the streak is exact in any zone."""
    api.put("/me/preferences", {"timezone": zone, "weekly_workout_goal": 1}, token=user.token)
    from datetime import date, timedelta

    monday = date(2025, 9, 1)
    for week in range(12):
        day = monday + timedelta(weeks=week)
        moment = f"{day - timedelta(days=1)}T22:30:00Z" if week % 3 else f"{day}T03:15:00Z"
        workout = {"started_at": moment, "duration_min": 30, "type": "cardio", "title": "Turn"}
        created(api.post("/workouts", workout, token=user.token))
    inside = {"started_at": "2025-11-26T12:00:00Z", "duration_min": 30, "type": "cardio", "title": "Midweek"}
    created(api.post("/workouts", inside, token=user.token))  # the range's own week meets the goal
    totals.poll()
    last = "2025-11-30"
    from_counts = summary(api, user, "2025-11-24", last)["workouts"]["current_streak_weeks"]
    from_workouts = summary(api, user, "2024-12-01", last)["workouts"]["current_streak_weeks"]  # no week counts
    assert from_counts == from_workouts == STREAKS[zone]


# Kiritimati and Kathmandu put Sunday 22:30 UTC on Monday: every week meets the goal. In Pago Pago
# and Paris the week before the range has none: the streak is the range's own week.
STREAKS = {"Pacific/Kiritimati": 13, "Asia/Kathmandu": 13, "Pacific/Pago_Pago": 1, "Europe/Paris": 1}


def test_a_batch_touching_more_months_than_a_transaction_takes_is_counted_whole(api, user, local_aws, totals):
    from chalicelib.ids import new_id

    weights = [
        {
            "id": new_id(),
            "measured_at": f"{2010 + month // 12}-{month % 12 + 1:02d}-15",
            "weight": {"value": 80, "unit": "kg"},
        }
        for month in range(120)  # ten years, a weight a month: batches of 100 records in 100 months
    ]
    assert api.post("/me/import", {"schema_version": 1, "weights": weights}, token=user.token).status == 200
    totals.poll()
    kept = stored_totals(local_aws, user)
    assert sum(1 for key in kept if key.startswith("STATS#weights#")) == 120
    assert kept == recounted(local_aws, user)


def test_the_open_task_counter_keeps_the_dates_to_come_not_a_key_a_day_of_the_history(api, user, local_aws, totals):
    past = [f"2025-0{month}-1{day}" for month in range(1, 7) for day in range(3)]  # 18 dates long gone
    tasks = [created(api.post("/tasks", {"title": "old", "due_date": day}, token=user.token)) for day in past]
    created(api.post("/tasks", {"title": "plan", "due_date": "2099-01-01"}, token=user.token))
    assert totals.poll() > 0

    counter = stored_totals(local_aws, user)["STATS#open"]
    # The past dates added up in one count (before every reader's today), the date to come kept.
    assert {name: value for name, value in counter.items() if name.startswith("d_")} == {
        "d_0000-00-00": 18,
        "d_2099-01-01": 1,
    }
    assert counter == recounted(local_aws, user)["STATS#open"]
    first_day = summary(api, user, "2025-01-01", "2025-01-31")["tasks"]
    assert first_day["open"] == 19 and first_day["overdue"] == 18

    # A past task done, another re-dated to a past date: the folded count follows, still exact.
    assert api.patch(f"/tasks/{tasks[0]['id']}", {"done": True}, token=user.token).status == 200
    assert api.patch(f"/tasks/{tasks[1]['id']}", {"due_date": "2024-12-31"}, token=user.token).status == 200
    assert totals.poll() > 0
    kept = stored_totals(local_aws, user)
    assert kept["STATS#open"]["d_0000-00-00"] == 17 and kept["STATS#open"]["open"] == 18
    assert kept == recounted(local_aws, user)
    assert summary(api, user, "2025-01-01", "2025-01-31")["tasks"]["overdue"] == 17


def test_a_stage_with_months_in_the_old_form_is_converted_by_the_rebuild_command(api, user, local_aws, totals):
    """A stage deployed before the packed form has only the `e_<id>` month items: the summary reads
    the packed ones, which `devtools.rebuild_stats` writes (docs/deploy.md); a month the stream
    touches meanwhile is packed whole from its month item."""
    from devtools import rebuild_stats

    history(api, user)
    totals.poll()
    right = stored_totals(local_aws, user)
    before = summary(api, user, "2026-01-01", "2026-02-28")
    client = local_aws.client("dynamodb")
    partition = {"S": home_partition(user.user_id)}
    packed = [key for key in right if key.startswith("STATS#packed-")]
    assert sorted(packed) == ["STATS#packed-weights#2026-01", "STATS#packed-workouts#2026-01"]
    for key in packed:  # the old form: the month items alone
        client.delete_item(TableName=TABLE, Key={"PK": partition, "SK": {"S": key}})
    assert summary(api, user, "2026-01-01", "2026-02-28")["weight"]["entries"] == 0

    created(
        api.post("/weights", {"measured_at": "2026-01-25", "weight": {"value": 78, "unit": "kg"}}, token=user.token)
    )
    totals.poll()
    assert summary(api, user, "2026-01-01", "2026-02-28")["weight"]["entries"] == 3  # January's, whole
    assert summary(api, user, "2026-01-01", "2026-02-28")["workouts"]["count"] == 0  # not touched yet

    assert rebuild_stats.main(["--table", TABLE, "--user", user.user_id]) == 0
    after = summary(api, user, "2026-01-01", "2026-02-28")
    assert after["workouts"] == before["workouts"] and after["weight"]["entries"] == 3
    assert stored_totals(local_aws, user) == recounted(local_aws, user)


def test_the_stream_goes_on_packing_a_month_after_a_rebuild(api, user, local_aws, totals):
    """The rebuild numbers its month items above any version the stream gave; the stream's next
    change counts on from there, so its packed form is written (not refused as older)."""
    history(api, user)
    totals.poll()
    deps.stats().rebuild(user.user_id)
    created(
        api.post("/weights", {"measured_at": "2026-01-25", "weight": {"value": 78, "unit": "kg"}}, token=user.token)
    )
    totals.poll()
    assert summary(api, user, "2026-01-01", "2026-01-31")["weight"]["entries"] == 3
    kept = stored_totals(local_aws, user)
    assert kept == recounted(local_aws, user)


def test_a_packed_month_made_of_an_older_version_does_not_overwrite_a_newer_one(api, user, local_aws, totals):
    """A refresh that read the month item before a later change (or a rebuild) loses: the packed
    form carries the version it was made of, and a write of an older one is refused."""
    from chalicelib.domains.stats.store import RollupStore, pack

    history(api, user)
    totals.poll()
    client = local_aws.client("dynamodb")
    key = {"PK": {"S": home_partition(user.user_id)}, "SK": {"S": "STATS#packed-weights#2026-01"}}
    newer = {"at": "2026-01-05T07:00:00.000Z", "weight_kg": 70}
    client.put_item(TableName=TABLE, Item={**key, "p": {"B": pack("2026-01", [newer])}, "ver": {"N": str(10**15)}})
    RollupStore(client, TABLE)._refresh(user.user_id, "weights", "2026-01")
    assert summary(api, user, "2026-01-01", "2026-01-31")["weight"]["entries"] == 1  # the newer form stayed
    deps.stats().rebuild(user.user_id)
    assert summary(api, user, "2026-01-01", "2026-01-31")["weight"]["entries"] == 2


def test_week_counts_written_before_their_moments_were_packed_still_read(api, user, local_aws, totals):
    """`bandz` (the moments near a week's turn, packed) replaced `band` (a list): a stage's week
    counts in the list form give the same streak."""
    from datetime import date, timedelta

    from chalicelib.domains.stats.store import unpack

    api.put("/me/preferences", {"timezone": "Pacific/Kiritimati", "weekly_workout_goal": 1}, token=user.token)
    for week in range(13):  # Sunday 22:30 UTC: Monday in Kiritimati, through the range's own week
        sunday = date(2025, 8, 31) + timedelta(weeks=week)
        workout = {"started_at": f"{sunday}T22:30:00Z", "duration_min": 30, "type": "cardio", "title": "Turn"}
        created(api.post("/workouts", workout, token=user.token))
    totals.poll()
    packed = summary(api, user, "2025-11-24", "2025-11-30")["workouts"]["current_streak_weeks"]
    assert packed == 13
    client = local_aws.client("dynamodb")
    weeks = client.query(
        TableName=TABLE,
        KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
        ExpressionAttributeValues={":pk": {"S": home_partition(user.user_id)}, ":prefix": {"S": "STATS#weeks#"}},
    )["Items"]
    assert weeks and all("bandz" in item for item in weeks)
    for item in weeks:
        moments = [entry["at"] for entry in unpack(item["SK"]["S"][-7:], bytes(item.pop("bandz")["B"]))]
        client.put_item(TableName=TABLE, Item={**item, "band": {"L": [{"S": moment} for moment in moments]}})
    assert summary(api, user, "2025-11-24", "2025-11-30")["workouts"]["current_streak_weeks"] == packed

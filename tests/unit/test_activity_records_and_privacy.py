"""The activities API's pure parts: the personal records kept from the stream, and the ends of a
track hidden from anyone but its owner."""

from decimal import Decimal

from chalicelib.domains.activities import records
from chalicelib.domains.activities.activity import TrackPoint
from chalicelib.domains.activities.service import geojson, without_ends


def run(workout_id: str, five_k: float, distance: float = 5000, day: int = 1) -> tuple[str, dict]:
    return workout_id, {
        "id": workout_id,
        "started_at": f"2026-01-{day:02d}T07:00:00Z",
        "best_efforts": {"5k": Decimal(str(five_k))},
        "distance_m": Decimal(str(distance)),
    }


def test_the_fastest_holds_the_record_and_its_deletion_hands_it_to_the_next():
    held: dict = {}
    for workout_id, workout in (run("a", 1500), run("b", 1400, day=2), run("c", 1600, day=3)):
        held, unknown = records.apply(held, workout_id, workout)
        assert not unknown

    assert records.shown(held)[0] == {
        "name": "5k",
        "value": Decimal("1400"),
        "unit": "s",
        "workout_id": "b",
        "started_at": "2026-01-02T07:00:00Z",
    }
    held, unknown = records.apply(held, "b", None)
    assert not unknown and records.shown(held)[0]["workout_id"] == "a"


def test_a_change_applied_twice_changes_nothing():
    once, _ = records.apply({}, *run("a", 1500))
    twice, _ = records.apply(once, *run("a", 1500))

    assert once == twice


def test_a_record_is_unknown_only_when_every_kept_entry_of_an_incomplete_list_is_gone():
    held: dict = {}
    for index in range(records.KEEP + 1):
        held, _ = records.apply(held, *run(f"w{index}", 1500 + index, day=index + 1))
    assert held["5k"]["complete"] is False
    for index in range(records.KEEP - 1):
        held, unknown = records.apply(held, f"w{index}", None)
        assert not unknown

    held, unknown = records.apply(held, f"w{records.KEEP - 1}", None)

    assert unknown and "5k" not in [item["name"] for item in records.shown(held)]
    rebuilt = records.rebuilt([run(f"w{records.KEEP}", 1500 + records.KEEP)[1]])
    assert records.shown(rebuilt)[0]["workout_id"] == f"w{records.KEEP}"


def test_a_best_edited_worse_leaves_an_incomplete_list_rather_than_outrank_workouts_it_cannot_see():
    held: dict = {}
    for index in range(records.KEEP + 1):  # w5 (1505 s) falls off the kept five
        held, _ = records.apply(held, *run(f"w{index}", 1500 + index, day=index + 1))

    held, _ = records.apply(held, *run("w0", 1600, day=1))  # the best, edited to slower than w5

    assert [entry["workout_id"] for entry in held["5k"]["entries"]] == ["w1", "w2", "w3", "w4"]
    for index in range(1, records.KEEP):
        held, unknown = records.apply(held, f"w{index}", None)
    # w5 (unseen) beats w0 now: the record is unknown and rebuilt, never w0's.
    assert unknown and "5k" not in [item["name"] for item in records.shown(held)]


def test_a_slower_run_joins_an_incomplete_list_only_ahead_of_its_last_entry():
    held: dict = {}
    for index in range(records.KEEP + 1):
        held, _ = records.apply(held, *run(f"w{index}", 1500 + index, day=index + 1))
    held, _ = records.apply(held, "w0", None)  # four kept; w5 (unseen) is 1505 s

    held, _ = records.apply(held, *run("slow", 1700, day=20))
    assert "slow" not in [entry["workout_id"] for entry in held["5k"]["entries"]]
    held, _ = records.apply(held, *run("quick", 1450, day=21))
    assert records.shown(held)[0]["workout_id"] == "quick"


def test_records_survive_a_jobs_json_continuation():
    held, _ = records.apply({}, *run("a", 1500.5))

    assert records.loaded(records.dumped(held)) == held


def meridian(points: int) -> dict:
    """Points 11.1 m apart due north."""
    return geojson([TrackPoint(None, 45 + 0.0001 * index, 0.0, 100.0, None, None) for index in range(points)])


def test_the_ends_of_a_shared_track_are_hidden_by_the_owners_distance():
    feature = meridian(101)  # 1.1 km

    shared = without_ends(feature, 200)

    coordinates = shared["geometry"]["coordinates"]
    assert len(coordinates) == len(shared["properties"]["times"])
    assert coordinates[0][1] > 45 + 0.0001 * 17  # nothing within 200 m of the start ...
    assert coordinates[-1][1] < 45 + 0.0001 * (100 - 17)  # ... nor of the end
    assert shared["properties"]["hidden_ends_m"] == 200


def test_no_hidden_distance_shows_the_whole_track():
    feature = meridian(20)

    assert without_ends(feature, 0) == feature

"""Activity files (issue 28): POST /workouts/files makes a workout with the file's figures, its
track in the bucket under the owner's prefix; the same file twice is the same workout; every bad
file is a 4xx with nothing written; the track and the GPX are the owner's alone; personal records
follow workouts added, edited and deleted (from the table's stream)."""

from __future__ import annotations

import datetime
import io
import json
import urllib.request
import uuid
import zipfile
from pathlib import Path

import pytest

from chalicelib.config import settings
from chalicelib.repositories.dynamo import home_partition
from tests.conftest import LOCAL_TABLE

GPX = "application/gpx+xml"
START = datetime.datetime(2026, 1, 5, 7, 0, tzinfo=datetime.UTC)
STEP_DEG = 0.0001  # along a meridian: 11.12 m a step
STEP_S = 4  # 2.8 m/s: a 6 min/km run


def gpx(
    points: int = 500, start: datetime.datetime = START, sport: str = "running", name: str = "Morning run"
) -> bytes:
    """A run due north along the prime meridian, one point every 4 s, climbing 0.1 m a point."""
    rows = []
    for index in range(points):
        moment = (start + datetime.timedelta(seconds=STEP_S * index)).strftime("%Y-%m-%dT%H:%M:%SZ")
        rows.append(
            f'<trkpt lat="{45 + STEP_DEG * index:.6f}" lon="0.000000"><ele>{100 + index * 0.1:.1f}</ele>'
            f"<time>{moment}</time></trkpt>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<gpx version="1.1" creator="Stride tests" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><name>{name}</name><type>{sport}</type><trkseg>{''.join(rows)}</trkseg></trk></gpx>"
    ).encode()


def upload(api, user, data: bytes, media_type: str = GPX):
    return api.request("POST", "/workouts/files", token=user.token, raw=data, headers={"Content-Type": media_type})


def uploaded(api, user, data: bytes | None = None):
    answer = upload(api, user, data if data is not None else gpx())
    assert answer.status == 201, answer.body
    return answer.body


def raw_get(api, user, path: str, accept: str = GPX):
    return api._client.http.get(path, headers={"Authorization": user.token, "Accept": accept})


def partition_items(local_aws, user_id: str) -> list[str]:
    answer = local_aws.client("dynamodb").query(
        TableName=LOCAL_TABLE,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": home_partition(user_id)}},
        ConsistentRead=True,
    )
    return sorted(item["SK"]["S"] for item in answer["Items"])


def objects(local_aws, user_id: str) -> list[str]:
    answer = local_aws.client("s3").list_objects_v2(
        Bucket=settings().media_bucket, Prefix=f"users/personal-{user_id}/{user_id}/"
    )
    return sorted(entry["Key"] for entry in answer.get("Contents", []))


# The upload


def test_a_gpx_file_becomes_a_workout_with_its_figures(api, user):
    workout = uploaded(api, user)

    assert workout["sport"] == "running"
    assert workout["type"] == "cardio"
    assert workout["title"] == "Morning run"
    assert workout["started_at"].startswith("2026-01-05T07:00:00")
    assert workout["elapsed_time_s"] == 499 * STEP_S
    assert workout["duration_min"] == round(499 * STEP_S / 60)
    assert workout["distance_m"] == pytest.approx(499 * 11.1195, rel=0.005)
    assert workout["source"] == {"format": "gpx", "device": "Stride tests"}
    assert [round(split["distance_m"]) for split in workout["splits"]][:5] == [1000] * 5
    assert workout["exercises"] == []
    assert "track" not in workout and "file_sha256" not in workout and "best_efforts" not in workout


def test_splits_follow_the_persons_units(api, user):
    assert api.put("/me/preferences", {"units": "imperial"}, token=user.token).status == 200

    workout = uploaded(api, user)

    assert [round(split["distance_m"]) for split in workout["splits"]][:3] == [1609] * 3


def test_the_file_workout_is_listed_read_and_edited_like_any_other(api, user):
    workout = uploaded(api, user)

    listed = api.get("/workouts", token=user.token).body["items"]
    assert [item["id"] for item in listed] == [workout["id"]]
    assert api.get(f"/workouts/{workout['id']}", token=user.token).body == workout
    stale = api.patch(f"/workouts/{workout['id']}", {"title": "x"}, token=user.token, headers={"If-Match": "9"})
    assert stale.status == 412
    edited = api.patch(f"/workouts/{workout['id']}", {"title": "Tempo"}, token=user.token, headers={"If-Match": "1"})
    assert edited.status == 200, edited.body
    assert (edited.body["title"], edited.body["distance_m"], edited.body["version"]) == (
        "Tempo",
        workout["distance_m"],
        2,
    )


def test_the_same_file_twice_is_the_same_workout(api, user, local_aws):
    first = uploaded(api, user)
    written = (partition_items(local_aws, user.user_id), objects(local_aws, user.user_id))

    again = upload(api, user, gpx())

    assert (again.status, again.body["id"]) == (200, first["id"])
    assert (partition_items(local_aws, user.user_id), objects(local_aws, user.user_id)) == written


def test_another_persons_same_file_is_their_own_workout(api, user, other_user):
    mine = uploaded(api, user)
    theirs = uploaded(api, other_user)

    assert theirs["id"] != mine["id"]


def test_the_track_and_the_original_gpx_are_kept_in_the_owners_prefix_not_in_the_item(api, user, local_aws):
    workout = uploaded(api, user)

    prefix = f"users/personal-{user.user_id}/{user.user_id}/activities/{workout['id']}/"
    assert objects(local_aws, user.user_id) == [f"{prefix}track.gpx", f"{prefix}track.json"]
    item = local_aws.client("dynamodb").get_item(
        TableName=LOCAL_TABLE, Key={"PK": {"S": home_partition(user.user_id)}, "SK": {"S": f"WORKOUT#{workout['id']}"}}
    )["Item"]
    assert len(str(item)) < 10_000  # the figures, not 500 points


def test_a_manual_workout_may_carry_a_distance_and_a_sport(api, user):
    body = {"started_at": "2026-01-05", "duration_min": 30, "type": "cardio", "title": "Row"}
    answer = api.post("/workouts", {**body, "distance_m": 5000.5, "sport": "other"}, token=user.token)

    assert answer.status == 201, answer.body
    assert (answer.body["distance_m"], answer.body["sport"]) == (5000.5, "other")
    assert "source" not in answer.body


# The track and the GPX


def test_the_track_is_a_geojson_feature_with_its_times(api, user):
    workout = uploaded(api, user)

    answer = api.get(f"/workouts/{workout['id']}/track", token=user.token)

    assert answer.status == 200, answer.body
    feature = answer.body
    assert (feature["type"], feature["geometry"]["type"]) == ("Feature", "LineString")
    coordinates = feature["geometry"]["coordinates"]
    assert 2 <= len(coordinates) <= 1000
    assert coordinates[0] == [0.0, 45.0, 100.0]
    assert coordinates[-1][1] == pytest.approx(45 + STEP_DEG * 499)
    times = feature["properties"]["times"]
    assert len(times) == len(coordinates)
    assert (times[0], feature["properties"]["hidden_ends_m"]) == ("2026-01-05T07:00:00Z", 0)


def test_the_gpx_is_the_file_as_it_was_uploaded(api, user):
    data = gpx()
    workout = uploaded(api, user, data)

    response = raw_get(api, user, f"/workouts/{workout['id']}/gpx")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == GPX
    assert response.body == data


@pytest.mark.parametrize("path", ["/workouts/{id}/track", "/workouts/{id}/gpx"])
def test_another_persons_track_is_not_found(api, user, other_user, path):
    workout = uploaded(api, user)

    answer = api.get(path.format(id=workout["id"]), token=other_user.token)

    assert (answer.status, answer.body["error"]["code"]) == (404, "not_found")


@pytest.mark.parametrize("path", ["/workouts/{id}/track", "/workouts/{id}/gpx"])
def test_a_workout_without_a_file_has_no_track(api, user, path):
    body = {"started_at": "2026-01-05", "duration_min": 30, "type": "cardio", "title": "Row"}
    workout = api.post("/workouts", body, token=user.token).body

    answer = api.get(path.format(id=workout["id"]), token=user.token)

    assert (answer.status, answer.body["error"]["code"]) == (404, "no_track")


@pytest.mark.parametrize("path", ["/workouts/{id}/track", "/workouts/{id}/gpx"])
def test_an_unknown_workouts_track_is_not_found(api, user, path):
    answer = api.get(path.format(id="not-an-id"), token=user.token)

    assert answer.status == 404


# Bad files: a clear 4xx, nothing written

BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><gpx version="1.1"><trk><name>&c;</name></trk></gpx>'
)
EXTERNAL = (
    b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<gpx version="1.1"><trk><name>&x;</name></trk></gpx>'
)


@pytest.mark.parametrize(
    ("data", "media_type", "status"),
    [
        (b"not xml at all", GPX, 400),
        (b"<gpx version='1.1'></gpx>", GPX, 400),
        (BOMB, GPX, 400),
        (EXTERNAL, GPX, 400),
        (gpx().replace(b"2026-01-05T07:00:04Z", b"2026-01-05T06:00:04Z"), GPX, 400),
        (gpx().replace(b'lat="45.000100"', b'lat="95.000100"'), GPX, 400),
        (b"\x0e\x10\x00\x00\x00\x00\x00\x00.FIT\x00\x00", "application/vnd.ant.fit", 400),
        (b"<TrainingCenterDatabase/>", "application/vnd.garmin.tcx+xml", 400),
        (gpx(), "application/octet-stream", 415),
        (b"", GPX, 400),
        (b"x" * (4 * 1024 * 1024 + 1), GPX, 413),
    ],
    ids=[
        "not-xml",
        "no-points",
        "xml-bomb",
        "external-entity",
        "backwards",
        "out-of-range",
        "bad-fit",
        "bad-tcx",
        "wrong-type",
        "empty",
        "too-large",
    ],
)
def test_a_bad_file_is_refused_and_nothing_is_written(api, user, local_aws, data, media_type, status):
    before = (partition_items(local_aws, user.user_id), objects(local_aws, user.user_id))

    answer = upload(api, user, data, media_type)

    assert answer.status == status, answer.body
    assert answer.body["error"]["message"]
    assert (partition_items(local_aws, user.user_id), objects(local_aws, user.user_id)) == before


def test_the_upload_needs_a_token(api):
    answer = api.request("POST", "/workouts/files", raw=gpx(), headers={"Content-Type": GPX})

    assert answer.status == 401


# Personal records, from the table's stream


def records(api, user):
    answer = api.get("/me/records", token=user.token)
    assert answer.status == 200, answer.body
    return {item["name"]: item for item in answer.body["items"]}


def test_records_start_empty(api, user):
    assert api.get("/me/records", token=user.token).body == {"items": [], "updated_at": None}


def test_a_run_sets_the_records_it_covers_naming_its_workout(api, user, totals):
    workout = uploaded(api, user)
    totals.poll()

    held = records(api, user)

    assert sorted(held) == ["1k", "1mile", "5k", "biggest_climb", "longest_distance"]
    assert held["1k"]["workout_id"] == workout["id"]
    assert held["1k"]["value"] == pytest.approx(1000 / 11.1195 * STEP_S, rel=0.01)
    assert held["1k"]["unit"] == "s"
    assert (held["longest_distance"]["value"], held["longest_distance"]["unit"]) == (workout["distance_m"], "m")


def test_a_faster_run_takes_the_record_and_deleting_it_gives_it_back(api, user, totals):
    slow = uploaded(api, user)
    fast = uploaded(api, user, gpx(points=300, start=START + datetime.timedelta(days=1)).replace(b"<time>", b"<time>"))
    totals.poll()
    assert records(api, user)["longest_distance"]["workout_id"] == slow["id"]

    assert api.request("DELETE", f"/workouts/{slow['id']}", token=user.token).status == 204
    totals.poll()

    assert records(api, user)["longest_distance"]["workout_id"] == fast["id"]
    assert "5k" not in records(api, user)  # the shorter run never covered 5 km


def test_an_edited_manual_distance_moves_the_longest_distance(api, user, totals):
    run = uploaded(api, user)
    body = {"started_at": "2026-01-06", "duration_min": 300, "type": "cardio", "title": "Ride", "distance_m": 100}
    ride = api.post("/workouts", body, token=user.token).body
    totals.poll()
    assert records(api, user)["longest_distance"]["workout_id"] == run["id"]

    assert api.patch(f"/workouts/{ride['id']}", {"distance_m": 80_000}, token=user.token).status == 200
    totals.poll()

    assert records(api, user)["longest_distance"]["workout_id"] == ride["id"]


def test_deleting_every_kept_best_rebuilds_the_record_in_the_background(api, user, totals, background):
    from chalicelib.domains.activities.records import KEEP

    workouts = [
        uploaded(api, user, gpx(points=200 + 10 * index, start=START + datetime.timedelta(days=index)))
        for index in range(KEEP + 2)
    ]
    totals.poll()
    longest = sorted(workouts, key=lambda workout: -workout["distance_m"])
    for workout in longest[:KEEP]:
        assert api.request("DELETE", f"/workouts/{workout['id']}", token=user.token).status == 204
    totals.poll()
    assert "longest_distance" not in records(api, user)  # unknown until the rebuild has read them all

    background.drain()

    assert records(api, user)["longest_distance"]["workout_id"] == longest[KEEP]["id"]


def test_a_deleted_workouts_track_goes_and_its_file_may_come_again(api, user, local_aws, totals):
    workout = uploaded(api, user)
    assert api.request("DELETE", f"/workouts/{workout['id']}", token=user.token).status == 204

    totals.poll()

    assert objects(local_aws, user.user_id) == []
    assert not [key for key in partition_items(local_aws, user.user_id) if key.startswith("ACTIVITY#file#")]
    again = upload(api, user, gpx())
    assert again.status == 201 and again.body["id"] != workout["id"]


def test_a_file_whose_workout_was_deleted_before_the_stream_ran_makes_a_new_workout(api, user):
    workout = uploaded(api, user)
    assert api.request("DELETE", f"/workouts/{workout['id']}", token=user.token).status == 204

    again = upload(api, user, gpx())

    assert again.status == 201 and again.body["id"] != workout["id"]
    assert upload(api, user, gpx()).body["id"] == again.body["id"]


# The person's data


def test_deleting_the_account_deletes_the_tracks(api, user, local_aws, background):
    uploaded(api, user)
    assert objects(local_aws, user.user_id)

    assert api.request("DELETE", "/me", token=user.token).status == 202
    background.drain()

    assert objects(local_aws, user.user_id) == []
    assert partition_items(local_aws, user.user_id) == []


def _location(answer) -> str:
    return next(value for name, value in answer.headers.items() if name.lower() == "location")


def _download(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def exported(api, user, background):
    """The background export: its status once ready, the document, and the zip of tracks."""
    answer = api.get("/me/export", token=user.token)
    assert answer.status == 202, answer.body  # tracks are files: the worker carries them, never the request
    background.drain()
    ready = api.get(_location(answer), token=user.token).body
    assert ready["status"] == "ready", ready
    document = json.loads(_download(ready["download_url"]))
    return ready, document, zipfile.ZipFile(io.BytesIO(_download(ready["tracks"]["download_url"])))


FIGURES = ("distance_m", "moving_time_s", "elapsed_time_s", "elevation_gain_m", "splits", "source", "sport")


def test_the_export_carries_each_track_as_a_gpx_file_named_by_date_and_title(api, user, other_user, background):
    files = [gpx(), gpx(points=400), gpx(points=300, start=START + datetime.timedelta(days=1), name="Évening Run!")]
    mine = [uploaded(api, user, data) for data in files]
    gone = uploaded(api, user, gpx(points=200, start=START + datetime.timedelta(days=2)))
    assert api.request("DELETE", f"/workouts/{gone['id']}", token=user.token).status == 204
    theirs = uploaded(api, other_user, gpx(points=250, name="Their secret run"))
    manual = {"started_at": "2026-01-07", "duration_min": 30, "type": "cardio", "title": "By hand"}
    assert api.post("/workouts", manual, token=user.token).status == 201

    ready, document, archive = exported(api, user, background)

    assert sorted(archive.namelist()) == [
        "tracks/2026-01-05-morning-run-2.gpx",
        "tracks/2026-01-05-morning-run.gpx",
        "tracks/2026-01-06-evening-run.gpx",
    ]
    assert ready["tracks"]["files"] == 3 and ready["tracks"]["size_bytes"] > 0
    by_workout = {entry["workout_id"]: entry["file"] for entry in document["tracks"]}
    assert set(by_workout) == {workout["id"] for workout in mine}  # the manual workout has no track
    for workout, data in zip(mine, files, strict=True):
        assert archive.read(by_workout[workout["id"]]) == data  # a GPX leaves as it came in
    assert theirs["id"] not in by_workout
    assert not any(b"Their secret run" in archive.read(name) for name in archive.namelist())


def test_a_fit_files_track_is_exported_as_the_gpx_made_from_it(api, user, background):
    data = Path(__file__).resolve().parents[1] / "fixtures" / "activities" / "real" / "garmin-fenix-5-run.fit"
    answer = upload(api, user, data.read_bytes(), "application/vnd.ant.fit")
    assert answer.status == 201, answer.body
    workout = answer.body

    _, document, archive = exported(api, user, background)

    (entry,) = document["tracks"]
    assert entry["workout_id"] == workout["id"] and entry["file"].endswith(".gpx")
    assert archive.read(entry["file"]) == raw_get(api, user, f"/workouts/{workout['id']}/gpx").body


def test_export_delete_and_import_keeps_the_figures_and_the_gpx_brings_the_track_back(
    api, user, other_user, background, totals
):
    workout = uploaded(api, user)
    _, document, archive = exported(api, user, background)
    record = next(item for item in document["workouts"] if item["id"] == workout["id"])
    assert "file_sha256" not in record and "track" not in record
    assert api.request("DELETE", f"/workouts/{workout['id']}", token=user.token).status == 204
    totals.poll()

    answer = api.post("/me/import", document, token=user.token)

    assert answer.status == 200, answer.body
    imported = api.get(f"/workouts/{workout['id']}", token=user.token).body
    assert {key: imported[key] for key in FIGURES} == {key: workout[key] for key in FIGURES}
    # The import is a JSON document: it brings the figures, not the track (docs/activities.md).
    assert api.get(f"/workouts/{workout['id']}/track", token=user.token).body["error"]["code"] == "no_track"
    # The track comes back as it came in: its GPX from the zip, uploaded, is the same route and figures.
    again = uploaded(api, other_user, archive.read(document["tracks"][0]["file"]))
    assert {key: again[key] for key in FIGURES} == {key: workout[key] for key in FIGURES}
    assert api.get(f"/workouts/{again['id']}/track", token=other_user.token).status == 200


def test_an_account_without_tracks_is_still_exported_at_once(api, user):
    manual = {"started_at": "2026-01-07", "duration_min": 30, "type": "cardio", "title": "By hand"}
    assert api.post("/workouts", manual, token=user.token).status == 201
    answer = api.get("/me/export", token=user.token)
    assert answer.status == 200 and "tracks" not in answer.body


# The other formats, from real devices and the fixtures' bike computer

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "activities" / "real"


def test_a_watchs_fit_file_becomes_a_workout_its_gpx_made_from_it_its_bytes_kept(api, user, local_aws):
    data = (REAL / "garmin-fenix-5-run.fit").read_bytes()

    answer = upload(api, user, data, "application/vnd.ant.fit")

    assert answer.status == 201, answer.body
    workout = answer.body
    assert (workout["sport"], workout["source"]["format"]) == ("running", "fit")
    assert workout["distance_m"] > 0 and workout["avg_heart_rate"] > 0
    prefix = f"users/personal-{user.user_id}/{user.user_id}/activities/{workout['id']}/"
    assert objects(local_aws, user.user_id) == [f"{prefix}source.fit", f"{prefix}track.gpx", f"{prefix}track.json"]
    served = raw_get(api, user, f"/workouts/{workout['id']}/gpx")
    assert served.status_code == 200 and served.body.startswith(b"<?xml") and b"<trkpt" in served.body


def test_a_bike_computers_tcx_file_becomes_a_ride(api, user):
    from tests.fixtures.activities import files, make, tracks

    data = files.tcx(tracks.realistic(**make.RIDE))

    answer = upload(api, user, data, "application/vnd.garmin.tcx+xml")

    assert answer.status == 201, answer.body
    assert (answer.body["sport"], answer.body["source"]) == ("cycling", {"format": "tcx", "device": "Edge 530"})
    assert answer.body["moving_time_s"] < answer.body["elapsed_time_s"]  # the ride's pause


@pytest.mark.parametrize("name", ["activity-filecrc.fit", "activity-unexpected-eof.fit"])
def test_a_broken_fit_file_is_refused_and_nothing_is_written(api, user, local_aws, name):
    before = (partition_items(local_aws, user.user_id), objects(local_aws, user.user_id))

    answer = upload(api, user, (REAL / name).read_bytes(), "application/vnd.ant.fit")

    assert answer.status == 400, answer.body
    assert (partition_items(local_aws, user.user_id), objects(local_aws, user.user_id)) == before


# A larger file: uploaded to the bucket first, made a workout in the background


def uploaded_media(api, user, data: bytes, media_type: str = GPX) -> str:
    from tests.uploads import ready_media

    return ready_media(api, user, content=data, purpose="activity", content_type=media_type)


def test_an_uploaded_file_becomes_a_workout_in_the_background(api, user, background):
    media_id = uploaded_media(api, user, gpx())

    answer = api.post("/workouts/files", {"media_id": media_id}, token=user.token)

    assert answer.status == 202, answer.body
    location = answer.headers["Location"]
    assert location == f"/workouts/files/{media_id}"
    assert api.get(location, token=user.token).body["status"] == "processing"
    background.drain()
    state = api.get(location, token=user.token).body
    assert state["status"] == "done", state
    workout = api.get(f"/workouts/{state['workout_id']}", token=user.token).body
    assert workout["source"]["format"] == "gpx" and workout["distance_m"] > 5000
    assert api.post("/workouts/files", {"media_id": media_id}, token=user.token).body["status"] == "done"
    assert upload(api, user, gpx()).body["id"] == workout["id"]  # the same file, sent inline: the same workout


def test_an_uploaded_bad_file_fails_with_the_error_the_route_would_have_answered(api, user, background, local_aws):
    media_id = uploaded_media(api, user, b"<gpx version='1.1'></gpx>")
    answer = api.post("/workouts/files", {"media_id": media_id}, token=user.token)
    assert answer.status == 202
    workouts_before = [key for key in partition_items(local_aws, user.user_id) if key.startswith("WORKOUT#")]

    background.drain()

    state = api.get(answer.headers["Location"], token=user.token).body
    assert (state["status"], state["error"]["code"]) == ("failed", "no_track_points")
    assert [key for key in partition_items(local_aws, user.user_id) if key.startswith("WORKOUT#")] == workouts_before


def test_an_upload_for_another_purpose_or_another_person_is_not_found(api, user, other_user):
    from tests.uploads import ready_media

    picture = ready_media(api, user)
    theirs = uploaded_media(api, other_user, gpx())

    for media_id in (picture, theirs, "01KAAAAAAAAAAAAAAAAAAAAAAA"):
        answer = api.post("/workouts/files", {"media_id": media_id}, token=user.token)
        assert answer.status == 404, answer.body
    assert api.get(f"/workouts/files/{theirs}", token=user.token).status == 404


@pytest.mark.parametrize("body", [{}, {"media_id": 3}, {"media_id": "x", "more": 1}, ["x"]])
def test_a_reference_that_is_not_just_a_media_id_is_refused(api, user, body):
    answer = api.post("/workouts/files", body, token=user.token)

    assert answer.status == 400, answer.body


@pytest.mark.parametrize("media_id", ["x" * 1100, "../01KAAAAAAAAAAAAAAAAAAAAAAA", "01kaaaaaaaaaaaaaaaaaaaaaaa"])
def test_a_media_id_that_is_no_id_is_not_found_never_looked_up(api, user, media_id):
    # A 1,100-character id made a key over DynamoDB's limit: a 500.
    answer = api.post("/workouts/files", {"media_id": media_id}, token=user.token)

    assert answer.status == 404, answer.body


def test_an_activity_upload_must_look_like_its_type(api, user):
    from tests.uploads import upload as start_upload

    media_id = start_upload(api, user, content=b"\x89PNG\r\n\x1a\n" + b"0" * 20, purpose="activity", content_type=GPX)

    answer = api.post(f"/media/{media_id}/complete", token=user.token)

    assert (answer.status, answer.body["error"]["code"]) == (422, "upload_rejected")


def test_the_same_file_sent_four_times_at_once_is_one_workout(api, user, local_aws):
    from concurrent.futures import ThreadPoolExecutor

    data = gpx(points=120)
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: upload(api, user, data), range(4)))

    assert sorted(answer.status for answer in answers) == [200, 200, 200, 201]
    assert len({answer.body["id"] for answer in answers}) == 1
    assert len([key for key in partition_items(local_aws, user.user_id) if key.startswith("WORKOUT#")]) == 1
    assert len(objects(local_aws, user.user_id)) == 2  # the losers' objects were deleted


# A coach's view: the workout a shared program's session was done with, its ends hidden

ANSWERS = {"push_ups": 12, "squats_in_60s": 30, "plank_seconds": 45, "active_days": "1-2", "jog_10_minutes": True}


def zigzag(points: int = 400) -> bytes:
    """A run north that swings 80 m east and back every 20 points: the simplified track keeps its turns."""
    rows = []
    for index in range(points):
        moment = (START + datetime.timedelta(seconds=STEP_S * index)).strftime("%Y-%m-%dT%H:%M:%SZ")
        lon = 0.001 * abs((index % 20) - 10) / 10
        rows.append(f'<trkpt lat="{45 + STEP_DEG * index:.6f}" lon="{lon:.6f}"><time>{moment}</time></trkpt>')
    return (
        '<?xml version="1.0" encoding="UTF-8"?><gpx version="1.1" creator="Stride tests" '
        'xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><name>Zigzag</name><trkseg>{''.join(rows)}</trkseg></trk></gpx>"
    ).encode()


@pytest.fixture
def coached(api, users, tenants):
    """A member of a business who shares their programs, did session 1 of theirs with a file's
    workout, and a coach of that business."""
    business = f"gym-{uuid.uuid4().hex[:10]}"
    member, coach = tenants(2, business)
    users.join(business, member, "member")
    users.grant(coach, role="coach")
    users.join(business, coach, "coach")
    assert api.put("/me/sharing", {"coach_access": True}, token=member.token).status == 200
    program = api.post("/assessments/baseline/submissions", {"answers": ANSWERS}, token=member.token).body["program"]
    workout = uploaded(api, member, zigzag())
    done = api.post(f"/programs/{program['id']}/sessions/1/complete", {"workout_id": workout["id"]}, token=member.token)
    assert done.status == 200, done.body
    path = f"/businesses/{business}/members/{member.user_id}/programs/{program['id']}/sessions/{{}}/track"
    return member, coach, path, workout


def far_from(coordinates, centre, metres) -> bool:
    from chalicelib.domains.activities.activity import TrackPoint
    from chalicelib.domains.activities.measure import distance_m

    def point(coordinate):
        return TrackPoint(None, coordinate[1], coordinate[0], None, None, None)

    return all(distance_m(point(centre), point(coordinate)) > metres for coordinate in coordinates)


def test_a_coach_sees_a_shared_sessions_track_without_its_ends(api, coached):
    member, coach, path, workout = coached
    own = api.get(f"/workouts/{workout['id']}/track", token=member.token).body

    answer = api.get(path.format(1), token=coach.token)

    assert answer.status == 200, answer.body
    shown = answer.body["geometry"]["coordinates"]
    recorded = own["geometry"]["coordinates"]
    assert answer.body["properties"]["hidden_ends_m"] == 200 and own["properties"]["hidden_ends_m"] == 0
    assert 0 < len(shown) < len(recorded)
    assert far_from(shown, recorded[0], 200) and far_from(shown, recorded[-1], 200)
    assert len(answer.body["properties"]["times"]) == len(shown)


def test_the_members_privacy_setting_sets_how_much_the_coach_does_not_see(api, coached):
    member, coach, path, _ = coached
    preferences = api.get("/me/preferences", token=member.token).body
    preferences.pop("updated_at")
    preferences["privacy"]["activity_ends_m"] = 500
    assert api.put("/me/preferences", preferences, token=member.token).status == 200

    answer = api.get(path.format(1), token=coach.token).body

    assert answer["properties"]["hidden_ends_m"] == 500
    recorded = api.get(f"/workouts/{coached[3]['id']}/track", token=member.token).body["geometry"]["coordinates"]
    assert far_from(answer["geometry"]["coordinates"], recorded[0], 500)


def test_a_session_not_done_or_done_without_a_file_has_no_track_to_show(api, coached):
    member, coach, path, _ = coached
    assert api.get(path.format(2), token=coach.token).body["error"]["code"] == "no_track"  # not done
    program_path = path.split("/programs/")[1].split("/")[0]
    assert api.post(f"/programs/{program_path}/sessions/2/complete", {}, token=member.token).status == 200
    answer = api.get(path.format(2), token=coach.token)  # done with a workout made from the session
    assert (answer.status, answer.body["error"]["code"]) == (404, "no_track")
    assert api.get(path.format(99), token=coach.token).status == 404


def test_no_share_no_track_and_a_member_may_not_ask(api, coached, users, tenants):
    member, coach, path, _ = coached
    assert api.get(path.format(1), token=member.token).status == 403  # staff only
    assert api.put("/me/sharing", {"coach_access": False}, token=member.token).status == 200
    assert api.get(path.format(1), token=coach.token).status == 404

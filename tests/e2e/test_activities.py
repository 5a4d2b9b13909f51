"""Activity files over real HTTP on the local stack of `make run`: a real GPX and a real watch's
FIT go through the gateway as bytes (binary media types), become workouts, come back as GPX and
GeoJSON, and set personal records from the stream."""

import time
import urllib.request
from pathlib import Path

from tests.e2e.test_journey import _new_user

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "activities" / "real"


def _raw_get(stack, path, token, accept):
    request = urllib.request.Request(stack.api + path, headers={"Authorization": token, "Accept": accept})
    with urllib.request.urlopen(request, timeout=15) as response:
        return response.status, response.headers.get("Content-Type"), response.read()


def _records(stack, token, within=10.0):
    deadline = time.monotonic() + within
    while True:
        items = stack.call("GET", "/me/records", token=token).body["items"]
        if items or time.monotonic() > deadline:
            return {item["name"]: item for item in items}
        time.sleep(0.2)


def test_a_person_brings_a_gpx_and_a_fit_file_and_gets_their_routes_back(stack):
    _, _, login = _new_user(stack)
    token = login["id_token"]
    gpx = (REAL / "cerknicko-jezero.gpx").read_bytes()

    created = stack.call(
        "POST", "/workouts/files", token=token, raw=gpx, headers={"Content-Type": "application/gpx+xml"}
    )

    assert created.status == 201, created.body
    workout = created.body
    assert workout["source"]["format"] == "gpx" and workout["distance_m"] > 1000
    again = stack.call("POST", "/workouts/files", token=token, raw=gpx, headers={"Content-Type": "application/gpx+xml"})
    assert (again.status, again.body["id"]) == (200, workout["id"])
    listed = stack.call("GET", "/workouts", token=token).body["items"]
    assert [item["id"] for item in listed] == [workout["id"]]

    status, content_type, body = _raw_get(stack, f"/workouts/{workout['id']}/gpx", token, "application/gpx+xml")
    assert (status, content_type, body) == (200, "application/gpx+xml", gpx)
    track = stack.call("GET", f"/workouts/{workout['id']}/track", token=token).body
    assert track["geometry"]["type"] == "LineString" and 2 <= len(track["geometry"]["coordinates"]) <= 1000

    fit = (REAL / "garmin-fenix-5-run.fit").read_bytes()
    run = stack.call(
        "POST", "/workouts/files", token=token, raw=fit, headers={"Content-Type": "application/vnd.ant.fit"}
    )
    assert run.status == 201, run.body
    assert (run.body["sport"], run.body["source"]["format"]) == ("running", "fit")

    records = _records(stack, token)
    assert records["longest_distance"]["workout_id"] in {workout["id"], run.body["id"]}

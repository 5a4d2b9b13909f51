"""GET /me/export answers at once at any size: inline while the account fits one read, otherwise
202 with a Location to poll, whose answer ends in a link to the document the worker built."""

from __future__ import annotations

import json
import urllib.request

from tests.catalog import seed_weights


def _location(answer):
    return next(value for name, value in answer.headers.items() if name.lower() == "location")


def test_a_large_export_is_accepted_built_in_the_background_and_polled_to_a_link(api, users, background, calls):
    person = users.create()
    seed_weights(person.user_id, 1_001)
    calls.clear()

    answer = api.get("/me/export", token=person.token)

    assert answer.status == 202, answer.body
    assert answer.body["status"] == "running"
    location = _location(answer)
    assert location == f"/me/export/jobs/{answer.body['id']}"
    # At once: one read of the partition, the job's status, the job queued (no read of the rest).
    assert sorted(calls.calls) == ["dynamodb.PutItem", "dynamodb.Query", "sqs.SendMessage"]
    assert api.get(location, token=person.token).body == {"id": answer.body["id"], "status": "running"}

    background.drain()

    ready = api.get(location, token=person.token)
    assert ready.status == 200 and ready.body["status"] == "ready", ready.body
    with urllib.request.urlopen(ready.body["download_url"], timeout=10) as response:
        document = json.loads(response.read())
    assert len(document["weights"]) == 1_001
    assert document["account"]["user_id"] == person.user_id
    assert ready.body["size_bytes"] > 0

    # The round trip: the document imports back into another account (in the background too: more
    # than the 500 records an import writes inside the request).
    other = users.create()
    imported = api.post("/me/import", document, token=other.token)
    assert imported.status == 202, imported.body
    background.drain()
    done = api.get(_location(imported), token=other.token).body
    assert done["status"] == "done" and done["imported"]["weights"] == 1_001, done


def test_another_persons_export_job_is_not_found(api, users, user, background):
    person = users.create()
    seed_weights(person.user_id, 1_001)
    location = _location(api.get("/me/export", token=person.token))
    background.drain()
    assert api.get(location, token=user.token).status == 404
    assert api.get("/me/export/jobs/nothing-here", token=person.token).status == 404


def test_a_small_export_stays_inline(api, user):
    answer = api.get("/me/export", token=user.token)
    assert answer.status == 200 and answer.body["schema_version"] == 1

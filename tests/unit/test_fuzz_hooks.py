"""fuzz/hooks.py keeps a schema-valid case valid where a rule is data, not shape, and never touches
an invalid one (the API's refusals of those are tested in tests/api)."""

from __future__ import annotations

import json
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from chalicelib.api.body import parse_json
from fuzz import hooks


class FakeMeta(SimpleNamespace):
    """schemathesis's case metadata: the generation mode, each component's, and the dirty flags cleared."""

    def clear_dirty(self, location: Any) -> None:
        self.cleared.append(location)


def case(
    path: str,
    *,
    positive: bool = True,
    body: Any = None,
    query: Any = None,
    media_type: str = "application/json",
    negative_header: bool = False,
) -> Any:
    from schemathesis.core.parameters import ParameterLocation

    mode = SimpleNamespace(is_positive=positive, is_negative=not positive)
    header = SimpleNamespace(mode=SimpleNamespace(is_negative=negative_header))
    return SimpleNamespace(
        meta=FakeMeta(
            generation=SimpleNamespace(mode=mode),
            components={ParameterLocation.BODY: SimpleNamespace(mode=mode), ParameterLocation.HEADER: header},
            cleared=[],
        ),
        operation=SimpleNamespace(path=path),
        body=body,
        query=query,
        media_type=media_type,
    )


def test_a_made_up_cursor_is_left_out_of_a_valid_case_and_the_rest_kept():
    mapped = hooks.map_case(None, case("/weights", query={"cursor": "forged", "limit": 5}))
    assert mapped.query == {"limit": 5}


def test_an_unknown_zone_becomes_utc_and_a_known_one_stays():
    assert hooks.map_case(None, case("/me/preferences", body={"timezone": "Ab/Cd"})).body == {"timezone": "UTC"}
    kept = hooks.map_case(None, case("/me/preferences", body={"timezone": "Etc/GMT+10"}))
    assert kept.body == {"timezone": "Etc/GMT+10"}


@pytest.mark.parametrize(
    ("query", "summary", "expected_to"),
    [
        ({"from": "2024-01-01", "to": "2023-01-01"}, False, "2024-01-01"),  # reversed
        ({"from": "2020-01-01", "to": "2024-01-01"}, False, "2020-01-01"),  # too long
        ({"from": "2024-01-01", "to": "2024-02-01"}, False, "2024-02-01"),  # fine as it is
        ({"from": "2024-01-01T00:00:00Z", "to": "2024-01-02"}, False, "2024-01-01T00:00:00Z"),  # mixed kinds
        ({"from": "1999-03-01"}, True, "1999-03-01"),  # a summary's missing `to` is today: too far
    ],
)
def test_a_range_is_made_plausible(query, summary, expected_to):
    path = "/stats/summary" if summary else "/weights"
    assert hooks.map_case(None, case(path, query=dict(query))).query["to"] == expected_to


def test_a_moment_in_the_future_of_the_apps_clock_moves_to_2000():
    from chalicelib.clock import utc_now

    now = utc_now()
    mapped = hooks.map_case(None, case("/weights", body={"measured_at": now, "birth_date": now[:10]}))
    assert mapped.body == {"measured_at": "2000" + now[4:], "birth_date": "2000" + now[4:10]}


def test_an_invalid_case_is_never_touched():
    body, query = {"timezone": "Ab/Cd"}, {"cursor": "forged", "from": "2024-01-01", "to": "2023-01-01"}
    mapped = hooks.map_case(None, case("/weights", positive=False, body=dict(body), query=dict(query)))
    assert (mapped.body, mapped.query) == (body, query)


def test_a_number_the_body_parser_refuses_is_made_0_at_any_depth_of_a_valid_case():
    """A make fuzz finding: an import's ignored key held 8.6e-218 nine levels deep, where the
    document no longer restates the bounds; the API rightly refused it (400)."""
    deep = [[[[[[[[{"tiny": 8.571358300443307e-218, "huge": -1e31, "kept": 1.5e30, "count": 10**31}]]]]]]]]
    body = {"schema_version": 1, "weights": [], "extra": deep, "near": -1e-30}
    mapped = hooks.map_case(None, case("/me/import", body=body)).body
    innermost = mapped["extra"][0][0][0][0][0][0][0][0]
    assert innermost == {"tiny": 0, "huge": 0, "kept": 1.5e30, "count": 0}
    assert mapped["near"] == -1e-30
    text = json.dumps(mapped)
    assert parse_json(text.encode(), "application/json") == json.loads(text, parse_float=Decimal)


def test_an_invalid_case_keeps_its_out_of_range_numbers():
    body = {"extra": [1e-218]}
    assert hooks.map_case(None, case("/me/import", positive=False, body=body)).body == {"extra": [1e-218]}


@pytest.mark.parametrize("media_type", hooks.ACTIVITY_TYPES)
def test_a_valid_activity_case_becomes_a_gpx_run_the_parser_takes(media_type):
    from schemathesis.core.parameters import ParameterLocation
    from schemathesis.transport.serialization import Binary

    from chalicelib.domains.activities.parsing import parse_activity

    mapped = hooks.map_case(None, case("/workouts/files", body=b"\x00\x01 anything", media_type=media_type))

    assert mapped.media_type == "application/gpx+xml"
    # Sent as schemathesis sends a binary body, and not judged again (it would count as invalid).
    assert isinstance(mapped.body, Binary) and mapped.meta.cleared == [ParameterLocation.BODY]
    activity = parse_activity(mapped.body.data, mapped.media_type)
    assert len(activity.points) >= 2 and activity.sport == "running"
    other = hooks.map_case(None, case("/workouts/files", body=b"other bytes", media_type=media_type))
    assert other.body.data != mapped.body.data


def test_an_invalid_activity_case_is_sent_as_it_was_generated():
    sent = hooks.map_case(
        None, case("/workouts/files", positive=False, body=b"junk", media_type="application/vnd.ant.fit")
    )

    assert (sent.body, sent.media_type) == (b"junk", "application/vnd.ant.fit")


def test_an_activity_case_invalid_in_a_header_keeps_its_body():
    sent = hooks.map_case(
        None, case("/workouts/files", body=b"junk", media_type="application/vnd.ant.fit", negative_header=True)
    )

    assert (sent.body, sent.media_type, sent.meta.cleared) == (b"junk", "application/vnd.ant.fit", [])

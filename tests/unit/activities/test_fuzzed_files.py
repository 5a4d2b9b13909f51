"""Whatever bytes arrive, parse_activity answers with a parsed activity or an ActivityFileError (a
400), never another exception (a 500): valid files with bytes flipped, cut or spliced, and noise."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib.domains.activities.activity import ActivityFileError, ParsedActivity
from chalicelib.domains.activities.parsing import parse_activity
from tests.fixtures.activities import files, tracks

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "activities"
SAMPLES = tracks.realistic(seconds=60, every=1, speed_mps=3, seed=5, heart_rate=True, cadence=80)
VALID = {
    files.FIT: files.fit(SAMPLES),
    files.GPX: files.watch_gpx(SAMPLES),
    files.TCX: files.tcx(SAMPLES),
}


def parsed_or_refused(data: bytes, media_type: str) -> None:
    try:
        result = parse_activity(data, media_type)
    except ActivityFileError as error:
        assert error.code and error.message
    else:
        assert isinstance(result, ParsedActivity) and result.points


@st.composite
def mutated(draw: st.DrawFn, media_type: str) -> bytes:
    data = bytearray(VALID[media_type])
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["flip", "cut", "insert", "delete"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if kind == "flip" and data:
            data[at] ^= draw(st.integers(1, 255))
        elif kind == "cut":
            del data[at:]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif data:
            del data[at : at + draw(st.integers(1, 32))]
    return bytes(data)


@pytest.mark.parametrize("media_type", list(VALID))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_damaged_file_is_parsed_or_refused_never_an_error(media_type, data):
    parsed_or_refused(data.draw(mutated(media_type)), media_type)


@pytest.mark.parametrize("media_type", list(VALID))
@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=400))
def test_noise_is_refused(media_type, data):
    parsed_or_refused(data, media_type)


@pytest.mark.parametrize("media_type", list(VALID))
@settings(max_examples=200, deadline=None)
@given(prefix=st.binary(max_size=64))
def test_noise_after_a_valid_header_is_refused(media_type, prefix):
    parsed_or_refused(VALID[media_type][:40] + prefix, media_type)


def test_a_fit_whose_message_overruns_its_body_is_invalid():
    """Found by fuzzing: fitdecode asserts that a message fits in the body its header declares."""
    data = (FIXTURES / "fit-body-overrun.fit").read_bytes()
    with pytest.raises(ActivityFileError) as caught:
        parse_activity(data, files.FIT)
    assert caught.value.code == "invalid_activity_file"
    assert isinstance(caught.value.__cause__, AssertionError)

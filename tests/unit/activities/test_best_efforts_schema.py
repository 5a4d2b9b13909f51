"""An exported workout's best efforts: the document names each distance, and the import refuses
any other key (the fuzzer found the document promising any key while the import refused them)."""

import json

import pytest
from marshmallow import ValidationError

from chalicelib.domains.activities.measure import EFFORTS
from chalicelib.domains.workouts.schemas import BestEfforts
from devtools.openapi import DOCUMENT


def test_each_distance_is_a_named_property_and_no_other_key_is_allowed():
    declared = json.loads(DOCUMENT.read_text())["components"]["schemas"]["BestEfforts"]

    assert set(declared["properties"]) == set(EFFORTS)
    assert declared["additionalProperties"] is False


def test_the_import_takes_a_known_distance_and_refuses_any_other():
    assert BestEfforts().load({"5k": 1200.5}) == {"5k": pytest.approx(1200.5)}
    with pytest.raises(ValidationError) as refused:
        BestEfforts().load({"2k": 400})
    assert refused.value.messages == {"2k": ["Unknown field."]}

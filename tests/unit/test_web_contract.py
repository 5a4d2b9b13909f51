"""The web client's own checks (web/src/validation.ts) are the API's: the rules it copies are
read out of its source and compared with the published document and the password policy."""

from __future__ import annotations

import json
import re

from chalicelib.policy import SYMBOLS
from tests.conftest import ROOT

SOURCE = (ROOT / "web" / "src" / "validation.ts").read_text()
SCHEMAS = json.loads((ROOT / "chalicelib" / "openapi.json").read_text())["components"]["schemas"]


def _constant(name: str) -> str:
    match = re.search(rf"^const {name} =\s*(.+?);$", SOURCE, re.MULTILINE | re.DOTALL)
    assert match, f"{name} is gone from validation.ts"
    return match.group(1).strip()


def test_the_email_pattern_is_the_published_one():
    client = _constant("EMAIL")
    assert client.startswith("/") and client.endswith("/")
    assert client[1:-1] == SCHEMAS["SignupRequest"]["properties"]["email"]["pattern"]


def test_the_weight_ranges_are_the_published_ones_per_unit():
    client = _constant("WEIGHT_RANGE")
    for option in SCHEMAS["WeightValue"]["oneOf"]:
        unit, value = option["properties"]["unit"]["const"], option["properties"]["value"]
        assert f"{unit}: [{value['minimum']:.10g}, {value['maximum']:.10g}]" in client


def test_the_password_symbols_are_the_policys():
    assert json.loads(_constant("SYMBOLS")) == SYMBOLS

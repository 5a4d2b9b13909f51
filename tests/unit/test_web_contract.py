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


def test_the_clients_types_are_the_documents_not_hand_written():
    types = (ROOT / "web" / "src" / "types.ts").read_text()
    assert "interface " not in types
    aliases = re.findall(r'^export type (\w+) = Schemas\["(\w+)"\];$', types, re.MULTILINE)
    assert len(aliases) >= 8
    for alias, schema in aliases:
        assert schema in SCHEMAS, f"{alias}: no schema {schema} in the document"


def test_every_api_call_goes_through_the_generated_client():
    api = (ROOT / "web" / "src" / "api.ts").read_text()
    assert 'from "openapi-fetch"' in api and 'from "./generated/openapi"' in api
    for path in (ROOT / "web" / "src").glob("*.ts*"):
        text = path.read_text()
        # Only /config.json (where the API is) is fetched by hand.
        assert [call for call in re.findall(r"\bfetch\(([^,)]+)", text) if "/config.json" not in call] == [], path.name
        assert not re.search(r"api\.(call|callPublic)<", text), f"{path.name} casts an answer instead of using its type"


UPLOAD_SOURCE = (ROOT / "web" / "src" / "upload.ts").read_text()


def test_the_tag_pattern_is_the_published_one():
    client = _constant("TAG")
    assert client[1:-1] == SCHEMAS["VideoInput"]["properties"]["tags"]["items"]["pattern"]


def test_the_upload_rules_are_the_published_ones_per_purpose():
    for option in SCHEMAS["UploadInput"]["oneOf"]:
        purpose = option["properties"]["purpose"]["const"]
        rule = re.search(rf"^  {purpose}: \{{ types: \[([^\]]+)\], maxBytes: (\d+) \* MB", UPLOAD_SOURCE, re.MULTILINE)
        assert rule, f"no rule for {purpose} in upload.ts"
        assert json.loads(f"[{rule.group(1)}]") == option["properties"]["content_type"]["enum"]
        assert int(rule.group(2)) * 1024 * 1024 == option["properties"]["size_bytes"]["maximum"]


def test_the_import_limit_is_the_apis():
    from chalicelib.api.body import MAX_IMPORT_BYTES

    assert _constant("IMPORT_MAX_BYTES") == "4 * 1024 * 1024" and MAX_IMPORT_BYTES == 4 * 1024 * 1024

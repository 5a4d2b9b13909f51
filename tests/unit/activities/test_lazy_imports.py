"""The parsing libraries load only when a file is parsed: a cold process that imports the app and
serves GET /me/preferences loads none of them, nor do the activities modules when imported (a route,
service or worker may import them at its top). Each check runs in a fresh interpreter."""

from __future__ import annotations

from tests.unit.test_cold_imports import FIRST_REQUEST, imported

# What the feature brings (the standard library's xml packages are not watched: botocore's response
# parsers and moto load them in this process anyway).
LIBRARIES = ("defusedxml", "fitdecode", "gpxpy", "lxml")
REPORT = (
    "print(json.dumps(sorted(name for name in sys.modules "
    f"if name.startswith({LIBRARIES!r}) or name.startswith('chalicelib.domains.activities'))))"
)
ACTIVITIES = (
    "chalicelib.domains.activities.activity",
    "chalicelib.domains.activities.parsing",
    "chalicelib.domains.activities.measure",
    "chalicelib.domains.activities.simplify",
    "chalicelib.domains.activities.gpx_out",
)


def test_a_cold_get_preferences_loads_no_parsing_library_and_no_activities_module():
    program = FIRST_REQUEST.format(path="/me/preferences", query=None, queries=None, status=200, report=REPORT)
    assert imported(program) == []


def test_importing_the_activities_modules_loads_no_parsing_library():
    program = "import json, sys\n" + "".join(f"import {name}\n" for name in ACTIVITIES) + REPORT + "\n"
    loaded = imported(program)
    assert [name for name in loaded if not name.startswith("chalicelib.")] == []
    assert set(ACTIVITIES) <= set(loaded)  # the report sees what is imported


PARSE = """
import json, sys
from chalicelib.domains.activities.parsing import parse_activity
from tests.fixtures.activities import files, tracks

samples = tracks.meridian(100, 20)
WATCHED = ("fitdecode", "pyexpat", "xml.parsers.expat")
before = sorted(name for name in sys.modules if name in WATCHED)
parse_activity(files.watch_gpx(samples), files.GPX)
after_gpx = sorted(name for name in sys.modules if name in WATCHED)
parse_activity(files.fit(samples), files.FIT)
after_fit = sorted(name for name in sys.modules if name in WATCHED)
print(json.dumps([before, after_gpx, after_fit]))
"""


def test_each_library_loads_when_its_format_is_first_parsed():
    assert imported(PARSE) == [[], ["pyexpat", "xml.parsers.expat"], ["fitdecode", "pyexpat", "xml.parsers.expat"]]

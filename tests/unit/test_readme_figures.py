"""The README's performance figures are the latest round of `make bench` (bench/history.json),
written there by the bench: never typed by hand, never older than the table they come from."""

from __future__ import annotations

import importlib.util
import json

from tests.conftest import ROOT


def _bench_run():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_readme_shows_the_latest_rounds_figures():
    bench = _bench_run()
    latest = json.loads(bench.HISTORY.read_text())[-1]
    expected = f"{bench.README_START}\n{bench.readme_figures(latest)}\n{bench.README_END}"
    assert expected in (ROOT / "README.md").read_text(), "README's figures are stale: run `make bench`"

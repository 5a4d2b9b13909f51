"""The files `make openapi` writes from the declarations beside chalicelib/openapi.json (which
tests/unit/test_openapi.py covers): committed current, and `--check` fails on a stale one."""

from __future__ import annotations

import pytest

from devtools import response_shapes, route_table

GENERATORS = [response_shapes, route_table]


@pytest.mark.parametrize("generator", GENERATORS, ids=lambda generator: generator.DOCUMENT.name)
def test_the_committed_file_is_current(generator):
    assert generator.DOCUMENT.read_text() == generator.render(generator.build()), (
        f"chalicelib/{generator.DOCUMENT.name} is stale: run `make openapi` and commit the result"
    )


@pytest.mark.parametrize("generator", GENERATORS, ids=lambda generator: generator.DOCUMENT.name)
def test_check_mode_fails_on_a_stale_file(generator, tmp_path, monkeypatch, capsys):
    assert generator.main(["--check"]) == 0
    stale = tmp_path / generator.DOCUMENT.name
    stale.write_text("{}\n")
    monkeypatch.setattr(generator, "DOCUMENT", stale)
    assert generator.main(["--check"]) == 1
    assert "make openapi" in capsys.readouterr().err

"""The package's bytecode: every module gets an unchecked hash-based .pyc, and one that rode along
from a developer's tree (chalice copies chalicelib as it is) is replaced, not kept stale."""

from __future__ import annotations

import importlib.util
import zipfile

from devtools.package import add_bytecode

UNCHECKED_HASH = 0b01  # the .pyc header's flags: hash-based, not checked against the source


def test_every_module_gets_unchecked_bytecode_and_a_stale_one_is_replaced(tmp_path):
    archive = tmp_path / "deployment.zip"
    cached = importlib.util.cache_from_source("chalicelib/mod.py")
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("chalicelib/mod.py", "ANSWER = 42\n")
        bundle.writestr(cached, b"a developer's timestamp-based pyc")
        bundle.writestr("chalicelib/data.json", "{}")
    assert add_bytecode(archive) == 1
    with zipfile.ZipFile(archive) as bundle:
        assert sorted(bundle.namelist()) == sorted(["chalicelib/mod.py", "chalicelib/data.json", cached])
        header = bundle.read(cached)[:16]
    assert header[:4] == importlib.util.MAGIC_NUMBER
    assert int.from_bytes(header[4:8], "little") == UNCHECKED_HASH


def test_the_same_sources_make_the_same_zip_with_readable_bytecode(tmp_path):
    made = []
    for attempt in ("first", "second"):
        archive = tmp_path / f"{attempt}.zip"
        with zipfile.ZipFile(archive, "w") as bundle:
            source = zipfile.ZipInfo("chalicelib/mod.py", date_time=(1980, 1, 1, 0, 0, 0))
            source.external_attr = 0o100644 << 16
            bundle.writestr(source, "ANSWER = 42\n")
        add_bytecode(archive)
        made.append(archive.read_bytes())
    assert made[0] == made[1]
    with zipfile.ZipFile(tmp_path / "first.zip") as bundle:
        compiled = bundle.getinfo(importlib.util.cache_from_source("chalicelib/mod.py"))
    assert compiled.date_time == (1980, 1, 1, 0, 0, 0)
    assert compiled.external_attr >> 16 == 0o100644

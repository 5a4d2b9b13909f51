from pathlib import Path

import pytest

from devtools import package as packager

STAGES = ("dev", "staging", "prod")


@pytest.fixture(scope="session")
def packaged(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each stage's sam.json, packaged once for the whole run (`chalice package` is the slow part).
    The modules that use it run on one worker (tests/conftest.py): chalice caches the zip it
    builds under .chalice/deployments, and two packagings at once write the same file."""
    build = tmp_path_factory.mktemp("package")
    return {stage: packager.package(stage, build, example=True) for stage in STAGES}

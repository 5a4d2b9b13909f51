from typing import Any

import pytest


@pytest.fixture(scope="module", autouse=True)
def empty_table(local_aws: Any) -> None:
    """Each module starts on an empty table (its users are its own): moto copies the whole table
    for every transaction, so one table for the whole run made the suite quadratic."""
    local_aws.empty_table()

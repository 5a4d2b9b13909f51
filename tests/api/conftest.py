from typing import Any

import pytest


@pytest.fixture(scope="module", autouse=True)
def empty_table(local_aws: Any) -> None:
    """Each module starts on an empty table (its users are its own): moto copies the whole table
    for every transaction, so one table for the whole run made the suite quadratic."""
    local_aws.empty_table()


class Totals:
    """The stats domain's stream handler, pumped by hand: `poll()` hands it every change of the
    table since the last poll, as Lambda would (the summaries read what it keeps)."""

    def __init__(self, local_aws: Any):
        import app
        from devtools.infra import stage_environment
        from devtools.local_events import LocalInvoker, StreamPump
        from tests.conftest import LOCAL_TABLE

        invoker = LocalInvoker(app.app, stage_environment("local"))
        self.batches: list[list[dict[str, Any]]] = []

        def deliver(records: list[dict[str, Any]]) -> None:
            self.batches.append(records)
            invoker.invoke("stats_stream", {"Records": records})

        self._pump = StreamPump(local_aws, LOCAL_TABLE, deliver, start="LATEST")
        self.invoke = lambda records: invoker.invoke("stats_stream", {"Records": records})

    def poll(self) -> int:
        return self._pump.poll()


@pytest.fixture
def totals(local_aws: Any) -> Totals:
    """The running totals kept from now on (create it before the writes it should see)."""
    return Totals(local_aws)

"""The table's stream in API tests: one handler of the app, fed what is new since the pump was made."""

from __future__ import annotations

from typing import Any

from devtools.infra import stage_environment
from devtools.local_events import LocalInvoker, StreamPump
from tests.conftest import LOCAL_TABLE


class HandlerStream:
    """`poll()` hands every record written since the last poll (or since this was made) to the
    app's stream handler `name`, as Lambda would, and returns the handler's answers."""

    def __init__(self, local_aws: Any, name: str):
        import app

        self._invoker = LocalInvoker(app.app, stage_environment("local"))
        self._name = name
        self.answers: list[Any] = []
        self.seen: list[dict[str, Any]] = []
        self._pump = StreamPump(local_aws, LOCAL_TABLE, self._deliver, start="LATEST")

    def _deliver(self, records: list[dict[str, Any]]) -> None:
        self.seen.extend(records)
        self.answers.append(self._invoker.invoke(self._name, {"Records": records}))

    def poll(self) -> int:
        return self._pump.poll()

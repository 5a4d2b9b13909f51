"""The running totals the summaries read (chalicelib/domains/stats/store.py), kept from the
table's stream: every change of a weight, workout or task updates its person's totals, and a
workout's change its person's records (chalicelib/domains/activities/records.py).

As for the webhooks' handler, the stream's ARN is fixed when the template is packaged.
"""

from __future__ import annotations

import os
from typing import Any

from chalice import Blueprint

from chalicelib import deps

STREAM_ARN = os.environ.get(
    "TABLE_STREAM_ARN", "arn:aws:dynamodb:us-east-1:000000000000:table/stride/stream/set-by-template"
)
# One transaction a person a batch: the larger the batch, the fewer writes under a burst.
BATCH_SIZE = 100

blueprint = Blueprint(__name__)


@blueprint.on_dynamodb_record(
    stream_arn=STREAM_ARN, batch_size=BATCH_SIZE, starting_position="LATEST", name="stats_stream"
)
def keep_totals(event: Any) -> dict[str, Any]:
    from chalicelib.repositories.stream import change_of  # here: the API's cold start never needs it

    changes = [change_of(record) for record in event.to_dict()["Records"]]
    deps.stats().on_stream(changes)
    # The same changes keep the personal records and remove a deleted workout's track (activities).
    deps.activity_records().on_stream(changes)
    return {"batchItemFailures": []}  # all or nothing: a failure raises, and Lambda retries the batch

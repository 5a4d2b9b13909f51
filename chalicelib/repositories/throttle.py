"""Per-tenant request budget: one counter item a tenant, one atomic UpdateItem a request.

The item `TENANT#<id>` / `RATE` holds the current minute (`window`), the requests counted in
it (`requests`) and, where an operator set one, the tenant's own `requests_per_minute`. The
condition and the increment are one write, so concurrent Lambdas never over-admit; the first
request of a minute pays a second write that starts the new window.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.errors import TooManyRequests
from chalicelib.repositories.dynamo import from_item

RATE_SK = "RATE"
WINDOW_SECONDS = 60


def rate_key(tenant_id: str) -> dict[str, Any]:
    return {"PK": {"S": f"TENANT#{tenant_id}"}, "SK": {"S": RATE_SK}}


def _condition_failed(exc: ClientError) -> bool:
    return exc.response["Error"]["Code"] == "ConditionalCheckFailedException"


class TenantThrottle:
    def __init__(self, client: Any, table_name: str, default_per_minute: int, clock: Callable[[], float]):
        self._client = client
        self._table = table_name
        self._default = default_per_minute
        self._clock = clock

    def admit(self, tenant_id: str, requests: int = 1) -> None:
        """Counts `requests` (a large import counts as several), or raises TooManyRequests (with
        Retry-After) when the budget has no room left. A charge of several may take the count past
        the budget by less than itself: the tenant's next requests wait for the next minute."""
        now = self._clock()
        window = int(now // WINDOW_SECONDS)
        for _ in range(2):  # a second pass only when another request started the window first
            try:
                self._count(tenant_id, window, requests)
                return
            except ClientError as exc:
                if not _condition_failed(exc):
                    raise
                stored = from_item(exc.response.get("Item") or {})
            if stored.get("window") == window:
                limit = int(stored.get("requests_per_minute", self._default))
                error = TooManyRequests(
                    f"This organisation has used its {limit} requests for this minute.", code="tenant_rate_limited"
                )
                error.retry_after = max(1, math.ceil((window + 1) * WINDOW_SECONDS - now))
                raise error
            if self._start_window(tenant_id, window, requests):
                return
        raise AssertionError("unreachable: the window was started by another request twice")  # pragma: no cover

    def _count(self, tenant_id: str, window: int, requests: int) -> None:
        self._client.update_item(
            TableName=self._table,
            Key=rate_key(tenant_id),
            UpdateExpression="ADD #requests :requests",
            ConditionExpression=(
                "#window = :window AND ((attribute_exists(#limit) AND #requests < #limit) "
                "OR (attribute_not_exists(#limit) AND #requests < :default))"
            ),
            ExpressionAttributeNames={"#window": "window", "#requests": "requests", "#limit": "requests_per_minute"},
            ExpressionAttributeValues={
                ":requests": {"N": str(requests)},
                ":window": {"N": str(window)},
                ":default": {"N": str(self._default)},
            },
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )

    def _start_window(self, tenant_id: str, window: int, requests: int) -> bool:
        try:
            self._client.update_item(
                TableName=self._table,
                Key=rate_key(tenant_id),
                UpdateExpression="SET #window = :window, #requests = :requests",
                ConditionExpression="attribute_not_exists(#window) OR #window < :window",
                ExpressionAttributeNames={"#window": "window", "#requests": "requests"},
                ExpressionAttributeValues={":requests": {"N": str(requests)}, ":window": {"N": str(window)}},
            )
        except ClientError as exc:
            if _condition_failed(exc):
                return False
            raise
        return True

    def set_limit(self, tenant_id: str, per_minute: int) -> None:
        """An operator's setting: this tenant's budget instead of the stage's default."""
        self._client.update_item(
            TableName=self._table,
            Key=rate_key(tenant_id),
            UpdateExpression="SET #limit = :limit",
            ExpressionAttributeNames={"#limit": "requests_per_minute"},
            ExpressionAttributeValues={":limit": {"N": str(per_minute)}},
        )

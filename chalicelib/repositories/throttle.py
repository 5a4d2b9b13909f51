"""Per-tenant request budget: each container leases slices of a tenant's minute, and serves a
slice from memory.

The item `TENANT#<id>` / `RATE` holds the current minute (`window`), the requests leased out in
it to all containers (`requests`: the name from when each request was counted, so an item
written before leases keeps its meaning) and, where an operator set one, the tenant's own
`requests_per_minute`. A lease is one conditional UpdateItem that adds its size to `requests` only
while the sum stays within the limit, so however many containers share a tenant, no more than
the limit is ever admitted in a minute.

A slice is sized to the traffic its container sees: what it served since its last lease, at that
rate, for SLICE_SECONDS or what is left of the minute if less (a new container starts with one
request), at most a quarter of the budget and at most half of what is left of it. No slice has a
floor tied to the budget, so what all containers hold unused is about SLICE_SECONDS of the
tenant's own traffic, however many containers share it: a tenant under its limit is not refused
at 1 or 500 containers (tests/unit/test_tenant_budget.py simulates both). A container idle for IDLE_SECONDS gives back
what it still holds in the same write as its next lease; what an idle container never comes back
for expires with the minute.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.errors import TooManyRequests
from chalicelib.repositories.dynamo import from_item

RATE_SK = "RATE"
WINDOW_SECONDS = 60
# A slice should last this long at the rate the container served its last one.
SLICE_SECONDS = 10.0
# A rate is measured over at least this long (two requests a millisecond apart are not 2,000 a second).
MIN_RATE_SECONDS = 1.0
# Held this long without a request, a container's slice goes back to the tenant at its next lease.
IDLE_SECONDS = 2 * SLICE_SECONDS
# A container that found the minute fully leased asks again after this long (what idle ones gave back).
RETRY_EXHAUSTED_SECONDS = 5.0
# At most 1/4 of the limit a slice: one container never takes the whole minute at once.
MAX_SLICE_SHARE = 4
# Leases lost to other containers in a row before a request is refused without a slice.
MAX_ATTEMPTS = 5


def rate_key(tenant_id: str) -> dict[str, Any]:
    return {"PK": {"S": f"TENANT#{tenant_id}"}, "SK": {"S": RATE_SK}}


def _condition_failed(exc: ClientError) -> bool:
    return exc.response["Error"]["Code"] == "ConditionalCheckFailedException"


@dataclass
class Slice:
    """What this container holds of one tenant's current minute."""

    limit: int
    window: int = -1
    left: int = 0  # requests in hand
    served: int = 0  # since the last lease
    leased_at: float = 0.0
    used_at: float = 0.0  # the last request it admitted
    unleased: int | None = None  # the tenant's minute not yet leased to anyone, as last seen
    exhausted_at: float | None = None  # when nothing was left to lease in this window

    def wanted(self, now: float) -> int:
        """Enough for SLICE_SECONDS (or the rest of the minute) at the rate this container served
        since its last lease."""
        if not self.served:
            return 0
        # Never more than it would serve before the minute ends: leases held unused when it turns
        # are what other containers could not have.
        lasting = min(SLICE_SECONDS, (self.window + 1) * WINDOW_SECONDS - now)
        return math.ceil(self.served / max(now - self.leased_at, MIN_RATE_SECONDS) * lasting)

    def waiting(self, now: float) -> bool:
        """Nothing was left to lease a moment ago: ask again only once an idle container may have
        given some back."""
        return self.exhausted_at is not None and now - self.exhausted_at < RETRY_EXHAUSTED_SECONDS

    def bounded(self, wanted: int) -> int:
        size = min(max(wanted, 1), max(self.limit // MAX_SLICE_SHARE, 1))
        if self.unleased is not None:
            size = min(size, max(self.unleased // 2, 1))
        return size


class TenantThrottle:
    def __init__(self, client: Any, table_name: str, default_per_minute: int, clock: Callable[[], float]):
        self._client = client
        self._table = table_name
        self._default = default_per_minute
        self._clock = clock
        self._slices: dict[str, Slice] = {}
        self._lock = threading.Lock()  # the requests a container serves at once share its slices

    def admit(self, tenant_id: str, requests: int = 1) -> None:
        """Counts `requests` (a large import counts as several), or raises TooManyRequests (with
        Retry-After) when the budget has no room left for all of them."""
        now = self._clock()
        window = int(now // WINDOW_SECONDS)
        with self._lock:
            held = self._slices.setdefault(tenant_id, Slice(self._default))
            if held.window != window:
                held.window, held.left, held.unleased, held.exhausted_at = window, 0, None, None
            if held.left and now - held.used_at > IDLE_SECONDS:
                self._lease(tenant_id, held, now, requests, returned=held.left)
            elif held.left < requests and not held.waiting(now):
                self._lease(tenant_id, held, now, requests - held.left)
            if held.left < requests:
                raise self._refusal(held.limit, window, now)
            held.left -= requests
            held.served += requests
            held.used_at = now

    def _lease(self, tenant_id: str, held: Slice, now: float, needed: int, returned: int = 0) -> None:
        """Leases a slice; `returned`: what this container held unused, given back in the same write."""
        wanted = 0 if returned else held.wanted(now)  # back from idle: its old rate is gone
        held.served, held.leased_at = 0, now
        for _ in range(MAX_ATTEMPTS):
            size = max(held.bounded(wanted), needed)
            stored = self._try_lease(tenant_id, held, size, returned)
            if stored is None:
                held.left += size - returned
                return
            # Refused: learn the tenant's limit and what is left, and ask again for what fits.
            held.limit = int(stored.get("requests_per_minute", self._default))
            if stored.get("window") == held.window:
                held.unleased = held.limit - int(stored.get("requests", 0))
                if held.unleased <= 0:
                    held.exhausted_at = now
                    return
                if held.unleased < needed:
                    return  # no room for all of them at once; single requests may still fit
        # Other containers took what was asked for every time: this request is refused.

    def _try_lease(self, tenant_id: str, held: Slice, size: int, returned: int = 0) -> dict[str, Any] | None:
        """Adds `size` (less what is `returned`) to the minute's leases: None when granted, else the
        stored item."""
        stored = self._write(
            tenant_id,
            held,
            size - returned,
            update="ADD #leased :size",
            condition="#window = :window AND #leased <= :ceiling",
        )
        if stored is None or stored.get("window") == held.window:
            return stored
        # The stored minute is an earlier one (or none): this lease starts the current one (and
        # what was held of the stored one is not counted in it).
        return self._write(
            tenant_id,
            held,
            size,
            update="SET #window = :window, #leased = :size",
            condition="(attribute_not_exists(#window) OR #window < :window)",
        )

    def _write(self, tenant_id: str, held: Slice, size: int, update: str, condition: str) -> dict[str, Any] | None:
        # The limit this container counts with must still be the tenant's: an operator may change it.
        same_limit = "#limit = :limit"
        if held.limit == self._default:
            same_limit = f"(attribute_not_exists(#limit) OR {same_limit})"
        condition = f"{condition} AND {same_limit}"
        values = {
            ":window": {"N": str(held.window)},
            ":size": {"N": str(size)},
            ":ceiling": {"N": str(held.limit - size)},
            ":limit": {"N": str(held.limit)},
        }
        try:
            answer = self._client.update_item(
                TableName=self._table,
                Key=rate_key(tenant_id),
                UpdateExpression=update,
                ConditionExpression=condition,
                ExpressionAttributeNames={"#window": "window", "#leased": "requests", "#limit": "requests_per_minute"},
                # DynamoDB refuses a value the expressions do not use.
                ExpressionAttributeValues={key: value for key, value in values.items() if key in update + condition},
                ReturnValues="ALL_NEW",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as exc:
            if not _condition_failed(exc):
                raise
            return from_item(exc.response.get("Item") or {})
        held.unleased = held.limit - int(answer["Attributes"]["requests"]["N"])
        return None

    def _refusal(self, limit: int, window: int, now: float) -> TooManyRequests:
        error = TooManyRequests(
            f"This organisation has used its {limit} requests for this minute.", code="tenant_rate_limited"
        )
        error.retry_after = max(1, math.ceil((window + 1) * WINDOW_SECONDS - now))
        return error

    def set_limit(self, tenant_id: str, per_minute: int) -> None:
        """An operator's setting: this tenant's budget instead of the stage's default."""
        self._client.update_item(
            TableName=self._table,
            Key=rate_key(tenant_id),
            UpdateExpression="SET #limit = :limit",
            ExpressionAttributeNames={"#limit": "requests_per_minute"},
            ExpressionAttributeValues={":limit": {"N": str(per_minute)}},
        )

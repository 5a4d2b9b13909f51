"""The caller's account as the API sees it."""

from __future__ import annotations

from typing import Any

from chalicelib.identity import Identity


def describe(identity: Identity) -> dict[str, Any]:
    return {
        "user_id": identity.user_id,
        "email": identity.email,
        "tenant_id": identity.tenant_id,
        "role": identity.role,
        "parent_business_id": identity.parent_business_id,
    }

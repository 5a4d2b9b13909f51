"""The caller's profile."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from chalicelib.clock import utc_now
from chalicelib.errors import InvalidInput, NotFound, Unprocessable
from chalicelib.identity import Identity

if TYPE_CHECKING:
    from chalicelib.domains.me.profile_store import ProfileStore
    from chalicelib.domains.media.public import MediaStore


class ProfileService:
    def __init__(self, profiles: ProfileStore, media: MediaStore, clock: Callable[[], str] = utc_now):
        self._profiles = profiles
        self._media = media
        self._clock = clock

    def account_exists(self, identity: Identity) -> bool:
        """False once `DELETE /me` has begun: the profile is the account's anchor, deleted first."""
        return self._profiles.exists(identity)

    def get(self, identity: Identity) -> dict[str, Any]:
        profile = self._profiles.get(identity)
        if profile is None:
            raise NotFound("This account has no profile yet.")
        return _with_id(identity, profile)

    def replace(self, identity: Identity, fields: dict[str, Any]) -> dict[str, Any]:
        self._check_avatar(identity, fields)
        return _with_id(identity, self._profiles.replace(identity, fields, self._clock()))

    def patch(self, identity: Identity, changes: dict[str, Any]) -> dict[str, Any]:
        if not changes:
            raise InvalidInput("Name at least one field to change.", code="empty_patch")
        self._check_avatar(identity, changes)
        return _with_id(identity, self._profiles.patch(identity, changes, self._clock()))

    def _check_avatar(self, identity: Identity, fields: dict[str, Any]) -> None:
        media_id = fields.get("avatar_media_id")
        if media_id is not None and not self._media.is_ready(identity, media_id, purpose="avatar"):
            raise Unprocessable(
                "The avatar must be an avatar image you uploaded and confirmed.",
                code="media_not_ready",
                details={"avatar_media_id": ["No ready media of yours has this id."]},
            )


def _with_id(identity: Identity, profile: dict[str, Any]) -> dict[str, Any]:
    return {"id": identity.user_id, **profile}

"""What other domains may use of the caller's account, profile and preferences. Another domain
imports this module, never the others of this folder."""

from chalicelib.domains.me.preferences_service import PreferencesService
from chalicelib.domains.me.profile_store import (
    NAME_PROJECTION,
    ProfileStore,
    batch_read,
    name_key,
    names_in,
    read_names,
)

__all__ = [
    "NAME_PROJECTION",
    "PreferencesService",
    "ProfileStore",
    "batch_read",
    "name_key",
    "names_in",
    "read_names",
]

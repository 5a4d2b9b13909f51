"""What other domains may use of media: the state of an upload and where its item and file live. Another domain imports
this module, never the others of this folder."""

from chalicelib.domains.media.store import (
    READY,
    STATE_TAG,
    MediaFiles,
    MediaStore,
    claim_media,
    media_sort_key,
    object_key,
)

__all__ = ["READY", "STATE_TAG", "MediaFiles", "MediaStore", "claim_media", "media_sort_key", "object_key"]

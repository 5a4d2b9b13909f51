"""What other domains may use of activities. Another domain imports this module, never the others
of this folder."""

from chalicelib.domains.activities.store import PREFIX, track_prefix

__all__ = ["PREFIX", "track_prefix"]

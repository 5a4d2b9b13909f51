"""What other domains may use of the feed: its store, whose posts point at media. Another domain
imports this module, never the others of this folder."""

from chalicelib.domains.social.store import PostStore

__all__ = ["PostStore"]

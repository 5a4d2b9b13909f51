"""What other domains may use of businesses. Another domain imports
this module, never the others of this folder."""

from chalicelib.domains.businesses.service import invite_hash

__all__ = ["invite_hash"]

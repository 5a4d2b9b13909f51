"""What other domains may use of businesses. Another domain imports
this module, never the others of this folder."""

from chalicelib.domains.businesses.service import BusinessService, invite_hash

__all__ = ["BusinessService", "invite_hash"]

"""What other domains may use of stats. Another domain imports this module, never the others
of this folder."""

from chalicelib.domains.stats.service import StatsService

__all__ = ["StatsService"]

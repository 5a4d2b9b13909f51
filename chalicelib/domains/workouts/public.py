"""What other domains may use of workouts. Another domain imports
this module, never the others of this folder."""

from chalicelib.domains.workouts.store import WORKOUTS

__all__ = ["WORKOUTS"]

"""What other domains may use of weights. Another domain imports
this module, never the others of this folder."""

from chalicelib.domains.weights.store import WEIGHTS

__all__ = ["WEIGHTS"]

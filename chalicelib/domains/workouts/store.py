"""Where workouts are stored: owned items of the user's partition (chalicelib.repositories.items),
under this sort-key prefix, ordered in the time index by when they happened."""

from chalicelib.repositories.items import Kind

WORKOUTS = Kind("workouts", "WORKOUT#", "workout")

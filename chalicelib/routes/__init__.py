"""One Router per domain; app.py turns each into a Blueprint with the app's authorizer."""

from chalicelib.routes import (
    account,
    auth,
    businesses,
    me,
    media,
    social,
    stats,
    system,
    tasks,
    videos,
    weights,
    workouts,
)

ROUTERS = (
    system.router,
    auth.router,
    me.router,
    weights.router,
    workouts.router,
    tasks.router,
    stats.router,
    account.router,
    social.router,
    media.router,
    videos.router,
    businesses.router,
)

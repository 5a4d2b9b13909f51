"""One Router per domain; app.py turns each into a Blueprint with the app's authorizer."""

from chalicelib.routes import (
    account,
    assessments,
    auth,
    businesses,
    coaching,
    me,
    media,
    programs,
    sharing,
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
    sharing.router,
    assessments.router,
    programs.router,
    coaching.router,
)

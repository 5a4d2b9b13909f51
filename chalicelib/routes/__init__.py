"""One Router per domain; app.py turns each into a Blueprint with the app's authorizer."""

from chalicelib.routes import account, auth, me, stats, system, tasks, weights, workouts

ROUTERS = (
    system.router,
    auth.router,
    me.router,
    weights.router,
    workouts.router,
    tasks.router,
    stats.router,
    account.router,
)

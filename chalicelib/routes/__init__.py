"""One Router per domain; app.py turns each into a Blueprint with the app's authorizer."""

from chalicelib.routes import auth, me, system

ROUTERS = (system.router, auth.router, me.router)

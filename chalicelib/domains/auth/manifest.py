"""Sign-up, sign-in, tokens, MFA: Cognito behind Stride's own rules."""

from chalicelib.domains.auth.routes import router
from chalicelib.manifest import Domain

DOMAIN = Domain("auth", routers=(router,))

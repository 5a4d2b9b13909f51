"""The caller's account, profile and preferences."""

from chalicelib.domains.me.routes import router
from chalicelib.manifest import Domain, Single

DOMAIN = Domain(
    "me",
    routers=(router,),
    singles=(Single("profile", "PROFILE"), Single("preferences", "PREFERENCES")),
)

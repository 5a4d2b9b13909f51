"""The tenant's feed: posts, comments, likes."""

from chalicelib.domains.social.routes import router
from chalicelib.manifest import Authored, Domain

DOMAIN = Domain(
    "social",
    routers=(router,),
    # Written in the tenant's feed, not the user's partition: exported and deleted by the service.
    authored=Authored((("posts", ""), ("comments", ""), ("likes", "")), holder="chalicelib.deps:social"),
)

"""Businesses (tenants), their members, roles and invitations."""

from chalicelib.domains.businesses.routes import router
from chalicelib.manifest import Domain, Single

DOMAIN = Domain(
    "businesses",
    routers=(router,),
    singles=(Single("business_membership", "MEMBERSHIP", "The business the person belongs to, and their role"),),
)

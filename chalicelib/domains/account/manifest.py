"""Your data: export, import, deletion of the account. Built from every other manifest."""

from chalicelib.domains.account.routes import router
from chalicelib.manifest import Domain

DOMAIN = Domain("account", routers=(router,))

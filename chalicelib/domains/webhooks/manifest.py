"""Webhooks: signed POSTs of the events every other manifest declares."""

from chalicelib.domains.webhooks.routes import router
from chalicelib.manifest import Domain, Records

_STORE = "chalicelib.domains.webhooks.store"
_SERVICE = "chalicelib.domains.webhooks.service"

DOMAIN = Domain(
    "webhooks",
    routers=(router,),
    # Exported without their secrets, deleted with the account; not imported (a webhook's secret is
    # shown once: an imported one would sign with a secret nobody knows).
    records=(
        Records(
            "webhooks",
            kind=f"{_STORE}:WEBHOOKS",
            export=f"{_SERVICE}:export_webhook",
            description="Your webhooks (never their secrets)",
            outbound=True,
        ),
        Records(
            "webhook_deliveries",
            kind=f"{_STORE}:DELIVERIES",
            export=f"{_SERVICE}:export_delivery",
            description="Webhook deliveries waiting for their next attempt",
        ),
        Records(
            "webhook_dead_letters",
            kind=f"{_STORE}:DEAD_LETTERS",
            export=f"{_SERVICE}:export_dead_letter",
            description="Webhook deliveries that failed their last attempt, with the event",
        ),
    ),
)

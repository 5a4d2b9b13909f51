"""Reminder and summary e-mails: when each goes, what was sent, unsubscribing."""

from chalicelib.domains.email.routes import router
from chalicelib.manifest import Domain, Records

_SERVICE = "chalicelib.domains.email.service"

DOMAIN = Domain(
    "email",
    routers=(router,),
    # The schedule follows the preferences (imported with them, not by itself).
    records=(
        Records(
            "email_schedule",
            kind="chalicelib.domains.email.store:SCHEDULE",
            export=f"{_SERVICE}:export_schedule",
            description="The e-mails turned on and when each next goes: kind, send_at, …",
            outbound=True,
        ),
        Records(
            "emails_sent",
            kind="chalicelib.domains.email.store:SENT",
            export=f"{_SERVICE}:export_sent",
            description="Reminders and summaries sent: kind, local_date, subject, status, …",
        ),
    ),
)

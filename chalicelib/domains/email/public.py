"""What other domains may use of e-mail: the kinds, when each goes next, a schedule entry. Another domain imports
this module, never the others of this folder."""

from chalicelib.domains.email.send_times import KINDS, next_send
from chalicelib.domains.email.store import EmailSchedule, ScheduleEntry

__all__ = ["KINDS", "EmailSchedule", "ScheduleEntry", "next_send"]

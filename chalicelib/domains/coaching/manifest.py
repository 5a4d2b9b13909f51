"""Assessments, the programs made from their answers, and what a member shares with coaches."""

from chalicelib.domains.coaching import assessment_routes, program_routes, routes, sharing_routes
from chalicelib.manifest import Domain, Records, Single

_PROGRAMS = "chalicelib.domains.coaching.program_service"
_STORE = "chalicelib.domains.coaching.program_store"

DOMAIN = Domain(
    "coaching",
    routers=(sharing_routes.router, assessment_routes.router, program_routes.router, routes.router),
    singles=(Single("sharing", "SHARING", "Whether coaches may see what follows"),),
    # Exported and deleted with the account; not imported (a program is made from a submission).
    records=(
        Records(
            "assessment_submissions",
            kind=f"{_STORE}:SUBMISSIONS",
            export=f"{_PROGRAMS}:export_submission",
            description="Answers and scores",
        ),
        Records(
            "programs",
            kind=f"{_STORE}:PROGRAMS",
            export=f"{_PROGRAMS}:export_program",
            description="Programs, sessions done included",
        ),
    ),
)

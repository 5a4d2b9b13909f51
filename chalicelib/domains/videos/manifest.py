"""The tenant's video library and each member's progress in it."""

from chalicelib.domains.videos.routes import router
from chalicelib.manifest import Domain, Records

DOMAIN = Domain(
    "videos",
    routers=(router,),
    # Exported, not imported: progress only means something against a tenant's library.
    records=(
        Records(
            "video_progress",
            kind="chalicelib.domains.videos.progress_store:PROGRESS",
            export="chalicelib.domains.videos.progress_service:progress_record",
            description="How far you got in each video: video_id, tenant_id, position_s, …",
        ),
    ),
)

"""Uploaded images: pre-signed uploads, then used by a profile or a post."""

from chalicelib.domains.media.routes import router
from chalicelib.manifest import Domain, Records

DOMAIN = Domain(
    "media",
    routers=(router,),
    # Exported, not imported: the file is not in the document.
    records=(
        Records(
            "media",
            kind="chalicelib.domains.media.store:MEDIA",
            export="chalicelib.domains.media.service:media_record",
            description="What was uploaded and where it is used (not the files)",
        ),
    ),
)

"""A deleted post's likes, comments and media, erased from the table's stream.

`DELETE /posts/{id}` deletes the post item in one transaction and answers; the REMOVE record of
that item (its old image names the author and the media) brings the rest here. The stream's
ARN is fixed when the template is packaged (infra/), as for the webhook stream.
"""

from __future__ import annotations

import os
from typing import Any

from chalice import Blueprint

from chalicelib import deps

STREAM_ARN = os.environ.get(
    "TABLE_STREAM_ARN", "arn:aws:dynamodb:us-east-1:000000000000:table/stride/stream/set-by-template"
)
# Most records are not a post's deletion and cost nothing; one that is, a Query and a few batches.
BATCH_SIZE = 25

blueprint = Blueprint(__name__)


@blueprint.on_dynamodb_record(
    stream_arn=STREAM_ARN, batch_size=BATCH_SIZE, starting_position="TRIM_HORIZON", name="post_remains"
)
def erase_post_remains(event: Any) -> dict[str, Any]:
    return deps.social().on_stream(event.to_dict()["Records"])

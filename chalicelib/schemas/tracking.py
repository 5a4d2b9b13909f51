"""What the tracking lists share: range and page parameters, and the list envelope."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, pre_load, validate

from chalicelib.schemas.common import Moment, StrictInteger, StrictSchema

MAX_LIMIT = 100


class PageQuery(StrictSchema):
    limit = StrictInteger(validate=validate.Range(min=1, max=MAX_LIMIT), load_default=20)
    cursor = fields.String(validate=validate.Length(min=1, max=2048))

    @pre_load
    def limit_from_text(self, data: Any, **kwargs: Any) -> Any:
        # Query strings carry text: a limit arrives as "20".
        if (
            isinstance(data, dict)
            and isinstance(data.get("limit"), str)
            and data["limit"].isascii()
            and data["limit"].isdigit()
        ):
            return {**data, "limit": int(data["limit"])}
        return data


_RANGE = "`from` not after `to`, at most 366 days apart (a 400 otherwise)."


class RangeQuery(PageQuery):
    from_ = Moment(
        data_key="from",
        metadata={
            "description": f"The earliest (inclusive): a date-time, or a date (its whole day in your zone). {_RANGE}"
        },
    )
    to = Moment(
        metadata={
            "description": f"The latest (inclusive): a date-time, or a date (its whole day in your zone). {_RANGE}"
        }
    )

"""ISO-8601 date-times as the APIs write them, read into aware datetimes. No I/O here."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

__all__ = ["parse_datetime"]

_DATETIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?"
    r"(Z|z|[+-]\d{2}(?::?\d{2})?)?"
)


def parse_datetime(text: str) -> datetime:
    """An ISO-8601 date-time as an aware datetime; without a zone it is taken as UTC."""
    if not isinstance(text, str):
        raise ValueError(f"an ISO-8601 date-time must be a string, got {text!r}")
    match = _DATETIME.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"not an ISO-8601 date-time: {text!r}")
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    tz = timezone.utc
    if zone and zone not in ("Z", "z"):
        digits = zone[1:].replace(":", "")
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))
        tz = timezone(-offset if zone[0] == "-" else offset)
    return datetime(
        int(year),
        int(month),
        int(day),
        int(hour),
        int(minute),
        int(second or 0),
        int((fraction or "0")[:6].ljust(6, "0")),
        tzinfo=tz,
    )

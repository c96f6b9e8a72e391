"""Splitting a ``created_at`` range into disjoint windows, so that several cursors can list one
set of tasks at once without yielding a task twice or missing one.

Scale does not document whether ``start_time``/``end_time`` include their bound. So each
window asks the server for a little more than it owns (a millisecond on each side) and keeps
exactly what it owns, ``[start, end)``, on the client. A task stamped on a boundary is
fetched by both neighbours and kept by one.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import attrs

__all__ = ["Window", "format_time", "parse_time", "split"]

_MARGIN = timedelta(milliseconds=1)


def parse_time(value: str) -> datetime:
    """An ISO-8601 time as Scale writes it (``2024-05-01T12:00:00.123Z``), timezone-aware.

    A date alone is midnight UTC; a time without an offset is UTC.
    """
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def format_time(moment: datetime) -> str:
    """A UTC time with milliseconds, the way Scale writes ``created_at``."""
    utc = moment.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


@attrs.frozen
class Window:
    """The tasks created in ``[start, end)``; None means unbounded on that side."""

    start: datetime | None
    end: datetime | None

    def query(self) -> dict[str, str]:
        """``start_time``/``end_time`` for the server, a millisecond wider than the window."""
        bounds: dict[str, str] = {}
        if self.start is not None:
            bounds["start_time"] = format_time(self.start - _MARGIN)
        if self.end is not None:
            bounds["end_time"] = format_time(self.end + _MARGIN)
        return bounds

    def owns(self, created_at: str) -> bool:
        """Whether a task created at ``created_at`` belongs to this window."""
        moment = parse_time(created_at)
        if self.start is not None and moment < self.start:
            return False
        return not (self.end is not None and moment >= self.end)


def split(start: datetime, end: datetime, count: int) -> list[Window]:
    """``count`` adjacent windows covering all time, with inner boundaries spread evenly
    between ``start`` and ``end``: the first is open to the past, the last to the future."""
    if count < 1:
        raise ValueError(f"partitions must be at least 1, got {count}")
    if count == 1 or end <= start:
        return [Window(None, None)]
    step = (end - start) / count
    cuts = [start + step * i for i in range(1, count)]
    edges: list[datetime | None] = [None, *cuts, None]
    return [Window(edges[i], edges[i + 1]) for i in range(count)]

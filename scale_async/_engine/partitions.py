"""Splitting a ``created_at`` range into disjoint windows, so that several cursors can list one
set of tasks at once without yielding a task twice or missing one.

Scale does not document whether ``start_time``/``end_time`` include their bound. So each
window asks the server for a little more than it owns (a millisecond on each side) and keeps
exactly what it owns, ``[start, end)``, on the client. A task stamped on a boundary is
fetched by both neighbours and kept by one.

Evenly spaced windows are only as even as the data: tasks made in one burst a while after
their project sit in one or two windows while the others come back empty. So a listing
that walks its windows newest first can split the rest of a running walk when a walk ends
(``plan_splits``): what a walk has not reached yet (from its window's start to the oldest
item it has seen) is cut, the walk keeps the newest piece, and new walks take the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone

import attrs

__all__ = ["Progress", "Walk", "Window", "format_time", "parse_time", "plan_splits", "split"]

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
    #: Where a window open to the past begins in practice (the listing's start), so the
    #: rest of its walk can be split; not part of what the window owns.
    floor: datetime | None = attrs.field(default=None, eq=False, kw_only=True)

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
    return [Window(edges[i], edges[i + 1], floor=start if i == 0 else None) for i in range(count)]


@attrs.frozen
class Progress:
    """How far a newest-first walk of a window has come: enough to guess what is left."""

    #: Where the unwalked rest begins: the window's start (or floor).
    low: datetime
    #: The newest and oldest items the walk has seen, and how many it has seen.
    newest: datetime
    oldest: datetime
    seen: int
    #: The size of the walk's pages, in items.
    page: int

    def pages_left(self) -> float:
        """The pages the rest should hold if items are as dense there as in what was seen."""
        walked = max(self.newest - self.oldest, _MARGIN)
        return self.seen * ((self.oldest - self.low) / walked) / max(self.page, 1)


def plan_splits(walks: Sequence[Progress | None], idle: int) -> dict[int, list[datetime]]:
    """Where to cut the rests of running walks so that ``idle`` new walks can share them.

    ``walks`` are the running walks (None: no page seen yet, so nothing to go by). Each idle
    walk goes to the rest with the most pages left per walk, but a rest gets no more walks
    than the pages it should still hold, nor pieces shorter than 2 ms. The answer maps a
    walk's position to the cut times, ascending: new walks take ``[low, c1)``, ``[c1, c2)``
    ... and the walk itself keeps what is newer than the last cut.
    """
    shares = {i: 0 for i, walk in enumerate(walks) if walk is not None}

    def worth(i: int) -> float:
        walk = walks[i]
        assert walk is not None
        parts = shares[i] + 1  # the walk itself and the new walks it has been given
        left = walk.pages_left()
        if left < parts + 1 or (walk.oldest - walk.low) / (parts + 1) < 2 * _MARGIN:
            return 0.0  # one more piece would hold less than a page, or under 2 ms
        return left / parts

    for _ in range(idle):
        best = max(shares, key=worth, default=None)
        if best is None or worth(best) <= 0:
            break
        shares[best] += 1
    cuts: dict[int, list[datetime]] = {}
    for i, extra in shares.items():
        walk = walks[i]
        if extra and walk is not None:
            step = (walk.oldest - walk.low) / (extra + 1)
            cuts[i] = [walk.low + step * n for n in range(1, extra + 1)]
    return cuts


class Walk:
    """The state of one cursor of a partitioned walk: what it asks for, keeps, has seen."""

    __slots__ = ("asked", "newest", "oldest", "owns", "page", "running", "seen")

    def __init__(self, window: Window) -> None:
        #: The window the server is asked for (its cursor is tied to that query).
        self.asked = window
        #: The part of it this walk hands over: it shrinks from below when split.
        self.owns = window
        self.running = True
        self.newest: datetime | None = None
        self.oldest: datetime | None = None
        self.seen = 0
        self.page = 0

    def saw(self, newest: datetime, oldest: datetime, count: int) -> None:
        """Note a page: its newest and oldest items' times and its size."""
        if self.newest is None:
            self.newest = newest
        self.oldest = oldest
        self.seen += count
        self.page = max(self.page, count)

    def progress(self) -> Progress | None:
        """What ``plan_splits`` goes by; None while there is nothing to go by."""
        low = self.owns.start if self.owns.start is not None else self.owns.floor
        if not self.running or low is None or self.newest is None or self.oldest is None:
            return None
        return Progress(low, self.newest, self.oldest, self.seen, self.page)

    def split(self, cuts: list[datetime]) -> list[Window]:
        """Keep what is newer than the last cut; the windows below it, for new walks."""
        edges: list[datetime | None] = [self.owns.start, *cuts]
        pieces = [
            Window(edges[n], edges[n + 1], floor=self.owns.floor if n == 0 else None)
            for n in range(len(cuts))
        ]
        self.owns = Window(cuts[-1], self.owns.end)
        return pieces

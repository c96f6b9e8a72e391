"""The progress display: a pure formatter, and a renderer that decides when and how to draw.

Why two parts: what a line says (counts, rate, ETA) is tested as plain functions, while the
renderer only handles the terminal. On a TTY it redraws one line in place with a carriage
return, at most ten times a second, so a fast job does not spend its time printing; anywhere
else (CI logs, a file) it writes a plain line every few seconds, because carriage returns
turn a log into one unreadable line.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

__all__ = [
    "ProgressRenderer",
    "Snapshot",
    "format_count",
    "format_duration",
    "format_progress",
    "format_rate",
]


#: Seconds of history needed before an ETA means anything.
ETA_AFTER = 1.0


@dataclass(frozen=True)
class Snapshot:
    """Where a job stands: items done and failed out of ``total`` (None if unknown)."""

    done: int
    failed: int
    total: int | None
    elapsed: float

    @property
    def processed(self) -> int:
        """Items finished either way."""
        return self.done + self.failed

    @property
    def rate(self) -> float:
        """Items finished per second since the start."""
        return self.processed / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left at the current rate; None while the rate or the total is unknown.

        The first second's rate is mostly start-up (connections, the first responses), so no
        ETA is guessed from it.
        """
        if self.total is not None and self.processed >= self.total:
            return 0.0
        if self.total is None or self.rate <= 0 or self.elapsed < ETA_AFTER:
            return None
        return max(0, self.total - self.processed) / self.rate


def format_count(n: int) -> str:
    """``12,345``: counts in the tens of thousands stay readable at a glance."""
    return f"{n:,}"


def format_duration(seconds: float | None) -> str:
    """``0:07``, ``12:03`` or ``1:02:03``; ``--:--`` when unknown."""
    if seconds is None or seconds != seconds or seconds == float("inf"):
        return "--:--"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_rate(rate: float) -> str:
    """Items per second, with one decimal below 100 so slow jobs do not read as ``0/s``."""
    return f"{rate:,.0f}/s" if rate >= 100 else f"{rate:.1f}/s"


def format_progress(label: str, snap: Snapshot, *, outcomes: bool = True) -> str:
    """One status line, e.g. ``tasks 1,234/2,000 61.7%  ok 1,230  failed 4  412/s  ETA 0:02``.

    ``outcomes=False`` leaves out the ok/failed split, for jobs where nothing can fail per
    item (an export either goes on or stops).
    """
    parts = [label]
    if snap.total is not None:
        shown = f"{format_count(snap.processed)}/{format_count(snap.total)}"
        if snap.total > 0:
            shown += f" {min(100.0, 100.0 * snap.processed / snap.total):.1f}%"
        parts.append(shown)
    else:
        parts.append(format_count(snap.processed))
    if outcomes:
        parts.append(f"ok {format_count(snap.done)}")
        parts.append(f"failed {format_count(snap.failed)}")
    parts.append(format_rate(snap.rate))
    if snap.total is not None:
        parts.append(f"ETA {format_duration(snap.eta)}")
    parts.append(f"elapsed {format_duration(snap.elapsed)}")
    return "  ".join(parts)


class ProgressRenderer:
    """Draws ``format_progress`` lines on ``stream`` (stderr), throttled.

    ``tty`` defaults to ``stream.isatty()``. Call ``update`` as often as you like; ``close``
    draws the final state (and ends the in-place line on a TTY). ``clock`` is injectable so
    the throttling is testable without waiting. ``outcomes`` is ``format_progress``'s.
    """

    def __init__(
        self,
        label: str,
        total: int | None,
        stream: TextIO,
        *,
        tty: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
        tty_interval: float = 0.1,
        plain_interval: float = 5.0,
        width: int | None = None,
        outcomes: bool = True,
    ) -> None:
        self.label = label
        self.outcomes = outcomes
        self.total = total
        self._stream = stream
        self._tty = stream.isatty() if tty is None else tty
        self._clock = clock
        self._interval = tty_interval if self._tty else plain_interval
        self._width = width or shutil.get_terminal_size((100, 20)).columns
        self._started = clock()
        # A terminal shows the line at once; a log gets its first line after one interval,
        # so a quick job logs only its final line.
        self._last_drawn: float | None = None if self._tty else self._started
        self._shown = 0
        self._done = 0
        self._failed = 0
        self._closed = False

    def snapshot(self) -> Snapshot:
        """The state as the next line would show it."""
        return Snapshot(self._done, self._failed, self.total, self._clock() - self._started)

    def update(self, done: int, failed: int) -> None:
        """Record the new counts; draw if the last line is old enough."""
        self._done, self._failed = done, failed
        now = self._clock()
        if self._last_drawn is None or now - self._last_drawn >= self._interval:
            self._draw(now)

    def close(self) -> None:
        """Draw the final counts once; later calls do nothing."""
        if self._closed:
            return
        self._closed = True
        self._draw(self._clock())
        if self._tty:
            self._stream.write("\n")
            self._stream.flush()

    def __enter__(self) -> ProgressRenderer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _draw(self, now: float) -> None:
        self._last_drawn = now
        line = format_progress(self.label, self.snapshot(), outcomes=self.outcomes)
        if self._tty:
            # Stay on one terminal row: a wrapped line would break the carriage return.
            line = line[: max(1, self._width - 1)]
            padding = " " * max(0, self._shown - len(line))
            self._shown = len(line)
            self._stream.write(f"\r{line}{padding}")
        else:
            self._stream.write(f"{line}\n")
        self._stream.flush()

"""What the progress display says, as pure functions: counts, pace, ETA, retries and pauses.

Why apart from the drawing (``_display``): what a line says is tested as plain functions with
an injected clock, while ``_display`` only decides where and when to draw it (a rich bar on a
terminal, a throttled plain line in a log).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from scale_async import ScaleException, ScaleTooManyRequests, ScaleTransportError

__all__ = [
    "RetryWatch",
    "Snapshot",
    "format_count",
    "format_duration",
    "format_progress",
    "format_rate",
    "retry_reason",
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


def format_progress(label: str, snap: Snapshot, *, outcomes: bool = True, status: str = "") -> str:
    """One status line, e.g. ``tasks 1,234/2,000 61.7%  ok 1,230  failed 4  412/s  ETA 0:02``.

    ``status`` (``RetryWatch.status``) is appended: why the job is slow, if it is.
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
    if status:
        parts.append(status)
    return "  ".join(parts)


def retry_reason(error: BaseException) -> str:
    """Why a request is being retried, in a few words (``rate limited``, ``server error 503``)."""
    if isinstance(error, ScaleTooManyRequests):
        return "rate limited"
    if isinstance(error, ScaleTransportError):
        return "connection failed"
    code = error.code if isinstance(error, ScaleException) else None
    if isinstance(code, int):
        return f"server error {code}" if code >= 500 else f"HTTP {code}"
    return type(error).__name__


#: Seconds a retry's reason stays on screen after it happened.
REASON_SHOWN_FOR = 3.0


class RetryWatch:
    """Counts the client's retries and tracks its pauses, from ``RetryPolicy.on_retry``.

    A 429 closes the client's pause gate for the advised time: every request waits, which is
    what turns 900 tasks/s into 50/s. The watch keeps that deadline, so the display can say
    ``paused 4.0 s: rate limited`` while it lasts, and the summary how long was spent paused.
    The clock is the one the display uses (monotonic seconds); nothing here does I/O.
    """

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self.retries = 0
        self.rate_limited = 0
        self.paused_total = 0.0
        self._paused_until = 0.0
        self._reason = ""
        self._reason_at = -REASON_SHOWN_FOR
        #: Called when a pause starts while none was on: a log can say so at once.
        self.on_pause: list[Callable[[], object]] = []

    def __call__(self, error: BaseException, delay: float) -> None:
        """Record one retry: ``error`` is what failed, ``delay`` the wait before the next try."""
        now = self._clock()
        self.retries += 1
        if not isinstance(error, ScaleTooManyRequests):  # a 429 shows as its pause instead
            self._reason, self._reason_at = retry_reason(error), now
            return
        self.rate_limited += 1
        until = now + max(0.0, delay)
        was_open = self._paused_until <= now
        if until > self._paused_until:
            self.paused_total += until - max(self._paused_until, now)
            self._paused_until = until
        if was_open and until > now:
            for listener in self.on_pause:
                listener()

    def paused_for(self) -> float:
        """Seconds left in the current rate-limit pause (0 when none)."""
        return max(0.0, self._paused_until - self._clock())

    def status(self) -> str:
        """``retries 12  paused 3.2 s: rate limited``; empty while nothing was retried."""
        if not self.retries:
            return ""
        parts = [f"retries {format_count(self.retries)}"]
        left = self.paused_for()
        if left > 0:
            parts.append(f"paused {left:.1f} s: rate limited")
        elif self._clock() - self._reason_at < REASON_SHOWN_FOR:
            parts.append(f"retrying: {self._reason}")
        return "  ".join(parts)

    def summary(self) -> str:
        """For the closing lines: ``37 retries: 12 rate limited, paused 9.5 s``; or empty."""
        if not self.retries:
            return ""
        text = f"{format_count(self.retries)} {'retry' if self.retries == 1 else 'retries'}"
        if self.rate_limited:
            text += (
                f": {format_count(self.rate_limited)} rate limited, paused "
                f"{self.paused_total:.1f} s"
            )
        return text

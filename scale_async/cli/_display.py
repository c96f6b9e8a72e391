"""Drawing progress on stderr: a rich bar on a terminal, a throttled plain line anywhere else.

Why rich on a terminal: a bar with count, percentage, rate, ETA, ok/failed and the reason a
job is slow (``paused 4.0 s: rate limited``) is what users of pip, httpx and the like expect,
and rich redraws it in place, ten times a second, from its own thread, so a pause is counted
down even while no result arrives. Why plain lines elsewhere: CI logs and files turn in-place
redraws into noise, so there a whole line is written every few seconds, and the last one at the
end. What the lines say comes from ``_progress`` (pure, tested on its own).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Protocol, TextIO, TypeVar

from ._progress import (
    RetryWatch,
    Snapshot,
    format_count,
    format_duration,
    format_progress,
    format_rate,
)

if TYPE_CHECKING:
    from rich.progress import Progress, Task
    from rich.text import Text

D = TypeVar("D", bound="_Closing")

__all__ = ["Display", "PlainDisplay", "RichDisplay", "open_display"]

#: Seconds between two plain lines in a log.
PLAIN_INTERVAL = 5.0


class Display(Protocol):
    """What a command needs from a progress display."""

    def update(self, done: int, failed: int) -> None:
        """Record the new counts (drawn when the display sees fit)."""

    def close(self) -> None:
        """Draw the final state; later calls do nothing."""


class _Counts:
    """The state both displays draw: counts, start time, and the retry watch."""

    def __init__(
        self,
        label: str,
        total: int | None,
        clock: Callable[[], float],
        watch: RetryWatch | None,
        outcomes: bool,
    ) -> None:
        self.label = label
        self.total = total
        self.clock = clock
        self.watch = watch
        self.outcomes = outcomes
        self.started = clock()
        self.done = 0
        self.failed = 0

    def snapshot(self) -> Snapshot:
        return Snapshot(self.done, self.failed, self.total, self.clock() - self.started)

    def status(self) -> str:
        return self.watch.status() if self.watch is not None else ""


class _Closing:
    """``with display:`` closes it (draws the final state) on the way out."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self: D) -> D:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class PlainDisplay(_Closing):
    """Whole lines, at most one per ``interval`` seconds, then the final one on ``close``.

    The first line comes after one interval, so a quick job logs only its final line. A
    rate-limit pause that starts is logged at once (within the same limit of one line per
    interval), since no result arrives during it to trigger a line.
    """

    def __init__(
        self,
        label: str,
        total: int | None,
        stream: TextIO,
        *,
        clock: Callable[[], float] = time.monotonic,
        watch: RetryWatch | None = None,
        outcomes: bool = True,
        interval: float = PLAIN_INTERVAL,
    ) -> None:
        self._counts = _Counts(label, total, clock, watch, outcomes)
        self._stream = stream
        self._interval = interval
        self._last = self._counts.started
        self._closed = False
        if watch is not None:
            # During a pause no result arrives to trigger a line: say so when it starts.
            watch.on_pause.append(self._tick)

    def update(self, done: int, failed: int) -> None:
        """Record the counts; write a line if the last one is ``interval`` old."""
        counts = self._counts
        counts.done, counts.failed = done, failed
        self._tick()

    def _tick(self) -> None:
        if not self._closed and self._counts.clock() - self._last >= self._interval:
            self._draw()

    def close(self) -> None:
        """Write the final line once."""
        if not self._closed:
            self._closed = True
            self._draw()

    def _draw(self) -> None:
        counts = self._counts
        self._last = counts.clock()
        line = format_progress(
            counts.label, counts.snapshot(), outcomes=counts.outcomes, status=counts.status()
        )
        self._stream.write(line + "\n")
        self._stream.flush()


class RichDisplay(_Closing):
    """A rich progress bar, redrawn in place from rich's refresh thread.

    Columns: label, bar, ``done/total``, percentage, rate, ETA and ``ok N  failed M``, within
    80 columns; the retry status (``retries 3  paused 4.0 s: rate limited``) gets a line of its
    own under the bar, while there is one. Log lines written to ``sys.stderr`` meanwhile
    (``-v``) appear above the bar. ``width`` fixes the console's width (tests).
    """

    def __init__(
        self,
        label: str,
        total: int | None,
        stream: TextIO,
        *,
        clock: Callable[[], float] = time.monotonic,
        watch: RetryWatch | None = None,
        outcomes: bool = True,
        refresh_per_second: float = 10,
        width: int | None = None,
    ) -> None:
        from rich.console import Console

        self._counts = _Counts(label, total, clock, watch, outcomes)
        self._progress = _rich_progress(
            Console(file=stream, width=width), self._counts, refresh_per_second=refresh_per_second
        )
        self._task = self._progress.add_task(label, total=total)
        self._progress.start()
        self._closed = False

    def update(self, done: int, failed: int) -> None:
        """Record the counts; the refresh thread draws them."""
        self._counts.done, self._counts.failed = done, failed
        self._progress.update(self._task, completed=done + failed)

    def close(self) -> None:
        """Draw the final state and leave it on screen."""
        if not self._closed:
            self._closed = True
            self._progress.refresh()
            self._progress.stop()


def _rich_progress(console: object, counts: _Counts, *, refresh_per_second: float) -> Progress:
    from rich.console import RenderableType
    from rich.progress import (
        BarColumn,
        Progress,
        ProgressColumn,
        TaskProgressColumn,
        TextColumn,
    )
    from rich.text import Text

    class WithStatus(Progress):
        """The bar, then the retry status on its own line while there is one."""

        def get_renderables(self) -> Iterable[RenderableType]:
            yield from super().get_renderables()
            status = counts.status()
            if status:
                yield Text(f"  {status}", style="yellow")

    class Count(ProgressColumn):
        def render(self, task: Task) -> Text:
            snap = counts.snapshot()
            shown = format_count(snap.processed)
            if snap.total is not None:
                shown += f"/{format_count(snap.total)}"
            return Text(shown, style="progress.download")

    class Eta(ProgressColumn):
        def render(self, task: Task) -> Text:
            return Text(f"ETA {format_duration(counts.snapshot().eta)}", style="progress.remaining")

    class Rate(ProgressColumn):
        def render(self, task: Task) -> Text:
            return Text(format_rate(counts.snapshot().rate), style="progress.data.speed")

    class Outcomes(ProgressColumn):
        def render(self, task: Task) -> Text:
            text = Text()
            text.append(f"ok {format_count(counts.done)}", style="green")
            text.append("  ")
            text.append(
                f"failed {format_count(counts.failed)}", style="red" if counts.failed else ""
            )
            return text

    columns: list[ProgressColumn | str] = [
        TextColumn("[bold]{task.description}"),
        BarColumn(bar_width=20),
        Count(),
        TaskProgressColumn(),
        Rate(),
        Eta(),
    ]
    if counts.outcomes:
        columns.append(Outcomes())
    return WithStatus(
        *columns,
        console=console,  # type: ignore[arg-type]
        refresh_per_second=refresh_per_second,
        redirect_stdout=False,
        redirect_stderr=True,
        get_time=counts.clock,
    )


def open_display(
    label: str,
    total: int | None,
    stream: TextIO,
    *,
    watch: RetryWatch | None = None,
    outcomes: bool = True,
    tty: bool | None = None,
) -> RichDisplay | PlainDisplay:
    """The display that suits ``stream``: a rich bar on a terminal, plain lines elsewhere."""
    on_terminal = stream.isatty() if tty is None else tty
    kind = RichDisplay if on_terminal else PlainDisplay
    return kind(label, total, stream, watch=watch, outcomes=outcomes)

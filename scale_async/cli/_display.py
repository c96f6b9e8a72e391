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

import attrs

from ._progress import (
    RetryWatch,
    Snapshot,
    format_count,
    format_duration,
    format_progress,
    format_rate,
)

if TYPE_CHECKING:
    from rich.progress import Progress, Task, TaskID
    from rich.text import Text

D = TypeVar("D", bound="_Counts")

__all__ = ["Display", "PlainDisplay", "RichDisplay", "open_display"]

#: Seconds between two plain lines in a log.
PLAIN_INTERVAL = 5.0


class Display(Protocol):
    """What a command needs from a progress display."""

    def update(self, done: int, failed: int) -> None:
        """Record the new counts (drawn when the display sees fit)."""

    def close(self) -> None:
        """Draw the final state; later calls do nothing."""


@attrs.define(eq=False)
class _Counts:
    """What both displays are built from and draw: counts, start time, the retry watch.

    ``clock`` times the rate and the ETA (tests give a fake one); ``watch`` says why a job
    is slow; ``outcomes`` shows ``ok N  failed M``.
    """

    label: str
    total: int | None
    _stream: TextIO
    clock: Callable[[], float] = attrs.field(default=time.monotonic, kw_only=True)
    watch: RetryWatch | None = attrs.field(default=None, kw_only=True)
    outcomes: bool = attrs.field(default=True, kw_only=True)
    started: float = attrs.field(init=False)
    done: int = attrs.field(init=False, default=0)
    failed: int = attrs.field(init=False, default=0)
    _closed: bool = attrs.field(init=False, default=False)

    def __attrs_post_init__(self) -> None:
        self.started = self.clock()

    def snapshot(self) -> Snapshot:
        return Snapshot(self.done, self.failed, self.total, self.clock() - self.started)

    def status(self) -> str:
        return self.watch.status() if self.watch is not None else ""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self: D) -> D:
        """``with display:`` closes it (draws the final state) on the way out."""
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


@attrs.define(eq=False)
class PlainDisplay(_Counts):
    """Whole lines, at most one per ``interval`` seconds, then the final one on ``close``.

    The first line comes after one interval, so a quick job logs only its final line. A
    rate-limit pause that starts is logged at once (within the same limit of one line per
    interval), since no result arrives during it to trigger a line.
    """

    _interval: float = attrs.field(default=PLAIN_INTERVAL, kw_only=True)
    _last: float = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        self._last = self.started
        if self.watch is not None:
            # During a pause no result arrives to trigger a line: say so when it starts.
            self.watch.on_pause.append(self._tick)

    def update(self, done: int, failed: int) -> None:
        """Record the counts; write a line if the last one is ``interval`` old."""
        self.done, self.failed = done, failed
        self._tick()

    def _tick(self) -> None:
        if not self._closed and self.clock() - self._last >= self._interval:
            self._draw()

    def close(self) -> None:
        """Write the final line once."""
        if not self._closed:
            self._closed = True
            self._draw()

    def _draw(self) -> None:
        self._last = self.clock()
        line = format_progress(
            self.label, self.snapshot(), outcomes=self.outcomes, status=self.status()
        )
        self._stream.write(line + "\n")
        self._stream.flush()


@attrs.define(eq=False)
class RichDisplay(_Counts):
    """A rich progress bar, redrawn in place from rich's refresh thread.

    Columns: label, bar, ``done/total``, percentage, rate, ETA and ``ok N  failed M``, within
    80 columns; the retry status (``retries 3  paused 4.0 s: rate limited``) gets a line of its
    own under the bar, while there is one. Log lines written to ``sys.stderr`` meanwhile
    (``-v``) appear above the bar. ``width`` fixes the console's width (tests).
    """

    _refresh_per_second: float = attrs.field(default=10, kw_only=True)
    _width: int | None = attrs.field(default=None, kw_only=True)
    _progress: Progress = attrs.field(init=False)
    _task: TaskID = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        from rich.console import Console

        super().__attrs_post_init__()
        self._progress = _rich_progress(
            Console(file=self._stream, width=self._width),
            self,
            refresh_per_second=self._refresh_per_second,
        )
        self._task = self._progress.add_task(self.label, total=self.total)
        self._progress.start()

    def update(self, done: int, failed: int) -> None:
        """Record the counts; the refresh thread draws them."""
        self.done, self.failed = done, failed
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

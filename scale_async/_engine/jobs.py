"""The bounded-concurrency engine behind every bulk operation.

Input is pulled lazily, one item per free worker, so a generator of ten million payloads is
never materialised, and workers start only as items arrive. Every item read ends as exactly
one result: done, failed (with its input and the error) or, when the job stops early, not
attempted.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Iterator,
)
from typing import Any, Generic, TypeVar

import anyio
import attrs
from anyio.abc import TaskGroup

from ..exceptions import ScaleClientClosed, ScaleForbidden, ScaleTransportError, ScaleUnauthorized
from .checks import require_int

__all__ = ["UNREACHABLE_STREAK", "BulkStream", "Job", "Progress", "StopRule"]


T = TypeVar("T")


R = TypeVar("R")


@attrs.frozen(kw_only=True)
class Progress:
    """A snapshot for progress callbacks: items finished, failed, in flight, and the pace."""

    done: int
    failed: int
    in_flight: int
    elapsed: float

    @property
    def rate(self) -> float:
        """Items finished (successfully or not) per second so far."""
        return (self.done + self.failed) / self.elapsed if self.elapsed > 0 else 0.0


class _Feed(Generic[T]):
    """The job's input, shared by its workers: each ``take()`` reads the next item.

    A plain iterator is read without any locking (no await in between, so no other worker
    can interleave); an async one under a lock, since an async generator must not be
    re-entered. The first error the input raises ends the feed and is kept as ``broken``.
    """

    def __init__(self, source: Iterable[T] | AsyncIterable[T]) -> None:
        self._source = source
        self._sync: Iterator[T] | None = None
        self._async: AsyncIterator[T] | None = None
        if isinstance(source, AsyncIterable):
            self._async = source.__aiter__()
            self._lock: anyio.Lock | None = anyio.Lock()
        else:
            self._sync = iter(source)
            self._lock = None
        self._next_index = 0
        self.closed = False
        self.broken: BaseException | None = None

    def _numbered(self, item: T) -> tuple[int, T]:
        index = self._next_index
        self._next_index = index + 1
        return index, item

    def _end(self, exc: Exception) -> None:
        """The input is over, or it broke (a generator raised): what was read is still
        worked on, and the error is reported as why the job ended early."""
        if not isinstance(exc, StopIteration | StopAsyncIteration):
            self.broken = exc
        self.closed = True

    async def take(self) -> tuple[int, T] | None:
        """The next item with its index, or None once the input is over or the feed closed."""
        if self.closed:
            return None
        if self._sync is not None:
            try:
                return self._numbered(next(self._sync))
            except Exception as exc:
                self._end(exc)
                return None
        assert self._async is not None
        assert self._lock is not None
        async with self._lock:
            if self.closed:
                return None
            try:
                return self._numbered(await self._async.__anext__())
            except Exception as exc:
                self._end(exc)
                return None

    async def aclose(self) -> None:
        """Abandoned by a stop: an async generator given as input is closed, not leaked."""
        self.closed = True
        if inspect.isasyncgen(self._source):
            await self._source.aclose()


@attrs.define(kw_only=True)
class Job(Generic[T, R]):
    """One bulk job: how to handle an item, what counts as failure, when to stop.

    ``handle`` never raises for an item's own failure; it returns a failure result.
    ``fatal`` names the results that end the job (and why); ``skipped`` builds the result of
    an item read but not attempted because the job stopped.
    """

    handle: Callable[[int, T], Awaitable[R]]
    failed: Callable[[R], bool]
    fatal: Callable[[R], BaseException | None]
    skipped: Callable[[int, T, BaseException], R]
    concurrency: int
    progress: Callable[[Progress], object] | None = None
    clock: Callable[[], float] = time.monotonic

    async def run(
        self, source: Iterable[T] | AsyncIterable[T], emit: Callable[[R], Awaitable[None]]
    ) -> BaseException | None:
        """Feed ``source`` through ``handle`` and ``emit`` every result; return the stop reason.

        Workers share one reader of the input and start only as items arrive, so there are
        never more of them than items in flight: three payloads at ``concurrency=100_000``
        start three.
        """
        require_int("concurrency", self.concurrency)
        feed = _Feed(source)
        started = self.clock()
        counts = {"done": 0, "failed": 0, "in_flight": 0}
        stop: list[BaseException] = []

        def report() -> None:
            if self.progress is not None:
                self.progress(
                    Progress(
                        done=counts["done"],
                        failed=counts["failed"],
                        in_flight=counts["in_flight"],
                        elapsed=self.clock() - started,
                    )
                )

        async def work(first: tuple[int, T]) -> None:
            numbered: tuple[int, T] | None = first
            while numbered is not None:
                index, item = numbered
                if stop:
                    result = self.skipped(index, item, stop[0])
                else:
                    counts["in_flight"] += 1
                    try:
                        result = await self.handle(index, item)
                    finally:
                        counts["in_flight"] -= 1
                    reason = self.fatal(result)
                    if reason is not None and not stop:
                        stop.append(reason)
                        feed.closed = True
                counts["failed" if self.failed(result) else "done"] += 1
                await emit(result)
                report()
                # A transport that never waits (an in-process fake) must not let one worker
                # run the whole input without the others, or a cancellation, getting a turn.
                await anyio.lowlevel.checkpoint()
                numbered = await feed.take()

        try:
            async with anyio.create_task_group() as tg:
                for _ in range(self.concurrency):
                    numbered = await feed.take()
                    if numbered is None:
                        break
                    tg.start_soon(work, numbered)
        finally:
            await feed.aclose()
        if stop:
            return stop[0]
        return feed.broken


class BulkStream(Generic[R], AsyncIterator[R]):
    """Results of a bulk job as they complete.

    Use as ``async with stream as results: async for r in results``. The job runs while
    the block is open; leaving it early cancels the work in flight.
    Memory stays bounded: workers wait while the consumer is behind.
    """

    def __init__(
        self,
        run: Callable[[Callable[[R], Awaitable[None]]], Awaitable[object]],
        buffer: int,
    ) -> None:
        self._run = run
        self._buffer = buffer
        self._group: TaskGroup | None = None

    async def __aenter__(self) -> BulkStream[R]:
        send, self._receive = anyio.create_memory_object_stream[R](self._buffer)

        async def produce() -> None:
            async with send:
                await self._run(send.send)

        self._group = anyio.create_task_group()
        await self._group.__aenter__()
        self._group.start_soon(produce)
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        assert self._group is not None
        # The consumer is done (or left early): stop the job. The consumer's own exception,
        # if any, propagates by itself; it is not the job's to report.
        self._group.cancel_scope.cancel()
        self._receive.close()
        await self._group.__aexit__(None, None, None)

    def __aiter__(self) -> BulkStream[R]:
        return self

    async def __anext__(self) -> R:
        if self._group is None:
            raise RuntimeError("use the stream as `async with ... as results:` first")
        try:
            return await self._receive.receive()
        except anyio.EndOfStream:
            raise StopAsyncIteration from None

    async def next_batch(self) -> list[R] | None:
        """Every result ready now (waiting for at least one); None at the end.

        The sync client uses this to cross its event loop once per batch, not per item.
        """
        try:
            batch = [await self.__anext__()]
        except StopAsyncIteration:
            return None
        while True:
            try:
                batch.append(self._receive.receive_nowait())
            except (anyio.WouldBlock, anyio.EndOfStream):
                return batch


#: Results in a row whose request could not reach the server, even after its retries, that
#: make a job conclude the server is gone (one alone may be a blip of a healthy server).
UNREACHABLE_STREAK = 16


class StopRule:
    """Why a failure ends the job: always for bad credentials or a closed client; for a
    server that could not be reached by ``UNREACHABLE_STREAK`` requests in a row (every
    other input would fail the same way, one by one, each after its retries); for any
    failure with stop_on_error."""

    def __init__(self, stop_on_error: bool) -> None:
        self._stop_on_error = stop_on_error
        self._unreachable = 0

    def __call__(self, result: object) -> BaseException | None:
        error: BaseException | None = getattr(result, "error", None)
        if isinstance(error, ScaleTransportError) and not error.sent:
            self._unreachable += 1
        else:
            self._unreachable = 0
        if error is None:
            return None
        if self._stop_on_error or isinstance(
            error, ScaleUnauthorized | ScaleForbidden | ScaleClientClosed
        ):
            return error
        return error if self._unreachable >= UNREACHABLE_STREAK else None

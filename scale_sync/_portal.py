"""One long-lived event loop thread per sync client, reached through an anyio blocking portal.

The sync layer runs the async core unchanged on this loop, so retries, pagination and bulk
concurrency behave exactly as they do for async callers. Rules learnt the hard way:

* one portal per client, started on first use: a portal per call costs ~30 ms;
* the loop thread is a daemon, so a client nobody closed cannot hang interpreter exit;
* after ``fork()`` the child starts its own loop (the inherited one has no thread);
* a call from the loop thread itself is refused with a clear error instead of a deadlock;
* Ctrl-C in the caller cancels the work running in the loop.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import queue
import threading
import weakref
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import CancelledError, Future
from typing import Any, ParamSpec, TypeVar

import anyio
from anyio.from_thread import BlockingPortal

from scale_async.exceptions import ScaleClientClosed

__all__ = ["PortalRunner"]

T = TypeVar("T")
P = ParamSpec("P")

_live_runners: weakref.WeakSet[PortalRunner] = weakref.WeakSet()

#: Seconds close() gives the calls it cut to return (a bulk job its partial result).
CLOSE_GRACE = 5.0


class PortalRunner:
    """Runs coroutines for one sync client on a private event loop thread."""

    def __init__(
        self,
        *,
        backend: str = "asyncio",
        on_fork: Callable[[], None] | None = None,
        on_close: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self._backend = backend
        self._on_fork = on_fork
        self._on_close = on_close
        self._lock = threading.Lock()
        self._portal: BlockingPortal | None = None
        #: The portal close() is stopping; calls on it end as ScaleClientClosed.
        self._stopping: BlockingPortal | None = None
        #: Calls running on the loop now (touched on the loop thread only).
        self._running = 0
        self._idle: anyio.Event | None = None
        self._thread: threading.Thread | None = None
        self._pid = os.getpid()
        _live_runners.add(self)

    def __repr__(self) -> str:
        state = "running" if self._portal is not None else "idle"
        return f"<PortalRunner {self._backend} {state}>"

    def _check_fork(self) -> None:
        if os.getpid() != self._pid:
            # The parent's loop thread did not survive the fork; its sockets are the
            # parent's. Forget both without touching them and start afresh.
            self._pid = os.getpid()
            self._portal = None
            self._stopping = None
            self._running = 0
            self._idle = None
            self._thread = None
            self._lock = threading.Lock()
            if self._on_fork is not None:
                self._on_fork()

    def _ensure_started(self) -> BlockingPortal:
        self._check_fork()
        portal = self._portal
        if portal is not None:
            return portal
        with self._lock:
            if self._portal is None:
                self._start()
            assert self._portal is not None
            return self._portal

    def _start(self) -> None:
        ready = threading.Event()
        failure: list[BaseException] = []

        async def serve() -> None:
            try:
                async with BlockingPortal() as portal:
                    self._portal = portal
                    ready.set()
                    await portal.sleep_until_stopped()
            finally:
                ready.set()

        def run() -> None:
            try:
                anyio.run(serve, backend=self._backend)
            except BaseException as exc:  # pragma: no cover - surfaced to the caller below
                failure.append(exc)
                ready.set()

        thread = threading.Thread(target=run, name="scale-sync-loop", daemon=True)
        thread.start()
        ready.wait()
        if failure:  # pragma: no cover
            raise RuntimeError("the scale_sync event loop failed to start") from failure[0]
        self._thread = thread

    def _refuse_reentry(self) -> None:
        if self._thread is not None and threading.current_thread() is self._thread:
            raise RuntimeError(
                "scale_sync client called from its own event loop thread (for instance from "
                "a progress callback); use the AsyncScaleClient with await there instead"
            )

    def call(self, func: Callable[P, Awaitable[T]], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``await func(*args, **kwargs)`` on the loop and return its result."""
        self._refuse_reentry()
        return self._call_on(self._ensure_started(), func, *args, **kwargs)

    def _call_ended(self) -> None:
        """One call on the loop is over; the last one wakes a ``close()`` waiting for it."""
        self._running -= 1
        if not self._running and self._idle is not None:
            self._idle.set()

    def _gone(self, portal: BlockingPortal) -> bool:
        """Whether ``close()`` has stopped (or is stopping) ``portal``."""
        return portal is self._stopping or self._portal is not portal

    def _call_on(
        self,
        portal: BlockingPortal,
        func: Callable[P, Awaitable[T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        if self._gone(portal):
            raise ScaleClientClosed("the client was closed")
        # A Ctrl-C can land while the task is being started, before there is a future to
        # cancel; the task's own scope, shared through ``box``, can be cancelled either way.
        box: dict[str, Any] = {}

        async def run() -> T:
            self._running += 1
            try:
                with anyio.CancelScope() as scope:
                    box["scope"] = scope
                    if box.get("abandoned"):
                        scope.cancel()
                    return await func(*args, **kwargs)
            finally:
                self._call_ended()
            raise RuntimeError("the caller was interrupted")  # nobody waits for this any more

        try:
            future: Future[T] = portal.start_task_soon(run)
            return future.result()
        except (CancelledError, RuntimeError):
            # The loop was stopped under this call ("This portal is not running", or the
            # call cancelled with the loop): say so, as the async core does for its calls.
            if not self._gone(portal):
                raise
            raise ScaleClientClosed("the client was closed while this call was in flight") from (
                None
            )
        except BaseException:
            # KeyboardInterrupt (or any other interruption of the wait): stop the work too.
            box["abandoned"] = True
            scope = box.get("scope")
            if scope is not None:
                with contextlib.suppress(RuntimeError):
                    portal.call(scope.cancel)
            raise

    def iterate(
        self,
        source: Any,
        take: Callable[[Any], Awaitable[list[Any] | None]],
        convert: Callable[[Any], T],
    ) -> Iterator[T]:
        """Yield the items of an async source, one chunk per request to the loop.

        ``source`` is an async context manager (a page iterator, a bulk stream) entered and
        left on the loop; ``take`` gets its next chunk, None at the end, and ``convert`` makes
        each of its items what the caller gets, in the caller's thread. One task on the loop
        (``_Pump``) holds the block open and takes a chunk each time the caller asks, which
        is when it has handed out the previous one: the same pace as a call per chunk, but
        without a task started and answered per chunk. Leaving the loop early (``break``,
        an exception, Ctrl-C, garbage collection) cancels the pump, which leaves the block
        on the loop and so cancels whatever it still had in flight; the caller waits for it.
        """
        self._refuse_reentry()
        portal = self._ensure_started()
        if self._gone(portal):
            raise ScaleClientClosed("the client was closed")
        pump = _Pump(self, source, take)
        try:
            done = portal.start_task_soon(pump.run)
        except RuntimeError:
            raise ScaleClientClosed("the client was closed") from None
        ended = False
        try:
            while True:
                chunk = pump.answer()
                if chunk is None:
                    ended = True
                    if self._gone(portal):
                        raise ScaleClientClosed(
                            "the client was closed while this call was in flight"
                        )
                    return
                # Each item is let go once the caller moves on, not with the whole chunk
                # after the next one came: a listing then holds no more than it must when
                # the collector runs, so fewer objects live on into its older generations.
                items = chunk[::-1]
                del chunk
                while items:
                    yield convert(items.pop())
                pump.ask()
        finally:
            if not ended:
                pump.stop()
            # Wait for the block to be left, unless this is the loop's own thread (the garbage
            # collector can finalise an abandoned iterator there), which must not block.
            if threading.current_thread() is not self._thread:
                with contextlib.suppress(Exception):  # cancelled with the loop by close()
                    done.result()

    def close(self) -> None:
        """Run the client's cleanup on the loop, then stop the loop and join its thread."""
        self._check_fork()
        with self._lock:
            portal, thread = self._portal, self._thread
            if portal is None:
                return
            self._refuse_reentry()
            self._stopping = portal
            try:
                if self._on_close is not None:
                    # Cuts the calls in flight (they end as ScaleClientClosed); a bulk job
                    # then winds down and returns what it has, given a moment to do so.
                    portal.call(self._on_close)
                    portal.call(self._settle, CLOSE_GRACE)
            finally:
                portal.call(portal.stop, True)
                self._portal = None
                self._stopping = None
                self._thread = None
                if thread is not None:
                    thread.join(timeout=10)

    async def _settle(self, grace: float) -> None:
        """Wait up to ``grace`` seconds for the calls running on the loop to return."""
        if not self._running:
            return
        self._idle = anyio.Event()
        with anyio.move_on_after(grace):
            await self._idle.wait()
        self._idle = None


_CHUNK, _FAILED, _END = 0, 1, 2


class _Pump:
    """A sync iteration's task on the loop: it takes a chunk from the source whenever the
    caller asks, and hands it over through a queue.

    The caller blocks on the queue alone, and asks through the loop's own thread-safe
    "call soon" (what anyio's portal runs on), so a chunk costs one wake-up each way and
    leaves next to nothing for the garbage collector. While the pump waits for the caller
    it is not counted as running: ``close()`` does not wait for a caller that went away.
    """

    def __init__(self, runner: PortalRunner, source: Any, take: Callable[[Any], Any]) -> None:
        self._runner = runner
        self._source = source
        self._take = take
        self._answers: queue.SimpleQueue[tuple[int, Any]] = queue.SimpleQueue()
        self._asked: anyio.Event | None = None
        self._scope: anyio.CancelScope | None = None
        self._stopped = False
        self._soon: Callable[[Callable[[], object]], object] | None = None

    async def run(self) -> None:
        runner = self._runner
        try:
            with anyio.CancelScope() as scope:
                self._scope = scope
                self._soon = _call_soon_from_threads(runner._backend)
                if self._stopped:
                    scope.cancel()
                async with self._source as entered:
                    while True:
                        runner._running += 1
                        try:
                            chunk = await self._take(entered)
                        finally:
                            runner._call_ended()
                        if chunk is None:
                            break
                        asked = self._asked = anyio.Event()
                        self._answers.put((_CHUNK, chunk))
                        del chunk
                        await asked.wait()
        except Exception as exc:
            self._answers.put((_FAILED, exc))
        finally:
            # Always, even when cancelled: the caller never waits on a pump that is gone.
            self._answers.put((_END, None))

    def answer(self) -> Any:
        """The next chunk (in the caller's thread), None at the end; a failure is raised."""
        kind, value = self._answers.get()
        if kind == _CHUNK:
            return value
        if kind == _FAILED:
            raise value
        self._answers.put((_END, None))  # the end stays the end, however often asked
        return None

    def ask(self) -> None:
        """Have the pump take the next chunk (from the caller's thread)."""
        asked = self._asked
        if asked is not None and self._soon is not None:
            self._asked = None
            with contextlib.suppress(RuntimeError):  # the loop is gone: the pump ended too
                self._soon(asked.set)

    def stop(self) -> None:
        """Cancel the pump (from the caller's thread), wherever it is."""
        self._stopped = True
        scope, soon = self._scope, self._soon
        if scope is not None and soon is not None:
            with contextlib.suppress(Exception):
                soon(scope.cancel)


def _call_soon_from_threads(backend: str) -> Callable[[Callable[[], object]], object]:
    """The running loop's own non-blocking way for other threads to have it call a function."""
    if backend == "trio":
        import trio

        return trio.lowlevel.current_trio_token().run_sync_soon
    import asyncio

    return asyncio.get_running_loop().call_soon_threadsafe


@atexit.register
def _close_all() -> None:  # pragma: no cover - runs at interpreter exit
    for runner in list(_live_runners):
        with contextlib.suppress(Exception):
            runner.close()

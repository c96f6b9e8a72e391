"""The pages a listing fetched ahead, handed from the fetching tasks to the consumer."""

from __future__ import annotations

from collections import deque
from typing import Generic, TypeVar

import anyio

__all__ = ["Ahead"]

T = TypeVar("T")


class Ahead(Generic[T]):
    """Up to ``size`` pages (or the fetching's failure) waiting for the one consumer.

    What an anyio memory stream does, at less cost for the consumer: a page already there is
    taken without passing through the event loop (a stream's ``receive`` checkpoints first),
    and a side that must wait waits on one event. Several fetching tasks (one per window of
    a partitioned listing) may hand pages over: while the pages are full, each waits in
    turn, and the consumer taking a page moves the first waiting one in, so that pages
    keep the order in which they were handed over.
    """

    def __init__(self, size: int) -> None:
        self._pages: deque[T | BaseException] = deque()
        self._size = size
        self._ended = False
        self._left = False
        self._taker: anyio.Event | None = None
        self._givers: deque[tuple[anyio.Event, T | BaseException]] = deque()

    async def put(self, page: T | BaseException) -> None:
        """Hand ``page`` over, first waiting while ``size`` pages wait already."""
        if self._left:
            return  # nobody will read it
        if len(self._pages) < self._size and not self._givers:
            self._pages.append(page)
            self._wake_taker()
            return
        entry = (anyio.Event(), page)
        self._givers.append(entry)
        try:
            await entry[0].wait()  # set once the page is moved in (or the consumer left)
        except BaseException:
            if entry in self._givers:
                self._givers.remove(entry)
            raise

    def end(self) -> None:
        """No page follows the ones handed over (the fetching calls this when it is done)."""
        self._ended = True
        self._wake_taker()

    def leave(self) -> None:
        """The consumer is gone: nothing more is read, and no fetching task waits on it."""
        self._left = self._ended = True
        self._pages.clear()
        while self._givers:
            self._givers.popleft()[0].set()
        self._wake_taker()

    async def get(self) -> T | BaseException | None:
        """The next page in the order handed over, None after the last."""
        while not self._pages:
            if self._ended:
                return None
            self._taker = anyio.Event()
            await self._taker.wait()
        page = self._pages.popleft()
        if self._givers:
            turn, waiting = self._givers.popleft()
            self._pages.append(waiting)
            turn.set()
        return page

    def _wake_taker(self) -> None:
        taker, self._taker = self._taker, None
        if taker is not None:
            taker.set()

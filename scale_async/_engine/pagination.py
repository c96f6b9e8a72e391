"""Iterators over every item of a paged listing, one request per page.

They are plain state machines rather than async generators, so an abandoned loop leaves
nothing to finalise, and the sync layer can pull whole pages across its portal. How a page
leads to the next (a ``next_token``, an offset) is the fetch function's business.

When every page is addressable up front (page numbers, offsets), ``fan_out_pages`` fetches
the first page to learn how many there are, then the others several at a time; over time
windows, ``Partitioned`` walks one cursor per window. The iterator runs a ``Partitioned``
stream itself, which is why the two share this module (a little over 400 lines).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from datetime import datetime
from functools import partial
from typing import Any, Generic, TypeVar, overload

import anyio
from anyio.abc import TaskGroup

from ..exceptions import ScaleInvalidResponse
from .ahead import Ahead
from .checks import require_int
from .partitions import Walk, Window, parse_time, plan_splits

__all__ = [
    "AsyncPageIterator",
    "FanOut",
    "Partitioned",
    "fan_out_pages",
    "gather",
    "keyset_cursor",
]

T = TypeVar("T")
R = TypeVar("R")

#: Fetch the page at a cursor; return its items and the next cursor (None: last page).
FetchPage = Callable[[Any], Awaitable[tuple[list[T], Any]]]

#: Fetch page ``index`` (0-based) of a listing whose pages are addressable up front; return
#: its items and how many pages the listing has, as that response tells.
FetchIndexed = Callable[[int], Awaitable[tuple[list[T], int]]]


def keyset_cursor(page: Mapping[str, Any]) -> str | None:
    """The cursor after a ``next_token`` page (its JSON), None after the last one."""
    if not page["has_more"]:
        return None
    token = page.get("next_token")
    if not token:
        raise ScaleInvalidResponse("page says has_more but carries no next_token")
    return str(token)


class AsyncPageIterator(AsyncIterator[T], Generic[T]):
    """All items of a paged listing: ``async for item in it``, or ``it.pages()`` for pages.

    Used as ``async with it:``, it also fetches up to ``prefetch`` pages ahead while the
    caller works on the current one; leaving the block cancels that fetching at once. The
    sync client always iterates this way.
    """

    @overload
    def __init__(
        self, fetch_page: FetchPage[T], first: Any = None, *, prefetch: int = 0
    ) -> None: ...

    @overload
    def __init__(
        self,
        fetch_page: FetchPage[Any],
        first: Any = None,
        *,
        prefetch: int = 0,
        finish: Callable[[Any], T],
    ) -> None: ...

    def __init__(
        self,
        fetch_page: FetchPage[Any],
        first: Any = None,
        *,
        prefetch: int = 0,
        finish: Callable[[Any], T] | None = None,
    ) -> None:
        """``finish`` builds each item from what the pages hold, as the caller reaches it."""
        require_int("prefetch", prefetch, low=0)
        self._finish = finish
        self._fetch_page = fetch_page
        self._cursor = first
        self._done = False
        self._started = False
        self._buffer: list[Any] = []  # the page in hand, its items as fetched
        self._prefetch = prefetch
        self._group: TaskGroup | None = None
        self._ahead: Ahead[list[Any]] | None = None

    async def _fetch_next(self) -> list[Any] | None:
        if self._done:
            return None
        self._started = True
        items, cursor = await self._fetch_page(self._cursor)
        self._cursor = cursor
        self._done = cursor is None
        return items

    async def next_page(self) -> list[T] | None:
        """The next page of items, or None once the listing is exhausted."""
        page = await self.next_chunk()
        finish = self._finish
        if page is None or finish is None:
            return page
        return [finish(item) for item in page]

    @property
    def finish(self) -> Callable[[Any], T] | None:
        """What builds an item from what ``next_chunk`` gives (None: the items themselves)."""
        return self._finish

    async def next_chunk(self) -> list[Any] | None:
        """The next page as fetched, its items not yet built (see ``finish``)."""
        if self._ahead is None:
            return await self._fetch_next()
        page = await self._ahead.get()
        if isinstance(page, BaseException):
            raise page
        return page

    async def __aenter__(self) -> AsyncPageIterator[T]:
        if self._prefetch and self._group is None:
            ahead = self._ahead = Ahead[list[Any]](self._prefetch)

            fetch = self._fetch_page
            walks = fetch if isinstance(fetch, Partitioned) and not self._started else None

            async def produce() -> None:
                try:
                    if walks is not None:
                        # Every window its own cursor, pages in the order they come.
                        await walks.stream(ahead.put)
                        return
                    while True:
                        page = await self._fetch_next()
                        if page is None:
                            break
                        await ahead.put(page)
                        # Not held while the next one is fetched: the consumer lets each
                        # item go once done with it (see _walk).
                        del page
                except Exception as exc:
                    # Handed to the consumer, which raises it where it reads.
                    await ahead.put(exc)
                finally:
                    ahead.end()

            self._group = anyio.create_task_group()
            await self._group.__aenter__()
            self._group.start_soon(produce)
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        group, self._group = self._group, None
        self._done = True
        if group is not None:
            group.cancel_scope.cancel()
        if self._ahead is not None:
            self._ahead.leave()
        if group is not None:
            await group.__aexit__(None, None, None)

    def pages(self) -> AsyncIterator[list[T]]:
        """Iterate over whole pages instead of items."""
        return _Pages(self)

    def __aiter__(self) -> AsyncPageIterator[T]:
        return self

    async def __anext__(self) -> T:
        # Only a page boundary awaits; an item of the page in hand is a list pop. (A coroutine
        # that returns at once is cheaper than a ready-made awaitable object: 0.09 against
        # 0.18 µs an item on CPython 3.11.)
        buffer = self._buffer
        while not buffer:
            page = await self.next_chunk()
            if page is None:
                raise StopAsyncIteration
            buffer = self._buffer = page[::-1]
        finish = self._finish
        return buffer.pop() if finish is None else finish(buffer.pop())

    async def aclose(self) -> None:
        """Stop the iteration; nothing more is fetched."""
        self._done = True
        self._buffer = []


class _Pages(AsyncIterator[list[T]]):
    def __init__(self, items: AsyncPageIterator[T]) -> None:
        self._items = items

    def __aiter__(self) -> _Pages[T]:
        return self

    async def __anext__(self) -> list[T]:
        page = await self._items.next_page()
        if page is None:
            raise StopAsyncIteration
        return page

    async def aclose(self) -> None:
        await self._items.aclose()


class FanOut(Generic[T]):
    """A ``FetchPage`` over numbered pages that fetches ahead, several pages at a time.

    Page 0 comes alone, to learn how many pages there are. When the consumer then asks for a
    page not yet fetched, that page and the ones after it (``concurrency`` in all) are fetched
    together, and handed over one by one, in order. The requests of a wave all end inside the
    call that started them: nothing runs between two calls, so a consumer that stops asking
    (``break``, an exception, the sync portal's ``aclose``) stops the fetching, and no task
    outlives the loop or the thread that drives it. The cost is that a wave waits for its
    slowest page; ``concurrency`` bounds both the requests in flight and the pages held.

    The page count is read from page 0; a later page can only shorten it (a page that says
    there are no more ends the listing there), so pages that appear later are not fetched.
    """

    def __init__(self, fetch: FetchIndexed[T], concurrency: int) -> None:
        require_int("concurrency", concurrency)
        self._fetch = fetch
        self._concurrency = concurrency
        self._pages = 1
        self._ready: dict[int, list[T]] = {}

    async def __call__(self, index: int) -> tuple[list[T], int | None]:
        if index == 0:
            items, pages = await self._fetch(0)
            if isinstance(pages, bool) or not isinstance(pages, int) or pages < 0:
                raise ScaleInvalidResponse(f"the first page gives no usable page count: {pages!r}")
            self._pages = max(pages, 1)
        else:
            if index not in self._ready:
                await self._wave(range(index, min(index + self._concurrency, self._pages)))
            items = self._ready.pop(index)
        return items, index + 1 if index + 1 < self._pages else None

    async def _wave(self, indices: range) -> None:
        """Fetch ``indices`` concurrently; the first failure cancels the rest and is raised."""
        try:
            pages = await gather([partial(self._fetch, index) for index in indices])
        except Exception:
            self._ready.clear()
            raise
        for index, (items, count) in zip(indices, pages, strict=True):
            self._ready[index] = items
            # A later page may say the listing is shorter than page 0 did (it shrank, or the
            # first count was a lie): end there rather than ask for pages that are not.
            if isinstance(count, int) and not isinstance(count, bool) and count > index:
                self._pages = min(self._pages, count)
            elif index < self._pages:
                self._pages = min(self._pages, index + 1)


def fan_out_pages(fetch: FetchIndexed[T], *, concurrency: int) -> AsyncPageIterator[T]:
    """Every item of a listing with numbered pages, fetched ``concurrency`` pages at a time."""
    return AsyncPageIterator(FanOut(fetch, concurrency), 0)


async def gather(calls: list[Callable[[], Awaitable[R]]]) -> list[R]:
    """Run ``calls`` concurrently and return their results in order.

    The first failure cancels the others and is raised as itself (not in a group).
    """
    results: list[Any] = [None] * len(calls)
    failures: list[Exception] = []

    async def one(index: int, scope: anyio.CancelScope) -> None:
        try:
            results[index] = await calls[index]()
        except Exception as exc:
            failures.append(exc)
            scope.cancel()

    async with anyio.create_task_group() as group:
        for index in range(len(calls)):
            group.start_soon(one, index, group.cancel_scope)
    if failures:
        raise failures[0]
    return results


#: Fetch one keyset page of a window: its items (each with ``created_at``) and next token.
FetchWindow = Callable[[Window, str | None], Awaitable[tuple[list[T], str | None]]]

#: Hand a page over to the consumer; waits while the consumer is that far behind.
Emit = Callable[[list[T]], Awaitable[None]]


class Partitioned(Generic[T]):
    """A ``FetchPage`` that walks several ``created_at`` windows at once, one cursor each.

    Called page by page (no ``async with`` block), each call fetches the next page of every
    unfinished window concurrently (a wave) and returns the items each window owns, so no
    task comes twice even when it sits on a boundary. Like ``FanOut``, nothing runs between
    two calls: stopping the consumer stops the fetching, and at most one page per window is
    held; the price is that a wave waits for its slowest page.

    Inside a block, ``AsyncPageIterator`` runs ``stream`` instead: each window is a walk of
    its own that asks for its next page as soon as the last one came, and pages are handed
    over as they arrive (a window's own pages in order). With ``newest_first`` (the listing
    orders a window by that time, newest first), a walk that ends splits the rest of the
    busiest ones among the idle (``plan_splits``), so that tasks bunched in a few windows
    still keep every walk busy; each window, split or not, still comes newest first.
    """

    def __init__(
        self,
        fetch: FetchWindow[T],
        windows: Callable[[], Awaitable[list[Window]]],
        created_at: Callable[[T], str | None],
        *,
        newest_first: bool = False,
    ) -> None:
        self._fetch = fetch
        self._windows = windows
        self._created_at = created_at
        self._newest_first = newest_first

    async def __call__(
        self, cursor: list[tuple[Window, str | None]] | None
    ) -> tuple[list[T], list[tuple[Window, str | None]] | None]:
        active = cursor if cursor is not None else [(w, None) for w in await self._windows()]
        pages = await gather([partial(self._fetch, window, token) for window, token in active])
        items: list[T] = []
        following: list[tuple[Window, str | None]] = []
        for (window, _), (page, token) in zip(active, pages, strict=True):
            items.extend(item for item in page if self._owned(window, item))
            if token is not None:
                following.append((window, token))
        return items, following or None

    async def stream(self, emit: Emit[T]) -> None:
        """Walk every window at once, handing each page's owned items to ``emit``.

        Returns when every walk has ended; the first failure cancels the others and is
        raised as itself. As many walks run at once as there are windows.
        """
        windows = await self._windows()
        walks: list[Walk] = []
        failures: list[Exception] = []
        idle = 0

        async with anyio.create_task_group() as group:

            def launch(window: Window) -> None:
                walk = Walk(window)
                walks.append(walk)
                group.start_soon(run, walk)

            def rebalance() -> None:
                nonlocal idle
                if not idle:
                    return
                plan = plan_splits([walk.progress() for walk in walks], idle)
                for position, cuts in plan.items():
                    for piece in walks[position].split(cuts):
                        launch(piece)
                    idle -= len(cuts)

            async def run(walk: Walk) -> None:
                nonlocal idle
                try:
                    await self._walk(walk, emit, rebalance)
                except Exception as exc:
                    failures.append(exc)
                    group.cancel_scope.cancel()
                    return
                walks.remove(walk)
                if self._newest_first:
                    idle += 1
                    rebalance()

            for window in windows:
                launch(window)
        if failures:
            raise failures[0]

    async def _walk(self, walk: Walk, emit: Emit[T], rebalance: Callable[[], None]) -> None:
        token: str | None = None
        while True:
            page, token = await self._fetch(walk.asked, token)
            owned = self._keep(walk.owns, page)
            done = token is None
            if self._newest_first and page:
                walk.saw(self._moment(page[0]), self._moment(page[-1]), len(page))
                # Split off below: what is older than the window's start is another walk's.
                start = walk.owns.start
                done = done or (
                    start is not None and walk.oldest is not None and walk.oldest < start
                )
                if not done:
                    rebalance()
            if done:
                walk.running = False
            if owned:
                await emit(owned)
            if done:
                return
            # Let go of the page before fetching the next: the consumer, not this walk, decides
            # how long its items live, and an item it is done with is freed at once rather than
            # kept (and seen by the garbage collector) until the next page comes.
            del page, owned

    def _keep(self, window: Window, page: list[T]) -> list[T]:
        if window.start is None and window.end is None:
            return page
        # Newest first, a page whose two ends are owned is owned whole.
        if (
            self._newest_first
            and page
            and self._owned(window, page[0])
            and self._owned(window, page[-1])
        ):
            return page
        return [item for item in page if self._owned(window, item)]

    def _stamp(self, item: T) -> str:
        created = self._created_at(item)
        if created is None:
            raise ScaleInvalidResponse("a task without created_at cannot be placed in a window")
        return created

    def _moment(self, item: T) -> datetime:
        return parse_time(self._stamp(item))

    def _owned(self, window: Window, item: T) -> bool:
        return (window.start is None and window.end is None) or window.owns(self._stamp(item))

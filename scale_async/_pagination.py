"""Iterators over every item of a paged listing, one request per page.

They are plain state machines rather than async generators, so an abandoned loop leaves
nothing to finalise, and the sync layer can pull whole pages across its portal. How a page
leads to the next (a ``next_token``, an offset) is the fetch function's business.

When every page is addressable up front (page numbers, offsets), ``fan_out_pages`` fetches
the first page to learn how many there are, then the others several at a time.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Generic, TypeVar

import anyio

from ._errors import ScaleInvalidResponse
from ._pages import Paginator

__all__ = ["AsyncPageIterator", "FanOut", "fan_out_pages", "keyset_cursor", "offset_cursor"]

T = TypeVar("T")

#: Fetch the page at a cursor; return its items and the next cursor (None: last page).
FetchPage = Callable[[Any], Awaitable[tuple[list[T], Any]]]

#: Fetch page ``index`` (0-based) of a listing whose pages are addressable up front; return
#: its items and how many pages the listing has, as that response tells.
FetchIndexed = Callable[[int], Awaitable[tuple[list[T], int]]]


def keyset_cursor(page: Paginator[Any]) -> str | None:
    """The cursor after a ``next_token`` page, None after the last one."""
    if not page.has_more:
        return None
    if not page.next_token:
        raise ScaleInvalidResponse("page says has_more but carries no next_token")
    return page.next_token


def offset_cursor(page: Paginator[Any]) -> int | None:
    """The offset after an offset page, None after the last one."""
    if not page.has_more:
        return None
    if not len(page):
        raise ScaleInvalidResponse("page says has_more but holds no items")
    return (page.offset or 0) + len(page)


class AsyncPageIterator(AsyncIterator[T], Generic[T]):
    """All items of a paged listing: ``async for item in it``, or ``it.pages()`` for pages."""

    def __init__(self, fetch_page: FetchPage[T], first: Any = None) -> None:
        self._fetch_page = fetch_page
        self._cursor = first
        self._done = False
        self._buffer: list[T] = []

    async def next_page(self) -> list[T] | None:
        """The next page of items, or None once the listing is exhausted."""
        if self._done:
            return None
        items, cursor = await self._fetch_page(self._cursor)
        self._cursor = cursor
        self._done = cursor is None
        return items

    def pages(self) -> AsyncIterator[list[T]]:
        """Iterate over whole pages instead of items."""
        return _Pages(self)

    def __aiter__(self) -> AsyncPageIterator[T]:
        return self

    async def __anext__(self) -> T:
        while not self._buffer:
            page = await self.next_page()
            if page is None:
                raise StopAsyncIteration
            self._buffer = page[::-1]
        return self._buffer.pop()

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

    The page count is read once, from page 0, so pages that appear later are not fetched.
    """

    def __init__(self, fetch: FetchIndexed[T], concurrency: int) -> None:
        if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
            raise ValueError(f"concurrency must be a positive integer, got {concurrency!r}")
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
        failures: dict[int, Exception] = {}

        async def one(index: int, scope: anyio.CancelScope) -> None:
            try:
                self._ready[index], _ = await self._fetch(index)
            except Exception as exc:
                failures[index] = exc
                scope.cancel()

        async with anyio.create_task_group() as group:
            for index in indices:
                group.start_soon(one, index, group.cancel_scope)
        if failures:
            self._ready.clear()
            raise failures[min(failures)]


def fan_out_pages(fetch: FetchIndexed[T], *, concurrency: int) -> AsyncPageIterator[T]:
    """Every item of a listing with numbered pages, fetched ``concurrency`` pages at a time."""
    return AsyncPageIterator(FanOut(fetch, concurrency), 0)

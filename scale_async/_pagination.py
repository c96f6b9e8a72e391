"""Iterators over every item of a paged listing, one request per page.

They are plain state machines rather than async generators, so an abandoned loop leaves
nothing to finalise, and the sync layer can pull whole pages across its portal. How a page
leads to the next (a ``next_token``, an offset) is the fetch function's business.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Generic, TypeVar

from ._errors import ScaleInvalidResponse
from ._pages import Paginator

__all__ = ["AsyncPageIterator", "keyset_cursor", "offset_cursor"]

T = TypeVar("T")

#: Fetch the page at a cursor; return its items and the next cursor (None: last page).
FetchPage = Callable[[Any], Awaitable[tuple[list[T], Any]]]


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

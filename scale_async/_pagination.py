"""Iterators over every item of a paged listing, one request per page.

They are plain state machines rather than async generators, so an abandoned loop leaves
nothing to finalise, and the sync layer can pull whole pages across its portal.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Generic, TypeVar

from ._errors import ScaleInvalidResponse
from ._pages import Paginator

__all__ = ["AsyncPageIterator"]

T = TypeVar("T")

FetchPage = Callable[[str | None], Awaitable[Paginator[T]]]


class AsyncPageIterator(AsyncIterator[T], Generic[T]):
    """All items of a keyset-paged listing (``next_token``), fetched page by page.

    ``async for item in it`` yields items; ``it.pages()`` yields whole pages.
    """

    def __init__(self, fetch_page: FetchPage[T]) -> None:
        self._fetch_page = fetch_page
        self._token: str | None = None
        self._done = False
        self._buffer: list[T] = []

    async def next_page(self) -> list[T] | None:
        """The next page of items, or None once the listing is exhausted."""
        if self._done:
            return None
        page = await self._fetch_page(self._token)
        if page.has_more:
            if not page.next_token:
                raise ScaleInvalidResponse("page says has_more but carries no next_token")
            self._token = page.next_token
        else:
            self._done = True
        return list(page)

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

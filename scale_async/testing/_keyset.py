"""Keyset listings over items kept in key order: a page costs what it walks, not the account.

Both fakes page their listings with a cursor after the last item handed out. Filtering the
whole account for every page makes a 10,000-task listing a hundred full passes, and the
fake, not the client, becomes what a benchmark measures. Here the items stay sorted as they
are added (``Ordered``); a cursor or a range on the sort key is a binary search
(``Ordered.span``), and ``take`` walks from there and stops at the first wanted item past the
page, so a page costs the items it holds plus those the filters turn away.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Generic, TypeVar

__all__ = ["Ordered", "take"]

T = TypeVar("T")


class Ordered(Generic[T]):
    """Items sorted by ``key`` (ties keep the order they came in), kept so as they are added.

    Adding an item whose key is the largest so far (the usual case: a new task) is an append.
    """

    __slots__ = ("_items", "_key")

    def __init__(self, key: Callable[[T], Any]) -> None:
        self._key = key
        self._items: list[T] = []

    def add(self, item: T) -> None:
        """Insert ``item`` at its place."""
        bisect.insort_right(self._items, item, key=self._key)

    @property
    def items(self) -> Sequence[T]:
        """The items in key order (not a copy: do not change it)."""
        return self._items

    def __len__(self) -> int:
        return len(self._items)

    def span(self, low: Any = None, high: Any = None) -> range:
        """The positions of the items whose key is in ``[low, high)``; None is unbounded."""
        start = 0 if low is None else bisect.bisect_left(self._items, low, key=self._key)
        stop = (
            len(self._items)
            if high is None
            else bisect.bisect_left(self._items, high, key=self._key)
        )
        return range(start, max(start, stop))

    def after(self, key: Any) -> int:
        """The position of the first item whose key is past ``key``."""
        return bisect.bisect_right(self._items, key, key=self._key)


def take(
    items: Sequence[T],
    positions: Iterable[int],
    limit: int,
    wanted: Callable[[T], bool] | None = None,
    *,
    skip: int = 0,
) -> tuple[list[T], bool]:
    """The first ``limit`` wanted items at ``positions`` (after ``skip`` of them), and whether
    a wanted item follows them.

    ``positions`` says where to walk and in which direction (``reversed(span)`` for newest
    first); the walk stops at the first wanted item past the page.
    """
    chunk: list[T] = []
    for index in positions:
        item = items[index]
        if wanted is not None and not wanted(item):
            continue
        if skip:
            skip -= 1
            continue
        if len(chunk) == limit:
            return chunk, True
        chunk.append(item)
    return chunk, False

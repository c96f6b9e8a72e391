"""Telling a listing that moves forward from one that loops.

A server that answers ``has_more`` with a ``next_token`` it already gave (or a DRF ``next``
link it already gave) would be paged forever; the loop is only visible from outside, as a
cursor met twice. Each listing keeps a ``CursorTrail`` and shows it every cursor it is
about to follow. Pure: no I/O, one set per listing (a 10^6-task listing holds 10^4 tokens).
"""

from __future__ import annotations

from collections.abc import Hashable

from ..exceptions import ScaleInvalidResponse

__all__ = ["CursorTrail"]


class CursorTrail:
    """The cursors one listing has followed; meeting one again is ``ScaleInvalidResponse``."""

    def __init__(self, what: str, *, method: str, path: str) -> None:
        self._what = what
        self._method = method
        self._path = path
        self._seen: set[Hashable] = set()

    def follow(self, cursor: Hashable, *, shown: object = None) -> None:
        """Record ``cursor``; raise if the listing was already there (it would never end)."""
        if cursor in self._seen:
            raise ScaleInvalidResponse(
                f"the server sent {self._what} {shown if shown is not None else cursor!r} "
                f"a second time: the listing would never end",
                method=self._method,
                path=self._path,
            )
        self._seen.add(cursor)

    def __len__(self) -> int:
        return len(self._seen)

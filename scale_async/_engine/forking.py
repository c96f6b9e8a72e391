"""After ``fork()``: leave the parent's connection pool to the parent, untouched.

A child inherits copies of the parent's pooled sockets and of the event loop they are
registered with, and that loop's epoll instance is not copied: it is the parent's own.
Closing the inherited pool in the child (or merely letting the garbage collector finalize
it) unregisters the parent's sockets from that shared epoll, and the parent's next request
waits out its whole read timeout; aiohttp also prints "Unclosed client session". So the
child keeps the inherited pool alive and inert: the dead loop it belonged to gets an empty
selector of its own and a silent exception handler, and the child opens a pool of its own.
"""

from __future__ import annotations

import asyncio
import os
import selectors
from typing import Any

import attrs

__all__ = ["PoolOwner", "abandon"]

#: Inherited pools, kept from the garbage collector for the life of the child.
_ORPHANS: list[Any] = []


@attrs.frozen
class PoolOwner:
    """Which process (and, on asyncio, which loop) opened a pool."""

    pid: int
    loop: asyncio.AbstractEventLoop | None

    @classmethod
    def here(cls) -> PoolOwner:
        """The current process and running asyncio loop (None on trio)."""
        try:
            loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        return cls(os.getpid(), loop)

    @property
    def inherited(self) -> bool:
        """True in a forked child: the pool belongs to the parent."""
        return self.pid != os.getpid()


def _silent(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """The inherited loop's exception handler: its objects' complaints are the parent's."""


def abandon(pool: Any, owner: PoolOwner) -> None:
    """In a forked child: make ``pool`` (the parent's) inert and keep it forever.

    The loop it was opened on (never the loop running now) gets a selector with nothing
    registered, so that a transport closing later unregisters nothing from the parent's
    epoll, and an exception handler that prints nothing.
    """
    _ORPHANS.append(pool)
    loop = owner.loop
    if loop is None or _running_loop() is loop:  # a loop still running is not dead
        return
    loop.set_exception_handler(_silent)
    if isinstance(getattr(loop, "_selector", None), selectors.BaseSelector):
        loop._selector = selectors.SelectSelector()  # type: ignore[attr-defined]


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None

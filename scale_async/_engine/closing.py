"""Ending the calls in flight when their client is closed, with an error that says so.

Without it, ``close()`` from another thread pulled the connections from under the calls (a
transport error that looked like a network fault) or the sync layer's loop stopped under
them (a bare ``CancelledError``). Every call runs inside a cancel scope registered here;
closing cancels them, and each ends as ``ScaleClientClosed`` naming its request, which a
bulk job treats as the reason to stop and report the rest as not attempted.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import anyio

from ..exceptions import ScaleClientClosed

__all__ = ["InFlight"]


class InFlight:
    """The calls of one client that are running now; all on the client's event loop."""

    def __init__(self) -> None:
        self._scopes: set[anyio.CancelScope] = set()
        #: How many times ``cancel_all`` ran: work that waits between calls (a bulk job's
        #: pauses) compares it with the value it started with to see a close it slept through.
        self.closings = 0

    def __len__(self) -> int:
        return len(self._scopes)

    @contextmanager
    def guard(self, method: str, path: str) -> Iterator[None]:
        """Run the block as one call; if ``cancel_all`` cuts it, raise ``ScaleClientClosed``."""
        scope = anyio.CancelScope()
        self._scopes.add(scope)
        try:
            with scope:
                yield
        finally:
            self._scopes.discard(scope)
        if scope.cancelled_caught:
            raise ScaleClientClosed(
                "the client was closed while this call was in flight", method=method, path=path
            )

    def cancel_all(self) -> None:
        """Cut every call in flight (each raises ``ScaleClientClosed`` where it was)."""
        self.closings += 1
        for scope in list(self._scopes):
            scope.cancel()

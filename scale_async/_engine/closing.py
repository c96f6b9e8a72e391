"""Ending the calls in flight when their client is closed, with an error that says so.

Without it, ``close()`` from another thread pulled the connections from under the calls (a
transport error that looked like a network fault) or the sync layer's loop stopped under
them (a bare ``CancelledError``). Every logical call runs inside one cancel scope registered
here, whose deadline is also the call's own (one scope per call: a second one per call cost
a measured share of every request's CPU); closing cancels them, and each ends as
``ScaleClientClosed`` naming its request, which a bulk job treats as the reason to stop and
report the rest as not attempted.
"""

from __future__ import annotations

import math

import anyio

from ..exceptions import ScaleClientClosed

__all__ = ["InFlight", "client_closed"]


def client_closed(method: str, path: str) -> ScaleClientClosed:
    """The error of a call that ``cancel_all`` cut."""
    return ScaleClientClosed(
        "the client was closed while this call was in flight", method=method, path=path
    )


class InFlight:
    """The calls of one client that are running now; all on the client's event loop."""

    def __init__(self) -> None:
        self._scopes: set[anyio.CancelScope] = set()
        #: How many times ``cancel_all`` ran: work that waits between calls (a bulk job's
        #: pauses) compares it with the value it started with to see a close it slept through,
        #: and a call whose scope was cancelled tells a close from its deadline by it.
        self.closings = 0

    def __len__(self) -> int:
        return len(self._scopes)

    def open(self, deadline: float = math.inf) -> anyio.CancelScope:
        """A scope for one call, cut at ``deadline`` (event-loop time) or by ``cancel_all``.

        The caller enters it and hands it back to ``done`` however the call ends.
        """
        scope = anyio.CancelScope(deadline=deadline)
        self._scopes.add(scope)
        return scope

    def done(self, scope: anyio.CancelScope) -> None:
        """Forget a scope from ``open`` once its call is over."""
        self._scopes.discard(scope)

    def cancel_all(self) -> None:
        """Cut every call in flight (each raises ``ScaleClientClosed`` where it was)."""
        self.closings += 1
        for scope in list(self._scopes):
            scope.cancel()

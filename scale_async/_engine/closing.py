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
from collections.abc import Callable
from types import TracebackType
from typing import Any, Protocol

import anyio

from ..exceptions import ScaleClientClosed

__all__ = ["InFlight", "client_closed"]


class Scope(Protocol):
    """A cancel scope of the running event loop (anyio's on asyncio, trio's own on trio)."""

    def cancel(self) -> None: ...

    def __enter__(self) -> Any: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool: ...


def _which_loop() -> Callable[[], str]:
    try:
        from sniffio import current_async_library
    except ImportError:  # pragma: no cover - sniffio comes with trio: without it, only asyncio
        return lambda: "asyncio"
    return current_async_library


def _asyncio_scopes() -> Callable[[float], Scope]:
    import asyncio

    # anyio's asyncio scope class, looked up once: ``anyio.CancelScope(...)`` finds the
    # running backend again on every call and builds the scope twice over (2.4 µs against
    # 0.6 for the class itself).
    cls = type(anyio.CancelScope())
    now = asyncio.get_running_loop

    def make(seconds: float) -> Scope:
        return cls(deadline=now().time() + seconds)

    return make


#: Both found on first use (asyncio is not loaded by ``import scale_async``).
_loop_name: Callable[[], str] | None = None
_on_asyncio: Callable[[float], Scope] | None = None


def _scope(seconds: float) -> Scope:
    """A scope that ends ``seconds`` from now, built directly for the event loop running.

    On trio it is trio's own (anyio's wraps one); sniffio tells the loops apart as anyio does.
    """
    global _loop_name, _on_asyncio
    if _loop_name is None:
        _loop_name = _which_loop()
    if _loop_name() == "trio":
        import trio  # running, so already imported

        return trio.CancelScope(deadline=trio.current_time() + seconds)
    if _on_asyncio is None:
        _on_asyncio = _asyncio_scopes()
    return _on_asyncio(seconds)


def client_closed(method: str, path: str) -> ScaleClientClosed:
    """The error of a call that ``cancel_all`` cut."""
    return ScaleClientClosed(
        "the client was closed while this call was in flight", method=method, path=path
    )


class InFlight:
    """The calls of one client that are running now; all on the client's event loop."""

    def __init__(self) -> None:
        self._scopes: set[Scope] = set()
        #: How many times ``cancel_all`` ran: work that waits between calls (a bulk job's
        #: pauses) compares it with the value it started with to see a close it slept through,
        #: and a call whose scope was cancelled tells a close from its deadline by it.
        self.closings = 0

    def __len__(self) -> int:
        return len(self._scopes)

    def open(self, seconds: float = math.inf) -> Scope:
        """A scope for one call, cut ``seconds`` from now or by ``cancel_all``.

        The caller enters it and hands it back to ``done`` however the call ends.
        """
        scope = _scope(seconds)
        self._scopes.add(scope)
        return scope

    def done(self, scope: Scope) -> None:
        """Forget a scope from ``open`` once its call is over."""
        self._scopes.discard(scope)

    def cancel_all(self) -> None:
        """Cut every call in flight (each raises ``ScaleClientClosed`` where it was)."""
        self.closings += 1
        for scope in list(self._scopes):
            scope.cancel()

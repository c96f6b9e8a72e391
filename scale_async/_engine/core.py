"""The product-neutral client core: the pool, the requester and the plumbing every endpoint uses."""

from __future__ import annotations

import weakref
from typing import Any, TypeVar

from .checks import require_int
from .http import Auth, Cert, HttpSession, HttpSettings, Proxies, Timeout, Transport, Verify
from .model import Model
from .redact import register, unregister
from .requester import Call, Requester
from .retry import RetryPolicy
from .serde import structure, structure_list
from .wire import user_agent

__all__ = ["HttpCore"]


M = TypeVar("M", bound=Model)


C = TypeVar("C", bound="HttpCore")


class HttpCore:
    """What every client of this package shares, whatever API it speaks.

    It owns the connection pool and the ``Requester`` (retries, error mapping, redaction of
    ``auth``'s secret), so a second product gets the same transport behaviour by passing its
    own base URL and credentials rather than by writing another HTTP layer.
    """

    def __init__(
        self,
        *,
        base_url: str,
        auth: Auth | None,
        source: str | None = None,
        verify: Verify = None,
        proxies: Proxies = None,
        cert: Cert = None,
        timeout: float | Timeout | None = None,
        retry: RetryPolicy | None = None,
        max_connections: int = 64,
        transport: Transport | None = None,
    ) -> None:
        require_int("max_connections", max_connections)
        self.base_url = base_url
        self.retry = retry or RetryPolicy()
        settings = HttpSettings(
            auth=auth,
            user_agent=user_agent(source),
            timeout=Timeout.of(timeout),
            max_connections=max_connections,
            verify=verify,
            cert=cert,
            proxies=proxies,
            transport=transport,
        )
        self._session = HttpSession(settings)
        secret = auth.secret if auth is not None else ""
        self._requester = Requester(self._session, self.base_url, self.retry, secret)
        if secret:
            # Masked in every error, log record and CLI line while this client lives.
            register(secret)
            weakref.finalize(self, unregister, secret)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.base_url}>"

    # -- lifecycle ---------------------------------------------------------------------------

    async def aclose(self) -> None:
        """Close the connection pool. The client reopens one if it is used again.

        Calls still in flight (from other tasks, or other threads through the sync client)
        end at once with ``ScaleClientClosed`` rather than on a closed connection.
        """
        self._requester.in_flight.cancel_all()
        await self._session.aclose()

    async def __aenter__(self: C) -> C:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def _forget_connections(self) -> None:
        """Drop the pool without closing it (after fork the sockets are the parent's)."""
        self._session.forget()

    async def _call(self, call: Call) -> Any:
        return await self._requester.call(call)

    async def _one(self, call: Call, cls: type[M]) -> M:
        """Perform ``call`` and build one ``cls`` bound to this client."""
        data = await self._call(call)
        return structure(data, cls, client=self, method=call.method, path=call.path)

    async def _many(self, call: Call, cls: type[M]) -> list[M]:
        """Perform ``call`` and build a list of ``cls`` from the JSON array it returns."""
        data = await self._call(call)
        return structure_list(data, cls, client=self, method=call.method, path=call.path)

"""The product-neutral client core: the pool, the requester and the plumbing every endpoint uses."""

from __future__ import annotations

import copy
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from ..exceptions import ScaleInvalidResponse
from .checks import require_int
from .config import Auth, HttpSettings, Timeout, TimeoutArg
from .events import last_request_id, setup_logging
from .http import HttpSession
from .model import Model
from .options import ClientOptions, LimitChanges, forget_cached_properties, retry_policy
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

    def __init__(self, *, base_url: str, auth: Auth | None, options: ClientOptions) -> None:
        setup_logging()
        on_request = options.on_request
        if on_request is not None and not callable(on_request):
            raise TypeError(f"on_request must be callable, got {type(on_request).__name__}")
        require_int("max_connections", options.max_connections)
        self.base_url = base_url
        self.retry = retry_policy(options.retry, options.max_retries)
        self._owns_pool = True
        settings = HttpSettings(
            auth=auth,
            user_agent=user_agent(options.source),
            timeout=Timeout.of(options.timeout),
            max_connections=options.max_connections,
            verify=options.verify,
            cert=options.cert,
            proxies=options.proxies,
            transport=options.transport,
        )
        self._session = HttpSession(settings)
        secret = auth.secret if auth is not None else ""
        self._requester = Requester(
            self._session, self.base_url, self.retry, secret, on_request=on_request
        )
        if secret:
            # Masked in every error, log record and CLI line while this client lives.
            register(secret)
            weakref.finalize(self, unregister, secret)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.base_url}>"

    # -- lifecycle ---------------------------------------------------------------------------

    def with_options(
        self: C,
        *,
        timeout: TimeoutArg = None,
        max_retries: int | None = None,
        retry: RetryPolicy | None = None,
    ) -> C:
        """A copy of this client with other limits, on the same connection pool.

        For one slow call, or one that must not retry, without a second pool:
        ``await client.with_options(timeout=300, max_retries=0).get_tasks_count(...)``. What
        is not given is kept; ``max_retries`` applies on top of ``retry``. The copy shares the
        pool and the 429 pause with this client; closing the copy leaves them to the client
        it came from.
        """
        clone = copy.copy(self)
        forget_cached_properties(clone)
        clone.retry = retry_policy(retry if retry is not None else self.retry, max_retries)
        own = self._requester.timeout
        clone._requester = self._requester.derive(
            retry=clone.retry, timeout=own if timeout is None else Timeout.of(timeout)
        )
        clone._owns_pool = False
        self._copy_parts(clone, LimitChanges(timeout=timeout, max_retries=max_retries, retry=retry))
        secret = clone._requester._secret
        if secret:
            # The copy may outlive this client: its key stays masked while it lives.
            register(secret)
            weakref.finalize(clone, unregister, secret)
        return clone

    def _copy_parts(self, clone: HttpCore, changes: LimitChanges) -> None:
        """Give ``clone`` copies of the clients this one holds (``v2`` overrides it)."""

    async def aclose(self) -> None:
        """Close the connection pool. The client reopens one if it is used again.

        Calls still in flight (from other tasks, or other threads through the sync client)
        end at once with ``ScaleClientClosed`` rather than on a closed connection; those of
        copies made by ``with_options`` too. Closing a copy leaves the pool (and its calls) to
        the client it came from.
        """
        if not self._owns_pool:
            return
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
        with _naming_the_request():
            return structure(data, cls, client=self, method=call.method, path=call.path)

    async def _many(self, call: Call, cls: type[M]) -> list[M]:
        """Perform ``call`` and build a list of ``cls`` from the JSON array it returns."""
        data = await self._call(call)
        with _naming_the_request():
            return structure_list(data, cls, client=self, method=call.method, path=call.path)


@contextmanager
def _naming_the_request() -> Iterator[None]:
    """A malformed body is reported with the id of the request that returned it."""
    try:
        yield
    except ScaleInvalidResponse as exc:
        if exc.request_id is None:
            exc.request_id = last_request_id.get()
        raise

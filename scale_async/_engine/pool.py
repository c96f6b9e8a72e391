"""A connection pool for httpx's own transport whose cost per request does not grow with it.

httpcore's ``AsyncConnectionPool`` rescans every connection for every queued request
(``_assign_requests_to_connections``), so its cost per request grows with the square of the
pool: on trio, where httpx's transport is the default, throughput fell from ~420 req/s at
16 in flight to ~150 at 256. (The fix is merged only in a fork, not in httpcore 1.0.x.)

This pool keeps idle httpcore connections in a last-in-first-out list per origin: taking one
and giving it back are O(1). It queues nothing: ``HttpSession``'s limiter already keeps the
requests in flight at ``max_connections``, so a request that finds no idle connection opens
one. HTTP/1.1 only, as the rest of the client; proxies keep httpx's own pool. Its connections
move their bytes through ``triostream`` (a request's head and body in one send, no scheduler
trip for a send that completes).
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable
from functools import partial

import anyio
import httpcore
import httpx

from .triostream import FewerTripsBackend

__all__ = ["LifoPool", "lifo_transport"]

_Key = tuple[bytes, bytes, int]


class LifoPool:
    """Idle connections per origin, most recently used first; see the module docstring."""

    def __init__(self, ssl_context: ssl.SSLContext, max_connections: int, keepalive: float) -> None:
        self._ssl_context = ssl_context
        self._max_connections = max_connections  # what httpx's pool would be given
        self._keepalive = keepalive
        self._network = FewerTripsBackend()
        self._idle: dict[_Key, list[httpcore.AsyncHTTPConnection]] = {}
        #: Every connection open now, idle or not: closing the pool closes them all.
        self._open: set[httpcore.AsyncHTTPConnection] = set()

    async def _take(self, key: _Key) -> httpcore.AsyncHTTPConnection | None:
        idle = self._idle.get(key)
        while idle:
            connection = idle.pop()
            if connection.is_idle() and not connection.has_expired():
                return connection
            await self._close(connection)  # expired, or the server closed it
        return None

    async def _close(self, connection: httpcore.AsyncHTTPConnection) -> None:
        self._open.discard(connection)
        with anyio.CancelScope(shield=True):  # a socket is closed even by a cancelled caller
            await connection.aclose()

    async def _give_back(self, key: _Key, connection: httpcore.AsyncHTTPConnection) -> None:
        if not connection.is_idle():
            await self._close(connection)  # a no-op on the socket when it is closed already
            return
        idle = self._idle.setdefault(key, [])
        idle.append(connection)
        if len(idle) > self._max_connections:
            await self._close(idle.pop(0))

    async def handle_async_request(self, request: httpcore.Request) -> httpcore.Response:
        origin = request.url.origin
        key = (origin.scheme, origin.host, origin.port)
        connection = await self._take(key)
        if connection is not None:
            try:
                response = await connection.handle_async_request(request)
            except httpcore.ConnectionNotAvailable:
                await self._close(connection)
                connection = None  # the server closed it meanwhile: open a fresh one
            except BaseException:
                await self._close(connection)
                raise
        if connection is None:
            connection = httpcore.AsyncHTTPConnection(
                origin,
                ssl_context=self._ssl_context,
                keepalive_expiry=self._keepalive,
                network_backend=self._network,
            )
            self._open.add(connection)
            try:
                response = await connection.handle_async_request(request)
            except BaseException:
                await self._close(connection)
                raise
        return httpcore.Response(
            response.status,
            headers=response.headers,
            content=_Returning(response, partial(self._give_back, key, connection)),
            extensions=response.extensions,
        )

    async def exchange(
        self,
        method: str,
        url: httpx.URL,
        headers: httpx.Headers,
        content: bytes | None,
        timeouts: dict[str, float],
    ) -> tuple[int, bytes, list[tuple[bytes, bytes]], bytes]:
        """One request with its body read: status, reason, raw headers, body bytes.

        What ``httpx.AsyncHTTPTransport.handle_async_request`` and reading the response do,
        without the httpx ``Request`` and ``Response`` around them: the same headers go on
        the wire (``Host`` first, ``Content-Length`` as httpx sets it) and httpcore's errors
        become httpx's, by httpx's own mapping.
        """
        from httpx._transports.default import map_httpcore_exceptions

        if content is not None:
            raw = [(b"Host", url.netloc), *headers.raw]
            raw.append((b"Content-Length", str(len(content)).encode("ascii")))
        elif method in ("POST", "PUT", "PATCH"):
            raw = [(b"Host", url.netloc), (b"Content-Length", b"0"), *headers.raw]
        else:
            raw = [(b"Host", url.netloc), *headers.raw]
        request = httpcore.Request(
            method.encode("ascii"),
            httpcore.URL(
                scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path
            ),
            headers=raw,
            content=content or b"",
            extensions={"timeout": timeouts},
        )
        with map_httpcore_exceptions():
            response = await self.handle_async_request(request)
            try:
                stream = response.stream
                assert isinstance(stream, AsyncIterable)
                chunks = [chunk async for chunk in stream]
            finally:
                await response.aclose()
        reason = response.extensions.get("reason_phrase", b"")
        body = chunks[0] if len(chunks) == 1 else b"".join(chunks)
        return response.status, reason, response.headers, body

    async def aclose(self) -> None:
        """Close every connection, those in use too (as httpcore's pool does)."""
        connections, self._open, self._idle = list(self._open), set(), {}
        for connection in connections:
            with anyio.CancelScope(shield=True):
                await connection.aclose()


class _Returning:
    """A response body that hands its connection back to the pool once it is closed.

    An iterator object, not an async generator: a reader that stops half-way (a body that
    does not decode) leaves no generator for the garbage collector to finalize.
    """

    def __init__(
        self, response: httpcore.Response, give_back: Callable[[], Awaitable[None]]
    ) -> None:
        self._response = response
        self._give_back: Callable[[], Awaitable[None]] | None = give_back
        self._chunks: AsyncIterator[bytes] | None = None

    def __aiter__(self) -> _Returning:
        return self

    async def __anext__(self) -> bytes:
        if self._chunks is None:
            stream = self._response.stream
            assert isinstance(stream, AsyncIterable)
            self._chunks = stream.__aiter__()
        return await self._chunks.__anext__()

    async def aclose(self) -> None:
        # Shielded: a reader cancelled half-way (a deadline, a closing client) still leaves
        # the connection closed or reusable, never a socket open and forgotten.
        with anyio.CancelScope(shield=True):
            await self._response.aclose()
            give_back, self._give_back = self._give_back, None
            if give_back is not None:
                await give_back()


def lifo_transport(ctx: ssl.SSLContext, limits: httpx.Limits) -> httpx.AsyncHTTPTransport:
    """httpx's transport (its request and error mapping) over a ``LifoPool``."""
    transport = httpx.AsyncHTTPTransport(verify=ctx, limits=limits)
    transport._pool = LifoPool(  # type: ignore[assignment]
        ctx, limits.max_connections or 100, limits.keepalive_expiry or 30.0
    )
    return transport

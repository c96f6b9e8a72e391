"""The connection pool of the default trio transport, whose cost per request does not grow.

httpcore's ``AsyncConnectionPool`` rescans every connection for every queued request
(``_assign_requests_to_connections``), so its cost per request grows with the square of the
pool: on trio, where httpx's transport is the default, throughput fell from ~420 req/s at
16 in flight to ~150 at 256. (The fix is merged only in a fork, not in httpcore 1.0.x.)

This pool keeps idle connections in a last-in-first-out list per origin: taking one and
giving it back are O(1). It queues nothing: ``HttpSession``'s limiter already keeps the
requests in flight at ``max_connections``, so a request that finds no idle connection opens
one. HTTP/1.1 only, as the rest of the client; proxies keep httpx's own pool.

Connections are ``http11.Http11`` (h11) over ``triostream``'s streams, which connect and
start TLS as httpcore's trio backend does; errors are httpcore's, mapped by httpx.
``exchange`` is what ``HttpSession`` calls; ``handle_async_request`` serves httpx's
transport (multipart uploads, anything else sent through ``httpx.AsyncHTTPTransport``).
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterable

import anyio
import httpcore
import httpx

from .http11 import Http11
from .triostream import FewerTripsBackend

__all__ = ["LifoPool", "lifo_transport"]

_Key = tuple[bytes, bytes, int]
_Headers = list[tuple[bytes, bytes]]


class LifoPool:
    """Idle connections per origin, most recently used first; see the module docstring."""

    def __init__(self, ssl_context: ssl.SSLContext, max_connections: int, keepalive: float) -> None:
        self._ssl_context = ssl_context
        self._max_connections = max_connections  # what httpx's pool would be given
        self._keepalive = keepalive
        self._network = FewerTripsBackend()
        self._idle: dict[_Key, list[Http11]] = {}
        #: Every connection open now, idle or not: closing the pool closes them all.
        self._open: set[Http11] = set()

    async def _take(self, key: _Key) -> Http11 | None:
        idle = self._idle.get(key)
        while idle:
            connection = idle.pop()
            if connection.reusable():
                return connection
            self._open.discard(connection)
            await connection.aclose()  # expired, or the server closed it
        return None

    async def _connect(
        self, origin: httpcore.Origin, timeouts: dict[str, float], sni: str | None
    ) -> Http11:
        """A new connection, as httpcore's ``AsyncHTTPConnection`` opens one."""
        host = origin.host.decode("ascii")
        timeout = timeouts.get("connect")
        stream = await self._network.connect_tcp(host, origin.port, timeout=timeout)
        try:
            if origin.scheme == b"https":
                self._ssl_context.set_alpn_protocols(["http/1.1"])
                stream = await stream.start_tls(
                    self._ssl_context, server_hostname=sni or host, timeout=timeout
                )
        except BaseException:
            with anyio.CancelScope(shield=True):
                await stream.aclose()
            raise
        return Http11(stream, self._keepalive)

    def _give_back(self, key: _Key, connection: Http11) -> Http11 | None:
        """Keep ``connection`` for the next request; the one to close, if any."""
        if connection.closed:
            self._open.discard(connection)
            return None
        idle = self._idle.setdefault(key, [])
        idle.append(connection)
        if len(idle) > self._max_connections:
            oldest = idle.pop(0)
            self._open.discard(oldest)
            return oldest
        return None

    async def _send(
        self,
        origin: httpcore.Origin,
        method: bytes,
        target: bytes,
        headers: _Headers,
        body: bytes,
        timeouts: dict[str, float],
        sni: str | None = None,
    ) -> tuple[int, bytes, _Headers, bytes]:
        key = (origin.scheme, origin.host, origin.port)
        connection = await self._take(key)
        if connection is None:
            connection = await self._connect(origin, timeouts, sni)
        self._open.add(connection)
        try:
            answer = await connection.exchange(method, target, headers, body, timeouts)
        finally:
            surplus = self._give_back(key, connection)
            if surplus is not None:
                await surplus.aclose()
        return answer

    async def exchange(
        self,
        method: str,
        url: httpx.URL,
        headers: httpx.Headers,
        content: bytes | None,
        timeouts: dict[str, float],
    ) -> tuple[int, bytes, _Headers, bytes]:
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
        port = url.port
        if port is None:
            port = 443 if url.raw_scheme == b"https" else 80
        origin = httpcore.Origin(url.raw_scheme, url.raw_host, port)
        with map_httpcore_exceptions():
            return await self._send(
                origin, method.encode("ascii"), url.raw_path, raw, content or b"", timeouts
            )

    async def handle_async_request(self, request: httpcore.Request) -> httpcore.Response:
        """httpcore's pool interface, for httpx's transport: the whole body is sent at once."""
        stream = request.stream
        assert isinstance(stream, AsyncIterable)
        body = b"".join([part async for part in stream])
        extensions = request.extensions
        status, reason, headers, content = await self._send(
            request.url.origin,
            request.method,
            request.url.target,
            request.headers,
            body,
            extensions.get("timeout", {}),
            extensions.get("sni_hostname"),
        )
        return httpcore.Response(
            status,
            headers=headers,
            content=content,
            extensions={"http_version": b"HTTP/1.1", "reason_phrase": reason},
        )

    async def aclose(self) -> None:
        """Close every connection, those in use too (as httpcore's pool does)."""
        connections, self._open, self._idle = list(self._open), set(), {}
        for connection in connections:
            await connection.aclose()


def lifo_transport(ctx: ssl.SSLContext, limits: httpx.Limits) -> httpx.AsyncHTTPTransport:
    """httpx's transport (its request and error mapping) over a ``LifoPool``."""
    transport = httpx.AsyncHTTPTransport(verify=ctx, limits=limits)
    transport._pool = LifoPool(  # type: ignore[assignment]
        ctx, limits.max_connections or 100, limits.keepalive_expiry or 30.0
    )
    return transport

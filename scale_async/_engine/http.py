"""The HTTP session: connection pool, proxies, transport choice, one request out and back.

httpx stays behind this module and the three beside it (``config`` for timeouts and
credentials, ``tls`` for ``verify``/``cert``, ``failures`` for what a broken exchange means),
so the rest of the client speaks in plain values (``RawResponse``, ``TransportFailure``).

On asyncio the default transport is ``httpx-aiohttp``: httpx's own pool loses most of its
throughput beyond a few dozen requests in flight, which is exactly where bulk jobs live. On trio
it is httpx's own transport over ``pool.LifoPool`` (h11 connections of this package, httpcore's
trio streams underneath), which ``_send_lifo`` calls directly. Callers may always pass their own.

It runs past 400 lines on purpose: the general httpx path and the two fast paths that skip
httpx's Request and Response (``_send_aiohttp``, ``_send_lifo``) must map timeouts, failures and
bodies alike, and are kept side by side so that they can be read against each other.
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import quote_plus

import anyio
import anyio.lowlevel
import attrs

from .config import HttpSettings, Proxies, Timeout
from .failures import exchange_failure, foreign_failures
from .tls import ssl_context

if TYPE_CHECKING:
    import ssl

    import httpx

    from .forking import PoolOwner

# httpx (with the CLI helpers it pulls in), ssl and asyncio are imported where they are first
# used, not here: together they were two thirds of the time ``import scale_sync`` took.

__all__ = ["HttpSession", "RawResponse", "with_query"]


@attrs.frozen
class RawResponse:
    """A complete HTTP response, body read; header names are lower case."""

    status: int
    headers: Mapping[str, str]
    content: bytes
    reason: str = ""


def running_on_asyncio() -> bool:
    """True inside an asyncio event loop (as opposed to trio)."""
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def proxy_mounts(proxies: Proxies) -> dict[str, str]:
    """Normalise requests-style proxies (``{"https": url}``) to httpx mount patterns."""
    if proxies is None:
        return {}
    if isinstance(proxies, str):
        return {"all://": proxies}
    mounts: dict[str, str] = {}
    for key, url in proxies.items():
        if not url:
            continue
        pattern = key if "://" in key else f"{key}://"
        mounts[pattern] = url
    return mounts


def _limits(max_connections: int) -> httpx.Limits:
    import httpx

    return httpx.Limits(
        max_connections=max_connections,
        max_keepalive_connections=max_connections,
        keepalive_expiry=30.0,
    )


def _aiohttp_session(ctx: ssl.SSLContext, limits: httpx.Limits) -> Any:
    import aiohttp

    connector = aiohttp.TCPConnector(
        ssl=ctx, limit=limits.max_connections or 0, keepalive_timeout=limits.keepalive_expiry
    )
    # No cookie jar: the API sets none, and parsing each response's headers for one cost
    # as much as the rest of the request.
    session = aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar())
    # aiohttp silently resends an idempotent request once when a connection drops; the
    # retry policy must be the only one deciding, so that attempts are counted truthfully.
    if hasattr(session, "_retry_connection"):
        session._retry_connection = False
    return session


def _make_transport(
    ctx: ssl.SSLContext, limits: httpx.Limits, proxy: str | None = None
) -> httpx.AsyncBaseTransport:
    import httpx

    if running_on_asyncio():
        from httpx_aiohttp import AiohttpTransport

        transport: httpx.AsyncBaseTransport = AiohttpTransport(
            verify=ctx,
            limits=limits,
            proxy=httpx.Proxy(proxy) if proxy else None,
            client=lambda: _aiohttp_session(ctx, limits),
        )
        return transport
    if proxy:
        return httpx.AsyncHTTPTransport(verify=ctx, limits=limits, proxy=proxy)
    from .pool import lifo_transport

    return lifo_transport(ctx, limits)


def _mounts(settings: HttpSettings, ctx: ssl.SSLContext, limits: httpx.Limits) -> list[Any]:
    """(pattern, transport or None) pairs, most specific first, as httpx's client routes.

    ``proxies=`` wins; without it, HTTP(S)_PROXY / NO_PROXY are honoured as the SDK does.
    """
    from httpx._utils import URLPattern, get_environment_proxies

    proxies: dict[str, str | None] = dict(proxy_mounts(settings.proxies))
    if not settings.proxies:
        proxies = dict(get_environment_proxies())
    pairs = [
        (URLPattern(pattern), _make_transport(ctx, limits, url) if url else None)
        for pattern, url in proxies.items()
    ]
    return sorted(pairs, key=lambda pair: pair[0])


@functools.lru_cache(maxsize=1024)
def _url(text: str) -> httpx.URL:
    """A parsed URL; a create's path repeats for every task, so parsing it once pays."""
    import httpx

    return httpx.URL(text)


def with_query(url: str, params: list[tuple[str, str]]) -> httpx.URL:
    """``httpx.URL(url, params=params)`` without parsing the whole URL again.

    Every page of a listing has a new ``next_token``, so its URL is never the same twice:
    httpx re-validated the text character by character (20-45 µs a page). The parsed base
    URL is cached; the query is urllib's encoding, which is exactly httpx's (its
    ``QueryParams`` are ``urlencode``'s, and their characters need no further quoting).
    """
    import httpx

    base = _url(url)
    replace = getattr(getattr(base, "_uri_reference", None), "_replace", None)
    if replace is None or not all(type(k) is str and type(v) is str for k, v in params):
        return httpx.URL(url, params=tuple(params))  # another httpx, or values to convert
    target = httpx.URL.__new__(httpx.URL)
    target._uri_reference = replace(query="&".join([f"{_q(k)}={_q(v)}" for k, v in params]))
    return target


#: ``text`` quoted as ``urlencode`` quotes it, remembered: a listing sends the same keys and
#: filters with every page (a cursor is new every page, hence the bound).
_q = functools.lru_cache(maxsize=4096)(quote_plus)


def _headers(settings: HttpSettings) -> list[tuple[str, str]]:
    headers = [("User-Agent", settings.user_agent), ("Accept", "application/json")]
    auth = settings.auth
    if auth is not None and auth.scheme == "basic":
        token = base64.b64encode(f"{auth.secret}:".encode()).decode("ascii")
        headers.append(("Authorization", f"Basic {token}"))
    elif auth is not None:
        scheme = "Bearer" if auth.scheme == "bearer" else "Token"
        headers.append(("Authorization", f"{scheme} {auth.secret}"))
    return headers


def _phases(timeout: Timeout) -> dict[str, float]:
    return {
        "connect": timeout.connect,
        "read": timeout.read,
        "write": timeout.write,
        "pool": timeout.pool,
    }


@functools.lru_cache(maxsize=1024)
def _yarl(text: str) -> Any:
    import yarl

    return yarl.URL(text, encoded=True)  # as httpx encoded it


def merged_pairs(base: list[tuple[str, str]], extra: Mapping[str, str]) -> list[tuple[str, str]]:
    """``base`` with ``extra`` set over it, names compared without case: httpx's
    ``Headers.update``, without building a ``Headers`` for a request's one-off values."""
    names = {name.lower() for name in extra}
    return [(k, v) for k, v in base if k.lower() not in names] + list(extra.items())


def _aiohttp_args(
    url: str,
    pairs: list[tuple[str, str]],
    extra: Mapping[str, str] | None,
    timeout: dict[str, float],
) -> tuple[Any, Any, Any]:
    """aiohttp's URL, headers and timeout for a request, the repeated ones built once.

    ``extra`` (a request's own headers: an idempotency key is new every time) is laid over
    the client's ``pairs`` here rather than in a new ``httpx.Headers``, a tenth of a create's CPU.
    """
    import aiohttp

    if extra:
        pairs = merged_pairs(pairs, extra)
    key = (timeout["connect"], timeout["read"], timeout["pool"])
    client_timeout = _TIMEOUTS.get(key)
    if client_timeout is None:
        client_timeout = _TIMEOUTS[key] = aiohttp.ClientTimeout(
            sock_connect=key[0], sock_read=key[1], connect=key[2]
        )
    return _yarl(url), pairs, client_timeout


_TIMEOUTS: dict[tuple[float, float, float], Any] = {}


def _answer(
    status: int, reason: str, raw: Sequence[tuple[bytes, bytes]], body: bytes
) -> RawResponse:
    """A fast path's answer in plain values. A body with a content encoding (rare) is
    decoded by httpx, exactly as for every other transport; its failures are the caller's."""
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in raw}
    encoding = headers.get("content-encoding")
    if encoding is not None and encoding.strip().lower() not in ("", "identity"):
        import httpx

        body = httpx.Response(status, headers=list(raw), content=body).content
    return RawResponse(status=status, headers=headers, content=body, reason=reason)


async def _read(response: httpx.Response) -> bytes:
    """The whole body. Without a content encoding the stream's bytes are the body, and
    reading them directly skips httpx's decoder chain (a tenth of a request's CPU)."""
    encoding = response.headers.get("content-encoding")
    if encoding is not None and encoding.strip().lower() not in ("", "identity"):
        return await response.aread()
    chunks = [chunk async for chunk in response.stream]  # type: ignore[union-attr]
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


class HttpSession:
    """A lazily opened transport bound to the event loop that first uses it.

    Requests are built here directly (prebuilt URL and headers, no cookies, no redirects)
    and handed to the transport: a bulk client uses nothing else of ``httpx.AsyncClient``,
    and its machinery cost more CPU per request than the HTTP exchange itself.

    A concurrency limit in front of the pool means requests wait here, never inside the
    pool, so a pool timeout cannot fire merely because a bulk job is busy.
    """

    def __init__(self, settings: HttpSettings) -> None:
        self.settings = settings
        t = settings.timeout
        self._timeout = {"connect": t.connect, "read": t.read, "write": t.write, "pool": t.pool}
        self._headers: httpx.Headers | None = None  # built with the pool, by _open
        #: The same headers as text pairs, as the asyncio fast path hands them to aiohttp.
        self._header_pairs: list[tuple[str, str]] = []
        self._extra_headers: dict[tuple[tuple[str, str], ...], httpx.Headers] = {}
        self._transports: list[httpx.AsyncBaseTransport] = []
        self._routes: dict[tuple[bytes, bytes, int | None], httpx.AsyncBaseTransport] = {}
        self._mounts: list[Any] | None = None
        self._default: httpx.AsyncBaseTransport | None = None
        #: The default transport when it is ``pool.lifo_transport`` (trio, no proxy).
        self._lifo_transport: Any = None
        self._limiter: anyio.Semaphore | None = None
        self._owner: PoolOwner | None = None

    def __repr__(self) -> str:
        state = "open" if self._limiter is not None else "idle"
        return f"<HttpSession {state} max_connections={self.settings.max_connections}>"

    @property
    def is_open(self) -> bool:
        """Whether the pool has been opened and not yet closed."""
        return self._limiter is not None

    def _open(self) -> anyio.Semaphore:
        import httpx

        from .forking import PoolOwner

        if self._owner is not None and self._owner.inherited:
            self.forget()
        settings = self.settings
        self._headers = httpx.Headers(_headers(settings))
        self._header_pairs = [
            (k.decode("latin-1"), v.decode("latin-1")) for k, v in self._headers.raw
        ]
        ctx = ssl_context(settings.verify, settings.cert)
        limits = _limits(settings.max_connections)
        self._mounts = [] if settings.transport else _mounts(settings, ctx, limits)
        self._default = settings.transport or _make_transport(ctx, limits)
        self._transports = [self._default] + [t for _, t in self._mounts if t is not None]
        pool = getattr(self._default, "_pool", None)
        self._lifo_transport = self._default if type(pool).__name__ == "LifoPool" else None
        # One cheap limiter: fast_acquire skips the event loop round trip while a slot is
        # free, which is nearly always.
        self._limiter = anyio.Semaphore(settings.max_connections, fast_acquire=True)
        self._owner = PoolOwner.here()
        return self._limiter

    def _ensure_open(self) -> tuple[HttpSession, anyio.Semaphore]:
        return self, self._limiter or self._open()

    @property
    def _transport(self) -> httpx.AsyncBaseTransport | None:
        """The transport for the base URL's scheme when no proxy applies."""
        return self._default

    def _transport_for(self, url: httpx.URL) -> httpx.AsyncBaseTransport:
        key = (url.raw_scheme, url.raw_host, url.port)
        transport = self._routes.get(key)
        if transport is None:
            assert self._mounts is not None
            assert self._default is not None
            transport = next(
                (t or self._default for pattern, t in self._mounts if pattern.matches(url)),
                self._default,
            )
            self._routes[key] = transport
        return transport

    async def send(
        self,
        method: str,
        url: str,
        *,
        params: list[tuple[str, str]] | None = None,
        content: bytes | None = None,
        files: Mapping[str, tuple[str, bytes]] | None = None,
        data: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: Timeout | None = None,  # noqa: ASYNC109 - httpx's per-request limits
    ) -> RawResponse:
        """Send one request and read the whole response; no retries here.

        ``timeout`` replaces the pool's own limits for this request only.
        """
        import httpx

        limits = self._timeout if timeout is None else _phases(timeout)

        limiter = self._limiter
        if limiter is None or self._owner is None or self._owner.inherited:
            limiter = self._open()
        target = with_query(url, params) if params else _url(url)
        client_headers = self._headers
        assert client_headers is not None
        transport = self._transport_for(target)
        if (
            files is None
            and data is None
            and type(transport).__name__ == "AiohttpTransport"
            and transport.proxy is None  # type: ignore[attr-defined]
            and (not headers or all(v.isascii() for v in headers.values()))
        ):
            url, pairs, phases = _aiohttp_args(str(target), self._header_pairs, headers, limits)
            return await self._send_aiohttp(transport, method, url, content, pairs, limiter, phases)
        request_headers = self._with_headers(headers) if headers else client_headers
        if files is None and data is None and transport is self._lifo_transport:
            return await self._send_lifo(method, target, content, request_headers, limiter, limits)
        request = httpx.Request(
            method,
            target,
            headers=request_headers,
            content=content,
            files=files,
            data=data,
            extensions={"timeout": limits},
        )
        async with limiter:
            if self.settings.transport is not None:
                # The caller's transport may answer without ever waiting (an in-process
                # fake): a request still lets the other tasks run, as the network does.
                await anyio.lowlevel.checkpoint()
            try:
                response = await transport.handle_async_request(request)
                try:
                    body = await _read(response)
                finally:
                    await response.aclose()
            except foreign_failures() as exc:
                raise exchange_failure(exc) from exc
        reason = response.extensions.get("reason_phrase", b"")
        return RawResponse(
            status=response.status_code,
            headers={
                k.decode("latin-1").lower(): v.decode("latin-1") for k, v in response.headers.raw
            },
            content=body,
            reason=reason.decode("ascii", "replace") if isinstance(reason, bytes) else "",
        )

    async def _send_aiohttp(
        self,
        transport: Any,
        method: str,
        url: Any,
        content: bytes | None,
        headers: list[tuple[str, str]],
        limiter: anyio.Semaphore,
        client_timeout: Any,
    ) -> RawResponse:
        """The default transport on asyncio, without the httpx Request and Response.

        httpx-aiohttp's own session, pool and exception mapping are used, so this differs
        from ``transport.handle_async_request`` only in what it does not build: the httpx
        objects around each exchange, the URL parsed again by aiohttp from text, the
        headers converted one lookup at a time.
        """
        from httpx_aiohttp.transport import map_aiohttp_exceptions

        session = transport.client
        if session is None or (callable(session) and not hasattr(session, "request")):
            session = transport.client = transport.get_client()
        async with limiter:
            try:
                try:
                    async with session.request(
                        method,
                        url,
                        headers=headers,
                        data=content,
                        allow_redirects=False,
                        auto_decompress=False,
                        compress=False,
                        timeout=client_timeout,
                    ) as response:
                        body = await response.read()
                        status, reason = response.status, response.reason or ""
                        raw = response.raw_headers
                except Exception:
                    # Mapped to httpx's exceptions only when it fails: the mapping's context
                    # manager costs a generator and its frames on every request.
                    with map_aiohttp_exceptions():
                        raise
                return _answer(status, reason, raw, body)
            except foreign_failures() as exc:
                raise exchange_failure(exc) from exc

    async def _send_lifo(
        self,
        method: str,
        target: httpx.URL,
        content: bytes | None,
        headers: httpx.Headers,
        limiter: anyio.Semaphore,
        limits: dict[str, float],
    ) -> RawResponse:
        """The default transport on trio, without the httpx Request and Response (as
        ``_send_aiohttp`` on asyncio): they cost a fifth of a request's CPU there."""

        transport = self._lifo_transport
        assert transport is not None
        pool = transport._pool
        async with limiter:
            try:
                status, reason, raw, body = await pool.exchange(
                    method, target, headers, content, limits
                )
                return _answer(status, reason.decode("ascii", "replace"), raw, body)
            except foreign_failures() as exc:
                raise exchange_failure(exc) from exc

    def _with_headers(self, headers: Mapping[str, str]) -> httpx.Headers:
        """The client's headers with ``headers`` added; the usual few sets are built once."""
        import httpx

        key = tuple(headers.items())
        built = self._extra_headers.get(key)
        if built is None:
            built = httpx.Headers(self._headers)
            built.update(headers)
            if len(self._extra_headers) < 64:
                self._extra_headers[key] = built
        return built

    def forget(self) -> None:
        """Drop the pool without closing it: after fork() its sockets belong to the parent."""
        transports, owner = self._transports, self._owner
        self._limiter, self._owner = None, None
        self._transports = []
        self._routes = {}
        self._default = None
        self._lifo_transport = None
        self._extra_headers = {}
        if transports and owner is not None and owner.inherited:
            from .forking import abandon

            abandon(transports, owner)

    async def aclose(self) -> None:
        """Close every pooled connection (in a forked child, only drop the parent's; the
        caller's transport is closed too, as httpx's client does)."""
        if self._owner is not None and self._owner.inherited:
            self.forget()
        transports, self._transports = self._transports, []
        self._limiter = None
        self._routes = {}
        self._default = None
        self._lifo_transport = None
        for transport in transports:
            await transport.aclose()

"""The only module that touches httpx: connection pool, TLS, proxies, timeouts, transport choice.

Keeping httpx behind this seam means the rest of the client speaks in plain values
(``RawResponse``, ``TransportFailure``), and a move to another HTTP library is one file.

On asyncio the default transport is ``httpx-aiohttp``: httpx's own pool loses most of its
throughput beyond a few dozen requests in flight, which is exactly where bulk jobs live. On trio
httpx's own transport is used, and callers may always pass their own.
"""

from __future__ import annotations

import asyncio
import functools
import os
import ssl
from collections.abc import Mapping
from typing import Any, Literal, TypeAlias

import anyio
import attrs
import httpx

from .forking import PoolOwner, abandon

__all__ = [
    "Auth",
    "Cert",
    "HttpSession",
    "HttpSettings",
    "Proxies",
    "RawResponse",
    "Timeout",
    "TimeoutArg",
    "Transport",
    "TransportFailure",
    "Verify",
]

#: What ``transport=`` accepts: any httpx async transport (``httpx.MockTransport``,
#: ``httpx.ASGITransport``, ``httpx.AsyncHTTPTransport``, ...).
Transport: TypeAlias = httpx.AsyncBaseTransport

Proxies: TypeAlias = "str | Mapping[str, str] | None"
Verify: TypeAlias = "bool | str | ssl.SSLContext | None"
Cert: TypeAlias = "str | tuple[str, str] | tuple[str, str, str] | None"


#: What ``timeout=`` accepts: seconds for every phase, a ``Timeout`` or an ``httpx.Timeout``.
TimeoutArg: TypeAlias = "float | Timeout | httpx.Timeout | None"

_DEFAULT_TIMEOUTS = {"connect": 10.0, "read": 60.0, "write": 60.0, "pool": 30.0}


@attrs.frozen(init=False)
class Timeout:
    """Per-phase time limits in seconds; none of them may be infinite.

    As with ``httpx.Timeout``, ``Timeout(5)`` sets every phase to 5 s and ``Timeout(5,
    connect=2)`` every phase but connect; a phase given neither way keeps its default (connect
    10 s, read 60 s, write 60 s, pool 30 s). ``pool`` bounds the wait for a free connection,
    which the client's own concurrency limit keeps near zero.
    """

    connect: float
    read: float
    write: float
    pool: float

    def __init__(
        self,
        default: float | None = None,
        *,
        connect: float | None = None,
        read: float | None = None,
        write: float | None = None,
        pool: float | None = None,
    ) -> None:
        given = {"connect": connect, "read": read, "write": write, "pool": pool}
        chosen = {
            name: value if value is not None else default if default is not None else fallback
            for (name, value), fallback in zip(
                given.items(), _DEFAULT_TIMEOUTS.values(), strict=True
            )
        }
        self.__attrs_init__(**chosen)

    def __attrs_post_init__(self) -> None:
        for name in ("connect", "read", "write", "pool"):
            value = getattr(self, name)
            if isinstance(value, bool) or not (
                isinstance(value, int | float) and 0 < value < float("inf")
            ):
                raise ValueError(f"Timeout.{name} must be a positive number, got {value!r}")

    @classmethod
    def of(cls, value: TimeoutArg) -> Timeout:
        """Normalise ``timeout=``: None means the defaults, a number every phase.

        An ``httpx.Timeout`` is taken phase by phase; one that leaves a phase unlimited is
        refused, since no request of this client may wait forever.
        """
        if value is None:
            return cls()
        if isinstance(value, Timeout):
            return value
        if isinstance(value, httpx.Timeout):
            phases = {"connect": value.connect, "read": value.read}
            phases.update(write=value.write, pool=value.pool)
            unlimited = [name for name, seconds in phases.items() if seconds is None]
            if unlimited:
                raise ValueError(
                    f"timeout: this httpx.Timeout sets no {' or '.join(unlimited)} limit; "
                    "every phase needs one, so that no request waits forever"
                )
            return cls(**phases)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(
                "timeout must be seconds, a Timeout or an httpx.Timeout, "
                f"got {type(value).__name__}"
            )
        return cls(value)

    def as_httpx(self) -> httpx.Timeout:
        """The same limits for httpx."""
        return httpx.Timeout(connect=self.connect, read=self.read, write=self.write, pool=self.pool)


@attrs.frozen
class Auth:
    """How every request proves who sends it; the secret never shows in a ``repr``.

    Scale AI's v1 API wants HTTP Basic with the API key as the user name (``Auth.basic``), its
    v2 API the same key as a Bearer token (``Auth.bearer``); NGA's Scale takes a Django REST
    framework token (``Auth.token``). A client without credentials passes no ``Auth`` at all.
    """

    scheme: Literal["basic", "token", "bearer"]
    secret: str = attrs.field(repr=False)

    @classmethod
    def basic(cls, api_key: str) -> Auth:
        """HTTP Basic with ``api_key`` as the user name and an empty password."""
        return cls("basic", api_key)

    @classmethod
    def token(cls, token: str) -> Auth:
        """``Authorization: Token <token>``, DRF's token authentication."""
        return cls("token", token)

    @classmethod
    def bearer(cls, token: str) -> Auth:
        """``Authorization: Bearer <token>``, how Scale AI's v2 API takes the API key."""
        return cls("bearer", token)


@attrs.frozen(kw_only=True)
class HttpSettings:
    """Everything needed to open the connection pool. Secrets stay out of ``repr``."""

    auth: Auth | None
    user_agent: str
    timeout: Timeout
    max_connections: int
    verify: Verify = None
    cert: Cert = None
    proxies: Proxies = None
    transport: Transport | None = attrs.field(default=None, repr=False)

    @property
    def api_key(self) -> str | None:
        """The Scale AI key, when the requests use HTTP Basic."""
        return self.auth.secret if self.auth is not None and self.auth.scheme == "basic" else None


@attrs.frozen
class RawResponse:
    """A complete HTTP response, body read; header names are lower case."""

    status: int
    headers: Mapping[str, str]
    content: bytes
    reason: str = ""


class TransportFailure(Exception):
    """No response was received. ``sent`` is False when the server provably saw nothing."""

    def __init__(self, message: str, *, sent: bool) -> None:
        super().__init__(message)
        self.sent = sent


def running_on_asyncio() -> bool:
    """True inside an asyncio event loop (as opposed to trio)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


#: Where ``requests`` (hence the SDK) and OpenSSL look for a CA bundle, in requests' order.
CA_BUNDLE_VARIABLES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE")


def env_ca_bundle(environ: Mapping[str, str]) -> str | None:
    """The CA bundle the environment names, as the SDK honours it when ``verify`` is unset."""
    for name in CA_BUNDLE_VARIABLES:
        if environ.get(name):
            return environ[name]
    return None


def ssl_context(verify: Verify, cert: Cert) -> ssl.SSLContext:
    """The TLS context for ``verify``/``cert``; ``verify=False`` really turns checks off.

    Without ``verify`` the CA bundle named by ``$REQUESTS_CA_BUNDLE`` (``$CURL_CA_BUNDLE``,
    ``$SSL_CERT_FILE``) is trusted, as with the SDK; an explicit ``verify`` always wins.
    """
    if verify is None:
        verify = env_ca_bundle(os.environ)
    if isinstance(verify, ssl.SSLContext):
        ctx = verify
    elif isinstance(verify, str) and cert is None:
        return _bundle_context(verify)
    elif isinstance(verify, str):
        ctx = _load_bundle(verify)
    elif cert is None:
        # Loading the CA bundle takes ~20 ms; the plain contexts are built once and shared.
        return _plain_context(verify is not False)
    else:
        ctx = httpx.create_ssl_context(verify=verify is not False)
    if cert is not None:
        if isinstance(cert, str):
            ctx.load_cert_chain(cert)
        elif len(cert) == 2:
            ctx.load_cert_chain(cert[0], cert[1])
        else:
            ctx.load_cert_chain(cert[0], cert[1], cert[2])
    return ctx


@functools.cache
def _plain_context(verified: bool) -> ssl.SSLContext:
    return httpx.create_ssl_context(verify=verified)


def _load_bundle(path: str) -> ssl.SSLContext:
    if os.path.isdir(path):
        return ssl.create_default_context(capath=path)
    return ssl.create_default_context(cafile=path)


@functools.cache
def _bundle_context(path: str) -> ssl.SSLContext:
    # Shared like the plain contexts: nothing is loaded into it after it is built.
    return _load_bundle(path)


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
    session = aiohttp.ClientSession(connector=connector)
    # aiohttp silently resends an idempotent request once when a connection drops; the
    # retry policy must be the only one deciding, so that attempts are counted truthfully.
    if hasattr(session, "_retry_connection"):
        session._retry_connection = False
    return session


def _make_transport(
    ctx: ssl.SSLContext, limits: httpx.Limits, proxy: str | None = None
) -> httpx.AsyncBaseTransport:
    if running_on_asyncio():
        from httpx_aiohttp import AiohttpTransport

        transport: httpx.AsyncBaseTransport = AiohttpTransport(
            verify=ctx,
            limits=limits,
            proxy=httpx.Proxy(proxy) if proxy else None,
            client=lambda: _aiohttp_session(ctx, limits),
        )
        return transport
    return httpx.AsyncHTTPTransport(verify=ctx, limits=limits, proxy=proxy)


def _open_client(settings: HttpSettings) -> httpx.AsyncClient:
    ctx = ssl_context(settings.verify, settings.cert)
    limits = _limits(settings.max_connections)
    mounts: dict[str, httpx.AsyncBaseTransport | None] = {
        pattern: _make_transport(ctx, limits, url)
        for pattern, url in proxy_mounts(settings.proxies).items()
    }
    t = settings.timeout
    headers = {"User-Agent": settings.user_agent, "Accept": "application/json"}
    basic: httpx.BasicAuth | None = None
    if settings.auth is not None and settings.auth.scheme == "basic":
        basic = httpx.BasicAuth(settings.auth.secret, "")
    elif settings.auth is not None:
        scheme = "Bearer" if settings.auth.scheme == "bearer" else "Token"
        headers["Authorization"] = f"{scheme} {settings.auth.secret}"
    return httpx.AsyncClient(
        auth=basic,
        headers=headers,
        timeout=t.as_httpx(),
        limits=limits,
        transport=settings.transport or _make_transport(ctx, limits),
        mounts=mounts or None,
        follow_redirects=False,
        # Like the official SDK, honour HTTP(S)_PROXY / NO_PROXY when no proxies are given.
        trust_env=not settings.proxies,
    )


def _provably_unsent(exc: httpx.TransportError) -> bool:
    """Whether the request never reached the server (so even a create may be retried)."""
    cause = exc.__cause__
    if cause is not None and type(cause).__module__.startswith("aiohttp"):
        # httpx-aiohttp maps every aiohttp connection error, even a server hang-up after
        # the request was sent, to ConnectTimeout: judge by the original exception.
        import aiohttp

        return isinstance(cause, aiohttp.ClientConnectorError | aiohttp.ConnectionTimeoutError)
    return isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)


def _describe(exc: BaseException) -> str:
    """``Kind: reason``, the reason taken from the first exception in the chain that has one.

    httpx errors raised under trio often carry no text of their own; the TLS or socket error
    underneath says what went wrong.
    """
    seen: BaseException | None = exc
    while seen is not None and not str(seen):
        seen = seen.__cause__ or seen.__context__
    reason = str(seen) if seen is not None else ""
    return f"{type(exc).__name__}: {reason}" if reason else type(exc).__name__


@functools.cache
def _foreign_failures() -> tuple[type[BaseException], ...]:
    """What the transports raise about a broken exchange besides httpx.TransportError."""
    failures: list[type[BaseException]] = [httpx.HTTPError, OSError, EOFError, ValueError]
    try:
        import aiohttp
    except ImportError:  # pragma: no cover - httpx-aiohttp brings it
        pass
    else:
        failures.append(aiohttp.ClientError)
    return tuple(failures)


class HttpSession:
    """A lazily opened httpx client bound to the event loop that first uses it.

    A concurrency limit in front of the pool means requests wait here, never inside the
    pool, so a pool timeout cannot fire merely because a bulk job is busy.
    """

    def __init__(self, settings: HttpSettings) -> None:
        self.settings = settings
        self._client: httpx.AsyncClient | None = None
        self._limiter: anyio.CapacityLimiter | None = None
        self._owner: PoolOwner | None = None

    def __repr__(self) -> str:
        state = "open" if self._client is not None else "idle"
        return f"<HttpSession {state} max_connections={self.settings.max_connections}>"

    @property
    def is_open(self) -> bool:
        """Whether the pool has been opened and not yet closed."""
        return self._client is not None

    def _ensure_open(self) -> tuple[httpx.AsyncClient, anyio.CapacityLimiter]:
        if self._owner is not None and self._owner.inherited:
            self.forget()
        if self._client is None or self._limiter is None:
            self._client = _open_client(self.settings)
            self._limiter = anyio.CapacityLimiter(self.settings.max_connections)
            self._owner = PoolOwner.here()
        return self._client, self._limiter

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
        client, limiter = self._ensure_open()
        async with limiter:
            try:
                response = await client.request(
                    method,
                    url,
                    params=tuple(params) if params else None,
                    content=content,
                    files=files,
                    data=data,
                    headers=headers,
                    timeout=httpx.USE_CLIENT_DEFAULT if timeout is None else timeout.as_httpx(),
                )
            except httpx.TransportError as exc:
                raise TransportFailure(_describe(exc), sent=not _provably_unsent(exc)) from exc
            except _foreign_failures() as exc:
                # A reply that is not HTTP, a body that does not decode (gzip garbage): the
                # exchange failed after the request went out, whatever library noticed it.
                raise TransportFailure(_describe(exc), sent=True) from exc
        return RawResponse(
            status=response.status_code,
            headers={k.lower(): v for k, v in response.headers.items()},
            content=response.content,
            reason=response.reason_phrase,
        )

    def forget(self) -> None:
        """Drop the pool without closing it: after fork() its sockets belong to the parent."""
        client, owner = self._client, self._owner
        self._client, self._limiter, self._owner = None, None, None
        if client is not None and owner is not None and owner.inherited:
            abandon(client, owner)

    async def aclose(self) -> None:
        """Close every pooled connection (in a forked child, only drop the parent's)."""
        if self._owner is not None and self._owner.inherited:
            self.forget()
        client, self._client, self._limiter = self._client, None, None
        if client is not None:
            await client.aclose()

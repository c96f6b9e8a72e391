"""httpcore's network streams on trio, with fewer trips through the scheduler per request.

httpcore's own trio stream costs, for every request, one write for the head and one for the
body, each a ``trio.fail_after`` (a generator context manager and a registered deadline) and
a trip through trio's scheduler; so does every lock and read. At 256 requests in flight that
machinery, not HTTP, was most of the client's CPU, and the head and body arriving as two TCP
segments also made the server read twice. These streams keep httpcore (its HTTP/1.1 state,
pool protocol, TLS, errors) and change only how bytes move:

* a write is held until the next write or read, so a request's head and body leave in one
  ``send`` (nothing waits for an answer before everything written has been sent);
* on a plain TCP connection the bytes go straight to the socket: a ``send`` that completes
  needs no scheduler trip, and a wait (``wait_readable``/``wait_writable``) sits inside one
  plain cancel scope whose deadline is the phase's timeout;
* TLS connections keep trio's ``SSLStream`` underneath, with the same write holding.

Errors and timeouts are httpcore's own exceptions, as its stream raises them, so httpx maps
them as before.
"""

# ruff: noqa: ASYNC109 - the ``timeout`` parameters are httpcore's stream interface

from __future__ import annotations

import contextlib
import select
import socket
import ssl
import sys
from collections.abc import Iterable
from typing import Any

import httpcore
import trio
from httpcore._backends.trio import TrioBackend

__all__ = ["FewerTripsBackend"]

_FOREVER = float("inf")


def _deadline(timeout: float | None) -> float:
    return _FOREVER if timeout is None else trio.current_time() + timeout


def socket_is_readable(sock: socket.socket) -> bool:
    """Whether a read would return at once: data, or the end of a connection the server closed.

    An idle keep-alive connection that is readable can no longer carry a request.
    """
    if sock.fileno() < 0:
        return True
    if sys.platform == "win32" or not hasattr(select, "poll"):  # pragma: no cover - posix CI
        readable, _, _ = select.select([sock], [], [], 0)
        return bool(readable)
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))


class _Holding(httpcore.AsyncNetworkStream):
    """Any httpcore stream, with each write held until the next write or read."""

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._held = b""
        self._held_timeout: float | None = None

    async def _send(self, data: bytes, timeout: float | None) -> None:
        await self._inner.write(data, timeout)

    async def _receive(self, max_bytes: int, timeout: float | None) -> bytes:
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        if not self._held:
            self._held, self._held_timeout = buffer, timeout
            return
        data, self._held = self._held + buffer, b""
        await self._send(data, timeout)

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        if self._held:
            data, self._held = self._held, b""
            # As httpcore does for a failed write: the server may have answered (an early
            # error) before closing; the read below tells.
            with contextlib.suppress(httpcore.WriteError):
                await self._send(data, self._held_timeout)
        return await self._receive(max_bytes, timeout)

    async def aclose(self) -> None:
        self._held = b""
        await self._inner.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return _Holding(await self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _Plain(_Holding):
    """A plain TCP connection whose bytes go straight to the socket.

    The socket is taken from trio's stream at the first read or write (after a TLS upgrade
    would have replaced this stream), and closed by this stream from then on.
    """

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        super().__init__(inner)
        self._sock: socket.socket | None = None

    def _socket(self) -> socket.socket:
        sock = self._sock
        if sock is None:
            tsock = self._inner.get_extra_info("socket")
            family, type_, proto = tsock.family, tsock.type, tsock.proto
            sock = self._sock = socket.socket(family, type_, proto, fileno=tsock.detach())
            sock.setblocking(False)
        return sock

    async def _send(self, data: bytes, timeout: float | None) -> None:
        sock = self._socket()
        view = memoryview(data)
        deadline: float | None = None
        while view:
            try:
                sent = sock.send(view)
            except BlockingIOError:
                if deadline is None:
                    deadline = _deadline(timeout)
                try:
                    with trio.CancelScope(deadline=deadline) as scope:
                        await trio.lowlevel.wait_writable(sock)
                except trio.ClosedResourceError as exc:  # closed by the pool meanwhile
                    raise httpcore.WriteError("the connection was closed") from exc
                if scope.cancelled_caught:
                    raise httpcore.WriteTimeout("timed out writing the request") from None
                continue
            except OSError as exc:
                raise httpcore.WriteError(str(exc) or type(exc).__name__) from exc
            view = view[sent:]

    async def _receive(self, max_bytes: int, timeout: float | None) -> bytes:
        sock = self._socket()
        await trio.lowlevel.checkpoint_if_cancelled()
        try:
            return sock.recv(max_bytes)
        except BlockingIOError:
            pass
        except OSError as exc:
            raise httpcore.ReadError(str(exc) or type(exc).__name__) from exc
        try:
            with trio.CancelScope(deadline=_deadline(timeout)) as scope:
                await trio.lowlevel.wait_readable(sock)
        except trio.ClosedResourceError as exc:  # closed by the pool meanwhile
            raise httpcore.ReadError("the connection was closed") from exc
        if scope.cancelled_caught:
            raise httpcore.ReadTimeout("timed out reading the response")
        try:
            return sock.recv(max_bytes)
        except BlockingIOError:  # pragma: no cover - readable, yet nothing to read
            return await self._receive(max_bytes, timeout)
        except OSError as exc:
            raise httpcore.ReadError(str(exc) or type(exc).__name__) from exc

    async def aclose(self) -> None:
        self._held = b""
        sock = self._sock
        if sock is None:
            await self._inner.aclose()
            return
        if sock.fileno() >= 0:
            trio.lowlevel.notify_closing(sock)
            sock.close()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        if self._sock is not None:  # pragma: no cover - httpcore upgrades before any I/O
            raise RuntimeError("TLS cannot start once bytes went over the plain socket")
        return await super().start_tls(ssl_context, server_hostname, timeout)

    def get_extra_info(self, info: str) -> Any:
        sock = self._sock
        if sock is None:
            return self._inner.get_extra_info(info)
        if info == "is_readable":
            return socket_is_readable(sock)
        if info == "socket":
            return sock
        if info == "client_addr":
            return sock.getsockname()
        if info == "server_addr":
            return sock.getpeername()
        return None


class FewerTripsBackend(httpcore.AsyncNetworkBackend):
    """httpcore's trio backend (connecting, TLS, its errors) with the streams above."""

    def __init__(self) -> None:
        self._trio = TrioBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        inner = await self._trio.connect_tcp(host, port, timeout, local_address, socket_options)
        return _Plain(inner)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:  # pragma: no cover - the client connects over TCP
        return _Holding(await self._trio.connect_unix_socket(path, timeout, socket_options))

    async def sleep(self, seconds: float) -> None:  # pragma: no cover - httpcore's retries
        await self._trio.sleep(seconds)

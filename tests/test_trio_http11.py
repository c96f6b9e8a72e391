"""The trio pool's HTTP/1.1 connection and pool: keep-alive, closing, errors, framing.

Both exist only on trio, so each test runs its body with ``trio.run`` rather than on both
backends. The connection is driven over a scripted stream; the pool over 127.0.0.1.
"""

# ruff: noqa: ASYNC109 - the scripted stream has httpcore's stream interface

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpcore
import httpx
import pytest
import trio

from scale_async._engine.failures import describe_failure
from scale_async._engine.http11 import Http11
from scale_async._engine.pool import LifoPool, lifo_transport
from scale_async._engine.tls import ssl_context

from .test_network import Certs, certs, server_tls
from .test_triostream import KeepAliveServer, reply

__all__ = ["certs"]  # the certificates fixture, shared with the network tests

TIMEOUTS = {"connect": 5.0, "read": 5.0, "write": 5.0, "pool": 5.0}
HEADERS = [(b"Host", b"example.test")]
OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


class Scripted(httpcore.AsyncNetworkStream):
    """Answers reads from a script of byte strings; a read past the script waits forever."""

    def __init__(self, *replies: bytes, readable: bool = False) -> None:
        self.replies = list(replies)
        self.writes: list[bytes] = []
        self.closed = False
        self.readable = readable

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.writes.append(buffer)

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        if not self.replies:
            await trio.sleep_forever()
        return self.replies.pop(0)

    async def aclose(self) -> None:
        self.closed = True

    def get_extra_info(self, info: str) -> Any:
        return self.readable if info == "is_readable" else None


def run(body: Callable[[], Awaitable[Any]]) -> Any:
    return trio.run(body)


def exchange(
    connection: Http11, method: bytes = b"GET", body: bytes = b""
) -> tuple[int, bytes, list[tuple[bytes, bytes]], bytes]:
    headers = HEADERS + ([(b"Content-Length", str(len(body)).encode())] if body else [])

    async def go() -> tuple[int, bytes, list[tuple[bytes, bytes]], bytes]:
        return await connection.exchange(method, b"/v1/x", headers, body, TIMEOUTS)

    answer: tuple[int, bytes, list[tuple[bytes, bytes]], bytes] = run(go)
    return answer


def test_request_leaves_in_one_write_and_the_connection_is_kept() -> None:
    stream = Scripted(OK, OK)
    connection = Http11(stream, keepalive=30)
    assert exchange(connection, b"POST", b'{"a":1}') == (
        200,
        b"OK",
        [(b"Content-Length", b"2")],
        b"ok",
    )
    assert stream.writes == [
        b'POST /v1/x HTTP/1.1\r\nHost: example.test\r\nContent-Length: 7\r\n\r\n{"a":1}'
    ]
    assert connection.reusable()
    assert exchange(connection)[3] == b"ok"  # the next cycle on the same connection
    assert len(stream.writes) == 2
    assert not stream.closed


def test_a_response_read_a_byte_at_a_time_and_chunked() -> None:
    chunked = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
    )
    stream = Scripted(*(chunked[i : i + 1] for i in range(len(chunked))))
    connection = Http11(stream, keepalive=30)
    assert exchange(connection)[3] == b"abcde"
    assert connection.reusable()


def test_informational_responses_are_skipped() -> None:
    stream = Scripted(b"HTTP/1.1 100 Continue\r\n\r\n" + OK)
    assert exchange(Http11(stream, keepalive=30))[:1] == (200,)


def test_head_response_has_no_body_and_keeps_the_connection() -> None:
    stream = Scripted(b"HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n")
    connection = Http11(stream, keepalive=30)
    assert exchange(connection, b"HEAD")[3] == b""
    assert connection.reusable()


def test_server_asking_to_close_closes_the_connection() -> None:
    stream = Scripted(b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok")
    connection = Http11(stream, keepalive=30)
    assert exchange(connection)[3] == b"ok"
    assert stream.closed
    assert not connection.reusable()


def test_keepalive_expiry_and_a_readable_idle_connection_are_not_reused() -> None:
    expiring = Http11(Scripted(OK), keepalive=0.01)
    exchange(expiring)
    time.sleep(0.02)
    assert not expiring.reusable()
    hung_up = Scripted(OK)
    connection = Http11(hung_up, keepalive=30)
    exchange(connection)
    hung_up.readable = True  # the server closed it while idle
    assert not connection.reusable()


def test_disconnect_before_the_response_is_a_remote_protocol_error() -> None:
    stream = Scripted(b"")
    connection = Http11(stream, keepalive=30)
    with pytest.raises(httpcore.RemoteProtocolError, match="Server disconnected"):
        exchange(connection)
    assert stream.closed
    assert not connection.reusable()


def test_a_reply_that_is_not_http_is_a_remote_protocol_error() -> None:
    stream = Scripted(b"SSH-2.0-OpenSSH_9.6\r\n\r\n")
    connection = Http11(stream, keepalive=30)
    with pytest.raises(httpcore.RemoteProtocolError):
        exchange(connection)
    assert stream.closed


def test_a_body_cut_short_is_an_error_and_closes() -> None:
    stream = Scripted(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", b"")
    connection = Http11(stream, keepalive=30)
    with pytest.raises(httpcore.RemoteProtocolError):
        exchange(connection)
    assert stream.closed


def test_an_invalid_header_is_refused_before_anything_is_sent() -> None:
    stream = Scripted(OK)
    connection = Http11(stream, keepalive=30)

    async def go() -> None:
        bad = [*HEADERS, (b"X-Bad", b"a\r\nInjected: 1")]
        await connection.exchange(b"GET", b"/", bad, b"", TIMEOUTS)

    with pytest.raises(httpcore.LocalProtocolError):
        run(go)
    assert stream.writes == []
    assert stream.closed


def test_cancelled_exchange_closes_the_connection() -> None:
    stream = Scripted()  # never answers
    connection = Http11(stream, keepalive=30)

    async def go() -> bool:
        with trio.move_on_after(0.05) as scope:
            await connection.exchange(b"GET", b"/", HEADERS, b"", TIMEOUTS)
        return scope.cancelled_caught

    assert run(go) is True
    assert stream.closed
    assert not connection.reusable()


# -- the pool over 127.0.0.1 -----------------------------------------------------------------


def pool_exchange(pool: LifoPool, port: int, n: int) -> list[bytes]:
    async def go() -> list[bytes]:
        url = httpx.URL(f"http://127.0.0.1:{port}/v1/x")
        async with trio.open_nursery() as nursery:
            bodies: list[bytes] = []

            async def one() -> None:
                answer = await pool.exchange("GET", url, httpx.Headers(), None, TIMEOUTS)
                bodies.append(answer[3])

            for _ in range(n):
                nursery.start_soon(one)
        return bodies

    answer: list[bytes] = run(go)
    return answer


def test_pool_keeps_at_most_max_connections_idle_and_closes_the_rest() -> None:
    with KeepAliveServer(reply(b"{}")) as server:
        pool = LifoPool(ssl_context(None, None), max_connections=2, keepalive=30)
        assert pool_exchange(pool, server.port, 5) == [b"{}"] * 5
        assert server.accepts == 5  # five at once: five connections
        assert len(pool._open) == 2
        assert [len(idle) for idle in pool._idle.values()] == [2]
        assert pool_exchange(pool, server.port, 2) == [b"{}"] * 2
        assert server.accepts == 5  # the two idle ones were reused
        run(pool.aclose)
        assert pool._open == set()


def test_pool_serves_httpx_transport_requests_with_a_streamed_body() -> None:
    """Multipart uploads go through httpx's transport, and so through the same pool."""
    with KeepAliveServer(reply(b'{"ok": true}')) as server:
        transport = lifo_transport(ssl_context(None, None), httpx.Limits(max_connections=4))

        async def go() -> tuple[int, bytes, str]:
            request = httpx.Request(
                "POST",
                f"http://127.0.0.1:{server.port}/v1/files/upload",
                files={"file": ("a.txt", b"hello file")},
                data={"project_name": "p"},
            )
            response = await transport.handle_async_request(request)
            body = await response.aread()
            await transport.aclose()
            return response.status_code, body, response.extensions["reason_phrase"].decode()

        assert run(go) == (200, b'{"ok": true}', "OK")
    (sent,) = server.requests
    head, _, body = sent.partition(b"\r\n\r\n")
    assert b"hello file" in body
    assert b'name="project_name"' in body
    assert f"Content-Length: {len(body)}".encode() in head


def test_pool_keeps_a_tls_connection_alive_and_verifies_it(certs: Certs) -> None:
    """Over TLS (trio's SSLStream under the held writes) a connection is verified and reused."""
    with KeepAliveServer(reply(b"{}"), tls=server_tls(certs)) as server:
        pool = LifoPool(ssl_context(certs.server_cert, None), max_connections=4, keepalive=30)

        async def go() -> list[bytes]:
            url = httpx.URL(f"https://127.0.0.1:{server.port}/v1/x")
            bodies = []
            for _ in range(3):
                answer = await pool.exchange("GET", url, httpx.Headers(), None, TIMEOUTS)
                bodies.append(answer[3])
            await pool.aclose()
            return bodies

        assert run(go) == [b"{}"] * 3
    assert server.accepts == 1
    assert len(server.requests) == 3


def test_pool_refuses_an_untrusted_certificate(certs: Certs) -> None:
    with KeepAliveServer(reply(b"{}"), tls=server_tls(certs)) as server:
        pool = LifoPool(ssl_context(None, None), max_connections=4, keepalive=30)

        async def go() -> None:
            url = httpx.URL(f"https://127.0.0.1:{server.port}/v1/x")
            with pytest.raises(httpx.ConnectError) as info:
                await pool.exchange("GET", url, httpx.Headers(), None, TIMEOUTS)
            message, retryable = describe_failure(info.value)
            assert message.startswith("certificate verify failed")
            assert retryable is False
            assert pool._open == set()

        run(go)

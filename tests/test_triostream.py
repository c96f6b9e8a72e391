"""The trio pool's network streams: held writes, the plain socket path, timeouts and closing.

The streams exist only on trio, so each test runs its body with ``trio.run`` rather than on
both backends. Sockets are on 127.0.0.1 and closed by each test.
"""

# ruff: noqa: ASYNC109 - the recording stream has httpcore's stream interface

from __future__ import annotations

import socket
import struct
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpcore
import pytest
import trio

from scale_async._engine.triostream import FewerTripsBackend, _Holding, socket_is_readable


class _Recording(httpcore.AsyncNetworkStream):
    """An inner stream that records what reaches it."""

    def __init__(self, replies: list[bytes], fail_writes: bool = False) -> None:
        self.events: list[tuple[str, Any]] = []
        self._replies = replies
        self._fail_writes = fail_writes
        self.closed = False

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.events.append(("write", (buffer, timeout)))
        if self._fail_writes:
            raise httpcore.WriteError("peer went away")

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        self.events.append(("read", timeout))
        return self._replies.pop(0) if self._replies else b""

    async def aclose(self) -> None:
        self.closed = True


def run(body: Callable[[], Awaitable[Any]]) -> Any:
    return trio.run(body)


def test_head_and_body_leave_in_one_write() -> None:
    inner = _Recording([b"HTTP/1.1 200 OK\r\n"])

    async def body() -> bytes:
        stream = _Holding(inner)
        await stream.write(b"HEAD", timeout=4.0)
        assert inner.events == []  # held, not sent
        await stream.write(b"", timeout=4.0)  # h11's end of a sized body: nothing to send
        await stream.write(b"BODY", timeout=5.0)
        return await stream.read(100, timeout=6.0)

    assert run(body) == b"HTTP/1.1 200 OK\r\n"
    assert inner.events == [("write", (b"HEADBODY", 5.0)), ("read", 6.0)]


def test_a_held_write_is_sent_before_any_read() -> None:
    inner = _Recording([b"reply"])

    async def body() -> bytes:
        stream = _Holding(inner)
        await stream.write(b"GET / HTTP/1.1\r\n\r\n", timeout=3.0)
        return await stream.read(100, timeout=7.0)

    assert run(body) == b"reply"
    assert inner.events == [("write", (b"GET / HTTP/1.1\r\n\r\n", 3.0)), ("read", 7.0)]


def test_a_failed_held_write_still_reads_the_answer() -> None:
    """As httpcore does: a server that answers early and closes is heard, not hidden."""
    inner = _Recording([b"HTTP/1.1 413 Too Large\r\n"], fail_writes=True)

    async def body() -> bytes:
        stream = _Holding(inner)
        await stream.write(b"HEAD", timeout=1.0)
        return await stream.read(100, timeout=1.0)

    assert run(body) == b"HTTP/1.1 413 Too Large\r\n"
    assert [kind for kind, _ in inner.events] == ["write", "read"]


def test_closing_drops_what_is_held() -> None:
    inner = _Recording([])

    async def body() -> None:
        stream = _Holding(inner)
        await stream.write(b"HEAD")
        await stream.aclose()

    run(body)
    assert inner.closed
    assert inner.events == []


@contextmanager
def listener() -> Iterator[socket.socket]:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    server.settimeout(5)
    try:
        yield server
    finally:
        server.close()


async def connect(server: socket.socket) -> httpcore.AsyncNetworkStream:
    port = server.getsockname()[1]
    return await FewerTripsBackend().connect_tcp("127.0.0.1", port, timeout=5.0)


def test_plain_stream_sends_the_request_in_one_segment_and_reads_the_reply() -> None:
    with listener() as server:

        async def body() -> tuple[bytes, bytes]:
            stream = await connect(server)
            peer, _ = server.accept()
            with peer:
                await stream.write(b"POST / HTTP/1.1\r\n\r\n", timeout=5.0)
                await stream.write(b'{"a": 1}', timeout=5.0)
                await trio.sleep(0.05)  # anything sent by now would be waiting at the peer
                peer.settimeout(5)
                first = peer.recv(65536, socket.MSG_PEEK)
                peer.sendall(b"HTTP/1.1 200 OK\r\n")
                reply = await stream.read(100, timeout=5.0)
                await stream.aclose()
                return first, reply

        first, reply = run(body)
    assert first == b'POST / HTTP/1.1\r\n\r\n{"a": 1}'
    assert reply == b"HTTP/1.1 200 OK\r\n"


def test_plain_stream_read_timeout_is_httpcores() -> None:
    with listener() as server:

        async def body() -> float:
            stream = await connect(server)
            peer, _ = server.accept()
            with peer:
                started = time.monotonic()
                with pytest.raises(httpcore.ReadTimeout):
                    await stream.read(100, timeout=0.05)
                await stream.aclose()
                return time.monotonic() - started

        assert run(body) < 3.0


def test_plain_stream_outer_cancellation_is_not_a_timeout() -> None:
    """A caller's deadline cancels the read as trio does; it is not reported as a timeout."""
    with listener() as server:

        async def body() -> bool:
            stream = await connect(server)
            peer, _ = server.accept()
            with peer:
                with trio.move_on_after(0.05) as scope:
                    await stream.read(100, timeout=30.0)
                await stream.aclose()
                return scope.cancelled_caught

        assert run(body) is True


def test_plain_stream_sees_the_server_close_and_closes_its_socket() -> None:
    with listener() as server:

        async def body() -> tuple[bool, bool, bytes, bytes]:
            stream = await connect(server)
            peer, _ = server.accept()
            await stream.write(b"GET / HTTP/1.1\r\n\r\n")
            peer.settimeout(5)
            peer.sendall(b"HTTP/1.1 204 No Content\r\n\r\n")
            await stream.read(100, timeout=5.0)  # sends the held request, then reads
            idle_readable = stream.get_extra_info("is_readable")
            request = peer.recv(65536)
            peer.close()  # the server ends the idle keep-alive connection
            await trio.sleep(0.05)
            closed_readable = stream.get_extra_info("is_readable")
            end = await stream.read(100, timeout=5.0)
            await stream.aclose()
            return idle_readable, closed_readable, end, request

        idle_readable, closed_readable, end, request = run(body)
    assert (idle_readable, closed_readable, end) == (False, True, b"")
    assert request == b"GET / HTTP/1.1\r\n\r\n"


def test_plain_stream_close_reaches_the_peer() -> None:
    with listener() as server:

        async def body() -> bytes:
            stream = await connect(server)
            peer, _ = server.accept()
            with peer:
                await stream.write(b"x")
                await stream.write(b"y")  # sent: the socket now belongs to this stream
                await stream.aclose()
                assert stream.get_extra_info("is_readable") is True  # closed: nothing to use
                peer.settimeout(5)
                return peer.recv(10) + peer.recv(10)

        assert run(body) == b"xy"


def test_plain_stream_write_to_a_reset_connection_is_a_write_error() -> None:
    with listener() as server:

        async def body() -> None:
            stream = await connect(server)
            peer, _ = server.accept()
            peer.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            peer.close()  # RST
            await trio.sleep(0.05)

            async def flood() -> None:
                for _ in range(50):  # the first sends may still be accepted locally
                    await stream.write(b"a" * 65536)
                    await stream.write(b"b" * 65536)
                    await trio.sleep(0.01)

            with pytest.raises(httpcore.WriteError):
                await flood()
            await stream.aclose()

        run(body)


def test_socket_is_readable_on_a_fresh_pair() -> None:
    left, right = socket.socketpair()
    with left, right:
        assert socket_is_readable(left) is False
        right.sendall(b"x")
        time.sleep(0.01)
        assert socket_is_readable(left) is True
    assert socket_is_readable(left) is True  # closed

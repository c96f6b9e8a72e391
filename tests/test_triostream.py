"""The trio pool's network streams: held writes, the plain socket path, timeouts and closing.

The streams exist only on trio, so each test runs its body with ``trio.run`` rather than on
both backends. Sockets are on 127.0.0.1 and closed by each test.
"""

# ruff: noqa: ASYNC109 - the recording stream has httpcore's stream interface

from __future__ import annotations

import gzip
import socket
import ssl
import struct
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpcore
import pytest
import trio

from scale_async import AsyncScaleClient, RetryPolicy, ScaleTransportError, TaskType
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


def test_plain_stream_closed_under_a_waiting_read_is_a_read_error() -> None:
    """The pool closing a connection a request still waits on ends that wait as httpcore's
    ReadError (which httpx maps), never as a bare trio exception."""
    with listener() as server:

        async def body() -> None:
            stream = await connect(server)
            peer, _ = server.accept()
            with peer:
                await stream.write(b"GET / HTTP/1.1\r\n\r\n")
                await stream.write(b"x")  # sent: the socket now belongs to this stream
                failures: list[BaseException] = []

                async def waiting() -> None:
                    try:
                        await stream.read(100, timeout=5.0)
                    except httpcore.ReadError as exc:
                        failures.append(exc)

                async with trio.open_nursery() as nursery:
                    nursery.start_soon(waiting)
                    await trio.sleep(0.05)
                    await stream.aclose()
                assert len(failures) == 1

        run(body)


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


# -- the client's trio fast path over a keep-alive server ----------------------------------------


class KeepAliveServer:
    """Answers every request on a connection until the client closes it; counts connections.

    ``reply`` is sent for each request; ``close_idle`` hangs up after each answer.
    """

    def __init__(
        self, reply: bytes, *, close_idle: bool = False, tls: ssl.SSLContext | None = None
    ) -> None:
        self.reply = reply
        self.close_idle = close_idle
        self.accepts = 0
        self.requests: list[bytes] = []
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.02)
        self.port = self._sock.getsockname()[1]
        if tls is not None:
            self._sock = tls.wrap_socket(self._sock, server_side=True)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._accepting = threading.Thread(target=self._accept)

    def __enter__(self) -> KeepAliveServer:
        self._accepting.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._accepting.join(5)
        for thread in self._threads:
            thread.join(5)
        self._sock.close()
        assert not any(t.is_alive() for t in [self._accepting, *self._threads])

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except (TimeoutError, ssl.SSLError):
                continue
            self.accepts += 1
            thread = threading.Thread(target=self._serve, args=(conn,))
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(0.05)
        data = b""
        with conn:
            while not self._stop.is_set():
                head, sep, rest = data.partition(b"\r\n\r\n")
                if sep:
                    length = 0
                    for line in head.split(b"\r\n")[1:]:
                        name, _, value = line.partition(b":")
                        if name.strip().lower() == b"content-length":
                            length = int(value)
                    if len(rest) >= length:
                        self.requests.append(head + sep + rest[:length])
                        data = rest[length:]
                        conn.sendall(self.reply)
                        if self.close_idle:
                            return
                        continue
                try:
                    chunk = conn.recv(65536)
                except TimeoutError:
                    continue
                except OSError:
                    return
                if not chunk:
                    return
                data += chunk


def reply(body: bytes, *extra: str) -> bytes:
    head = "".join(f"{line}\r\n" for line in extra)
    return (
        f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{head}"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


TASK = b'{"task_id": "abc", "status": "pending"}'


def on_trio(port: int, body: Callable[[AsyncScaleClient], Awaitable[Any]]) -> Any:
    async def main() -> Any:
        async with AsyncScaleClient(
            "test_key", api_instance_url=f"http://127.0.0.1:{port}/v1", retry=RetryPolicy.disabled()
        ) as client:
            http, _ = client._session._ensure_open()
            assert http._lifo_transport is not None  # the fast path is the one under test
            return await body(client)

    return trio.run(main)


def test_fast_path_reuses_one_connection() -> None:
    with KeepAliveServer(reply(TASK)) as server:

        async def body(client: AsyncScaleClient) -> list[str]:
            return [(await client.get_task("abc")).task_id for _ in range(5)]

        assert on_trio(server.port, body) == ["abc"] * 5
    assert server.accepts == 1
    assert len(server.requests) == 5


def test_fast_path_replaces_a_connection_the_server_closed() -> None:
    """An idle connection the server hung up on is not used: the next call opens a new one."""
    with KeepAliveServer(reply(TASK), close_idle=True) as server:

        async def body(client: AsyncScaleClient) -> list[str]:
            ids = []
            for _ in range(3):
                ids.append((await client.get_task("abc")).task_id)
                await trio.sleep(0.1)  # the server's close arrives
            return ids

        assert on_trio(server.port, body) == ["abc"] * 3
    assert server.accepts == 3


def test_fast_path_sends_what_httpxs_transport_sends() -> None:
    """Same request line, headers (names, order, values) and body as the httpx Request path."""
    with KeepAliveServer(reply(TASK)) as server:

        async def body(client: AsyncScaleClient) -> None:
            http, _ = client._session._ensure_open()
            await client.create_task(TaskType.Categorization, project="p", unique_id="u")
            await client.get_task("abc")
            await client.api.post_request("echo")  # a POST without a body
            lifo, http._lifo_transport = http._lifo_transport, None  # httpx's own path
            try:
                await client.create_task(TaskType.Categorization, project="p", unique_id="u")
                await client.get_task("abc")
                await client.api.post_request("echo")
            finally:
                http._lifo_transport = lifo

        on_trio(server.port, body)
    assert len(server.requests) == 6
    fast, slow = server.requests[:3], server.requests[3:]

    def strip_key(request: bytes) -> bytes:
        return b"\r\n".join(
            line for line in request.split(b"\r\n") if not line.startswith(b"Idempotency-Key")
        )

    assert [strip_key(r) for r in fast] == [strip_key(r) for r in slow]
    assert b"\r\nContent-Length: 0\r\n" in fast[2]
    assert fast[1].startswith(b"GET /v1/task/abc HTTP/1.1\r\nHost: 127.0.0.1:")


def test_fast_path_decodes_a_gzip_body() -> None:
    with KeepAliveServer(reply(gzip.compress(TASK), "Content-Encoding: gzip")) as server:

        async def body(client: AsyncScaleClient) -> str:
            return (await client.get_task("abc")).task_id

        assert on_trio(server.port, body) == "abc"


def test_fast_path_gzip_garbage_is_a_transport_error() -> None:
    with KeepAliveServer(reply(b"not gzip at all", "Content-Encoding: gzip")) as server:

        async def body(client: AsyncScaleClient) -> None:
            with pytest.raises(ScaleTransportError) as info:
                await client.get_task("abc")
            assert info.value.sent is True

        on_trio(server.port, body)


def test_fast_path_reply_that_is_not_http_is_a_transport_error() -> None:
    with KeepAliveServer(b"SSH-2.0-OpenSSH\r\n\r\n") as server:

        async def body(client: AsyncScaleClient) -> None:
            with pytest.raises(ScaleTransportError) as info:
                await client.get_task("abc")
            assert info.value.sent is True

        on_trio(server.port, body)

"""A loopback HTTP server that sends exactly the bytes a test chooses.

Each connection is served on its own thread; requests on a connection are read one after
another (keep-alive), and for each the test's ``answer`` function returns the raw bytes to
send, or ``DROP`` to close the connection without a word. ``requests`` records every request.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any
from urllib.parse import parse_qs, urlsplit

import attrs

#: An answer that closes the connection instead of replying.
DROP = b""


@attrs.frozen
class Request:
    """One request as it arrived."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.target).query)


Answer = Callable[[Request], bytes]


def response(
    status: int = 200,
    body: bytes = b"",
    *,
    content_type: str = "application/json",
    headers: dict[str, str] | None = None,
    reason: str = "X",
) -> bytes:
    """The bytes of a complete HTTP/1.1 response with a correct Content-Length."""
    head = [f"HTTP/1.1 {status} {reason}", f"Content-Length: {len(body)}"]
    if content_type:
        head.append(f"Content-Type: {content_type}")
    head += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


def _read_request(conn: socket.socket, buffer: bytearray) -> Request | None:
    while b"\r\n\r\n" not in buffer:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        buffer += chunk
    end = buffer.index(b"\r\n\r\n")
    head = bytes(buffer[:end]).decode("latin-1").split("\r\n")
    del buffer[: end + 4]
    method, target, _ = head[0].split(" ", 2)
    headers: dict[str, str] = {}
    for line in head[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(buffer) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        buffer += chunk
    body = bytes(buffer[:length])
    del buffer[:length]
    return Request(method, target, headers, body)


class Loopback:
    """The server; ``url`` is its base URL (``/v1`` appended unless ``prefix`` says otherwise)."""

    def __init__(self, answer: Answer, *, prefix: str = "/v1") -> None:
        self.answer = answer
        self.requests: list[Request] = []
        self.connections = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._conns: list[socket.socket] = []
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self._sock.settimeout(0.05)
        self.port = int(self._sock.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}{prefix}"
        self._threads: list[threading.Thread] = []
        self._acceptor = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except (TimeoutError, OSError):
                continue
            with self._lock:
                self.connections += 1
                self._conns.append(conn)
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        buffer = bytearray()
        conn.settimeout(30)
        try:
            while not self._stop.is_set():
                request = _read_request(conn, buffer)
                if request is None:
                    return
                with self._lock:
                    self.requests.append(request)
                data = self.answer(request)
                if not data:
                    return
                conn.sendall(data)
        except OSError:
            return
        finally:
            conn.close()

    def start(self) -> Loopback:
        self._acceptor.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._acceptor.join(5)
        with self._lock:
            for conn in self._conns:
                with suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join(5)
        self._sock.close()

    def __enter__(self) -> Loopback:
        return self.start()

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()


def _fixed(data: bytes) -> Answer:
    return lambda _: data


@contextmanager
def serving(answer: Answer | bytes, *, prefix: str = "/v1") -> Iterator[Loopback]:
    """A running ``Loopback``; a bytes ``answer`` is sent for every request."""
    handler = _fixed(answer) if isinstance(answer, bytes) else answer
    with Loopback(handler, prefix=prefix) as server:
        yield server

"""The client over real sockets on 127.0.0.1: TLS, client certificates, proxies, timeouts,
dropped connections and what goes on the wire.

Every async test runs on asyncio (httpx-aiohttp transport) and on trio (httpx's transport).
Servers are threads started and stopped by each test, so no socket outlives its test.
"""

from __future__ import annotations

import base64
import gc
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import anyio
import attrs
import pytest

from scale_async import (
    AsyncScaleClient,
    RetryPolicy,
    ScaleTransportError,
    ScaleUnauthorized,
    TaskType,
)
from scale_async._engine.tls import CA_BUNDLE_VARIABLES

API_KEY = "test_key"
TASK_BODY = b'{"task_id": "abc", "status": "pending"}'
EXPECTED_AUTH = "Basic " + base64.b64encode(f"{API_KEY}:".encode()).decode()


@pytest.fixture(autouse=True)
def _no_proxy_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep proxies from the environment away from 127.0.0.1 traffic."""
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)


async def no_sleep(_: float) -> None:
    """A RetryPolicy sleep that does not wait."""


# -- certificates ----------------------------------------------------------------------------


@attrs.frozen
class Certs:
    server_cert: str
    server_key: str
    client_cert: str
    client_key: str


def _openssl_cert(directory: Path, name: str, subject: str, *extra: str) -> tuple[str, str]:
    cert, key = directory / f"{name}.pem", directory / f"{name}-key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            subject,
            *extra,
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return str(cert), str(key)


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certs:
    """A self-signed server certificate for 127.0.0.1 and a self-signed client certificate."""
    assert shutil.which("openssl"), "the openssl CLI is needed to make test certificates"
    directory = tmp_path_factory.mktemp("certs")
    server = _openssl_cert(
        directory, "server", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"
    )
    client = _openssl_cert(directory, "client", "/CN=scale-test-client")
    return Certs(*server, *client)


# -- HTTP servers in threads -----------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    """A threaded HTTP server whose handler threads are joined on close."""

    daemon_threads = False
    block_on_close = True
    seen: list[dict[str, Any]]
    failures: list[BaseException]

    def handle_error(self, request: Any, client_address: Any) -> None:
        self.failures.append(sys.exc_info()[1])  # type: ignore[arg-type]


class _Handler(BaseHTTPRequestHandler):
    """Answers every GET with a task, recording what it saw."""

    timeout = 5
    server: _Server

    def setup(self) -> None:
        # Handshake before the socket's files exist, so a failed handshake leaves none open.
        if isinstance(self.request, ssl.SSLSocket):
            self.request.settimeout(self.timeout)
            self.request.do_handshake()
        super().setup()

    def do_GET(self) -> None:
        peer = None
        if isinstance(self.connection, ssl.SSLSocket):
            peer = self.connection.getpeercert()
        self.server.seen.append(
            {
                "requestline": self.requestline,
                "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "peer": peer,
            }
        )
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(TASK_BODY)))
        self.end_headers()
        self.wfile.write(TASK_BODY)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""


@contextmanager
def http_server(ssl_context: ssl.SSLContext | None = None) -> Iterator[_Server]:
    """Run a threaded HTTP(S) server on 127.0.0.1 for the duration of the block."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.seen = []
    server.failures = []
    if ssl_context is not None:
        # The handshake happens in the handler thread, so a failing client cannot block accept.
        server.socket = ssl_context.wrap_socket(
            server.socket, server_side=True, do_handshake_on_connect=False
        )
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02})
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
        assert not thread.is_alive()


def port_of(server: _Server) -> int:
    return int(server.server_address[1])


def server_tls(certs: Certs, *, client_ca: str | None = None) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(certs.server_cert, certs.server_key)
    if client_ca is not None:
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_verify_locations(client_ca)
    return ctx


# -- raw TCP servers -------------------------------------------------------------------------


def _read_request(conn: socket.socket) -> bytes:
    """Read one HTTP request (head and Content-Length body) from ``conn``."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


class RawServer:
    """A TCP server that hangs, drops the connection after the request, or sends fixed bytes."""

    def __init__(self, behaviour: str, response: bytes = b"") -> None:
        assert behaviour in ("hang", "drop", "reply")
        self.behaviour = behaviour
        self.response = response
        self.accepts = 0
        self.requests: list[bytes] = []
        self._held: list[socket.socket] = []
        self._stop = threading.Event()
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.02)
        self.port = self._sock.getsockname()[1]
        self._thread = threading.Thread(target=self._run)

    def __enter__(self) -> RawServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join(5)
        assert not self._thread.is_alive()
        for conn in self._held:
            conn.close()
        self._sock.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            self.accepts += 1
            if self.behaviour == "hang":
                self._held.append(conn)
                continue
            with conn:
                conn.settimeout(5)
                try:
                    self.requests.append(_read_request(conn))
                    if self.behaviour == "reply":
                        conn.sendall(self.response)
                except OSError:
                    pass

    def parsed(self, index: int = 0) -> tuple[str, dict[str, str], bytes]:
        """The request line, lower-cased headers and body of one recorded request."""
        head, _, body = self.requests[index].partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        return lines[0], headers, body


def http_response(status: str, body: bytes) -> bytes:
    return (
        f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode() + body


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def client_for(url: str, **kwargs: Any) -> AsyncScaleClient:
    kwargs.setdefault("retry", RetryPolicy.disabled())
    return AsyncScaleClient(API_KEY, api_instance_url=url, **kwargs)


# -- TLS ---------------------------------------------------------------------------------------


async def test_tls_untrusted_certificate_fails(certs: Certs) -> None:
    """With default verification a self-signed server is refused before any request is sent."""
    with http_server(server_tls(certs)) as server:
        async with client_for(f"https://127.0.0.1:{port_of(server)}/v1") as client:
            with pytest.raises(ScaleTransportError) as info:
                await client.get_task("abc")
    assert info.value.sent is False
    assert info.value.method == "GET"
    assert server.seen == []


async def test_tls_failure_message_names_the_certificate_problem(certs: Certs) -> None:
    """The error for an untrusted certificate says it is about the certificate."""
    with http_server(server_tls(certs)) as server:
        async with client_for(f"https://127.0.0.1:{port_of(server)}/v1") as client:
            with pytest.raises(ScaleTransportError) as info:
                await client.get_task("abc")
    assert "certificate" in info.value.message.lower()


async def test_tls_verify_false_connects(certs: Certs) -> None:
    """verify=False really turns certificate checks off (the SDK ignores it)."""
    with http_server(server_tls(certs)) as server:
        url = f"https://127.0.0.1:{port_of(server)}/v1"
        async with client_for(url, verify=False) as client:
            task = await client.get_task("abc")
    assert task.task_id == "abc"
    assert server.seen[0]["path"] == "/v1/task/abc"


async def test_tls_verify_with_ca_file(certs: Certs) -> None:
    """verify=<path to a PEM> trusts that certificate."""
    with http_server(server_tls(certs)) as server:
        url = f"https://127.0.0.1:{port_of(server)}/v1"
        async with client_for(url, verify=certs.server_cert) as client:
            task = await client.get_task("abc")
    assert task.id == "abc"
    assert len(server.seen) == 1


@pytest.mark.parametrize("variable", ["REQUESTS_CA_BUNDLE", "SSL_CERT_FILE"])
async def test_tls_ca_bundle_from_the_environment(
    certs: Certs, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    """Without verify= the bundle the environment names is trusted, as by the SDK; an
    explicit verify= still wins over it."""
    for name in CA_BUNDLE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(variable, certs.server_cert)
    with http_server(server_tls(certs)) as server:
        url = f"https://127.0.0.1:{port_of(server)}/v1"
        async with client_for(url) as client:
            assert (await client.get_task("abc")).task_id == "abc"
        async with client_for(url, verify=True) as client:
            with pytest.raises(ScaleTransportError):
                await client.get_task("abc")
    assert len(server.seen) == 1


def open_descriptors() -> int:
    """How many file descriptors this process holds (Linux and macOS list them in /dev/fd)."""
    return len(os.listdir("/dev/fd"))


async def test_client_certificate_required_and_missing(certs: Certs) -> None:
    """A server demanding a client certificate refuses a client that has none; nothing leaks."""
    tls = server_tls(certs, client_ca=certs.client_cert)
    before = open_descriptors()
    with warnings.catch_warnings():
        # CPython 3.10's asyncio never marks the TLS transport of a connection that failed in
        # its handshake as closed (python/cpython#90476; 3.11 rewrote sslproto), so that
        # object's __del__ warns although its socket is closed. Finalise it here, under this
        # filter, and check the real resource instead: no descriptor is left open.
        warnings.filterwarnings("ignore", "unclosed transport <asyncio.sslproto", ResourceWarning)
        with http_server(tls) as server:
            url = f"https://127.0.0.1:{port_of(server)}/v1"
            async with client_for(url, verify=certs.server_cert) as client:
                with pytest.raises(ScaleTransportError):
                    await client.get_task("abc")
        gc.collect()
    assert open_descriptors() == before
    assert server.seen == []
    assert any(isinstance(exc, ssl.SSLError) for exc in server.failures)


async def test_client_certificate_presented(certs: Certs) -> None:
    """cert=(cert, key) presents the client certificate, which the server sees."""
    tls = server_tls(certs, client_ca=certs.client_cert)
    with http_server(tls) as server:
        url = f"https://127.0.0.1:{port_of(server)}/v1"
        cert = (certs.client_cert, certs.client_key)
        async with client_for(url, verify=certs.server_cert, cert=cert) as client:
            task = await client.get_task("abc")
    assert task.task_id == "abc"
    peer = server.seen[0]["peer"]
    assert peer is not None
    assert peer["subject"] == ((("commonName", "scale-test-client"),),)


# -- proxies -----------------------------------------------------------------------------------


async def test_http_proxy_is_used() -> None:
    """proxies={'http': url} sends requests through the proxy in absolute form, with auth."""
    with http_server() as proxy:
        proxies = {"http": f"http://127.0.0.1:{port_of(proxy)}"}
        async with client_for("http://scale.invalid/v1", proxies=proxies) as client:
            task = await client.get_task("abc")
    assert task.task_id == "abc"
    assert len(proxy.seen) == 1
    seen = proxy.seen[0]
    assert seen["requestline"].split()[:2] == ["GET", "http://scale.invalid/v1/task/abc"]
    assert seen["headers"]["authorization"] == EXPECTED_AUTH
    assert seen["headers"]["host"] == "scale.invalid"


async def test_proxy_string_applies_to_all_schemes() -> None:
    """A single proxy URL string routes every request through it."""
    with http_server() as proxy:
        proxy_url = f"http://127.0.0.1:{port_of(proxy)}"
        async with client_for("http://scale.invalid/v1", proxies=proxy_url) as client:
            await client.get_task("abc")
    assert proxy.seen[0]["path"] == "http://scale.invalid/v1/task/abc"


# -- timeouts and connection failures ----------------------------------------------------------


async def test_read_timeout_does_not_hang() -> None:
    """A server that accepts and never answers gives ScaleTransportError quickly, sent=True."""
    with RawServer("hang") as server:
        async with client_for(f"http://127.0.0.1:{server.port}/v1", timeout=0.3) as client:
            started = time.monotonic()
            with anyio.fail_after(5), pytest.raises(ScaleTransportError) as info:
                await client.get_task("abc")
            elapsed = time.monotonic() - started
    assert elapsed < 2.0
    assert elapsed >= 0.25
    assert info.value.sent is True
    assert server.accepts == 1


async def test_connection_refused_is_unsent() -> None:
    """A refused connection is a ScaleTransportError that provably never reached the server."""
    async with client_for(f"http://127.0.0.1:{free_port()}/v1", timeout=2) as client:
        with anyio.fail_after(5), pytest.raises(ScaleTransportError) as info:
            await client.get_task("abc")
    assert info.value.sent is False
    assert info.value.code is None
    assert info.value.path == "task/abc"


async def test_connection_refused_retried_even_for_unsafe_create() -> None:
    """A create without unique_id is retried when the connection was refused."""
    sleeps: list[float] = []

    async def record(seconds: float) -> None:
        sleeps.append(seconds)

    policy = RetryPolicy(max_retries=2, sleep=record, random=lambda: 0.0)
    async with client_for(f"http://127.0.0.1:{free_port()}/v1", retry=policy) as client:
        with pytest.raises(ScaleTransportError) as info:
            await client.create_task(TaskType.Categorization, project="p")
    assert sleeps == [0.5, 1.0]
    assert info.value.retries == 2


# -- dropped connections -----------------------------------------------------------------------


async def test_dropped_connection_is_sent() -> None:
    """A server that reads the request and hangs up gives ScaleTransportError with sent=True."""
    with RawServer("drop") as server:
        async with client_for(f"http://127.0.0.1:{server.port}/v1") as client:
            with anyio.fail_after(5), pytest.raises(ScaleTransportError) as info:
                await client.get_task("abc")
    assert info.value.sent is True
    assert server.accepts == 1
    assert server.parsed()[0] == "GET /v1/task/abc HTTP/1.1"


async def test_dropped_connection_get_is_retried() -> None:
    """A GET is replay-safe: max_retries=2 means three attempts."""
    policy = RetryPolicy(max_retries=2, sleep=no_sleep)
    with RawServer("drop") as server:
        async with client_for(f"http://127.0.0.1:{server.port}/v1", retry=policy) as client:
            with anyio.fail_after(5), pytest.raises(ScaleTransportError) as info:
                await client.get_task("abc")
    assert server.accepts == 3
    assert info.value.retries == 2


async def test_dropped_connection_create_without_unique_id_not_retried() -> None:
    """A create without unique_id that may have landed is never sent twice."""
    policy = RetryPolicy(max_retries=2, sleep=no_sleep)
    with RawServer("drop") as server:
        async with client_for(f"http://127.0.0.1:{server.port}/v1", retry=policy) as client:
            with anyio.fail_after(5), pytest.raises(ScaleTransportError) as info:
                await client.create_task(TaskType.Categorization, project="p")
    assert server.accepts == 1
    assert info.value.sent is True
    assert info.value.retries == 0


async def test_dropped_connection_create_with_unique_id_retried() -> None:
    """A create with unique_id is replay-safe: three attempts, one idempotency key."""
    policy = RetryPolicy(max_retries=2, sleep=no_sleep)
    with RawServer("drop") as server:
        async with client_for(f"http://127.0.0.1:{server.port}/v1", retry=policy) as client:
            with anyio.fail_after(5), pytest.raises(ScaleTransportError):
                await client.create_task(TaskType.Categorization, project="p", unique_id="u1")
    assert server.accepts == 3
    keys = {server.parsed(i)[1].get("idempotency-key") for i in range(3)}
    assert len(keys) == 1
    assert None not in keys
    bodies = [json.loads(server.parsed(i)[2]) for i in range(3)]
    assert bodies == [{"project": "p", "unique_id": "u1"}] * 3


# -- headers on the wire -----------------------------------------------------------------------


async def test_get_headers_on_the_wire() -> None:
    """Basic auth with the key as user, the User-Agent with its source, JSON accepted."""
    with RawServer("reply", http_response("200 OK", TASK_BODY)) as server:
        url = f"http://127.0.0.1:{server.port}/v1"
        async with AsyncScaleClient(
            API_KEY, source="wire-test/1.0", api_instance_url=url, retry=RetryPolicy.disabled()
        ) as client:
            task = await client.get_task("abc")
    assert task.task_id == "abc"
    line, headers, body = server.parsed()
    assert line == "GET /v1/task/abc HTTP/1.1"
    assert headers["authorization"] == EXPECTED_AUTH
    assert headers["user-agent"].startswith("scale-async/")
    assert headers["user-agent"].endswith(" wire-test/1.0")
    assert "application/json" in headers["accept"]
    assert headers["host"] == f"127.0.0.1:{server.port}"
    assert body == b""


async def test_post_headers_and_body_on_the_wire() -> None:
    """A POST with a body is JSON with Content-Type: application/json."""
    with RawServer("reply", http_response("200 OK", TASK_BODY)) as server:
        async with client_for(f"http://127.0.0.1:{server.port}/v1") as client:
            task = await client.create_task(
                TaskType.Categorization, project="p", instruction="Pick", unique_id="u-9"
            )
    assert task.task_id == "abc"
    line, headers, body = server.parsed()
    assert line == "POST /v1/task/categorization HTTP/1.1"
    assert headers["content-type"] == "application/json"
    assert headers["authorization"] == EXPECTED_AUTH
    assert int(headers["content-length"]) == len(body)
    assert json.loads(body) == {"project": "p", "instruction": "Pick", "unique_id": "u-9"}
    assert headers.get("idempotency-key")


async def test_key_not_leaked_in_repr_or_errors() -> None:
    """The API key appears neither in repr(client) nor in an error whose body echoes it."""
    response = http_response("401 Unauthorized", b'{"error": "bad key test_key"}')
    with RawServer("reply", response) as server:
        client = client_for(f"http://127.0.0.1:{server.port}/v1")
        assert API_KEY not in repr(client)
        async with client:
            with pytest.raises(ScaleUnauthorized) as info:
                await client.get_task("abc")
        assert API_KEY not in repr(client)
    exc = info.value
    assert exc.code == 401
    assert exc.message == "bad key [redacted]"
    for text in (str(exc), repr(exc), exc.message, *map(str, exc.args)):
        assert API_KEY not in text
    assert server.parsed()[1]["authorization"] == EXPECTED_AUTH

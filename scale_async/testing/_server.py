"""Serving the fake over real HTTP on 127.0.0.1 with uvicorn (an optional dependency)."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import httpx

from ._asgi import ConnectionDropped
from ._v1.app import FakeScaleAPI

if TYPE_CHECKING:
    import uvicorn


class _HideInjectedDrops(logging.Filter):
    """uvicorn logs an app exception for each injected drop; it is expected, so keep logs clean."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, ConnectionDropped)


_FILTER = _HideInjectedDrops()


def _uvicorn_server(
    fake: FakeScaleAPI, log_level: str, lifespan: Literal["on", "off"], **extra: Any
) -> uvicorn.Server:
    try:
        import uvicorn
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError(
            "Serving the fake over HTTP needs uvicorn: pip install 'scale-async[testing]'"
        ) from exc
    config = uvicorn.Config(
        fake,
        log_level=log_level,
        lifespan=lifespan,
        ws="none",
        access_log=False,
        timeout_graceful_shutdown=1,
        **extra,
    )
    logger = logging.getLogger("uvicorn.error")
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
    return uvicorn.Server(config)


@dataclass(frozen=True)
class FakeServer:
    """A running fake: where it listens, and the app behind it for direct inspection."""

    fake: FakeScaleAPI
    host: str
    port: int

    @property
    def root_url(self) -> str:
        """``http://127.0.0.1:PORT``: where the ``/_fake`` control routes live."""
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """The v1 base URL, e.g. for ``ScaleClient(key, api_instance_url=server.base_url)``."""
        return f"{self.root_url}/v1"

    def complete_task(
        self, task_id: str, response: Any = None, *, status: str = "completed"
    ) -> dict[str, Any]:
        """Finish a live task from any thread, via the control route (so in the server's loop)."""
        with httpx.Client(base_url=self.root_url, timeout=30) as client:
            reply = client.post(
                f"/_fake/tasks/{task_id}/complete", json={"response": response, "status": status}
            )
        reply.raise_for_status()
        task: dict[str, Any] = reply.json()["task"]
        return task


@contextmanager
def run_in_thread(
    fake: FakeScaleAPI | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    log_level: str = "warning",
    startup_timeout: float = 5.0,
    **knobs: Any,
) -> Iterator[FakeServer]:
    """Serve ``fake`` (or a new ``FakeScaleAPI(**knobs)``) in a background thread.

    Port 0 picks a free port; the socket is bound before the thread starts, so the URL is valid
    as soon as this yields. The server stops when the block exits.
    """
    if fake is not None and knobs:
        raise TypeError("pass either a FakeScaleAPI or its keyword arguments, not both")
    app = fake if fake is not None else FakeScaleAPI(**knobs)
    server = _uvicorn_server(app, log_level, "off")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="fake-scale-api", daemon=True
    )
    thread.start()
    try:
        deadline = time.monotonic() + startup_timeout
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the fake Scale API server did not start")
            time.sleep(0.005)
        yield FakeServer(app, host, sock.getsockname()[1])
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def serve(
    host: str = "127.0.0.1", port: int = 8080, *, log_level: str = "info", **knobs: Any
) -> None:
    """Run a ``FakeScaleAPI(**knobs)`` in the foreground until interrupted (Ctrl-C)."""
    _uvicorn_server(FakeScaleAPI(**knobs), log_level, "on", host=host, port=port).run()

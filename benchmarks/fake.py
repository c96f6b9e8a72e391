"""The fake Scale API in its own process on 127.0.0.1, its control routes, and a watchdog.

The fake runs as ``python -m scale_async.testing`` in a subprocess so that its CPU time is
not taken from the client under test (the machine has two cores: one for each side) and does
not share the client's GIL. Its own CPU time is read from ``/proc`` for each run.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, TypeVar

import httpx

__all__ = ["BenchmarkError", "FakeProcess", "Watchdog"]

HOST = "127.0.0.1"


T = TypeVar("T")


class BenchmarkError(RuntimeError):
    """A check failed, a run took too long, or the fake misbehaved: the benchmark stops."""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


class FakeProcess:
    """``python -m scale_async.testing`` on a free port of 127.0.0.1, stopped by ``stop()``."""

    def __init__(self, latency: float, log_path: Path, startup_timeout: float = 30.0) -> None:
        self.latency = latency
        self.log_path = log_path
        self.startup_timeout = startup_timeout
        self.port = 0
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self._http: httpx.Client | None = None
        self._stop_lock = threading.Lock()

    @property
    def root_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def base_url(self) -> str:
        """The v1 base URL every client is given."""
        return f"{self.root_url}/v1"

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def start(self) -> None:
        """Start the server and wait until its control routes answer."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        for _attempt in range(3):  # the port could be taken between probing and binding
            self.port = _free_port()
            self._log = self.log_path.open("ab")
            command = [
                sys.executable,
                "-m",
                "scale_async.testing",
                "--host",
                HOST,
                "--port",
                str(self.port),
                "--latency",
                str(self.latency),
                "--seed",
                "1",
            ]
            self._proc = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT
            )
            self._http = httpx.Client(base_url=self.root_url, timeout=30.0)
            if self._wait_ready():
                return
            self.stop()
        raise BenchmarkError(f"the fake Scale API did not start; see {self.log_path}")

    def _wait_ready(self) -> bool:
        assert self._proc is not None
        assert self._http is not None
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                return False
            try:
                if self._http.get("/_fake/stats", timeout=1.0).status_code == 200:
                    return True
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        return False

    def stop(self) -> None:
        """Stop the server (terminate, then kill); safe to call more than once, from any thread."""
        with self._stop_lock:
            proc, self._proc = self._proc, None
            http, self._http = self._http, None
            log, self._log = self._log, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        if http is not None:
            http.close()
        if log is not None:
            log.close()

    # --- control routes (never delayed by the fake's latency) ----------------------------

    def _control(self, method: str, path: str, **kwargs: Any) -> Any:
        if self._http is None:
            raise BenchmarkError("the fake Scale API is not running")
        reply = self._http.request(method, path, **kwargs)
        if reply.status_code != 200:
            raise BenchmarkError(f"{method} {path} answered {reply.status_code}: {reply.text}")
        return reply.json()

    def reset(self) -> None:
        """Forget every account, task and counter."""
        self._control("POST", "/_fake/reset")

    def stats(self) -> dict[str, Any]:
        """``GET /_fake/stats``: requests served, tasks created, responses by status..."""
        stats: dict[str, Any] = self._control("GET", "/_fake/stats")
        return stats

    def set_latency(self, seconds: float) -> None:
        """Change the delay before each v1 answer."""
        self._control("PUT", "/_fake/faults", json={"latency": seconds})

    def api(self, key: str, method: str, path: str, **kwargs: Any) -> Any:
        """A v1 request with ``key``, for setting up and checking (never timed)."""
        return self._control(method, f"/v1/{path}", auth=(key, ""), **kwargs)

    def cpu_seconds(self) -> float:
        """User plus system CPU time the server process has used so far (0 where unknown)."""
        pid = self.pid
        if pid is None:
            return 0.0
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Watchdog:
    """Bounds each run and the whole benchmark, whatever the client under test does.

    The official SDK sets no timeout, so a stuck request would block forever. When a limit
    passes, the watchdog records why and calls ``on_expire`` (which stops the fake, so every
    pending request fails at once); if the process has still not finished ``grace`` seconds
    later, it exits the interpreter.
    """

    def __init__(self, total: float, on_expire: Callable[[], None], grace: float = 15.0) -> None:
        self._end = time.monotonic() + total
        self._total = total
        self._on_expire = on_expire
        self._grace = grace
        self._run: tuple[str, float, float] | None = None
        self._lock = threading.Lock()
        self._done = threading.Event()
        self.expired: str | None = None
        self._thread = threading.Thread(target=self._watch, name="bench-watchdog", daemon=True)
        self._thread.start()

    @contextlib.contextmanager
    def run(self, label: str, limit: float) -> Any:
        """Bound the block to ``limit`` seconds, and to what is left of the total."""
        with self._lock:
            self._run = (label, time.monotonic() + limit, limit)
        try:
            yield
        finally:
            with self._lock:
                self._run = None
            if self.expired is not None:
                raise BenchmarkError(self.expired)

    def timed(self, label: str, limit: float, body: Callable[[], T]) -> tuple[T, float, float]:
        """``body()`` bounded as ``run`` bounds it, with its wall and CPU seconds; a failure
        of the client under test becomes a ``BenchmarkError`` that names the run."""
        with self.run(label, limit):
            cpu_start = time.process_time()
            start = time.perf_counter()
            try:
                result = body()
            except BenchmarkError:
                raise
            except Exception as exc:
                raise BenchmarkError(f"{label} failed: {exc!r}") from exc
            return result, time.perf_counter() - start, time.process_time() - cpu_start

    def remaining(self) -> float:
        return self._end - time.monotonic()

    def close(self) -> None:
        self._done.set()
        self._thread.join(timeout=5)

    def _watch(self) -> None:
        while not self._done.wait(0.2):
            now = time.monotonic()
            with self._lock:
                current = self._run
            if now > self._end:
                self.expired = f"the benchmark exceeded its total time limit of {self._total:.0f} s"
            elif current is not None and now > current[1]:
                self.expired = f"{current[0]} exceeded its limit of {current[2]:.0f} s"
            else:
                continue
            print(f"\nbenchmark watchdog: {self.expired}; stopping the fake", file=sys.stderr)
            with contextlib.suppress(Exception):
                self._on_expire()
            if not self._done.wait(self._grace):
                print("benchmark watchdog: still running; exiting", file=sys.stderr, flush=True)
                os._exit(3)
            return

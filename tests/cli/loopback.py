"""The fake Scale API as a real server (``scale-async fake-server``), and CLI processes for it."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from .conftest import KIND

SCRIPT = Path(sys.executable).with_name("scale-async")
KEY = "test_e2e_key"


@dataclass
class Server:
    root: str
    base_url: str
    startup: float
    banner: str

    def stats(self) -> dict[str, Any]:
        data: dict[str, Any] = httpx.get(f"{self.root}/_fake/stats").json()
        return data

    def reset(self, project: str | None = None) -> None:
        """Forget everything; create ``project`` if given."""
        httpx.post(f"{self.root}/_fake/reset").raise_for_status()
        if project is not None:
            body = {"type": KIND, "name": project}
            httpx.post(f"{self.base_url}/projects", json=body, auth=(KEY, "")).raise_for_status()

    @contextlib.contextmanager
    def faults(self, **settings: Any) -> Iterator[None]:
        """Fault rates (and ``latency``) for the duration; the server's own afterwards."""
        before = httpx.get(f"{self.root}/_fake/faults").json()
        httpx.put(f"{self.root}/_fake/faults", json=settings).raise_for_status()
        try:
            yield
        finally:
            restore = {**before["faults"], "latency": before.get("latency", 0.0)}
            httpx.put(f"{self.root}/_fake/faults", json=restore).raise_for_status()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def serving() -> Iterator[Server]:
    """``scale-async fake-server`` (the console script) with 20 ms latency per request."""
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(SCRIPT), "fake-server", "--port", str(port), "--latency", "0.02", "--seed", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    root = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                httpx.get(f"{root}/_fake/stats", timeout=0.5).raise_for_status()
                break
            except httpx.TransportError:
                assert process.poll() is None, "fake-server exited"
                assert time.perf_counter() - started < 10
                time.sleep(0.02)
        startup = time.perf_counter() - started
        assert process.stdout is not None
        banner = process.stdout.readline()
        yield Server(root, f"{root}/v1", startup, banner)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


def cli_env(server: Server | None = None, **extra: str) -> dict[str, str]:
    """The environment of a CLI process: no ambient Scale settings, the server's if given."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("SCALE_")}
    if server is not None:
        env.update(SCALE_API_KEY=KEY, SCALE_API_BASE_URL=server.base_url)
    env.update(extra)
    return env


def cli_process(server: Server, *argv: str, **kwargs: Any) -> subprocess.Popen[str]:
    """``python -m scale_async.cli ARGV`` against ``server``, output piped."""
    return subprocess.Popen(
        [sys.executable, "-m", "scale_async.cli", *argv],
        env=cli_env(server),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def console(
    *argv: str, server: Server | None = None, timeout: float = 60, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run the ``scale-async`` console script to the end, output captured."""
    return subprocess.run(
        [str(SCRIPT), *argv],
        env=cli_env(server, **env),
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def consoles(
    *argvs: list[str], server: Server | None = None, timeout: float = 60, **env: str
) -> list[subprocess.CompletedProcess[str]]:
    """Run several ``scale-async`` commands at once (start-up dominates), in order of ``argvs``."""
    processes = [
        subprocess.Popen(
            [str(SCRIPT), *argv],
            env=cli_env(server, **env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for argv in argvs
    ]
    done = []
    for argv, process in zip(argvs, processes, strict=True):
        out, err = process.communicate(timeout=timeout)
        done.append(subprocess.CompletedProcess(argv, process.returncode, out, err))
    return done

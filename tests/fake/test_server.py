"""Running the fake as a foreground server process: ``python -m scale_async.testing``."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_module_entry_point_serves_v1_with_the_given_faults() -> None:
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    command = [
        sys.executable,
        "-m",
        "scale_async.testing",
        "--port",
        str(port),
        "--seed",
        "3",
        "--rate-limited",
        "1.0",
        "--retry-after",
        "9",
    ]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        root = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 10
        while True:
            try:
                stats = httpx.get(f"{root}/_fake/stats")
                break
            except httpx.TransportError:
                assert process.poll() is None, "the server process exited"
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.05)
        assert stats.json()["requests_served"] == 0
        limited = httpx.get(f"{root}/v1/projects", auth=("test_k", ""))
        assert (limited.status_code, limited.headers["retry-after"]) == (429, "9")
        settings = httpx.get(f"{root}/_fake/faults").json()
        assert settings["faults"]["rate_limited"] == 1.0
    finally:
        process.terminate()
        process.wait(timeout=10)

"""The console script on a terminal (a pty): the rich progress bar, and the confirmation prompt."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import termios
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from .conftest import KIND, payload, write_jsonl
from .loopback import SCRIPT, Server, cli_env

LIVE_KEY = "live_terminal_key"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Terminal:
    """A ``scale-async`` process with a pty (120 columns) as stdin and stderr."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 120, 0, 0))
        self.master = master
        self.process = subprocess.Popen(
            [str(SCRIPT), *argv],
            stdin=slave,
            stdout=subprocess.PIPE,
            stderr=slave,
            env={**env, "TERM": "xterm-256color", "COLUMNS": "120"},
        )
        os.close(slave)
        self._chunks: list[bytes] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:  # EIO: the last writer closed
                    return
                if not chunk:
                    return
                self._chunks.append(chunk)
            elif self.process.poll() is not None:
                return

    @property
    def text(self) -> str:
        """What the terminal showed so far, without the escape sequences."""
        return ANSI.sub("", b"".join(self._chunks).decode("utf-8", errors="replace"))

    def wait_for(self, condition: Callable[[], bool], timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            assert self.process.poll() is None, self.text
            assert time.monotonic() < deadline, self.text
            time.sleep(0.02)

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def finish(self, timeout: float = 30) -> tuple[int, str]:
        """Exit status and stdout once the process ends."""
        out, _ = self.process.communicate(timeout=timeout)
        self._reader.join(timeout=5)
        os.close(self.master)
        return self.process.returncode, out.decode()


def test_tasks_create_draws_a_bar_and_says_when_it_is_paused_by_a_429(
    server: Server, tmp_path: Path
) -> None:
    server.reset("bar")
    lines = 60
    source = write_jsonl(tmp_path / "in.jsonl", [payload(n) for n in range(lines)])
    report = tmp_path / "in.report.jsonl"
    argv = ["tasks", "create", KIND, str(source), "--project", "bar", "--concurrency", "2"]
    terminal = Terminal(argv, cli_env(server))
    terminal.wait_for(lambda: report.exists() and report.read_text().count("\n") >= 5)
    # The next request gets a 429 with Retry-After: 1; the client pauses every request.
    httpx.post(f"{server.root}/_fake/faults/queue", json=["rate_limited"]).raise_for_status()
    code, _ = terminal.finish()
    shown = terminal.text
    assert code == 0, shown
    assert "━" in shown  # the bar
    assert f"/{lines}" in shown
    assert "%" in shown
    assert "/s" in shown
    assert "ETA" in shown
    assert "failed 0" in shown
    assert re.search(r"paused \d\.\d s: rate limited", shown), shown
    assert "retries 1" in shown
    assert f"{lines} of {lines} lines: {lines} created" in shown
    assert "1 retry: 1 rate limited, paused 1.0 s" in shown
    assert "Traceback" not in shown


def _live_batch(server: Server, name: str, tasks: int) -> None:
    """A batch of pending tasks (a live_ key's tasks stay pending)."""
    server.reset()
    with httpx.Client(base_url=server.base_url, auth=(LIVE_KEY, "")) as http:
        http.post("/projects", json={"type": KIND, "name": "term"}).raise_for_status()
        http.post("/batches", json={"project": "term", "name": name}).raise_for_status()
        for n in range(tasks):
            body = {**payload(n), "project": "term", "batch": name}
            http.post(f"/task/{KIND}", json=body).raise_for_status()


def _pending(server: Server, name: str) -> int:
    status = httpx.get(f"{server.base_url}/batches/{name}/status", auth=(LIVE_KEY, "")).json()
    return int(status.get("pending", 0))


def test_batches_cancel_asks_on_a_terminal_and_does_nothing_unless_told_yes(
    server: Server,
) -> None:
    _live_batch(server, "doomed", 5)
    env = cli_env(server, SCALE_API_KEY=LIVE_KEY)
    argv = ["batches", "cancel", "doomed", "--concurrency", "2"]

    refused = Terminal(argv, env)
    refused.wait_for(lambda: "Cancel 5 pending tasks of batch doomed?" in refused.text)
    refused.type("n\r")
    code, out = refused.finish()
    assert code == 1
    assert "not confirmed: nothing was cancelled" in refused.text
    assert out == ""
    assert _pending(server, "doomed") == 5

    agreed = Terminal(argv, env)
    agreed.wait_for(lambda: "Cancel 5 pending tasks" in agreed.text)
    agreed.type("y\r")
    code, out = agreed.finish()
    assert code == 0, agreed.text
    assert out == "batch doomed: 5 cancelled, 0 skipped, 0 failed\n"
    assert _pending(server, "doomed") == 0


def test_batches_cancel_yes_skips_the_question(server: Server) -> None:
    _live_batch(server, "quick", 3)
    terminal = Terminal(
        ["batches", "cancel", "quick", "--yes"], cli_env(server, SCALE_API_KEY=LIVE_KEY)
    )
    code, out = terminal.finish()
    assert code == 0, terminal.text
    assert "Cancel" not in terminal.text
    assert out == "batch quick: 3 cancelled, 0 skipped, 0 failed\n"

"""Issue 14.2: a forked child that uses the client leaves the parent's connections alone."""

from __future__ import annotations

import json
import logging
import os
import select
import sys
import time
import warnings

import pytest

import scale_sync
from scale_async import RetryPolicy

from .loopback import Request, response, serving
from .support import API_KEY, no_sleep, task_json


def keep_alive(request: Request) -> bytes:
    task_id = request.path.rsplit("/", 1)[-1]
    return response(200, json.dumps(task_json(task_id)).encode())


def run_child(work: object, exit_normally: bool) -> tuple[int, str]:
    """Fork; the child runs ``work()`` with its stderr in a pipe. Returns (status, stderr)."""
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        # Python 3.12+ warns that forking a threaded process may deadlock; that risk (a lock
        # held by another thread at the fork) is the child's, and exactly what is tested.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        code = 1
        try:
            os.dup2(write_end, 2)
            os.close(read_end)
            # As a plain script would be: default warning filters (pytest turns them into
            # errors, which aborts the finalizers that do the damage) and logging to stderr.
            warnings.resetwarnings()
            warnings.simplefilter("ignore", ResourceWarning)
            logging.getLogger().handlers.clear()
            sys.stderr = open(2, "w", buffering=1, closefd=False)  # noqa: SIM115
            work()  # type: ignore[operator]
            code = 0
        finally:
            if exit_normally:
                # What a script that forks does at its end: atexit hooks and collection run.
                import gc

                gc.collect()
            os._exit(code)
    os.close(write_end)
    chunks = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        ready, _, _ = select.select([read_end], [], [], 0.5)
        if ready:
            chunk = os.read(read_end, 65536)
            if not chunk:
                break
            chunks.append(chunk)
    os.close(read_end)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), b"".join(chunks).decode(errors="replace")


@pytest.mark.parametrize("exit_normally", [False, True], ids=["os-exit", "collected"])
def test_child_use_leaves_the_parent_pool_working(exit_normally: bool) -> None:
    with serving(keep_alive) as server:
        client = scale_sync.ScaleClient(
            API_KEY,
            api_instance_url=server.url,
            timeout=3,
            retry=RetryPolicy(max_retries=0, sleep=no_sleep),
        )
        try:
            assert client.get_task("p1").task_id == "p1"  # a pooled keep-alive connection

            def child() -> None:
                assert client.get_task("c1").task_id == "c1"
                client.close()

            status, stderr = run_child(child, exit_normally)
            assert status == 0, stderr
            assert "Unclosed" not in stderr, stderr
            assert "Exception ignored" not in stderr, stderr
            started = time.perf_counter()
            assert client.get_task("p2").task_id == "p2"  # the parent's pool still works
            assert time.perf_counter() - started < 2
        finally:
            client.close()
    assert [r.path for r in server.requests] == ["/v1/task/p1", "/v1/task/c1", "/v1/task/p2"]

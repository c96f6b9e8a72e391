"""Real processes over a loopback socket: ``scale-async fake-server`` and the CLI against it.

The resume promise is tested the hard way here: a ``tasks create`` process is killed with
SIGKILL (no cleanup at all) or stopped with SIGINT midway, and the same command run again
must leave exactly one task per line on the server.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import httpx

from .conftest import KIND, payload, read_report, write_jsonl
from .loopback import KEY, Server, cli_process

LINES = 300
STARTUP_LIMIT = 2.0


def wait_for_lines(process: subprocess.Popen[str], report: Path, count: int) -> None:
    deadline = time.monotonic() + 20
    while not report.exists() or report.read_text().count("\n") < count:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_fake_server_starts_in_under_two_seconds_and_prints_its_url(server: Server) -> None:
    assert server.startup < STARTUP_LIMIT
    assert server.banner.strip() == f"Fake Scale API on {server.base_url}"


def test_kill_9_midway_then_the_same_command_creates_exactly_the_rest(
    server: Server, tmp_path: Path
) -> None:
    project = "kill9"
    server.reset(project)
    source = write_jsonl(tmp_path / "in.jsonl", [payload(n) for n in range(LINES)])
    report = tmp_path / "in.report.jsonl"
    argv = ("tasks", "create", KIND, str(source), "--project", project)

    first = cli_process(server, *argv, "--concurrency", "4")
    wait_for_lines(first, report, 40)
    first.kill()
    first.communicate()
    assert first.returncode == -signal.SIGKILL
    created_before = server.stats()["tasks_created"]
    assert 40 <= created_before < LINES

    second = cli_process(server, *argv, "--concurrency", "32")
    _out, err = second.communicate(timeout=60)
    assert second.returncode == 0, err
    records = read_report(report)
    assert sorted(record["line"] for record in records) == list(range(1, LINES + 1))
    statuses = [record["status"] for record in records]
    assert statuses.count("duplicate") == created_before
    assert statuses.count("created") == LINES - created_before
    stats = server.stats()
    assert stats["tasks_created"] == LINES
    page = httpx.get(
        f"{server.base_url}/tasks", params={"project": project, "limit": 1}, auth=(KEY, "")
    )
    assert page.json()["total"] == LINES


def test_ctrl_c_stops_cleanly_with_130_and_the_rerun_finishes(
    server: Server, tmp_path: Path
) -> None:
    project = "sigint"
    server.reset(project)
    source = write_jsonl(tmp_path / "in.jsonl", [payload(n) for n in range(LINES)])
    report = tmp_path / "in.report.jsonl"
    argv = ("tasks", "create", KIND, str(source), "--project", project)

    first = cli_process(server, *argv, "--concurrency", "4")
    wait_for_lines(first, report, 40)
    first.send_signal(signal.SIGINT)
    _, err = first.communicate(timeout=20)
    assert first.returncode == 130, err
    assert "interrupted: run the same command again" in err
    assert "Traceback" not in err
    done = read_report(report)  # every line is whole JSON: the writer closed cleanly
    assert f"{len(done)} of {LINES} lines" in err

    second = cli_process(server, *argv, "--concurrency", "32")
    _, err = second.communicate(timeout=60)
    assert second.returncode == 0, err
    assert server.stats()["tasks_created"] == LINES

    export = cli_process(server, "tasks", "export", "--project", project)
    out, err = export.communicate(timeout=60)
    assert export.returncode == 0, err
    ids = [json.loads(line)["task_id"] for line in out.splitlines()]
    assert len(ids) == len(set(ids)) == LINES

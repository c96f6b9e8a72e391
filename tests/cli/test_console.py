"""The ``scale-async`` console script as a user runs it: a process, against the fake over loopback.

Each test bounds its input (tens of lines) so the whole file runs in seconds; the server is
the session's one ``fake-server`` process.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import httpx
import pytest

from .conftest import KIND, payload, read_report, write_jsonl
from .loopback import KEY, Server, console, consoles, free_port


def test_without_the_cli_extra_the_console_script_says_how_to_install_it(tmp_path: Path) -> None:
    stub = tmp_path / "rich"
    stub.mkdir()
    (stub / "__init__.py").write_text("raise ImportError('No module named rich')\n")
    done = console("projects", "list", PYTHONPATH=str(tmp_path))
    assert done.returncode == 1
    assert done.stderr == (
        "scale-async: the command line needs the cli extra: pip install 'scale-async[cli]'\n"
    )
    assert "Traceback" not in done.stderr


def test_usage_errors_exit_2_with_one_line_before_anything_is_sent(tmp_path: Path) -> None:
    """Bad values are refused by the parser: nothing listens at the URL, so sending would be 4.

    A sample of the checks, as processes; ``test_commands`` runs every one in-process.
    """
    source = write_jsonl(tmp_path / "in.jsonl", [payload(0)])
    fifo = tmp_path / "fifo.jsonl"
    os.mkfifo(fifo)  # no writer: reading it would block forever
    nowhere = f"http://127.0.0.1:{free_port()}/v1"
    create = ["tasks", "create", KIND]
    cases: list[tuple[list[str], str]] = [
        (["--base-url", "ftp://x", "projects", "list"], "--base-url"),
        (["tasks", "export", "--project", "p", "--page-size", "101"], "at most 100"),
        (["batches", "status", ""], "must not be empty"),
        ([*create, str(fifo), "--project", "p"], "not a regular file"),
        ([*create, str(source), "--project", "p", "--concurrency", "2000000"], "at most 1000"),
    ]
    results = consoles(
        *(argv for argv, _ in cases), SCALE_API_KEY="test_k", SCALE_API_BASE_URL=nowhere
    )
    for (argv, expected), done in zip(cases, results, strict=True):
        assert done.returncode == 2, (argv, done.stderr)
        assert done.stderr.count("\n") == 1, (argv, done.stderr)
        assert expected in done.stderr, (argv, done.stderr)
        assert done.stdout == ""


def test_a_deeply_nested_line_is_reported_by_number_and_the_rest_go_on(
    server: Server, tmp_path: Path
) -> None:
    server.reset("nested")
    good = [json.dumps(payload(n)) for n in range(6)]
    source = write_jsonl(tmp_path / "in.jsonl", [*good[:3], "[" * 100_000, *good[3:]])
    done = console("tasks", "create", KIND, str(source), "--project", "nested", server=server)
    assert done.returncode == 1, done.stderr
    assert "7 of 7 lines: 6 created, 0 already existed, 1 failed" in done.stderr
    assert "line 4: nested more than 100 levels deep" in done.stderr
    records = {record["line"]: record for record in read_report(tmp_path / "in.report.jsonl")}
    assert sorted(records) == [1, 2, 3, 4, 5, 6, 7]
    assert records[4]["status"] == "failed"
    assert [records[n]["status"] for n in (1, 2, 3, 5, 6, 7)] == ["created"] * 6
    assert server.stats()["tasks_created"] == 6
    assert "\x1b[" not in done.stderr  # not a terminal: plain lines, no redraws


def test_an_unknown_project_or_batch_is_an_error_and_an_empty_project_is_not(
    server: Server,
) -> None:
    server.reset("empty")
    for argv in (
        ["batches", "list", "--project", "nope"],
        ["tasks", "export", "--project", "nope"],
        ["tasks", "export", "--batch", "nope"],
    ):
        done = console(*argv, server=server)
        assert done.returncode == 6, (argv, done.stderr)
        assert "'nope' not found" in done.stderr
        assert done.stdout == ""
    for argv in (
        ["batches", "list", "--project", "empty"],
        ["tasks", "export", "--project", "empty"],
    ):
        done = console(*argv, server=server)
        assert done.returncode == 0, (argv, done.stderr)
        assert done.stdout == ""


def test_fake_server_help_is_one_usage_block_with_one_latency_syntax() -> None:
    done = console("fake-server", "--help")
    assert done.returncode == 0
    assert done.stdout.count("usage:") == 1
    assert done.stdout.startswith("usage: scale-async fake-server")
    assert "--latency SECONDS|LO,HI" in done.stdout
    assert "LO HI" not in done.stdout
    assert "--rate-limited" in done.stdout


def test_projects_and_batches_are_created_from_the_command_line(
    server: Server, tmp_path: Path
) -> None:
    server.reset()
    made = console("projects", "create", "made", "--type", KIND, server=server)
    assert made.returncode == 0, made.stderr
    assert made.stdout == f"created project made ({KIND})\n"
    again, batch, orphan = consoles(
        ["projects", "create", "made", "--type", KIND],
        ["batches", "create", "made-1", "--project", "made"],
        ["batches", "create", "made-2", "--project", "nope"],
        server=server,
    )
    assert again.returncode == 6
    assert "already exists" in again.stderr
    assert batch.returncode == 0, batch.stderr
    assert batch.stdout == "created batch made-1 in project made\n"
    assert orphan.returncode == 6
    assert "project 'nope' not found" in orphan.stderr
    source = write_jsonl(tmp_path / "in.jsonl", [payload(n) for n in range(5)])
    argv = ("tasks", "create", KIND, str(source), "--project", "made", "--batch", "made-1")
    assert console(*argv, server=server).returncode == 0
    status = console("batches", "status", "made-1", "--format", "jsonl", server=server)
    assert json.loads(status.stdout)["completed"] == 5  # test_ keys complete tasks at once


def test_a_rerun_never_reports_a_task_created_twice(server: Server, tmp_path: Path) -> None:
    """The rerun's creates first fail with a 500 (ambiguous), then meet their unique_id: the
    client recovers the existing task, which the first run's report lists: a duplicate."""
    server.reset("rerun")
    lines = 24
    source = write_jsonl(tmp_path / "in.jsonl", [payload(n) for n in range(lines)])
    argv = ("tasks", "create", KIND, str(source), "--project", "rerun", "--concurrency", "24")
    first = console(*argv, server=server)
    assert first.returncode == 0, first.stderr
    assert f"{lines} created, 0 already existed" in first.stderr
    # Seeded: the same requests fail on every run, some of them creates (checked below).
    with server.faults(server_error=0.15, latency=0.0):
        second = console("-v", "--max-retries", "10", *argv, server=server)
    assert second.returncode == 0, second.stderr
    assert "409 after an ambiguous attempt, recovering" in second.stderr  # the case is exercised
    assert f"0 created, {lines} already existed, 0 failed" in second.stderr
    statuses = [record["status"] for record in read_report(tmp_path / "in.report.jsonl")]
    assert statuses == ["duplicate"] * lines
    assert server.stats()["tasks_created"] == lines


def test_verbose_shows_the_clients_request_log_without_the_key(server: Server) -> None:
    server.reset("verbose")
    quiet = console("projects", "list", "--format", "jsonl", server=server)
    assert quiet.stderr == ""
    loud = console("projects", "list", "--format", "jsonl", "-v", server=server)
    assert loud.returncode == 0
    assert "DEBUG scale_async: GET projects -> 200 in" in loud.stderr
    assert loud.stdout == quiet.stdout
    assert KEY not in loud.stderr
    assert base64.b64encode(f"{KEY}:".encode()).decode() not in loud.stderr


@pytest.mark.parametrize("command", [["batches", "list"], ["projects", "list"]])
def test_tables_for_people_json_for_programs(server: Server, command: list[str]) -> None:
    server.reset("tables")
    made = httpx.post(
        f"{server.base_url}/batches", json={"project": "tables", "name": "t-1"}, auth=(KEY, "")
    )
    made.raise_for_status()
    table, piped = consoles([*command, "--format", "table"], command, server=server)
    assert table.returncode == 0
    header, rule = table.stdout.splitlines()[:2]
    assert header.split()[0] == "NAME"
    assert set(rule) == {"─"}
    assert piped.returncode == 0  # auto: stdout is a pipe, so JSON lines
    assert piped.stdout.strip()
    assert all(json.loads(line) for line in piped.stdout.splitlines())

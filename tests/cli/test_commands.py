"""Every command through ``main(argv)``, against the fake Scale API mounted in-process."""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from scale_async.cli import main
from scale_async.cli._create import UNREACHABLE_STREAK
from scale_async.testing import FakeScaleAPI

from .conftest import (
    KIND,
    LIVE_KEY,
    PROJECT,
    FailingRoutes,
    Run,
    creates,
    payload,
    read_report,
    seed,
    write_jsonl,
)

# -- tasks create ------------------------------------------------------------------------------


def test_create_reports_every_line_and_fails_on_malformed_ones(
    cli: Run, fake: FakeScaleAPI, tmp_path: Path
) -> None:
    seed(fake)
    source = write_jsonl(
        tmp_path / "in.jsonl",
        [
            payload(0),
            "{not json",
            payload(1),
            "",
            "[1, 2, 3]",
            {"attachment": "https://example.invalid/x.png"},  # no categories: a 400
            b'{"instruction": "\xff"}',
            payload(2),
        ],
    )
    report = tmp_path / "report.jsonl"
    result = cli(
        "tasks", "create", KIND, str(source), "--project", PROJECT, "--report", str(report)
    )

    assert result.code == 1
    records = {record["line"]: record for record in read_report(report)}
    assert sorted(records) == [1, 2, 3, 5, 6, 7, 8]  # line 4 is blank: not a payload
    for line, n in ((1, 0), (3, 1), (8, 2)):
        assert records[line]["status"] == "created"
        assert records[line]["input"] == payload(n)
        assert records[line]["task_id"]
        assert records[line]["unique_id"].startswith("sa1-")
    assert records[2]["error_type"] == "MalformedLine"
    assert records[2]["raw"] == "{not json"
    assert records[5]["error"] == "not a JSON object (got list)"
    assert records[6]["status_code"] == 400
    assert "categories" in records[6]["error"]
    assert "not UTF-8" in records[7]["error"]
    assert fake.stats.tasks_created == 3
    assert "7 of 7 lines: 3 created, 0 already existed, 4 failed" in result.err
    assert "line 2: not valid JSON" in result.err
    assert f"report: {report}" in result.err


def test_create_succeeds_with_status_zero_and_the_default_report(
    cli: Run, fake: FakeScaleAPI, tmp_path: Path
) -> None:
    seed(fake, batches={"b1": 0})
    source = write_jsonl(tmp_path / "pets.jsonl", [payload(n) for n in range(40)])
    result = cli("tasks", "create", KIND, str(source), "--project", PROJECT, "--batch", "b1")
    assert result.code == 0, result.err
    records = read_report(tmp_path / "pets.report.jsonl")
    assert len(records) == 40
    assert {record["status"] for record in records} == {"created"}
    assert "tasks  40/40 100.0%  ok 40  failed 0" in result.err


def test_rerun_creates_only_what_is_missing_even_from_a_renamed_file(
    cli: Run, fake: FakeScaleAPI, tmp_path: Path
) -> None:
    seed(fake)
    lines = [payload(n) for n in range(30)]
    first = write_jsonl(tmp_path / "first.jsonl", lines[:12])
    assert cli("tasks", "create", KIND, str(first), "--project", PROJECT).code == 0
    whole = write_jsonl(tmp_path / "renamed.jsonl", list(reversed(lines)))
    result = cli("tasks", "create", KIND, str(whole), "--project", PROJECT)
    assert result.code == 0
    statuses = [record["status"] for record in read_report(tmp_path / "renamed.report.jsonl")]
    assert statuses.count("duplicate") == 12
    assert statuses.count("created") == 18
    assert fake.stats.tasks_created == 30
    assert "18 created, 12 already existed, 0 failed" in result.err


def test_identical_lines_make_one_task_and_a_namespace_makes_new_ones(
    cli: Run, fake: FakeScaleAPI, tmp_path: Path
) -> None:
    seed(fake)
    source = write_jsonl(tmp_path / "in.jsonl", [payload(0), payload(0)])
    assert cli("tasks", "create", KIND, str(source), "--project", PROJECT).code == 0
    records = read_report(tmp_path / "in.report.jsonl")
    assert sorted(r["status"] for r in records) == ["created", "duplicate"]
    assert len({r["task_id"] for r in records}) == 1
    again = cli("tasks", "create", KIND, str(source), "--project", PROJECT, "--namespace", "r2")
    assert again.code == 0
    assert fake.stats.tasks_created == 2


def test_interrupted_run_stops_cleanly_and_the_rerun_completes_it(
    cli: Run, fake: FakeScaleAPI, tmp_path: Path
) -> None:
    """Ctrl-C in-process: the transport raises KeyboardInterrupt after 25 creations."""
    seed(fake)
    source = write_jsonl(tmp_path / "in.jsonl", [payload(n) for n in range(100)])
    interrupting = FailingRoutes(fake, creates, KeyboardInterrupt, after=25)
    args = ("tasks", "create", KIND, str(source), "--project", PROJECT, "--concurrency", "4")
    first = cli(*args, transport=interrupting)
    assert first.code == 130
    assert "interrupted: run the same command again" in first.err
    written = read_report(tmp_path / "in.report.jsonl")
    assert len(written) <= 25
    assert fake.stats.tasks_created == 25
    second = cli(*args)
    assert second.code == 0
    statuses = [record["status"] for record in read_report(tmp_path / "in.report.jsonl")]
    assert len(statuses) == 100
    assert statuses.count("duplicate") == 25
    assert fake.stats.tasks_created == 100


def test_create_stops_when_the_server_stops_answering(
    cli: Run, fake: FakeScaleAPI, tmp_path: Path
) -> None:
    seed(fake)
    source = write_jsonl(tmp_path / "in.jsonl", [payload(n) for n in range(200)])
    down = FailingRoutes(fake, creates, httpx.ConnectError)
    result = cli(
        "--max-retries",
        "0",
        "tasks",
        "create",
        KIND,
        str(source),
        "--project",
        PROJECT,
        "--concurrency",
        "2",
        transport=down,
    )
    assert result.code == 4
    assert "stopped answering" in result.err
    assert "run the same command again" in result.err
    assert UNREACHABLE_STREAK <= down.matched < 200
    assert len(read_report(tmp_path / "in.report.jsonl")) >= UNREACHABLE_STREAK


def test_create_checks_the_destination_before_creating(
    cli: Run, fake: FakeScaleAPI, tmp_path: Path
) -> None:
    seed(fake, batches={"b1": 0})
    seed(fake, project="other", batches={"b2": 0})
    source = write_jsonl(tmp_path / "in.jsonl", [payload(0)])
    unknown = cli("tasks", "create", KIND, str(source), "--project", "nope")
    assert unknown.code == 6
    assert unknown.err == "scale-async: project 'nope' not found\n"
    no_batch = cli("tasks", "create", KIND, str(source), "--project", PROJECT, "--batch", "zz")
    assert no_batch.code == 6
    assert "batch 'zz' not found" in no_batch.err
    elsewhere = cli("tasks", "create", KIND, str(source), "--project", PROJECT, "--batch", "b2")
    assert elsewhere.code == 2
    assert "belongs to project 'other'" in elsewhere.err
    assert fake.stats.tasks_created == 0


def test_create_refuses_a_missing_file_and_an_unwritable_report(
    cli: Run, fake: FakeScaleAPI, tmp_path: Path
) -> None:
    seed(fake)
    missing = cli("tasks", "create", KIND, str(tmp_path / "absent.jsonl"), "--project", PROJECT)
    assert missing.code == 5
    assert missing.err.startswith("scale-async: cannot read ")
    assert "No such file" in missing.err
    source = write_jsonl(tmp_path / "in.jsonl", [payload(0)])
    bad_report = str(tmp_path / "no-such-dir" / "r.jsonl")
    unwritable = cli(
        "tasks", "create", KIND, str(source), "--project", PROJECT, "--report", bad_report
    )
    assert unwritable.code == 5
    assert "cannot write the report" in unwritable.err
    same = cli("tasks", "create", KIND, str(source), "--project", PROJECT, "--report", str(source))
    assert same.code == 2
    assert json.loads(source.read_text()) == payload(0)


def test_rate_limit_spaces_the_creations(cli: Run, fake: FakeScaleAPI, tmp_path: Path) -> None:
    seed(fake)
    source = write_jsonl(tmp_path / "in.jsonl", [payload(n) for n in range(11)])
    started = time.monotonic()
    result = cli("tasks", "create", KIND, str(source), "--project", PROJECT, "--rate-limit", "50")
    assert result.code == 0
    assert time.monotonic() - started >= 10 / 50 * 0.9
    assert fake.stats.tasks_created == 11


def test_report_to_stdout(cli: Run, fake: FakeScaleAPI, tmp_path: Path) -> None:
    seed(fake)
    source = write_jsonl(tmp_path / "in.jsonl", [payload(0), payload(1)])
    result = cli("tasks", "create", KIND, str(source), "--project", PROJECT, "--report", "-")
    assert result.code == 0
    assert sorted(json.loads(line)["line"] for line in result.out.splitlines()) == [1, 2]
    assert "report: stdout" in result.err


# -- tasks export ------------------------------------------------------------------------------


def test_export_streams_every_matching_task_as_json_lines(cli: Run, fake: FakeScaleAPI) -> None:
    seed(fake, batches={"b1": 30, "b2": 20}, loose=5)
    seed(fake, project="other", loose=4)
    result = cli("tasks", "export", "--project", PROJECT, "--page-size", "7")
    assert result.code == 0, result.err
    tasks = [json.loads(line) for line in result.out.splitlines()]
    assert len(tasks) == 55
    assert len({task["task_id"] for task in tasks}) == 55
    assert {task["project"] for task in tasks} == {PROJECT}
    assert "exported 55 tasks" in result.err
    assert "export  55/55 100.0%" in result.err

    batch = cli("tasks", "export", "--batch", "b2", "--partitions", "3")
    assert batch.code == 0, batch.err
    ids = [json.loads(line)["task_id"] for line in batch.out.splitlines()]
    assert len(ids) == len(set(ids)) == 20

    typed = cli(
        "tasks", "export", "--project", PROJECT, "--type", KIND, "--created-after", "2000-01-01"
    )
    assert len(typed.out.splitlines()) == 55
    other_type = cli("tasks", "export", "--project", PROJECT, "--type", "imageannotation")
    assert other_type.code == 0
    assert other_type.out == ""

    pending = cli("tasks", "export", "--project", PROJECT, "--status", "pending")
    assert pending.code == 0
    assert pending.out == ""  # test keys complete their tasks at once


def test_export_needs_a_project_or_batch(cli: Run) -> None:
    result = cli("tasks", "export", "--status", "pending")
    assert result.code == 2
    assert "needs --project or --batch" in result.err


# -- batches and projects ----------------------------------------------------------------------


def test_batches_status_cancel_and_list(cli: Run, fake: FakeScaleAPI) -> None:
    seed(fake, key=LIVE_KEY, batches={"b1": 25, "b2": 3})
    status = cli("batches", "status", "b1", "--format", "jsonl", key=LIVE_KEY)
    assert status.code == 0
    assert json.loads(status.out) == {
        "name": "b1",
        "status": "in_progress",
        "pending": 25,
        "completed": 0,
        "error": 0,
        "canceled": 0,
    }

    cancelled = cli("batches", "cancel", "b1", "--concurrency", "5", key=LIVE_KEY)
    assert cancelled.code == 0, cancelled.err
    assert cancelled.out == "batch b1: 25 cancelled, 0 skipped, 0 failed\n"
    after = json.loads(cli("batches", "status", "b1", "--format", "jsonl", key=LIVE_KEY).out)
    assert after["canceled"] == 25
    assert after["pending"] == 0
    again = cli("batches", "cancel", "b1", key=LIVE_KEY)
    assert again.out == "batch b1: 0 cancelled, 0 skipped, 0 failed\n"

    listing = cli("batches", "list", "--project", PROJECT, "--format", "jsonl", key=LIVE_KEY)
    assert listing.code == 0
    assert sorted(json.loads(line)["name"] for line in listing.out.splitlines()) == ["b1", "b2"]
    table = cli("batches", "list", "--format", "table", key=LIVE_KEY)
    header, rule, *rows = table.out.splitlines()
    assert header.split() == ["NAME", "PROJECT", "STATUS", "CREATED_AT"]
    assert set(rule) == {"─"}
    assert len(rows) == 2


def test_batch_cancel_failures_are_counted_and_exit_one(cli: Run, fake: FakeScaleAPI) -> None:
    seed(fake, key=LIVE_KEY, batches={"b1": 6})

    def cancels(request: httpx.Request) -> bool:
        return request.url.path.endswith("/cancel")

    flaky = FailingRoutes(fake, cancels, httpx.ConnectError, after=4)
    result = cli("--max-retries", "0", "batches", "cancel", "b1", key=LIVE_KEY, transport=flaky)
    assert result.code == 1
    assert result.out == "batch b1: 4 cancelled, 0 skipped, 2 failed\n"
    assert result.err.count("injected") == 2


def test_unknown_batch_is_an_api_error(cli: Run, fake: FakeScaleAPI) -> None:
    seed(fake)
    for argv in (("batches", "status", "nope"), ("batches", "cancel", "nope")):
        result = cli(*argv)
        assert result.code == 6
        assert result.err == "scale-async: batch 'nope' not found\n"


def test_projects_list(cli: Run, fake: FakeScaleAPI) -> None:
    seed(fake)
    seed(fake, project="second")
    jsonl = cli("projects", "list", "--format", "jsonl")
    assert jsonl.code == 0
    assert sorted(json.loads(line)["name"] for line in jsonl.out.splitlines()) == [
        PROJECT,
        "second",
    ]
    table = cli("projects", "list", "--format", "table")
    assert table.out.splitlines()[0].split() == ["NAME", "TYPE", "CREATED_AT"]
    assert "categorization" in table.out


# -- demo --------------------------------------------------------------------------------------


def test_demo_runs_the_whole_workflow_on_the_built_in_fake(cli: Run) -> None:
    result = cli("demo", "--tasks", "120", "--latency", "0", key=None)
    assert result.code == 0, result.err
    assert "built-in fake Scale API" in result.out
    assert "fake server: " in result.out
    assert "120 tasks created, 0 duplicates refused" in result.out
    assert "canceled 120" in result.out
    for step in ("create 120 tasks", "list them back", "cancel the batch"):
        assert step in result.out
    assert "all 120 tasks created, listed back and cancelled" in result.out


def test_demo_with_a_key_refuses_without_the_explicit_flag(
    cli: Run, fake: FakeScaleAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCALE_API_KEY", "live_someone_real")
    result = cli("demo", "--tasks", "10", key=None)
    assert result.code == 2
    assert "would create 10 real tasks" in result.err
    assert "--fake" in result.err
    assert "--i-know-this-creates-real-tasks" in result.err
    assert "live_someone_real" not in result.err + result.out
    assert fake.stats.requests_served == 0
    assert cli("demo", "--fake", "--tasks", "10", "--latency", "0", key=None).code == 0
    assert fake.stats.requests_served == 0  # --fake used its own, in-process


def test_demo_against_a_real_api_when_asked_creates_then_cancels(
    cli: Run, fake: FakeScaleAPI
) -> None:
    result = cli("demo", "--tasks", "30", "--i-know-this-creates-real-tasks", key=LIVE_KEY)
    assert result.code == 0, result.err
    assert "creating 30 real tasks" in result.err
    assert fake.stats.tasks_created == 30
    assert "canceled 30" in result.out


# -- errors, exit codes, help ------------------------------------------------------------------


def test_missing_key(cli: Run) -> None:
    result = cli("projects", "list", key=None)
    assert result.code == 3
    assert result.err == (
        "scale-async: no API key: set SCALE_API_KEY or pass --api-key "
        "(or try `scale-async demo`, which needs none)\n"
    )


def test_key_from_the_environment(
    cli: Run, fake: FakeScaleAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(fake)
    monkeypatch.setenv("SCALE_API_KEY", "test_cli_key")
    assert cli("projects", "list", "--format", "jsonl", key=None).code == 0


def test_refused_key_is_reported_without_showing_it(cli: Run, fake: FakeScaleAPI) -> None:
    result = cli("projects", "list", key="bogus_secret_value")
    assert result.code == 6
    assert "API key was refused" in result.err
    assert "bogus_secret_value" not in result.err


def test_unreachable_server(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/v1"
    code = main(
        ["--api-key", "test_k", "--base-url", url, "--max-retries", "0", "projects", "list"]
    )
    err = capsys.readouterr().err
    assert code == 4
    assert err.startswith(f"scale-async: cannot reach the Scale API at {url}: ")
    assert err.count("\n") == 1


def test_bad_arguments_exit_two_and_never_echo_the_key(cli: Run, tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [payload(0)])
    zero = cli("tasks", "create", KIND, str(source), "--project", PROJECT, "--concurrency", "0")
    assert zero.code == 2
    assert "must be at least 1" in zero.err
    kind = cli("tasks", "create", "nonsense", str(source), "--project", PROJECT)
    assert kind.code == 2
    assert "unknown task type 'nonsense'" in kind.err
    typo = cli("projects", "list", "--apikey", "live_typo_secret")
    assert typo.code == 2
    assert "unrecognized arguments" in typo.err
    assert "live_typo_secret" not in typo.err
    assert main(["tasks"]) == 2


COMMANDS = [
    [],
    ["tasks"],
    ["tasks", "create"],
    ["tasks", "export"],
    ["batches"],
    ["batches", "create"],
    ["batches", "cancel"],
    ["batches", "status"],
    ["batches", "list"],
    ["projects"],
    ["projects", "create"],
    ["projects", "list"],
    ["demo"],
    ["fake-server"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "top")
def test_help_everywhere(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*command, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: scale-async {' '.join(command)}".rstrip())
    if command == ["fake-server"]:
        assert "--rate-limited" in out
        assert "--latency" in out
    if not command:
        assert "exit status:" in out


def test_console_script_and_cli_extra_are_declared() -> None:
    text = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text()
    scripts = text.split("[project.scripts]", 1)[1].split("[", 1)[0]
    assert 'scale-async = "scale_async.cli:main"' in scripts
    extra = text.split("\ncli = [", 1)[1].split("]", 1)[0]
    assert '"uvicorn' in extra


USAGE_ERRORS = [
    (["--base-url", "ftp://x", "projects", "list"], "expected an http(s) URL"),
    (["--base-url", "not a url", "projects", "list"], "expected an http(s) URL"),
    (["tasks", "export", "--project", "p", "--page-size", "101"], "must be at most 100"),
    (["tasks", "export", "--project", "p", "--partitions", "5000"], "must be at most 1000"),
    (["batches", "status", ""], "must not be empty"),
    (["batches", "cancel", "", "--yes"], "must not be empty"),
    (["tasks", "export", "--project", ""], "must not be empty"),
    (["tasks", "create", KIND, "IN", "--project", "p", "--rate-limit", "1e-300"], "at least 0.01"),
    (["tasks", "export", "--project", "p", "--created-after", "2024-05-01garbage"], "ISO-8601"),
    (["batches", "list", "--created-before", "2024-02-30"], "ISO-8601"),
    (["tasks", "create", KIND, "FIFO", "--project", "p"], "not a regular file"),
    (["tasks", "create", KIND, "IN", "--project", "p", "--concurrency", "2000000"], "at most 1000"),
    (["batches", "cancel", "b", "--concurrency", "1001"], "at most 1000"),
]


@pytest.mark.parametrize(("argv", "expected"), USAGE_ERRORS, ids=lambda v: " ".join(v)[:40])
def test_usage_errors_are_one_line_and_exit_two_before_any_request(
    cli: Run, fake: FakeScaleAPI, tmp_path: Path, argv: list[str], expected: str
) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [payload(0)])
    fifo = tmp_path / "fifo.jsonl"
    os.mkfifo(fifo)
    paths = {"IN": str(source), "FIFO": str(fifo)}
    result = cli(*(paths.get(arg, arg) for arg in argv))
    assert result.code == 2, result.err
    assert expected in result.err
    assert result.err.count("\n") == 1
    assert "Traceback" not in result.err
    assert fake.stats.requests_served == 0


def test_concurrency_at_the_cap_is_accepted(cli: Run, fake: FakeScaleAPI, tmp_path: Path) -> None:
    seed(fake)
    source = write_jsonl(tmp_path / "in.jsonl", [payload(n) for n in range(3)])
    result = cli(
        "tasks", "create", KIND, str(source), "--project", PROJECT, "--concurrency", "1000"
    )
    assert result.code == 0, result.err
    assert "3 of 3 lines: 3 created" in result.err


def test_an_input_that_breaks_midway_is_not_taken_for_its_end(
    cli: Run, fake: FakeScaleAPI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read error after two lines: those two are created, and the run says the rest was not."""
    from scale_async.cli import _create

    seed(fake)
    source = write_jsonl(tmp_path / "in.jsonl", [payload(n) for n in range(5)])

    def breaking(handle: Any) -> Iterator[tuple[int, dict[str, Any]]]:
        for number, line in enumerate(handle, start=1):
            if number == 3:
                raise OSError(5, "Input/output error")
            yield number, json.loads(line)

    monkeypatch.setattr(_create, "read_lines", breaking)
    result = cli("tasks", "create", KIND, str(source), "--project", PROJECT)
    assert result.code == 1
    assert "could not be read past line 2" in result.err
    assert "Input/output error" in result.err
    assert "2 of 5 lines: 2 created" in result.err
    assert fake.stats.tasks_created == 2

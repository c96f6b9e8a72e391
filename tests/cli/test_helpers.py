"""The CLI's pure helpers, tested directly: formatting, parsing, records, routing, checks."""

from __future__ import annotations

import argparse
import asyncio
import base64
import io
import json
import os
from pathlib import Path

import pytest

from scale_async import (
    RetryPolicy,
    ScaleInvalidRequest,
    ScaleServiceUnavailable,
    ScaleTooManyRequests,
    ScaleTransportError,
    derive_unique_id,
)
from scale_async.cli import _secrets, redact
from scale_async.cli._args import Lazy, build_parser, parse
from scale_async.cli._batches import status_record
from scale_async.cli._checks import (
    MAX_CONCURRENCY,
    base_url,
    concurrency,
    int_between,
    iso_date,
    latency,
    name,
    positive_float,
    positive_int,
    rate,
    task_type,
)
from scale_async.cli._create import Tally, earlier_task_ids, job_namespace
from scale_async.cli._demo import Outcome, demo_payloads, problems
from scale_async.cli._display import PlainDisplay, RichDisplay, open_display
from scale_async.cli._env import Env, client_default
from scale_async.cli._exit import BAD_FILE, USAGE, CliError
from scale_async.cli._lines import (
    MAX_DEPTH,
    Malformed,
    count_lines,
    depth,
    open_input,
    parse_line,
    read_lines,
)
from scale_async.cli._output import build_table, choose_format, render_table
from scale_async.cli._progress import (
    RetryWatch,
    Snapshot,
    format_duration,
    format_progress,
    format_rate,
    retry_reason,
)
from scale_async.cli._report import (
    created_record,
    default_report_path,
    failed_record,
    malformed_record,
)
from scale_async.cli._run import run as run_async

# -- progress ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (None, "--:--"),
        (0, "0:00"),
        (7.4, "0:07"),
        (59.6, "1:00"),
        (723, "12:03"),
        (3723, "1:02:03"),
    ],
)
def test_format_duration(seconds: float | None, shown: str) -> None:
    assert format_duration(seconds) == shown


def test_format_rate_keeps_a_decimal_for_slow_jobs() -> None:
    assert format_rate(0.25) == "0.2/s"
    assert format_rate(42.0) == "42.0/s"
    assert format_rate(1234.4) == "1,234/s"


def test_eta_comes_from_the_rate_once_a_second_has_passed() -> None:
    snap = Snapshot(done=90, failed=10, total=300, elapsed=2.0)
    assert snap.rate == 50.0
    assert snap.eta == 4.0
    assert Snapshot(done=10, failed=0, total=300, elapsed=0.2).eta is None
    assert Snapshot(done=300, failed=0, total=300, elapsed=0.2).eta == 0.0
    assert Snapshot(done=10, failed=0, total=None, elapsed=5).eta is None


def test_progress_line_shows_counts_rate_and_eta() -> None:
    line = format_progress("tasks", Snapshot(done=1230, failed=4, total=2000, elapsed=3.0))
    assert line == "tasks  1,234/2,000 61.7%  ok 1,230  failed 4  411/s  ETA 0:02  elapsed 0:03"


def test_progress_line_without_total_or_outcomes() -> None:
    line = format_progress("export", Snapshot(50, 0, None, 2.0), outcomes=False)
    assert line == "export  50  25.0/s  elapsed 0:02"


class FakeTTY(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_plain_display_writes_whole_lines_every_few_seconds_then_the_final_one() -> None:
    clock = Clock()
    stream = FakeTTY(tty=False)
    bar = PlainDisplay("t", 100, stream, clock=clock, interval=5.0)
    for i in range(1, 40):
        clock.now = i * 0.25
        bar.update(i, 0)
    bar.close()
    bar.close()
    lines = stream.getvalue().splitlines()
    assert "\r" not in stream.getvalue()
    assert len(lines) == 2  # at 5 s, and the final state
    assert lines[-1].startswith("t  39/100")


def test_plain_display_logs_a_pause_when_it_starts_at_most_once_per_interval() -> None:
    clock = Clock()
    watch = RetryWatch(clock)
    stream = FakeTTY(tty=False)
    bar = PlainDisplay("t", 10, stream, clock=clock, watch=watch, interval=5.0)
    bar.update(3, 0)
    clock.now = 6.0  # no result for a while, then a 429
    watch(ScaleTooManyRequests("slow down", 429), 4.0)
    assert stream.getvalue().splitlines() == [
        "t  3/10 30.0%  ok 3  failed 0  0.5/s  ETA 0:14  elapsed 0:06  "
        "retries 1  paused 4.0 s: rate limited"
    ]
    clock.now = 10.5  # the next pause, too soon for another line
    watch(ScaleTooManyRequests("slow down", 429), 1.0)
    assert len(stream.getvalue().splitlines()) == 1
    bar.close()
    watch(ScaleTooManyRequests("slow down", 429), 1.0)  # closed: silent
    assert len(stream.getvalue().splitlines()) == 2


def test_plain_display_says_why_the_job_is_slow() -> None:
    clock = Clock()
    watch = RetryWatch(clock)
    stream = FakeTTY(tty=False)
    bar = PlainDisplay("t", 10, stream, clock=clock, watch=watch, interval=1.0)
    watch(ScaleTooManyRequests("slow down", 429), 4.0)
    clock.now = 1.0
    bar.update(2, 0)
    assert stream.getvalue().rstrip().endswith("retries 1  paused 3.0 s: rate limited")


def test_rich_display_draws_a_bar_with_counts_rate_eta_and_outcomes() -> None:
    stream = FakeTTY(tty=True)
    clock = Clock()
    watch = RetryWatch(clock)
    watch(ScaleServiceUnavailable("busy", 503), 0.5)
    bar = RichDisplay("tasks", 8, stream, clock=clock, watch=watch, refresh_per_second=1)
    clock.now = 2.0
    bar.update(3, 1)
    bar.close()
    shown = stream.getvalue()
    assert "tasks" in shown
    assert "━" in shown  # the bar
    assert "4/8" in shown
    assert "50%" in shown
    assert "2.0/s" in shown
    assert "ok 3" in shown
    assert "failed 1" in shown
    assert "retries 1" in shown


def test_open_display_picks_rich_on_a_terminal_and_plain_lines_elsewhere() -> None:
    with open_display("t", 1, FakeTTY(tty=False)) as plain:
        assert isinstance(plain, PlainDisplay)
    with open_display("t", 1, FakeTTY(tty=True)) as rich:
        assert isinstance(rich, RichDisplay)


def test_retry_watch_counts_retries_and_merges_overlapping_pauses() -> None:
    clock = Clock()
    watch = RetryWatch(clock)
    assert watch.status() == ""
    assert watch.summary() == ""
    watch(ScaleTooManyRequests("slow", 429), 4.0)
    clock.now = 1.0
    watch(ScaleTooManyRequests("slow", 429), 4.0)  # pushes the end from 4 to 5: 1 s more
    assert watch.paused_for() == 4.0
    assert watch.status() == "retries 2  paused 4.0 s: rate limited"
    clock.now = 5.5
    assert watch.status() == "retries 2"  # the pause is over; nothing else to say
    clock.now = 6.0
    watch(ScaleServiceUnavailable("busy", 503), 0.5)
    assert watch.status() == "retries 3  retrying: server error 503"
    clock.now = 20.0
    assert watch.status() == "retries 3"
    assert watch.summary() == "3 retries: 2 rate limited, paused 5.0 s"


def test_retry_reasons() -> None:
    assert retry_reason(ScaleTooManyRequests("x", 429)) == "rate limited"
    assert retry_reason(ScaleServiceUnavailable("x", 503)) == "server error 503"
    assert retry_reason(ScaleTransportError("x")) == "connection failed"
    assert retry_reason(ValueError("x")) == "ValueError"


# -- input lines -------------------------------------------------------------------------------


def test_parse_line_keeps_objects_and_skips_blanks() -> None:
    assert parse_line(3, b'{"a": 1}\n') == {"a": 1}
    assert parse_line(3, b"  \r\n") is None
    assert parse_line(1, b'\xef\xbb\xbf{"a": 1}\n') == {"a": 1}


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"{bad", "not valid JSON"),
        (b"[1, 2]", "not a JSON object (got list)"),
        (b"null", "not a JSON object (got null)"),
        (b'{"a": NaN}', "NaN is not valid JSON"),
        (b'{"a": "\xff"}', "not UTF-8 text"),
    ],
)
def test_parse_line_turns_bad_lines_into_values_with_their_number(raw: bytes, reason: str) -> None:
    bad = parse_line(7, raw)
    assert isinstance(bad, Malformed)
    assert bad.line == 7
    assert reason in bad.reason


def test_count_and_read_agree_on_which_lines_are_payloads(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'{"a": 1}\n\n[1]\n   \n{"b": 2}')
    assert count_lines(path) == 3
    with open_input(path) as handle:
        numbers = [number for number, _ in read_lines(handle)]
    assert numbers == [1, 3, 5]


def test_missing_or_directory_input_is_a_file_error(tmp_path: Path) -> None:
    for path in (tmp_path / "absent.jsonl", tmp_path):
        with pytest.raises(CliError) as caught:
            count_lines(path)
        assert caught.value.code == BAD_FILE
        assert str(path) in caught.value.message


def test_a_fifo_or_device_is_refused_as_usage_without_opening_it(tmp_path: Path) -> None:
    fifo = tmp_path / "in.jsonl"
    os.mkfifo(fifo)  # no writer: opening it would block forever
    for path in (fifo, Path("/dev/null")):
        with pytest.raises(CliError) as caught:
            count_lines(path)
        assert caught.value.code == USAGE
        assert "not a regular file" in caught.value.message


def test_a_deeply_nested_line_is_malformed_not_an_error() -> None:
    bad = parse_line(2, b"[" * 100_000 + b"\n")
    assert isinstance(bad, Malformed)
    assert bad.line == 2
    assert "nested" in bad.reason
    deep: dict[str, object] = {}
    inner = deep
    for _ in range(MAX_DEPTH - 1):
        inner["a"] = {}
        inner = inner["a"]  # type: ignore[assignment]
    assert depth(deep) == MAX_DEPTH
    assert parse_line(1, json.dumps(deep).encode()) == deep
    too_deep = parse_line(1, json.dumps({"x": deep}).encode())
    assert isinstance(too_deep, Malformed)
    assert "nested more than 100 levels" in too_deep.reason
    assert depth([[1], {"a": [2]}]) == 3
    assert depth(7) == 0


def test_earlier_report_gives_the_task_ids_already_there(tmp_path: Path) -> None:
    report = tmp_path / "r.jsonl"
    report.write_text(
        '{"status":"created","task_id":"t1"}\n'
        '{"status":"duplicate","task_id":"t2"}\n'
        '{"status":"failed","error":"x"}\n'
        "not json\n"
        '{"status":"created","task_id":"t3"'  # cut short
    )
    assert earlier_task_ids(str(report)) == {"t1", "t2"}
    assert earlier_task_ids(str(tmp_path / "none.jsonl")) == set()
    assert earlier_task_ids("-") == set()


# -- report records and namespace --------------------------------------------------------------


def test_report_records() -> None:
    ok = created_record(4, {"x": 1}, task_id="t1", unique_id="u1", duplicate=True)
    assert ok == {
        "line": 4,
        "status": "duplicate",
        "task_id": "t1",
        "unique_id": "u1",
        "duplicate": True,
        "input": {"x": 1},
    }
    failed = failed_record(5, {"x": 2}, ScaleInvalidRequest("Please include categories", 400))
    assert failed["status"] == "failed"
    assert failed["status_code"] == 400
    assert "Please include categories" in failed["error"]
    assert failed["error_type"] == "ScaleInvalidRequest"
    bad = malformed_record(Malformed(6, "{oops", "not valid JSON: x"))
    assert bad == {
        "line": 6,
        "status": "failed",
        "error": "not valid JSON: x",
        "error_type": "MalformedLine",
        "raw": "{oops",
    }
    json.dumps([ok, failed, bad])


def test_default_report_sits_next_to_the_input() -> None:
    assert default_report_path(Path("/data/pets.jsonl")) == Path("/data/pets.report.jsonl")


def test_default_namespace_is_none_so_content_alone_decides() -> None:
    assert job_namespace(None) is None
    assert job_namespace("") is None
    assert job_namespace("round-2") == "round-2"
    body = {"project": "p", "attachment": "a"}
    # No file path involved: the same line from a renamed file maps to the same task.
    assert derive_unique_id("categorization", body, job_namespace(None)) == derive_unique_id(
        "categorization", dict(body), None
    )
    assert derive_unique_id("categorization", body, "round-2") != derive_unique_id(
        "categorization", body, None
    )


def test_tally_counts_and_summarises() -> None:
    tally = Tally(total=4)
    for status in ("created", "duplicate", "failed", "created"):
        tally.add({"status": status, "line": 1, "error": "boom"})
    assert (tally.created, tally.duplicates, tally.failed, tally.processed) == (2, 1, 1, 4)
    lines = tally.summary(2.0)
    assert lines[0] == "4 of 4 lines: 2 created, 1 already existed, 1 failed, in 0:02 (2.0/s)"
    assert lines[1] == "  line 1: boom"


# -- arguments, routing, secrets ---------------------------------------------------------------


def test_value_checks() -> None:
    assert positive_int("3") == 3
    assert concurrency(str(MAX_CONCURRENCY)) == MAX_CONCURRENCY
    assert int_between(1, 100)("100") == 100
    assert rate("0.01") == 0.01
    assert name("b 1") == "b 1"
    assert base_url(" https://api.scale.com/v1 ") == "https://api.scale.com/v1"
    assert base_url("http://127.0.0.1:8080/v1") == "http://127.0.0.1:8080/v1"
    assert iso_date("2024-05-01") == "2024-05-01"
    assert iso_date("2024-05-01T10:00:00+02:00") == "2024-05-01T10:00:00+02:00"
    assert positive_float("0.5") == 0.5
    assert latency("0.01") == 0.01
    assert latency("0.01,0.05") == (0.01, 0.05)
    assert task_type("ImageAnnotation") == "imageannotation"
    assert iso_date("2024-05-01T10:00:00Z") == "2024-05-01T10:00:00Z"
    for check, text in [
        (positive_int, "0"),
        (positive_int, "x"),
        (positive_float, "-1"),
        (latency, "0.05,0.01"),
        (latency, "a,b"),
        (task_type, "nonsense"),
        (iso_date, "yesterday"),
        (iso_date, "2024-05-01garbage"),
        (iso_date, "2024-05-01T25:00:00"),
        (iso_date, "2024-13-01"),
        (concurrency, str(MAX_CONCURRENCY + 1)),
        (concurrency, "2000000"),
        (int_between(1, 100), "101"),
        (rate, "1e-300"),
        (rate, "inf"),
        (rate, "nan"),
        (name, ""),
        (name, "  "),
        (base_url, "ftp://x"),
        (base_url, "not a url"),
        (base_url, "http://"),
        (base_url, "http://not a host/v1"),
        (base_url, "http://h:port/v1"),
    ]:
        with pytest.raises(argparse.ArgumentTypeError):
            check(text)


def test_commands_name_their_handler_and_fake_server_takes_the_servers_own_flags() -> None:
    parser = build_parser()
    args = parse(parser, ["--base-url", "http://h/v1", "batches", "status", "b1"])
    assert isinstance(args.handler, Lazy)
    assert (args.handler.module, args.handler.function) == ("._batches", "status")
    assert args.rest == []
    served = parse(parser, ["--max-retries", "2", "fake-server", "--port", "9", "-h", "--seed=3"])
    assert served.rest == ["--port", "9", "-h", "--seed=3"]
    assert served.handler.module == "._fake_server"
    with pytest.raises(SystemExit):
        parse(parser, ["projects", "list", "--port", "9"])


def test_the_cli_takes_the_clients_defaults_from_the_client() -> None:
    env = Env.from_args(argparse.Namespace(), environ={})
    assert env.max_retries is None
    assert env.retry_policy().max_retries == RetryPolicy().max_retries
    assert env.retry_policy() == RetryPolicy()
    assert Env(max_retries=1).retry_policy().max_retries == 1
    assert env.shown_url == "https://api.scale.com/v1"
    assert isinstance(client_default("max_connections"), int)
    help_text = build_parser().format_help()
    assert f"default {RetryPolicy().max_retries}" in help_text


def test_a_bad_base_url_from_the_environment_is_a_usage_error() -> None:
    with pytest.raises(CliError) as caught:
        Env.from_args(argparse.Namespace(), environ={"SCALE_API_BASE_URL": "ftp://x"})
    assert caught.value.code == USAGE


def test_secrets_are_found_and_redacted() -> None:
    argv = ["--api-key", "live_s3cret", "--apikey=test_other", "x"]
    found = _secrets(argv, {"SCALE_API_KEY": "test_envkey"})
    assert set(found) == {"live_s3cret", "test_other", "test_envkey"}
    assert redact("bad: live_s3cret and test_envkey", found) == "bad: *** and ***"
    basic = base64.b64encode(b"live_s3cret:").decode()
    assert (
        redact(f"echoed Authorization: Basic {basic}", found) == "echoed Authorization: Basic ***"
    )
    bare = base64.b64encode(b"test_envkey").decode().rstrip("=")
    assert redact(f"token {bare}", found) == "token ***"


# -- output and checks -------------------------------------------------------------------------


def test_table_aligns_columns_and_marks_missing_values() -> None:
    table = build_table([{"name": "a", "n": 1}, {"name": "long name"}], ["name", "n"])
    out = FakeTTY(tty=False)
    render_table(table, out)
    lines = [line.rstrip() for line in out.getvalue().splitlines() if line.strip()]
    assert lines[0].split() == ["NAME", "N"]
    assert set(lines[1]) <= {"─", " "}  # the rule under the header
    assert lines[2].split() == ["a", "1"]
    assert lines[3].split() == ["long", "name", "-"]
    assert lines[2].index("1") == lines[3].index("-")  # one column, aligned


def test_table_off_a_terminal_is_never_wrapped_or_cut() -> None:
    wide = "x" * 300
    out = FakeTTY(tty=False)
    render_table(build_table([{"name": wide, "type": "t"}], ["name", "type"]), out)
    assert wide in out.getvalue()


def test_auto_format_is_a_table_on_a_terminal_only() -> None:
    assert choose_format("auto", FakeTTY(tty=True)) == "table"
    assert choose_format("auto", FakeTTY(tty=False)) == "jsonl"
    assert choose_format("table", FakeTTY(tty=False)) == "table"


def test_status_record_fills_missing_counts_with_zero() -> None:
    assert status_record("b", {"status": "in_progress", "pending": 3}) == {
        "name": "b",
        "status": "in_progress",
        "pending": 3,
        "completed": 0,
        "error": 0,
        "canceled": 0,
    }


def test_demo_payloads_are_distinct_and_the_checks_catch_wrong_numbers() -> None:
    payloads = list(demo_payloads(50, "run"))
    assert len({json.dumps(p, sort_keys=True) for p in payloads}) == 50
    good = Outcome(tasks=5, batch="b", created=5, listed=5, cancelled=5)
    good.fake_stats = {"tasks_created": 5}
    assert problems(good, real=False) == []
    wrong = Outcome(tasks=5, batch="b", created=5, listed=4, cancelled=3, skipped=2)
    assert len(problems(wrong, real=False)) == 2
    assert len(problems(wrong, real=True)) == 1  # a real test_ key completes: skipped is fine


def test_a_cancelled_main_task_is_reported_as_ctrl_c() -> None:
    """Python 3.10's asyncio runner lets Ctrl-C escape as the main task's CancelledError."""

    async def cancelled() -> None:
        raise asyncio.CancelledError

    async def fine() -> int:
        return 7

    with pytest.raises(KeyboardInterrupt):
        run_async(cancelled)
    assert run_async(fine) == 7


def test_the_cli_masks_every_form_the_library_masks() -> None:
    """The CLI's own output masks the same spellings as the library's logs and errors: the
    URL and JSON escapes and the URL-safe base64 too, which it used to let through."""
    from scale_async._engine.redact import forms

    secret = "live_a/b+c\\d"
    for form in forms(secret):
        assert redact(f"echoed: {form}.", [secret]) == "echoed: ***."

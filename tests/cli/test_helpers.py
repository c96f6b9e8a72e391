"""The CLI's pure helpers, tested directly: formatting, parsing, records, routing, checks."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import pytest

from scale_async import ScaleInvalidRequest, derive_unique_id
from scale_async.cli import _fake_server_args, _secrets, redact
from scale_async.cli._args import iso_date, latency, positive_float, positive_int, task_type
from scale_async.cli._batches import status_record
from scale_async.cli._create import Tally, job_namespace
from scale_async.cli._demo import Outcome, demo_payloads, problems
from scale_async.cli._exit import BAD_FILE, CliError
from scale_async.cli._fake_server import translate_args
from scale_async.cli._lines import Malformed, count_lines, open_input, parse_line, read_lines
from scale_async.cli._output import choose_format, format_table
from scale_async.cli._progress import (
    ProgressRenderer,
    Snapshot,
    format_duration,
    format_progress,
    format_rate,
)
from scale_async.cli._report import (
    created_record,
    default_report_path,
    failed_record,
    malformed_record,
)

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


def test_tty_renderer_redraws_one_line_in_place_at_most_every_interval() -> None:
    now = [0.0]
    stream = FakeTTY(tty=True)
    bar = ProgressRenderer("t", 10, stream, clock=lambda: now[0], width=200)
    bar.update(1, 0)
    bar.update(2, 0)  # same instant: throttled
    now[0] = 0.2
    bar.update(3, 0)
    bar.close()
    bar.close()
    text = stream.getvalue()
    assert text.count("\r") == 3
    assert text.endswith("\n")
    assert text.count("\n") == 1
    assert " 2/10 " not in text
    assert " 3/10 " in text


def test_tty_renderer_pads_over_a_longer_previous_line_and_fits_the_width() -> None:
    now = [0.0]
    stream = FakeTTY(tty=True)
    bar = ProgressRenderer("a-long-label", 10, stream, clock=lambda: now[0], width=30)
    bar.update(1, 0)
    drawn = stream.getvalue().split("\r")
    assert all(len(part) <= 29 for part in drawn)


def test_plain_renderer_writes_whole_lines_every_few_seconds_then_the_final_one() -> None:
    now = [0.0]
    stream = FakeTTY(tty=False)
    bar = ProgressRenderer("t", 100, stream, clock=lambda: now[0], plain_interval=5.0)
    for i in range(1, 40):
        now[0] = i * 0.25
        bar.update(i, 0)
    bar.close()
    lines = stream.getvalue().splitlines()
    assert "\r" not in stream.getvalue()
    assert len(lines) == 2  # at 5 s, and the final state
    assert lines[-1].startswith("t  39/100")


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
    ]:
        with pytest.raises(argparse.ArgumentTypeError):
            check(text)


def test_fake_server_routing_skips_global_options() -> None:
    assert _fake_server_args(["fake-server", "--port", "1"]) == ["--port", "1"]
    assert _fake_server_args(["--base-url", "u", "fake-server"]) == []
    assert _fake_server_args(["tasks", "fake-server"]) is None
    assert _fake_server_args(["--help"]) is None


def test_latency_range_is_translated_for_the_server() -> None:
    assert translate_args(["--latency", "0.01,0.05", "--port", "9"]) == [
        "--latency",
        "0.01",
        "0.05",
        "--port",
        "9",
    ]
    assert translate_args(["--latency=0.1,0.2"]) == ["--latency", "0.1", "0.2"]
    assert translate_args(["--latency", "0.1"]) == ["--latency", "0.1"]


def test_secrets_are_found_and_redacted() -> None:
    argv = ["--api-key", "live_s3cret", "--apikey=test_other", "x"]
    found = _secrets(argv, {"SCALE_API_KEY": "test_envkey"})
    assert set(found) == {"live_s3cret", "test_other", "test_envkey"}
    assert redact("bad: live_s3cret and test_envkey", found) == "bad: *** and ***"


# -- output and checks -------------------------------------------------------------------------


def test_table_aligns_columns_and_marks_missing_values() -> None:
    table = format_table([{"name": "a", "n": 1}, {"name": "long name"}], ["name", "n"])
    assert table.splitlines() == ["NAME       N", "a          1", "long name  -"]


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

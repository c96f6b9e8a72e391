"""The benchmark suite runs end to end at a tiny size, checks its answers, and needs no chart."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_benchmark_suite_runs_every_scenario_and_checks_every_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    command = [
        sys.executable,
        "-m",
        "benchmarks.run",
        *("--n", "20", "--latency", "0", "--repeat", "1", "--cpu-repeat", "1"),
        *("--import-repeat", "1"),
        *("--workers", "8", "--no-chart", "--out", str(tmp_path), "--time-limit", "60"),
    ]
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=90, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    [results] = tmp_path.glob("bench-*.json")
    doc: dict[str, Any] = json.loads(results.read_text())
    assert not list(tmp_path.glob("*.png"))

    scenarios = {s["key"]: s for s in doc["scenarios"]}
    assert list(scenarios) == ["create", "list", "cancel", "cpu", "import"]
    table = done.stdout
    for scenario in scenarios.values():
        assert scenario["title"] in table
        assert sum(row["baseline"] for row in scenario["rows"]) == 1
        for row in scenario["rows"]:
            assert row["label"] in table
            if row["skip"] is None:
                assert len(row["values"]) == 1
                assert row["median"] > 0
            else:
                assert row["skip"] in table
                assert row["values"] == []
    families = {row["family"] for row in scenarios["create"]["rows"]}
    assert families == {"scaleapi", "scale_sync", "scale_async"}

    # Every timed run was checked (exactly N created / listed / cancelled), none skipped.
    ran = {key: sum(row["skip"] is None for row in s["rows"]) for key, s in scenarios.items()}
    assert doc["checks"] == ran
    assert "Checked on every run" in table
    for row in scenarios["create"]["rows"]:
        assert row["requests"] == 20

    # The chart is optional: without matplotlib it says why instead of failing.
    from benchmarks.report import render_chart

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    assert "matplotlib" in (render_chart(doc, tmp_path / "chart.png") or "")
    assert not (tmp_path / "chart.png").exists()


def test_targets_table_marks_reference_rows_and_only_targets_decide_the_exit() -> None:
    from benchmarks.targets import Figure, exit_status, render

    bound = Figure("the bound", 4.5, "ref", None, "3200 vs 714 tasks/s")
    missed = Figure("a ratio", 1.1, "≥ 3", False, "786 vs 714 tasks/s")
    met = Figure("another", 0.9, "≥ 0.75", True, "x")
    table = render([bound, missed, met], "header")
    rows = table.splitlines()[4:]
    assert rows[0].endswith("| 4.50 | ref | — | 3200 vs 714 tasks/s |")
    assert "| **no** |" in rows[1]
    assert "| yes |" in rows[2]
    assert exit_status([bound, met]) == 0
    assert exit_status([bound, missed, met]) == 2


def test_transport_benchmark_runs_both_loops_and_counts_trio_connections() -> None:
    command = [sys.executable, "-m", "benchmarks.transport"]
    command += ["--n", "20", "--latency", "0", "--repeat", "1", "--at", "4"]
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=90, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    rows = [line for line in done.stdout.splitlines() if "in flight" in line]
    assert [row.split("|")[1].strip() for row in rows] == ["asyncio", "trio"]
    opened = int(rows[1].split("|")[5].split()[0])
    assert 1 <= opened <= 4  # keep-alive: never more connections than requests in flight
    steps = float(rows[1].split("|")[6].split()[0])
    assert steps > 0


def test_requester_benchmark_runs_both_loops_and_checks_its_calls() -> None:
    command = [sys.executable, "-m", "benchmarks.requester"]
    command += ["--calls", "64", "--in-flight", "4", "--repeat", "1"]
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    rows = [line.split() for line in done.stdout.splitlines() if "µs/call" in line]
    assert [row[0] for row in rows] == ["asyncio", "trio"]
    assert all(float(row[2]) > 0 for row in rows)

"""The v2 benchmark scenario runs end to end at a tiny size and checks every run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def test_v2_scenario_runs_and_checks_every_variant(tmp_path: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "benchmarks.run",
        *("--scenarios", "v2", "--n", "40", "--latency", "0", "--repeat", "1"),
        *("--workers", "4", "--no-chart", "--out", str(tmp_path), "--time-limit", "60"),
    ]
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=90, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    [results] = tmp_path.glob("bench-*.json")
    doc: dict[str, Any] = json.loads(results.read_text())
    [scenario] = doc["scenarios"]
    assert scenario["key"] == "v2"
    assert scenario["title"] == "List 40 v2 tasks"
    labels = [row["label"] for row in scenario["rows"]]
    assert labels[0] == "scaleapi v2_get_tasks"
    assert "scale_async v2_get_tasks(partitions=8)" in labels
    assert [row["baseline"] for row in scenario["rows"]] == [True, False, False, False]
    assert all(len(row["values"]) == 1 and row["median"] > 0 for row in scenario["rows"])
    assert doc["checks"] == {"v2": 4}  # every timed run returned exactly the 40 seeded ids
    assert "List 40 v2 tasks" in done.stdout

"""Run the benchmark suite: ``python -m benchmarks.run --n 1000 --latency 0.02 --repeat 3``.

One run measures, side by side, the official ``scaleapi`` SDK (sequential, and on 50 threads
as in its own batch-cancel example) against ``scale_async``, ``scale_sync`` and their bulk
helpers, for creating N tasks, listing N tasks, cancelling a batch of N, the client's CPU
time per request at zero latency, and the import time of each package.

Every timed run is checked before its time is kept: a create run must have made exactly N
tasks (the fake's own counter), a listing must return the N seeded ids, a cancel must leave
all N cancelled. Any mismatch aborts the benchmark. Every run is bounded in time, the fake
is served from its own process on 127.0.0.1 only, and it is stopped at the end whatever
happens.

Writes ``benchmarks/results/bench-STAMP.{json,md,png}``; ``--publish`` also copies the table
and chart to ``benchmarks/latest.md`` and ``benchmarks/latest.png``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ._bench import KEY, PROJECT, Bench, Row, progress, require
from .clients import (
    Family,
    Variant,
    create_variants,
)
from .fake import BenchmarkError, FakeProcess, Watchdog
from .report import describe_machine, package_versions, render_chart, render_table
from .v2 import listing_v2

HERE = Path(__file__).resolve().parent
SCENARIOS = ("create", "list", "cancel", "cpu", "import")
#: Run only when named in ``--scenarios``: the v2 listing (``benchmarks/v2.py``).
OPTIONAL_SCENARIOS = ("v2",)
IMPORTS = ("scaleapi", "scale_async", "scale_sync")


def import_times(repeat: int, timeout: float) -> dict[str, list[float]]:
    """Seconds to ``import`` each package in a fresh interpreter (one warm-up round first)."""
    code = "import time; t = time.perf_counter(); import {0}; print(time.perf_counter() - t)"
    times: dict[str, list[float]] = {name: [] for name in IMPORTS}
    for round_ in range(repeat + 1):
        for name in IMPORTS:
            done = subprocess.run(
                [sys.executable, "-c", code.format(name)],
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
            require(done.returncode == 0, f"import {name} failed:\n{done.stderr}")
            if round_:
                times[name].append(float(done.stdout.strip().splitlines()[-1]))
    return times


# --- assembling the results ----------------------------------------------------------------

TITLES = {
    "create": ("Create {n} tasks", "wall", "Wall time"),
    "list": ("List {n} tasks", "wall", "Wall time"),
    "cancel": ("Cancel a batch of {n}", "wall", "Wall time"),
    "cpu": ("Client CPU per request (latency 0)", "cpu", "CPU time per request"),
    "import": ("Import time", "import", "Time to import, fresh interpreter"),
    "v2": ("List {n} v2 tasks", "wall", "Wall time"),
}


def scenario_doc(key: str, n: int, latency: float, rows: list[Row]) -> dict[str, Any]:
    title, kind, axis = TITLES[key]
    return {
        "key": key,
        "title": title.format(n=n),
        "kind": kind,
        "axis": axis,
        "n": n,
        "latency": latency,
        "rows": [
            {
                "key": row.variant.key,
                "label": row.variant.label,
                "family": row.variant.family,
                "baseline": row.variant.baseline,
                "skip": row.variant.skip,
                "values": row.values,
                "median": statistics.median(row.values) if row.values else None,
                "client_cpu": statistics.median([s.cpu for s in row.samples])
                if row.samples
                else None,
                "server_cpu": statistics.median([s.server_cpu for s in row.samples])
                if row.samples
                else None,
                "requests": statistics.median([s.requests for s in row.samples])
                if row.samples
                else None,
                "samples": [asdict(s) for s in row.samples],
            }
            for row in rows
        ],
    }


def import_rows(times: dict[str, list[float]]) -> list[Row]:
    rows = []
    for name in IMPORTS:
        families: dict[str, Family] = {
            "scaleapi": "scaleapi",
            "scale_async": "scale_async",
            "scale_sync": "scale_sync",
        }
        variant = Variant(name, f"import {name}", families[name], None, None, name == "scaleapi")
        rows.append(Row(variant, [], times[name]))
    return rows


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description="Benchmark the official scaleapi SDK against scale_async and scale_sync.",
    )
    parser.add_argument("--n", type=int, default=1000, help="tasks per scenario (1000)")
    parser.add_argument(
        "--latency", type=float, default=0.02, help="the fake's delay per request, s (0.02)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per variant; median (3)")
    parser.add_argument("--cpu-repeat", type=int, default=5, help="CPU runs per variant (5)")
    parser.add_argument("--import-repeat", type=int, default=7, help="import timings (7)")
    parser.add_argument(
        "--workers", type=int, default=50, help="threads/coroutines/concurrency (50)"
    )
    parser.add_argument(
        "--scenarios",
        default=",".join(SCENARIOS),
        help=f"comma-separated subset of {','.join(SCENARIOS)}",
    )
    parser.add_argument("--out", type=Path, default=HERE / "results", help="results directory")
    parser.add_argument("--no-chart", action="store_true", help="skip the PNG chart")
    parser.add_argument(
        "--publish",
        action="store_true",
        help="also copy the table and chart to benchmarks/latest.md and latest.png",
    )
    parser.add_argument(
        "--run-timeout", type=float, default=None, help="limit per timed run, s (from N)"
    )
    parser.add_argument("--request-timeout", type=float, default=30.0)
    parser.add_argument(
        "--time-limit", type=float, default=1800.0, help="limit for the whole benchmark, s"
    )
    args = parser.parse_args(argv)
    counts = (args.n, args.repeat, args.cpu_repeat, args.import_repeat, args.workers)
    if min(counts) < 1:
        parser.error("--n, --workers and the --*repeat options must be at least 1")
    if args.latency < 0:
        parser.error("--latency must not be negative")
    chosen = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    known = SCENARIOS + OPTIONAL_SCENARIOS
    unknown = sorted(set(chosen) - set(known))
    if unknown or not chosen:
        parser.error(f"unknown scenarios {unknown}; choose among {', '.join(known)}")
    args.scenarios = [s for s in known if s in chosen]
    if args.run_timeout is None:
        # A sequential run makes about N requests of (latency + a few ms): allow 3 times that.
        args.run_timeout = 60.0 + 3 * args.n * (args.latency + 0.01)
    if args.publish:
        if args.no_chart or set(args.scenarios) != set(SCENARIOS):
            parser.error("--publish needs every scenario and the chart")
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            parser.error("--publish needs matplotlib for the chart (nox -s bench installs it)")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    began = time.monotonic()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    fake = FakeProcess(args.latency, out / f"fake-{stamp}.log")
    watchdog = Watchdog(args.time_limit, on_expire=fake.stop)
    scenarios: dict[str, dict[str, Any]] = {}
    bench = Bench(args, fake, watchdog)
    try:
        if "import" in args.scenarios:
            progress("import | timing imports in fresh interpreters")
            times = import_times(args.import_repeat, timeout=60.0)
            scenarios["import"] = scenario_doc("import", args.n, 0.0, import_rows(times))
        wants_fake = [s for s in args.scenarios if s != "import"]
        if wants_fake:
            fake.start()
            progress(f"fake Scale API (pid {fake.pid}) on {fake.base_url}")
            # Untimed: the first calls of each client pay for lazy imports and first sockets.
            bench.creating("warm-up", create_variants(args.workers), args.latency, min(args.n, 10))
        if "create" in args.scenarios:
            rows = bench.creating("create", create_variants(args.workers), args.latency, args.n)
            scenarios["create"] = scenario_doc("create", args.n, args.latency, rows)
        if "list" in args.scenarios:
            scenarios["list"] = scenario_doc("list", args.n, args.latency, bench.listing())
        if "cancel" in args.scenarios:
            scenarios["cancel"] = scenario_doc("cancel", args.n, args.latency, bench.cancelling())
        if "cpu" in args.scenarios:
            rows = bench.creating("cpu", create_variants(args.workers), 0.0, args.n)
            scenarios["cpu"] = scenario_doc("cpu", args.n, 0.0, rows)
        if "v2" in args.scenarios:
            rows = listing_v2(bench, KEY, PROJECT)
            scenarios["v2"] = scenario_doc("v2", args.n, args.latency, rows)
    except BenchmarkError as exc:
        reason = watchdog.expired or str(exc)
        print(f"\nBENCHMARK ABORTED: {reason}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nBENCHMARK INTERRUPTED", file=sys.stderr)
        return 130
    finally:
        fake.stop()
        watchdog.close()

    checks = {key: count for key, count in bench.checks.items() if key != "warm-up"}
    if "import" in scenarios:
        checks["import"] = len(IMPORTS) * args.import_repeat
    doc: dict[str, Any] = {
        "format": 1,
        "started": time.strftime("%Y-%m-%d %H:%M %Z"),
        "command": " ".join(["python -m benchmarks.run", *(argv or sys.argv[1:])]),
        "duration_s": round(time.monotonic() - began, 1),
        "params": {
            "n": args.n,
            "latency": args.latency,
            "repeat": args.repeat,
            "cpu_repeat": args.cpu_repeat,
            "import_repeat": args.import_repeat,
            "workers": args.workers,
        },
        "machine": describe_machine(),
        "versions": package_versions(),
        "scenarios": [scenarios[key] for key in SCENARIOS + OPTIONAL_SCENARIOS if key in scenarios],
        "checks": checks,
        "load_1min": [min(bench.loads), max(bench.loads)] if bench.loads else None,
    }
    table = render_table(doc)
    json_path = out / f"bench-{stamp}.json"
    json_path.write_text(json.dumps(doc, indent=2) + "\n")
    (out / f"bench-{stamp}.md").write_text(table)
    chart = out / f"bench-{stamp}.png"
    why_not = "--no-chart" if args.no_chart else render_chart(doc, chart)
    print(table)
    print(f"Results: {json_path}", file=sys.stderr)
    if why_not is None:
        print(f"Chart:   {chart}", file=sys.stderr)
    else:
        print(f"Chart:   not drawn ({why_not})", file=sys.stderr)
    if args.publish:
        shutil.copyfile(out / f"bench-{stamp}.md", HERE / "latest.md")
        shutil.copyfile(chart, HERE / "latest.png")
        print(f"Published {HERE / 'latest.md'} and {HERE / 'latest.png'}", file=sys.stderr)
    print(f"Done in {doc['duration_s']:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

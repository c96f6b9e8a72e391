"""Turning results into a markdown table and a PNG chart; describing the machine.

Both are rendered from the results document alone (the JSON the runner writes), so a table
or chart can be redrawn later from ``benchmarks/results/*.json``.
"""

from __future__ import annotations

import os
import platform
import statistics
from importlib import metadata
from pathlib import Path
from typing import Any

__all__ = ["describe_machine", "package_versions", "render_chart", "render_table"]

TIMES = "\u00d7"  # the multiplication sign, as in "12x faster"
FAMILY_COLOURS = {"scaleapi": "#9e9e9e", "scale_sync": "#f28e2b", "scale_async": "#1f77b4"}


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown CPU"


def _memory() -> str | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return None


def describe_machine() -> dict[str, Any]:
    """CPU model, cores, memory, Python, OS."""
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory": _memory(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "os": platform.platform(),
    }


def package_versions() -> dict[str, str]:
    """Versions of the packages under test and of what they stand on."""
    names = ["scaleapi", "requests", "urllib3", "scale-async", "httpx", "httpx-aiohttp", "aiohttp"]
    versions = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


# --- formatting ----------------------------------------------------------------------------


def fmt_seconds(value: float) -> str:
    """Three significant digits in s, ms or µs."""
    for scale, unit in ((1.0, "s"), (1e-3, "ms"), (1e-6, "µs")):
        if value >= scale or unit == "µs":
            scaled = value / scale
            digits = 0 if scaled >= 100 else 1 if scaled >= 10 else 2
            return f"{scaled:.{digits}f} {unit}"
    raise AssertionError("unreachable")


def fmt_ratio(value: float, baseline: float, better: str, worse: str) -> str:
    """``12.3x faster`` or ``1.20x slower`` (with a times sign): the value against the baseline."""
    if value <= 0 or baseline <= 0:
        return "n/a"
    speedup = baseline / value
    if 0.995 <= speedup < 1.005:
        return "same"
    if speedup >= 1:
        digits = 2 if speedup < 10 else 1
        return f"{speedup:.{digits}f}{TIMES} {better}"
    return f"{1 / speedup:.2f}{TIMES} {worse}"


def ratio_words(scenario: dict[str, Any]) -> tuple[str, str]:
    """How to say better and worse for this scenario's measure."""
    return ("less CPU", "more CPU") if scenario["kind"] == "cpu" else ("faster", "slower")


def baseline_of(scenario: dict[str, Any]) -> float | None:
    for row in scenario["rows"]:
        if row["baseline"] and row["median"] is not None:
            median: float = row["median"]
            return median
    return None


def machine_line(doc: dict[str, Any]) -> str:
    m = doc["machine"]
    memory = f", {m['memory']}" if m.get("memory") else ""
    return f"{m['cpu']}, {m['cores']} cores{memory}; {m['python']}; {m['os']}"


def render_table(doc: dict[str, Any]) -> str:
    """The results as markdown: a header (parameters, machine, versions) and one table."""
    p = doc["params"]
    v = doc["versions"]
    load = ""
    if doc.get("load_1min"):
        low, high = doc["load_1min"]
        load = f" Load average (1 min) at the start of the runs: {low:.2f} to {high:.2f}."
    lines = [
        f"`{doc['command']}` · "
        f"N = {p['n']} tasks · fake Scale API latency {p['latency'] * 1000:g} ms per request · "
        f"median of {p['repeat']} runs (CPU: {p['cpu_repeat']}, imports: {p['import_repeat']}) · "
        f"{p['workers']} threads/coroutines for the concurrent variants",
        "",
        f"Machine: {machine_line(doc)}. The fake runs in its own process on 127.0.0.1.{load}",
        f"Versions: scaleapi {v['scaleapi']} (requests {v['requests']}, urllib3 {v['urllib3']}) · "
        f"scale-async {v['scale-async']} (httpx {v['httpx']}, httpx-aiohttp "
        f"{v['httpx-aiohttp']}, aiohttp {v['aiohttp']}) · measured {doc['started']}",
        "",
        "| Scenario | Client | Median | vs SDK sequential | Tasks/s | Client CPU |",
        "|---|---|--:|--:|--:|--:|",
    ]
    for scenario in doc["scenarios"]:
        base = baseline_of(scenario)
        per_task = scenario["kind"] == "wall"
        better, worse = ratio_words(scenario)
        for index, row in enumerate(scenario["rows"]):
            title = f"**{scenario['title']}**" if index == 0 else ""
            if row["median"] is None:
                lines.append(f"| {title} | {row['label']} | — | {row['skip']} | | |")
                continue
            median = row["median"]
            if row["baseline"]:
                ratio = "baseline"
            elif base is None:
                ratio = "n/a"
            else:
                ratio = fmt_ratio(median, base, better, worse)
            rate = f"{scenario['n'] / median:,.0f}" if per_task and median > 0 else ""
            cpu = fmt_seconds(row["client_cpu"]) if per_task else ""
            value = fmt_seconds(median)
            label = row["label"]
            lines.append(f"| {title} | {label} | {value} | {ratio} | {rate} | {cpu} |")
    checks = doc["checks"]
    lines += [
        "",
        f"Checked on every run ({sum(checks.values())} runs): each create made exactly N tasks "
        "(the fake's `tasks_created`, every response 200), each listing returned the N seeded "
        "ids, each cancel cancelled all N (the fake's own count, none left pending).",
        "CPU per request = the client process's `time.process_time()` over the run / the "
        "requests the fake served, at latency 0.",
    ]
    return "\n".join(lines) + "\n"


# --- chart ---------------------------------------------------------------------------------


def render_chart(doc: dict[str, Any], path: Path) -> str | None:
    """Draw one horizontal bar panel per scenario into ``path``; the reason if it cannot."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.patches import Patch
    except ImportError:
        return "matplotlib is not installed (nox -s bench installs it)"
    scenarios = [s for s in doc["scenarios"] if any(r["median"] is not None for r in s["rows"])]
    if not scenarios:
        return "no results to draw"
    heights = [0.9 + 0.42 * sum(r["median"] is not None for r in s["rows"]) for s in scenarios]
    figure, axes = plt.subplots(
        len(scenarios),
        1,
        figsize=(10, sum(heights) + 1.2),
        gridspec_kw={"height_ratios": heights},
        squeeze=False,
    )
    for axis, scenario in zip(axes[:, 0], scenarios, strict=True):
        rows = [r for r in scenario["rows"] if r["median"] is not None][::-1]
        base = baseline_of(scenario)
        unit, scale = ("ms", 1e3) if scenario["kind"] in ("cpu", "import") else ("s", 1.0)
        values = [r["median"] * scale for r in rows]
        colours = [FAMILY_COLOURS[r["family"]] for r in rows]
        bars = axis.barh([r["label"] for r in rows], values, color=colours, height=0.7)
        top = max(values)
        for bar, row, value in zip(bars, rows, values, strict=True):
            note = f"{value:.3g} {unit}"
            if base is not None and not row["baseline"]:
                note += f"  ({fmt_ratio(row['median'], base, *ratio_words(scenario))})"
            axis.text(
                value + top * 0.01,
                bar.get_y() + bar.get_height() / 2,
                note,
                va="center",
                fontsize=8,
            )
        axis.set_xlim(0, top * 1.32)
        axis.set_title(scenario["title"], loc="left", fontsize=10, fontweight="bold")
        axis.set_xlabel(f"{scenario['axis']} ({unit}, lower is better)", fontsize=8)
        axis.tick_params(axis="y", labelsize=8)
        axis.tick_params(axis="x", labelsize=8)
        axis.grid(axis="x", alpha=0.3)
        axis.set_axisbelow(True)
        for side in ("top", "right"):
            axis.spines[side].set_visible(False)
    p = doc["params"]
    figure.suptitle(
        f"scaleapi SDK vs scale-async: N={p['n']}, fake latency {p['latency'] * 1000:g} ms, "
        f"median of {p['repeat']}  (in brackets: against the SDK, sequential)\n"
        f"{machine_line(doc)}",
        fontsize=9,
    )
    legend = [Patch(color=colour, label=name) for name, colour in FAMILY_COLOURS.items()]
    figure.legend(handles=legend, loc="lower center", ncol=3, fontsize=8, frameon=False)
    figure.tight_layout(rect=(0, 0.03, 1, 0.97))
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return None


def median_or_none(values: list[float]) -> float | None:
    return statistics.median(values) if values else None

"""``import scale_sync`` against ``import scaleapi``, interleaved, and where the time goes.

``python -m benchmarks.imports --repeat 15`` times each import in a fresh interpreter, taking
the variants in turn on every round, so that a burst of load on the shared cores falls on
all of them alike (timing all of one, then all of the other, swung the ratio from 0.13 to 0.44
in three runs at a load of 4). It prints the median and the minimum of the rounds, each as a
ratio to ``scaleapi``'s: on busy cores the minimum is the steadier of the two. Beside
``scale_sync`` it times ``scale_async`` and the floor: the libraries this package cannot start
without (attrs, cattrs, anyio, orjson, typing_extensions) and logging.

``--baseline DIR`` also times the ``scale_sync`` of another source checkout (``PYTHONPATH``),
to compare two branches in one run. ``--bytecode`` times every import again with cached
bytecode for all modules (a warmed ``PYTHONPYCACHEPREFIX``): an editable install under
``PYTHONDONTWRITEBYTECODE=1`` compiles this package's sources at every import, while
``scaleapi`` comes from its wheel precompiled; a ``pip install`` of this package would not.
``--importtime`` prints ``python -X importtime``'s self times (the minimum of the rounds per
module) summed by owner: this package, the third-party libraries, the standard library.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

FLOOR = "attrs, cattrs, anyio, anyio.lowlevel, orjson, typing_extensions, logging"
TIMED = "import time; t = time.perf_counter(); import {0}; print(time.perf_counter() - t)"
OURS = ("scale_async", "scale_sync")
#: This checkout, first on the path of every timed interpreter (which runs in a neutral folder,
#: so that a ``--baseline`` checkout on ``PYTHONPATH`` is not shadowed by the current one).
ROOT = Path(__file__).resolve().parent.parent
_LINE = re.compile(r"import time:\s+(\d+) \|\s+\d+ \| \s*(\S+)")


def _env(extra: Mapping[str, str]) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), **extra}


def time_import(module: str, extra: Mapping[str, str]) -> float:
    """Seconds ``import module`` takes in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", TIMED.format(module)],
        capture_output=True,
        text=True,
        check=True,
        env=_env(extra),
        cwd=tempfile.gettempdir(),
    )
    return float(done.stdout.split()[-1])


def warm_bytecode(variants: Mapping[str, tuple[str, Mapping[str, str]]]) -> None:
    """Import every variant once with its ``extra`` environment, writing bytecode there."""
    for module, extra in variants.values():
        warm = {k: v for k, v in _env(extra).items() if k != "PYTHONDONTWRITEBYTECODE"}
        subprocess.run(
            [sys.executable, "-c", f"import {module}"],
            check=True,
            env=warm,
            cwd=tempfile.gettempdir(),
        )


def interleaved(
    variants: Mapping[str, tuple[str, Mapping[str, str]]], repeat: int
) -> dict[str, list[float]]:
    """The seconds of each variant in each of ``repeat`` rounds (after one warm-up round)."""
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for round_ in range(repeat + 1):
        for name, (module, extra) in variants.items():
            seconds = time_import(module, extra)
            if round_:
                samples[name].append(seconds)
    return samples


def owner(module: str) -> str:
    """Whose time an ``-X importtime`` line is: this package, a library, or the stdlib."""
    top = module.partition(".")[0]
    if top in OURS:
        return top
    try:
        spec = importlib.util.find_spec(top)  # finds, does not import
    except (ImportError, ValueError):
        spec = None
    origin = (spec.origin if spec is not None else None) or ""
    return "third-party" if "site-packages" in origin else "stdlib and startup"


def self_times(statement: str, repeat: int, extra: Mapping[str, str]) -> dict[str, int]:
    """Per module, the smallest ``-X importtime`` self time (µs) over ``repeat`` runs."""
    best: dict[str, int] = {}
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", statement],
            capture_output=True,
            text=True,
            check=True,
            env=_env(extra),
            cwd=tempfile.gettempdir(),
        )
        for match in _LINE.finditer(done.stderr):
            micros, module = int(match.group(1)), match.group(2)
            best[module] = min(best.get(module, micros), micros)
    return best


def by_owner(best: Mapping[str, int]) -> Counter[str]:
    totals: Counter[str] = Counter()
    for module, micros in best.items():
        totals[owner(module)] += micros
    return totals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9, help="rounds (9)")
    parser.add_argument("--baseline", help="another checkout whose scale_sync to time too")
    parser.add_argument("--bytecode", action="store_true", help="also with cached bytecode")
    parser.add_argument("--importtime", action="store_true", help="self times by owner")
    args = parser.parse_args(argv)

    conditions: dict[str, dict[str, str]] = {"as run": {}}
    cache = None
    if args.bytecode:
        cache = tempfile.TemporaryDirectory(prefix="import-bench-pyc-")
        conditions["cached bytecode"] = {"PYTHONPYCACHEPREFIX": cache.name}
    try:
        for condition, extra in conditions.items():
            variants: dict[str, tuple[str, Mapping[str, str]]] = {
                "scaleapi": ("scaleapi", extra),
                "scale_sync": ("scale_sync", extra),
                "scale_async": ("scale_async", extra),
                "floor": (FLOOR, extra),
            }
            if args.baseline:
                variants["scale_sync (baseline)"] = (
                    "scale_sync",
                    {**extra, "PYTHONPATH": args.baseline},
                )
            if cache is not None and extra:
                warm_bytecode(variants)
            samples = interleaved(variants, args.repeat)
            load = os.getloadavg()[0]
            print(f"\n{condition}: {args.repeat} interleaved rounds, load {load:.2f}")
            print(f"  {'':24} {'median':>9} {'ratio':>6} {'minimum':>9} {'ratio':>6}")
            sdk_median, sdk_min = statistics.median(samples["scaleapi"]), min(samples["scaleapi"])
            for name, values in samples.items():
                med, low = statistics.median(values), min(values)
                print(
                    f"  {name:24} {med * 1000:6.1f} ms {med / sdk_median:6.2f}"
                    f" {low * 1000:6.1f} ms {low / sdk_min:6.2f}"
                )
            if args.importtime:
                for statement in ("import scale_sync", "import scaleapi"):
                    totals = by_owner(self_times(statement, args.repeat, extra))
                    print(f"  -X importtime, {statement} (sum of per-module minimum self times):")
                    for who, micros in totals.most_common():
                        print(f"    {who:22} {micros / 1000:7.1f} ms")
    finally:
        if cache is not None:
            cache.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Where listing's per-item CPU goes: ``python -m benchmarks.listing_profile``.

Starts the fake (its own process, 0 ms), seeds it with ``--n`` tasks, then:

* by default, runs raw aiohttp+orjson paging, async ``get_tasks`` and sync ``get_tasks``
  interleaved ``--repeat`` times and prints each one's median client CPU per item and its
  ratio to raw (the same figures as ``benchmarks.targets --only list``, with more runs);
* ``--profile async`` (or ``sync``) runs that listing once under cProfile instead and
  prints the top functions by own time;
* ``--parse`` also times the structuring alone: one page of JSON from the fake turned into
  tasks (async, then sync twins), many times, which is free of the network's noise.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from .fake import FakeProcess
from .targets import KEY, PROJECT, async_list, raw_list, sync_list

HERE = Path(__file__).resolve().parent


def _seed(fake: FakeProcess, n: int) -> None:
    from .clients import TASK_TYPE, make_payloads
    from .targets import raw_create

    fake.reset()
    fake.api(KEY, "POST", "projects", json={"type": TASK_TYPE, "name": PROJECT})
    ids = raw_create(fake.base_url, make_payloads(n, "listing"), 64)
    assert len(set(ids)) == n, len(set(ids))


def _cpu(run: Callable[[str], list[str]], base: str, n: int) -> float:
    gc.collect()
    start = time.process_time()
    ids = run(base)
    cpu = time.process_time() - start
    assert len(set(ids)) == n, f"{len(set(ids))} of {n}"
    return cpu / n * 1e6


def _parse(fake: FakeProcess, rounds: int) -> None:
    import scale_sync
    from scale_async import Task
    from scale_async._engine.serde import structure_list
    from scale_sync._convert import to_sync

    page = fake.api(KEY, "GET", "tasks", params={"project": PROJECT, "limit": 100})
    body = orjson.dumps(page)
    docs = orjson.loads(body)["docs"]
    scale_sync.ScaleClient  # noqa: B018 - registers the twins

    def loads() -> Any:
        return orjson.loads(body)["docs"]

    def structured() -> Any:
        return structure_list(orjson.loads(body)["docs"], Task)

    def twins() -> Any:
        return to_sync(structure_list(orjson.loads(body)["docs"], Task))

    times: dict[str, list[float]] = {"orjson.loads": [], "+ structure": [], "+ sync twin": []}
    for _ in range(rounds):
        for label, fn in (
            ("orjson.loads", loads),
            ("+ structure", structured),
            ("+ sync twin", twins),
        ):
            start = time.process_time()
            for _ in range(20):
                fn()
            times[label].append((time.process_time() - start) / (20 * len(docs)) * 1e6)
    for label, samples in times.items():
        print(f"parse | {label:<14} {statistics.median(samples):6.2f} µs/item")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--profile", choices=("async", "sync"), default=None)
    parser.add_argument("--parse", action="store_true")
    args = parser.parse_args(argv)
    fake = FakeProcess(0.0, HERE / "results" / "listing-fake.log")
    fake.start()
    try:
        _seed(fake, args.n)
        base = fake.base_url
        runners = {"raw": raw_list, "async": async_list(), "sync": sync_list}
        for run in runners.values():  # warm: imports, generated builders, connections
            run(base)
        if args.parse:
            _parse(fake, args.repeat)
        if args.profile:
            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
            runners[args.profile](base)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("tottime").print_stats(35)
            return 0
        samples: dict[str, list[float]] = {label: [] for label in runners}
        for _ in range(args.repeat):
            for label, run in runners.items():
                samples[label].append(_cpu(run, base, args.n))
        raw = statistics.median(samples["raw"])
        floor = min(samples["raw"])
        for label, values in samples.items():
            med = statistics.median(values)
            # The ratio of the fastest runs too: on a loaded machine the medians mix runs
            # that had a core to themselves with runs that did not.
            print(
                f"list | {label:<6} {med:6.2f} µs/item  ratio {med / raw:4.2f}  "
                f"(min {min(values):.2f}, ratio of mins {min(values) / floor:4.2f}, "
                f"max {max(values):.2f})"
            )
    finally:
        fake.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Where a request's CPU goes per event loop: ``python -m benchmarks.transport``.

``create_tasks`` against the fake in its own process, asyncio and trio interleaved in one
run, at the concurrencies given (default 64 and 256, 20 ms latency). For each run it prints
the client's and the fake's CPU per request, the throughput, and on trio the connections the
pool opened and the scheduler steps per request (a trio instrument counts task steps). Each
run is checked: every task created, one per payload. Ratios only mean something within one
run: the machine's other load moves the absolute figures.

To see where the CPU goes inside one configuration, sample it with a profiler, e.g.
``py-spy record -f raw -o out.txt -- python -m benchmarks.transport --only trio --at 256``.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import anyio

from scale_async import AsyncScaleClient
from scale_async._engine import pool

from .clients import TASK_TYPE, make_payloads
from .fake import BenchmarkError, FakeProcess

KEY, PROJECT = "test_bench", "bench"
HERE = Path(__file__).resolve().parent


@contextmanager
def counting_connections() -> Iterator[list[int]]:
    """Count the connections the trio pool opens inside the block."""
    opened = [0]
    connect = pool.LifoPool._connect

    async def counted(self: pool.LifoPool, *args: Any) -> Any:
        opened[0] += 1
        return await connect(self, *args)

    pool.LifoPool._connect = counted  # type: ignore[method-assign,assignment]
    try:
        yield opened
    finally:
        pool.LifoPool._connect = connect  # type: ignore[method-assign]


def _steps_instrument() -> Any:
    import trio

    class Steps(trio.abc.Instrument):
        def __init__(self) -> None:
            self.steps = 0

        def before_task_step(self, task: trio.lowlevel.Task) -> None:
            self.steps += 1

    return Steps()


def create(base: str, backend: str, payloads: list[dict[str, Any]], inflight: int) -> int:
    """Run one ``create_tasks``; the scheduler steps it took on trio (0 on asyncio)."""

    async def main() -> int:
        steps = None
        if backend == "trio":
            import trio

            steps = _steps_instrument()
            trio.lowlevel.add_instrument(steps)
        async with AsyncScaleClient(KEY, api_instance_url=base, max_connections=inflight) as c:
            result = await c.create_tasks(
                TASK_TYPE, payloads, project=PROJECT, concurrency=inflight
            )
        result.raise_for_errors()
        if len(result.succeeded) != len(payloads):
            raise BenchmarkError(f"{backend}: {len(result.succeeded)} of {len(payloads)}")
        return steps.steps if steps is not None else 0

    return anyio.run(main, backend=backend)


def run(args: argparse.Namespace) -> list[str]:
    fake = FakeProcess(args.latency, HERE / "results" / "transport-fake.log")
    backends = args.only.split(",") if args.only else ["asyncio", "trio"]
    lines = []
    fake.start()
    try:
        for inflight in args.at:
            rows: dict[str, list[tuple[float, float, float, int, float]]] = {}
            for round_ in range(args.repeat):
                for backend in backends:
                    fake.reset()
                    fake.api(KEY, "POST", "projects", json={"type": TASK_TYPE, "name": PROJECT})
                    fake.set_latency(args.latency)
                    payloads = make_payloads(args.n, f"t{inflight}-{round_}-{backend}")
                    gc.collect()
                    server = fake.cpu_seconds()
                    cpu, wall = time.process_time(), time.perf_counter()
                    with counting_connections() as opened:
                        steps = create(fake.base_url, backend, payloads, inflight)
                    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                    server = fake.cpu_seconds() - server
                    made = fake.api(KEY, "GET", "tasks", params={"project": PROJECT, "limit": 1})
                    if made["total"] != args.n:
                        raise BenchmarkError(f"{backend}: the fake made {made['total']}")
                    row = (cpu / args.n, server / args.n, args.n / wall, opened[0], steps / args.n)
                    rows.setdefault(backend, []).append(row)
                    print(
                        f"{inflight:>4} {backend:<8} client {row[0] * 1e6:4.0f} µs/req  "
                        f"fake {row[1] * 1e6:4.0f} µs/req  {row[2]:6.0f}/s  load "
                        f"{os.getloadavg()[0]:.2f}",
                        file=sys.stderr,
                        flush=True,
                    )
            for backend, samples in rows.items():

                def median(index: int, of: list[Any] = samples) -> float:
                    return float(statistics.median(s[index] for s in of))

                extra = ""
                if backend == "trio":
                    extra = f" | {median(3):.0f} connections | {median(4):.1f} steps/req"
                lines.append(
                    f"{inflight:>4} in flight | {backend:<8} | client {median(0) * 1e6:4.0f} µs/req"
                    f" | fake {median(1) * 1e6:4.0f} µs/req | {median(2):6.0f} tasks/s{extra}"
                )
    finally:
        fake.stop()
    return lines


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.transport", description=__doc__)
    parser.add_argument("--at", type=int, nargs="+", default=[64, 256], help="in flight")
    parser.add_argument("--n", type=int, default=3000, help="tasks per run")
    parser.add_argument("--latency", type=float, default=0.02, help="the fake's delay, s")
    parser.add_argument("--repeat", type=int, default=3, help="runs per backend")
    parser.add_argument("--only", default="", help="asyncio,trio")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    lines = run(args)
    print(f"python -m benchmarks.transport · {started} · load {os.getloadavg()[0]:.2f}")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

"""The benchmark harness: the fake's accounts, one timed and checked run, the records it
keeps. Shared by ``run.py`` (the command) and the scenarios it runs from other modules
(``v2.py``), so that those never import ``run.py`` back.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import httpx

from .clients import TASK_TYPE, Job, Variant, cancel_variants, list_variants, make_payloads
from .fake import BenchmarkError, FakeProcess, Watchdog

__all__ = [
    "BATCH",
    "KEY",
    "LIVE_KEY",
    "PROJECT",
    "Bench",
    "Expected",
    "Row",
    "Sample",
    "progress",
    "require",
    "wall",
]

KEY = "test_bench"  # test keys: the fake completes tasks at once
LIVE_KEY = "live_bench"  # live keys: tasks stay pending, so they can be cancelled
PROJECT = "bench"
BATCH = "bench-batch"


@dataclass
class Sample:
    """One timed run: wall and client CPU seconds, the fake's CPU seconds, requests served."""

    wall: float
    cpu: float
    server_cpu: float
    requests: int


@dataclass
class Row:
    variant: Variant
    samples: list[Sample] = field(default_factory=list)
    values: list[float] = field(default_factory=list)


@dataclass
class Expected:
    """What a run must produce: how many ids, and which ones when they are known up front."""

    n: int
    ids: set[str] | None = None
    batch: str | None = None


def wall(sample: Sample) -> float:
    return sample.wall


def require(condition: bool, message: str) -> None:
    if not condition:
        raise BenchmarkError(message)


def _delta(after: dict[str, Any], before: dict[str, Any], name: str) -> int:
    return int(after[name]) - int(before[name])


def _statuses(after: dict[str, Any], before: dict[str, Any]) -> dict[str, int]:
    keys = set(after["responses_by_status"]) | set(before["responses_by_status"])
    counts = {
        key: after["responses_by_status"].get(key, 0) - before["responses_by_status"].get(key, 0)
        for key in keys
    }
    return {key: count for key, count in counts.items() if count}


class Bench:
    """Holds the fake, the watchdog and the check tally for one benchmark run."""

    def __init__(self, args: argparse.Namespace, fake: FakeProcess, watchdog: Watchdog) -> None:
        self.args = args
        self.n: int = args.n
        self.fake = fake
        self.watchdog = watchdog
        self.checks: Counter[str] = Counter()
        self.loads: list[float] = []  # 1-minute load average at the start of each run

    # --- setting up (never timed) --------------------------------------------------------

    def _fresh(self, key: str, *, batch: bool) -> None:
        self.fake.reset()
        self.fake.api(key, "POST", "projects", json={"type": TASK_TYPE, "name": PROJECT})
        if batch:
            self.fake.api(key, "POST", "batches", json={"project": PROJECT, "name": BATCH})

    def _seed(self, key: str, n: int, tag: str, batch: str | None) -> set[str]:
        """Create ``n`` tasks with a plain httpx client at latency 0; return their ids."""
        self.fake.set_latency(0.0)
        extra = {"project": PROJECT, **({"batch": batch} if batch else {})}
        before = self.fake.stats()
        with (
            httpx.Client(base_url=self.fake.base_url, auth=(key, ""), timeout=30.0) as http,
            ThreadPoolExecutor(max_workers=8) as pool,
        ):

            def one(payload: dict[str, Any]) -> str:
                reply = http.post(f"task/{TASK_TYPE}", json={**payload, **extra})
                reply.raise_for_status()
                task_id: str = reply.json()["task_id"]
                return task_id

            ids = set(pool.map(one, make_payloads(n, tag)))
        created = _delta(self.fake.stats(), before, "tasks_created")
        require(created == n == len(ids), f"seeding made {created} tasks, expected {n}")
        return ids

    def job(self, key: str, payloads: list[dict[str, Any]], batch: str | None = None) -> Job:
        return Job(
            base_url=self.fake.base_url,
            key=key,
            project=PROJECT,
            batch=batch,
            payloads=payloads,
            workers=self.args.workers,
            timeout=self.args.request_timeout,
            run_timeout=self.args.run_timeout,
        )

    # --- one timed, checked run ----------------------------------------------------------

    def measure(
        self, scenario: str, variant: Variant, job: Job, expected: Expected, latency: float
    ) -> Sample:
        assert variant.run is not None
        self.fake.set_latency(latency)
        gc.collect()
        before = self.fake.stats()
        server_before = self.fake.cpu_seconds()
        label = f"{scenario}: {variant.label}"
        self.loads.append(os.getloadavg()[0])
        ids, wall, cpu = self.watchdog.timed(
            label, self.args.run_timeout, partial(variant.run, job)
        )
        server_cpu = self.fake.cpu_seconds() - server_before
        after = self.fake.stats()
        self.verify(scenario, label, ids, expected, before, after)
        return Sample(wall, cpu, server_cpu, _delta(after, before, "requests_served"))

    def verify(
        self,
        scenario: str,
        label: str,
        ids: list[str],
        expected: Expected,
        before: dict[str, Any],
        after: dict[str, Any],
    ) -> None:
        n = expected.n
        require(len(ids) == n, f"{label}: returned {len(ids)} tasks, expected exactly {n}")
        require(len(set(ids)) == n, f"{label}: returned {n - len(set(ids))} duplicate task ids")
        statuses = _statuses(after, before)
        require(set(statuses) <= {"200"}, f"{label}: the fake answered other than 200: {statuses}")
        created = _delta(after, before, "tasks_created")
        if scenario in ("create", "cpu", "warm-up"):
            require(created == n, f"{label}: the fake created {created} tasks, expected {n}")
        else:
            require(created == 0, f"{label}: the fake created {created} tasks, expected none")
        if expected.ids is not None:
            require(set(ids) == expected.ids, f"{label}: not the {n} seeded tasks")
        if expected.batch is not None:
            cancelled = self._count(expected.batch, "canceled")
            pending = self._count(expected.batch, "pending")
            require(
                cancelled == n and pending == 0,
                f"{label}: the fake has {cancelled} cancelled and {pending} pending tasks "
                f"in the batch, expected {n} and 0",
            )
        self.checks[scenario] += 1

    def _count(self, batch: str, status: str) -> int:
        page = self.fake.api(
            LIVE_KEY, "GET", "tasks", params={"batch": batch, "status": status, "limit": 1}
        )
        return int(page["total"])

    # --- scenarios -----------------------------------------------------------------------

    def scenario(
        self,
        key: str,
        variants: list[Variant],
        prepare: Callable[[Variant, int], tuple[Job, Expected]],
        latency: float,
        value: Callable[[Sample], float],
        repeat: int,
    ) -> list[Row]:
        rows = [Row(variant) for variant in variants]
        for round_ in range(repeat):
            for row in rows:  # interleaved, so drift hits every variant alike
                if row.variant.run is None:
                    continue
                job, expected = prepare(row.variant, round_)
                sample = self.measure(key, row.variant, job, expected, latency)
                row.samples.append(sample)
                row.values.append(value(sample))
                progress(
                    f"{key:>7} | {row.variant.label:<40} | run {round_ + 1}/{repeat} | "
                    f"{sample.wall:8.3f} s wall | {sample.cpu:7.3f} s cpu | checked"
                )
        return rows

    def creating(self, key: str, variants: list[Variant], latency: float, n: int) -> list[Row]:
        def prepare(variant: Variant, round_: int) -> tuple[Job, Expected]:
            self._fresh(KEY, batch=False)
            payloads = make_payloads(n, f"{key}-{variant.key}-{round_}")
            return self.job(KEY, payloads), Expected(n)

        if key == "cpu":

            def value(sample: Sample) -> float:
                return sample.cpu / max(sample.requests, 1)
        else:

            def value(sample: Sample) -> float:
                return sample.wall

        repeat = {"warm-up": 1, "cpu": self.args.cpu_repeat}.get(key, self.args.repeat)
        return self.scenario(key, variants, prepare, latency, value, repeat)

    def listing(self) -> list[Row]:
        def prepare(variant: Variant, round_: int) -> tuple[Job, Expected]:
            self._fresh(KEY, batch=False)
            ids = self._seed(KEY, self.n, f"list-{variant.key}-{round_}", None)
            return self.job(KEY, []), Expected(self.n, ids)

        return self.scenario(
            "list", list_variants(), prepare, self.args.latency, wall, self.args.repeat
        )

    def cancelling(self) -> list[Row]:
        def prepare(variant: Variant, round_: int) -> tuple[Job, Expected]:
            self._fresh(LIVE_KEY, batch=True)
            ids = self._seed(LIVE_KEY, self.n, f"cancel-{variant.key}-{round_}", BATCH)
            require(
                self._count(BATCH, "pending") == self.n, "seeded live tasks are not all pending"
            )
            return self.job(LIVE_KEY, [], BATCH), Expected(self.n, ids, BATCH)

        return self.scenario(
            "cancel",
            cancel_variants(self.args.workers),
            prepare,
            self.args.latency,
            wall,
            self.args.repeat,
        )


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)

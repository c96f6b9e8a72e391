"""The v2 scenario: list N completed v2 tasks, the SDK's ``v2_get_tasks`` against ours.

``python -m benchmarks.run --scenarios v2 --n 10000 --latency 0.02`` runs it inside the
suite (same fake process, watchdog, checks and report). Before each timed run the fake is
reset and seeded through ``POST /_fake/v2/seed`` with exactly N completed tasks in one
project, and their ids are read untimed at latency 0; a run counts only if it returns
exactly those N ids, each once, and every answer was a 200.

The SDK walks ``next_token`` one page after the other (100 tasks a page). Ours prefetch, and
with ``partitions=8`` walk eight ``completed_at`` windows at once.
"""

from __future__ import annotations

import asyncio
from typing import Any

import anyio
import httpx
import scaleapi
from scaleapi.api_client.v2 import TaskStatus as SDKTaskStatus

import scale_sync
from scale_async import AsyncScaleClient

from ._bench import Bench, Expected, Row, wall
from .clients import Job, Variant

__all__ = ["PARTITIONS", "SEEDED_BY_DEFAULT", "listing_v2", "v2_variants"]

PARTITIONS = 8
#: Tasks ``/_fake/v2/seed`` makes besides the ones asked for (annotated, delivered ones).
SEEDED_BY_DEFAULT = 3


def _root(job: Job) -> str:
    return job.base_url.removesuffix("/v1")


def sdk_v2_list(job: Job) -> list[str]:
    client = scaleapi.ScaleClient(job.key, api_instance_url=job.base_url)
    # The SDK's v2 client always talks to https://api.scale.com unless told otherwise.
    client.v2.api_client.configuration.host = _root(job)
    tasks = client.v2_get_tasks(project_name=job.project, status=SDKTaskStatus.COMPLETED)
    return [task.task_id for task in tasks]


def sync_v2_list(job: Job, **extra: Any) -> list[str]:
    with scale_sync.ScaleClient(job.key, api_instance_url=job.base_url, timeout=job.timeout) as c:
        tasks = c.v2_get_tasks(project_name=job.project, status="completed", **extra)
        return [task.task_id for task in tasks]


def async_v2_list(job: Job, **extra: Any) -> list[str]:
    async def main() -> list[str]:
        with anyio.fail_after(job.run_timeout):
            async with AsyncScaleClient(
                job.key, api_instance_url=job.base_url, timeout=job.timeout
            ) as client:
                tasks = client.v2_get_tasks(project_name=job.project, status="completed", **extra)
                async with tasks:
                    return [task.task_id async for task in tasks]

    return asyncio.run(main())


def v2_variants() -> list[Variant]:
    """The SDK's generator (the baseline) and ours, plain and with ``partitions``."""

    def partitioned(lister: Any) -> Any:
        def run(job: Job) -> list[str]:
            ids: list[str] = lister(job, partitions=PARTITIONS)
            return ids

        return run

    return [
        Variant("sdk-v2", "scaleapi v2_get_tasks", "scaleapi", sdk_v2_list, None, True),
        Variant("sync-v2", "scale_sync v2_get_tasks", "scale_sync", sync_v2_list),
        Variant(
            "sync-v2-partitions",
            f"scale_sync v2_get_tasks(partitions={PARTITIONS})",
            "scale_sync",
            partitioned(sync_v2_list),
        ),
        Variant(
            "async-v2-partitions",
            f"scale_async v2_get_tasks(partitions={PARTITIONS})",
            "scale_async",
            partitioned(async_v2_list),
        ),
    ]


def _seed(bench: Bench, key: str, project: str, n: int) -> set[str]:
    """Exactly ``n`` completed v2 tasks in ``project``; their ids, read at latency 0."""
    fake = bench.fake
    fake.reset()
    fake.set_latency(0.0)
    extra = n - SEEDED_BY_DEFAULT
    if extra < 0:
        raise ValueError(f"the v2 scenario needs --n of at least {SEEDED_BY_DEFAULT}")
    fake._control(
        "POST", "/_fake/v2/seed", json={"api_key": key, "project_name": project, "tasks": extra}
    )
    ids: set[str] = set()
    token: str | None = None
    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=fake.root_url, headers=headers, timeout=30.0) as http:
        while True:
            params = {"project_name": project, "status": "completed", "limit": "100"}
            if token:
                params["next_token"] = token
            reply = http.get("/v2/tasks", params=params)
            reply.raise_for_status()
            page = reply.json()
            ids.update(task["task_id"] for task in page["tasks"])
            token = page.get("next_token")
            if not token:
                return ids


def listing_v2(bench: Bench, key: str, project: str) -> list[Row]:
    """The timed, checked runs of every variant, interleaved, ``--repeat`` times."""

    def prepare(variant: Variant, round_: int) -> tuple[Job, Expected]:
        ids = _seed(bench, key, project, bench.n)
        if len(ids) != bench.n:
            raise ValueError(f"seeding made {len(ids)} v2 tasks, expected {bench.n}")
        return bench.job(key, []), Expected(bench.n, ids)

    return bench.scenario("v2", v2_variants(), prepare, bench.args.latency, wall, bench.args.repeat)

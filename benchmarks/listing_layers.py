"""Listing's client CPU per item, layer by layer: ``python -m benchmarks.listing_layers``.

Against the fake (its own process, 0 ms) seeded with ``--n`` tasks, interleaved ``--repeat``
times, each row adding one layer to the one above it:

* raw: a bare aiohttp session and orjson (``benchmarks.targets``' floor);
* requests only: the async client's requester paging through ``GET /tasks`` (the HTTP
  stack, retries' first attempt, JSON decoding), the pages left as JSON;
* + structuring: ``client.tasks(...)`` page after page (tasks built, a page object);
* + prefetching iterator: ``async with client.get_tasks(...)`` (what the targets time);
* + sync portal: ``scale_sync``'s ``get_tasks``.

Prints each row's median µs per item, what it adds to the row above, and its ratio to raw.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scale_async import AsyncScaleClient
from scale_async._api.wire import tasks_query
from scale_async._engine.requester import Call

from .fake import FakeProcess
from .listing_profile import _cpu, _seed
from .targets import KEY, PROJECT, async_list, raw_list, sync_list

HERE = Path(__file__).resolve().parent


def _paged(step: Callable[[AsyncScaleClient, dict[str, Any]], Any]) -> Callable[[str], list[str]]:
    """A runner that pages with ``step(client, query)``, which gives ``(ids, next_token)``."""

    def run(base: str) -> list[str]:
        async def main() -> list[str]:
            ids: list[str] = []
            async with AsyncScaleClient(KEY, api_instance_url=base) as client:
                query = tasks_query(project_name=PROJECT)
                token: str | None = None
                while True:
                    page_ids, token = await step(client, {**query, "next_token": token})
                    ids += page_ids
                    if not token:
                        return ids

        return asyncio.run(main())

    return run


async def _requests_only(client: AsyncScaleClient, query: dict[str, Any]) -> Any:
    params = {k: v for k, v in query.items() if v is not None}
    data = await client._call(Call(method="GET", path="tasks", params=params))
    token = data.get("next_token") if data["has_more"] else None
    return [doc["task_id"] for doc in data["docs"]], token


async def _structured(client: AsyncScaleClient, query: dict[str, Any]) -> Any:
    page = await client.tasks(**query)
    return [task.task_id for task in page], page.next_token if page.has_more else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    runners: dict[str, Callable[[str], list[str]]] = {
        "raw": raw_list,
        "requests only": _paged(_requests_only),
        "+ structuring": _paged(_structured),
        "+ prefetching iterator": async_list(),
        "+ sync portal": sync_list,
    }
    fake = FakeProcess(0.0, HERE / "results" / "listing-fake.log")
    fake.start()
    try:
        _seed(fake, args.n)
        base = fake.base_url
        for run in runners.values():  # warm: imports, generated builders, connections
            run(base)
        samples: dict[str, list[float]] = {label: [] for label in runners}
        for _ in range(args.repeat):
            for label, run in runners.items():
                samples[label].append(_cpu(run, base, args.n))
    finally:
        fake.stop()
    raw = statistics.median(samples["raw"])
    previous = None
    for label, values in samples.items():
        med = statistics.median(values)
        added = "" if previous is None else f"{med - previous:+5.2f}"
        print(f"layers | {label:<24} {med:6.2f} µs/item {added:>6}  ratio {med / raw:4.2f}")
        previous = med
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The clients under test, each written the way a user of that package would write it.

Every variant takes a ``Job`` and returns the ids of the tasks it created, listed or
cancelled, so the runner can check the answer before it keeps the time. Clients are built
inside the timed region: constructing one is part of what a script pays.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

import anyio
import scaleapi

import scale_sync
from scale_async import AsyncScaleClient

__all__ = [
    "TASK_TYPE",
    "Family",
    "Job",
    "Variant",
    "cancel_variants",
    "create_variants",
    "list_variants",
    "make_payloads",
]

T = TypeVar("T")

TASK_TYPE = "categorization"
FINISHED = ("completed", "canceled")


@dataclass(frozen=True)
class Job:
    """What one timed run works on."""

    base_url: str
    key: str
    project: str
    batch: str | None
    payloads: list[dict[str, Any]] = field(repr=False)
    workers: int
    timeout: float  # per request, for our clients (the SDK has no timeout setting)
    run_timeout: float  # for the whole run, inside async code


Family = Literal["scaleapi", "scale_sync", "scale_async"]


@dataclass(frozen=True)
class Variant:
    """One client doing one scenario: ``run`` returns task ids, or ``skip`` says why not."""

    key: str
    label: str
    family: Family
    run: Callable[[Job], list[str]] | None
    skip: str | None = None
    baseline: bool = False


def make_payloads(n: int, tag: str) -> list[dict[str, Any]]:
    """``n`` distinct categorization tasks; ``tag`` keeps runs apart."""
    return [
        {
            "attachment": f"https://example.invalid/{tag}/{i}.png",
            "categories": ["cat", "dog", "neither"],
            "instruction": "Which animal is in the picture?",
            "metadata": {"row": i},
        }
        for i in range(n)
    ]


# --- plumbing ------------------------------------------------------------------------------


def _sdk(job: Job) -> Any:
    return scaleapi.ScaleClient(job.key, api_instance_url=job.base_url)


def _sync(job: Job) -> scale_sync.ScaleClient:
    return scale_sync.ScaleClient(job.key, api_instance_url=job.base_url, timeout=job.timeout)


def _threads(job: Job, func: Callable[[T], str], items: Iterable[T]) -> list[str]:
    """``func`` over ``items`` on ``job.workers`` threads, as the SDK's own example does."""
    with ThreadPoolExecutor(max_workers=job.workers) as pool:
        return list(pool.map(func, items))


def _in_loop(job: Job, body: Callable[[AsyncScaleClient], Awaitable[list[str]]]) -> list[str]:
    """Run ``body`` with a fresh ``AsyncScaleClient`` on a fresh asyncio loop."""

    async def main() -> list[str]:
        with anyio.fail_after(job.run_timeout):
            async with AsyncScaleClient(
                job.key, api_instance_url=job.base_url, timeout=job.timeout
            ) as client:
                return await body(client)

    return asyncio.run(main())


async def _workers(
    count: int, func: Callable[[T], Awaitable[str]], items: Iterable[T]
) -> list[str]:
    """``count`` coroutines taking the next item in turn: plain async code, no helper."""
    results: list[str] = []
    source: Iterator[T] = iter(items)

    async def worker() -> None:
        for item in source:
            results.append(await func(item))

    async with anyio.create_task_group() as group:
        for _ in range(count):
            group.start_soon(worker)
    return results


def _with_project(job: Job, payload: dict[str, Any]) -> dict[str, Any]:
    return {"project": job.project, **payload}


# --- creating tasks ------------------------------------------------------------------------


def sdk_create_sequential(job: Job) -> list[str]:
    client = _sdk(job)
    kind = scaleapi.TaskType.Categorization
    return [client.create_task(kind, **_with_project(job, p)).id for p in job.payloads]


def sdk_create_threads(job: Job) -> list[str]:
    client = _sdk(job)
    kind = scaleapi.TaskType.Categorization
    return _threads(
        job, lambda p: client.create_task(kind, **_with_project(job, p)).id, job.payloads
    )


def sync_create_sequential(job: Job) -> list[str]:
    with _sync(job) as client:
        return [client.create_task(TASK_TYPE, **_with_project(job, p)).id for p in job.payloads]


def sync_create_threads(job: Job) -> list[str]:
    with _sync(job) as client:
        return _threads(
            job, lambda p: client.create_task(TASK_TYPE, **_with_project(job, p)).id, job.payloads
        )


def sync_create_bulk(job: Job) -> list[str]:
    with _sync(job) as client:
        result = client.create_tasks(
            TASK_TYPE, job.payloads, project=job.project, concurrency=job.workers
        )
    result.raise_for_errors()
    return result.task_ids


def async_create_sequential(job: Job) -> list[str]:
    async def body(client: AsyncScaleClient) -> list[str]:
        ids = []
        for payload in job.payloads:
            task = await client.create_task(TASK_TYPE, **_with_project(job, payload))
            ids.append(task.id)
        return ids

    return _in_loop(job, body)


def async_create_concurrent(job: Job) -> list[str]:
    async def body(client: AsyncScaleClient) -> list[str]:
        async def one(payload: dict[str, Any]) -> str:
            return (await client.create_task(TASK_TYPE, **_with_project(job, payload))).id

        return await _workers(job.workers, one, job.payloads)

    return _in_loop(job, body)


def async_create_bulk(job: Job) -> list[str]:
    async def body(client: AsyncScaleClient) -> list[str]:
        result = await client.create_tasks(
            TASK_TYPE, job.payloads, project=job.project, concurrency=job.workers
        )
        result.raise_for_errors()
        return result.task_ids

    return _in_loop(job, body)


def create_variants(workers: int) -> list[Variant]:
    w = workers
    return [
        Variant("sdk-seq", "scaleapi, sequential", "scaleapi", sdk_create_sequential, None, True),
        Variant("sdk-threads", f"scaleapi, {w} threads", "scaleapi", sdk_create_threads),
        Variant("sync-seq", "scale_sync, sequential", "scale_sync", sync_create_sequential),
        Variant("sync-threads", f"scale_sync, {w} threads", "scale_sync", sync_create_threads),
        Variant("sync-bulk", f"scale_sync create_tasks({w})", "scale_sync", sync_create_bulk),
        Variant("async-seq", "scale_async, sequential", "scale_async", async_create_sequential),
        Variant(
            "async-conc", f"scale_async, {w} coroutines", "scale_async", async_create_concurrent
        ),
        Variant("async-bulk", f"scale_async create_tasks({w})", "scale_async", async_create_bulk),
    ]


# --- listing tasks -------------------------------------------------------------------------


def sdk_list(job: Job) -> list[str]:
    return [task.id for task in _sdk(job).get_tasks(project_name=job.project)]


def sync_list(job: Job, **extra: Any) -> list[str]:
    with _sync(job) as client:
        get_tasks: Any = client.get_tasks  # extra keywords may not exist in this version
        return [task.id for task in get_tasks(project_name=job.project, **extra)]


def async_list(job: Job, **extra: Any) -> list[str]:
    """``async for`` over ``get_tasks``; with options, inside ``async with`` where supported.

    ``prefetch`` only works inside ``async with client.get_tasks(...)``, so any variant that
    passes an option is written that way when the iterator is an async context manager.
    """

    async def body(client: AsyncScaleClient) -> list[str]:
        get_tasks: Any = client.get_tasks  # extra keywords may not exist in this version
        tasks = get_tasks(project_name=job.project, **extra)
        if extra and hasattr(tasks, "__aenter__"):
            async with tasks:
                return [task.id async for task in tasks]
        return [task.id async for task in tasks]

    return _in_loop(job, body)


#: Listing options that ``get_tasks`` may have (they were being added when this was
#: written), and the value benchmarked. Each is checked for in the installed version.
LISTING_OPTIONS: dict[str, int] = {"prefetch": 4, "partitions": 4}


def _has_option(method: Any, name: str) -> bool:
    return name in inspect.signature(method).parameters


def list_variants() -> list[Variant]:
    variants = [
        Variant("sdk", "scaleapi get_tasks", "scaleapi", sdk_list, None, True),
        Variant("sync", "scale_sync get_tasks", "scale_sync", sync_list),
        Variant("async", "scale_async get_tasks", "scale_async", async_list),
    ]
    options: list[tuple[str, Family, Any, Callable[..., list[str]], str]] = [
        ("async", "scale_async", AsyncScaleClient.get_tasks, async_list, "prefetch"),
        ("async", "scale_async", AsyncScaleClient.get_tasks, async_list, "partitions"),
        ("sync", "scale_sync", scale_sync.ScaleClient.get_tasks, sync_list, "partitions"),
    ]
    for prefix, family, method, lister, name in options:
        value = LISTING_OPTIONS[name]
        key = f"{prefix}-{name}"
        if not _has_option(method, name):
            label = f"{family} get_tasks({name}=…)"
            reason = f"skipped: get_tasks has no {name}= in this version"
            variants.append(Variant(key, label, family, None, reason))
            continue
        label = f"{family} get_tasks({name}={value})"

        def run(job: Job, lister: Any = lister, name: str = name, value: int = value) -> list[str]:
            ids: list[str] = lister(job, **{name: value})
            return ids

        variants.append(Variant(key, label, family, run))
    return variants


# --- cancelling a batch --------------------------------------------------------------------


def _pending(client: Any, job: Job) -> Iterator[str]:
    """Task ids to cancel, as the SDK's cancel example finds them: list, skip finished ones."""
    for task in client.get_tasks(project_name=job.project, batch_name=job.batch):
        if task.status not in FINISHED:
            yield task.id


def sdk_cancel_sequential(job: Job) -> list[str]:
    client = _sdk(job)
    cancelled = [client.cancel_task(task_id) for task_id in _pending(client, job)]
    return [task.id for task in cancelled if task.status == "canceled"]


def _cancel_example(client: Any, job: Job) -> list[str]:
    """The SDK's ``examples/cancel_batch.py``: submit each cancel to a pool, then collect."""
    with ThreadPoolExecutor(max_workers=job.workers) as pool:
        futures = [pool.submit(client.cancel_task, task_id) for task_id in _pending(client, job)]
        cancelled = [future.result() for future in as_completed(futures)]
    return [task.id for task in cancelled if task.status == "canceled"]


def sdk_cancel_threads(job: Job) -> list[str]:
    return _cancel_example(_sdk(job), job)


def sync_cancel_threads(job: Job) -> list[str]:
    with _sync(job) as client:
        return _cancel_example(client, job)


def sync_cancel_batch(job: Job) -> list[str]:
    assert job.batch is not None
    with _sync(job) as client:
        result = client.cancel_batch(job.batch, concurrency=job.workers)
    result.raise_for_errors()
    return [item.task_id for item in result.cancelled]


def async_cancel_batch(job: Job) -> list[str]:
    assert job.batch is not None
    batch = job.batch

    async def body(client: AsyncScaleClient) -> list[str]:
        result = await client.cancel_batch(batch, concurrency=job.workers)
        result.raise_for_errors()
        return [item.task_id for item in result.cancelled]

    return _in_loop(job, body)


def cancel_variants(workers: int) -> list[Variant]:
    w = workers
    return [
        Variant("sdk-seq", "scaleapi, sequential", "scaleapi", sdk_cancel_sequential, None, True),
        Variant(
            "sdk-threads", f"scaleapi, {w} threads (its example)", "scaleapi", sdk_cancel_threads
        ),
        Variant(
            "sync-threads",
            f"scale_sync, {w} threads (same code)",
            "scale_sync",
            sync_cancel_threads,
        ),
        Variant("sync-bulk", f"scale_sync cancel_batch({w})", "scale_sync", sync_cancel_batch),
        Variant("async-bulk", f"scale_async cancel_batch({w})", "scale_async", async_cancel_batch),
    ]

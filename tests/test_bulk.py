"""Bulk creation and cancellation against the fake Scale API, through both clients."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import anyio
import anyio.lowlevel
import httpx
import pytest

from scale_async import (
    AsyncScaleClient,
    BulkError,
    CreatedTask,
    FailedItem,
    JobStopped,
    Progress,
    ScaleInvalidRequest,
    ScaleUnauthorized,
    TaskType,
    derive_unique_id,
)
from scale_async.testing import IN_PROCESS_BASE_URL, FakeScaleAPI, FaultConfig
from tests.drivers import Driver, Sleeps, fast_policy, make_driver

PROJECT = "bulk project"
KIND = TaskType.Categorization


def payload(n: int, **extra: Any) -> dict[str, Any]:
    return {
        "attachment": f"https://example.invalid/{n}.png",
        "attachment_type": "image",
        "categories": ["cat", "dog"],
        "instruction": "Which animal?",
        "metadata": {"n": n},
        **extra,
    }


def payloads(count: int) -> Iterator[dict[str, Any]]:
    return (payload(n) for n in range(count))


async def open_driver(kind: str, fake: FakeScaleAPI, key: str = "test_key", **kw: Any) -> Driver:
    driver = make_driver(
        kind,
        None,
        api_key=key,
        api_instance_url=IN_PROCESS_BASE_URL,
        transport=fake.transport(),
        retry=fast_policy(Sleeps(), max_retries=8),
        **kw,
    )
    await driver.call("create_project", PROJECT, KIND)
    return driver


@pytest.fixture
def fake() -> FakeScaleAPI:
    return FakeScaleAPI(seed=11)


@pytest.fixture
async def driver(client_kind: str, fake: FakeScaleAPI) -> AsyncIterator[Driver]:
    drv = await open_driver(client_kind, fake)
    yield drv
    await drv.aclose()


async def server_task_count(fake: FakeScaleAPI, key: str = "test_key") -> int:
    async with fake.client(key) as api:
        response = await api.get("/tasks", params={"project": PROJECT, "limit": 1})
        return int(response.json()["total"])


async def test_creates_every_payload_in_input_order(driver: Driver, fake: FakeScaleAPI) -> None:
    result = await driver.call(
        "create_tasks", KIND, payloads(60), project=PROJECT, concurrency=8, keep_tasks=True
    )
    assert result.total == 60
    assert result.created == 60
    assert result.duplicates == 0
    assert result.failed == []
    assert [item.index for item in result.succeeded] == list(range(60))
    assert [item.task.metadata["n"] for item in result.succeeded] == list(range(60))
    assert all(isinstance(item.task, driver.models.Task) for item in result.succeeded)
    assert await server_task_count(fake) == 60


async def test_every_task_carries_a_deterministic_unique_id(driver: Driver) -> None:
    result = await driver.call(
        "create_tasks", KIND, payloads(3), project=PROJECT, namespace="job-1", keep_tasks=True
    )
    for n, item in enumerate(result.succeeded):
        expected = derive_unique_id(KIND.value, {"project": PROJECT, **payload(n)}, "job-1")
        assert item.unique_id == expected
        assert item.task.unique_id == expected


async def test_a_payload_s_own_unique_id_is_kept(driver: Driver) -> None:
    result = await driver.call(
        "create_tasks", KIND, [payload(0, unique_id="mine")], project=PROJECT, keep_tasks=True
    )
    assert result.succeeded[0].task.unique_id == "mine"


async def test_rerun_creates_only_what_is_missing(driver: Driver, fake: FakeScaleAPI) -> None:
    """A job interrupted midway, run again, completes without a single duplicate."""
    first = await driver.call(
        "create_tasks", KIND, payloads(25), project=PROJECT, namespace="resume", keep_tasks=True
    )
    assert first.created == 25
    second = await driver.call(
        "create_tasks", KIND, payloads(40), project=PROJECT, namespace="resume", keep_tasks=True
    )
    assert second.total == 40
    assert second.duplicates == 25
    assert second.created == 15
    assert [item.duplicate for item in second.succeeded] == [True] * 25 + [False] * 15
    assert [item.task.task_id for item in second.succeeded[:25]] == [
        item.task.task_id for item in first.succeeded
    ]
    assert await server_task_count(fake) == 40
    assert fake.stats.tasks_created == 40


async def test_a_different_namespace_is_a_different_job(driver: Driver, fake: FakeScaleAPI) -> None:
    await driver.call("create_tasks", KIND, payloads(5), project=PROJECT, namespace="a")
    again = await driver.call("create_tasks", KIND, payloads(5), project=PROJECT, namespace="b")
    assert again.created == 5
    assert await server_task_count(fake) == 10


async def test_failures_are_reported_with_their_input_and_do_not_stop_siblings(
    driver: Driver,
) -> None:
    items: list[Any] = [payload(0), {"attachment": "x"}, "not a dict", payload(3)]
    result = await driver.call("create_tasks", KIND, items, project=PROJECT, concurrency=2)
    assert [item.index for item in result.succeeded] == [0, 3]
    assert [item.index for item in result.failed] == [1, 2]
    assert result.failed[0].payload == {"attachment": "x"}
    assert isinstance(result.failed[0].error, ScaleInvalidRequest)
    assert result.failed[1].payload == "not a dict"
    assert isinstance(result.failed[1].error, ValueError)
    assert result.stopped_early is None
    with pytest.raises(BulkError, match="2 of 4 inputs failed; first, input 1"):
        result.raise_for_errors()


async def test_stop_on_error_stops_scheduling(driver: Driver) -> None:
    """With stop_on_error, inputs read after the failure are reported as not attempted."""
    items = [{"attachment": "x"}, *payloads(50)]
    result = await driver.call(
        "create_tasks", KIND, items, project=PROJECT, concurrency=1, stop_on_error=True
    )
    assert isinstance(result.stopped_early, ScaleInvalidRequest)
    assert result.failed[0].index == 0
    # One worker: nothing after the failure was sent; whatever was read is "not attempted".
    assert result.succeeded == []
    assert all(isinstance(item.error, JobStopped) for item in result.failed[1:])
    assert result.total < 51
    assert {i.index for i in result.succeeded} | {i.index for i in result.failed} == set(
        range(result.total)
    )


async def test_an_auth_failure_ends_the_job_early(client_kind: str, fake: FakeScaleAPI) -> None:
    driver = make_driver(
        client_kind,
        None,
        api_key="bogus_key",
        api_instance_url=IN_PROCESS_BASE_URL,
        transport=fake.transport(),
        retry=fast_policy(Sleeps()),
    )
    consumed = 0

    def endless() -> Iterator[dict[str, Any]]:
        nonlocal consumed
        while True:
            consumed += 1
            yield payload(consumed)

    try:
        result = await driver.call("create_tasks", KIND, endless(), project=PROJECT, concurrency=4)
    finally:
        await driver.aclose()
    assert isinstance(result.stopped_early, ScaleUnauthorized)
    assert consumed < 50
    assert result.succeeded == []
    assert result.total == consumed or result.total == consumed - 1


async def test_a_broken_input_keeps_the_results_so_far(driver: Driver) -> None:
    def broken() -> Iterator[dict[str, Any]]:
        yield payload(0)
        yield payload(1)
        raise OSError("disk went away")

    result = await driver.call("create_tasks", KIND, broken(), project=PROJECT, concurrency=1)
    assert isinstance(result.stopped_early, OSError)
    assert [item.index for item in result.succeeded] == [0, 1]


async def test_input_is_read_lazily_through_a_bounded_buffer(driver: Driver) -> None:
    """Never more than about two pools' worth of inputs are read ahead of completion."""
    read = 0
    finished: list[int] = []
    ahead: list[int] = []

    def source() -> Iterator[dict[str, Any]]:
        nonlocal read
        for n in range(200):
            read += 1
            ahead.append(read - len(finished))
            yield payload(n)

    def progress(p: Progress) -> None:
        finished.append(p.done + p.failed)

    result = await driver.call(
        "create_tasks", KIND, source(), project=PROJECT, concurrency=4, progress=progress
    )
    assert result.created == 200
    assert max(ahead) <= 4 * 2 + 2


async def test_progress_is_reported(driver: Driver) -> None:
    seen: list[Progress] = []
    await driver.call("create_tasks", KIND, payloads(10), project=PROJECT, progress=seen.append)
    assert len(seen) == 10
    assert [p.done for p in seen] == list(range(1, 11))
    assert all(p.failed == 0 and p.in_flight >= 0 for p in seen)
    assert seen[-1].rate >= 0


async def test_async_iterable_input(client_kind: str, fake: FakeScaleAPI) -> None:
    driver = await open_driver(client_kind, fake)

    async def source() -> AsyncIterator[dict[str, Any]]:
        for n in range(7):
            await anyio.lowlevel.checkpoint()
            yield payload(n)

    try:
        if client_kind == "async":
            result = await driver.call("create_tasks", KIND, source(), project=PROJECT)
            assert result.created == 7
        else:
            # An async iterable cannot be read from a thread; the sync client takes iterables.
            result = await driver.call("create_tasks", KIND, payloads(7), project=PROJECT)
            assert result.created == 7
    finally:
        await driver.aclose()


@pytest.mark.parametrize("count", [10_000])
async def test_twenty_percent_faults_lose_nothing_and_duplicate_nothing(
    client_kind: str, count: int
) -> None:
    """Under 20% injected faults (429, 5xx, commit-then-500, dropped connections), a bulk
    create of 10,000 tasks ends with exactly 10,000 tasks and every input accounted for."""
    faults = FaultConfig(
        rate_limited=0.04,
        server_error=0.03,
        bad_gateway=0.02,
        unavailable=0.03,
        gateway_timeout=0.02,
        drop_connection=0.03,
        commit_then_fail=0.03,
        retry_after=1,
    )
    fake = FakeScaleAPI(seed=5, faults=faults)
    driver = await open_driver(client_kind, fake, max_connections=64)
    try:
        result = await driver.call(
            "create_tasks", KIND, payloads(count), project=PROJECT, concurrency=64, keep_tasks=True
        )
    finally:
        await driver.aclose()
    stats = fake.stats
    assert result.failed == []
    assert result.total == count
    assert result.created + result.duplicates == count
    assert sorted(item.task.metadata["n"] for item in result.succeeded) == list(range(count))
    assert len({item.task.task_id for item in result.succeeded}) == count
    assert stats.tasks_created == count
    assert stats.faults_injected > count * 0.15
    assert await server_task_count(fake) == count


async def test_a_429_pauses_every_worker() -> None:
    """One 429 with Retry-After holds every request sent after it until the time is up."""
    sleeps = Sleeps()
    sent_at: list[float] = []
    calls = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        number = calls  # read before yielding: other requests bump the counter meanwhile
        sent_at.append(sleeps.now)
        await anyio.lowlevel.checkpoint()
        if number == 1:
            return httpx.Response(429, json={"error": "slow"}, headers={"Retry-After": "30"})
        return httpx.Response(200, json={"task_id": f"t{number}", "status": "completed"})

    client = AsyncScaleClient(
        "test_key", transport=httpx.MockTransport(handler), retry=fast_policy(sleeps)
    )
    async with client:
        result = await client.create_tasks(KIND, payloads(40), project=PROJECT, concurrency=8)
    assert result.created == 40
    assert len(sent_at) == 41
    early = [t for t in sent_at if t < 30]
    assert len(early) <= 8  # only requests already in flight when the 429 came back


async def test_rate_limit_spaces_creations() -> None:
    sleeps = Sleeps()
    sent_at: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent_at.append(sleeps.now)
        return httpx.Response(200, json={"task_id": f"t{len(sent_at)}"})

    client = AsyncScaleClient(
        "test_key", transport=httpx.MockTransport(handler), retry=fast_policy(sleeps)
    )
    async with client:
        await client.create_tasks(KIND, payloads(11), project="p", concurrency=1, rate_limit=5)
    assert sent_at == pytest.approx([0.2 * n for n in range(11)])


async def test_bad_job_arguments_fail_before_any_request(driver: Driver) -> None:
    with pytest.raises(ValueError, match="concurrency"):
        await driver.call("create_tasks", KIND, payloads(1), project=PROJECT, concurrency=0)
    with pytest.raises(ValueError, match="rate"):
        await driver.call("create_tasks", KIND, payloads(1), project=PROJECT, rate_limit=-1)


# -- streaming -------------------------------------------------------------------------------


async def test_stream_yields_every_result(client_kind: str, fake: FakeScaleAPI) -> None:
    driver = await open_driver(client_kind, fake)
    try:
        if client_kind == "async":
            results = []
            async with driver.client.stream_create_tasks(
                KIND, payloads(30), project=PROJECT, concurrency=5
            ) as stream:
                async for item in stream:
                    results.append(item)
        else:
            results = await driver.collect(
                "stream_create_tasks", KIND, payloads(30), project=PROJECT, concurrency=5
            )
    finally:
        await driver.aclose()
    assert sorted(item.index for item in results) == list(range(30))
    assert all(isinstance(item, CreatedTask) for item in results)
    assert all(isinstance(item.task, driver.models.Task) for item in results)


async def test_leaving_a_stream_early_stops_the_job(client_kind: str, fake: FakeScaleAPI) -> None:
    driver = await open_driver(client_kind, fake)
    try:
        if client_kind == "async":
            async with driver.client.stream_create_tasks(
                KIND, payloads(10_000), project=PROJECT, concurrency=4
            ) as stream:
                async for _ in stream:
                    break
        else:

            def take_one() -> None:
                for _ in driver.client.stream_create_tasks(
                    KIND, payloads(10_000), project=PROJECT, concurrency=4
                ):
                    break

            await anyio.to_thread.run_sync(take_one)
        created = fake.stats.tasks_created
        await anyio.sleep(0.05)
        assert fake.stats.tasks_created == created  # nothing more after the block closed
        assert created < 100
    finally:
        await driver.aclose()


# -- cancellation ----------------------------------------------------------------------------


async def live_tasks(driver: Driver, batch: str, count: int) -> list[Any]:
    await driver.call("create_batch", PROJECT, batch)
    result = await driver.call(
        "create_tasks", KIND, payloads(count), project=PROJECT, batch=batch, keep_tasks=True
    )
    assert result.created == count
    return [item.task for item in result.succeeded]


@pytest.fixture
async def live(client_kind: str, fake: FakeScaleAPI) -> AsyncIterator[Driver]:
    drv = await open_driver(client_kind, fake, key="live_key")
    yield drv
    await drv.aclose()


async def test_cancel_tasks_reports_cancelled_skipped_and_failed(
    live: Driver, fake: FakeScaleAPI
) -> None:
    tasks = await live_tasks(live, "cancel-me", 6)
    await fake.complete_task(tasks[0].task_id)  # the server will refuse: skipped
    finished = await live.call("get_task", tasks[1].task_id)
    await fake.complete_task(tasks[1].task_id)
    finished_obj = await live.call("get_task", tasks[1].task_id)  # known completed: no request
    refs: list[Any] = [tasks[0].task_id, finished_obj, *(t.task_id for t in tasks[2:]), "nope"]
    result = await live.call("cancel_tasks", refs, concurrency=3)
    assert sorted(c.task_id for c in result.cancelled) == sorted(t.task_id for t in tasks[2:])
    assert all(c.task.status == "canceled" for c in result.cancelled)
    assert sorted(s.task_id for s in result.skipped) == sorted([tasks[0].task_id, tasks[1].task_id])
    assert [f.task_id for f in result.failed] == ["nope"]
    assert result.total == 7
    assert finished.status == "pending"
    with pytest.raises(BulkError, match="1 of 7 cancellations failed"):
        result.raise_for_errors()


async def test_cancel_tasks_can_free_unique_ids(live: Driver) -> None:
    tasks = await live_tasks(live, "free-ids", 3)
    result = await live.call("cancel_tasks", tasks, clear_unique_id=True)
    assert len(result.cancelled) == 3
    for task in tasks:
        fresh = await live.call("get_task", task.task_id)
        assert "unique_id" not in fresh.as_dict()  # None on async, AttributeError on sync


async def test_cancel_batch_cancels_every_pending_task(live: Driver, fake: FakeScaleAPI) -> None:
    tasks = await live_tasks(live, "batch/to cancel", 250)
    for task in tasks[:20]:
        await fake.complete_task(task.task_id)
    other = await live_tasks(live, "other batch", 5)
    result = await live.call("cancel_batch", "batch/to cancel", concurrency=16)
    assert len(result.cancelled) == 230
    assert result.failed == []
    counts = await live.call("batch_status", "batch/to cancel")
    assert counts.get("canceled") == 230
    assert counts.get("completed") == 20
    assert (await live.call("get_task", other[0].task_id)).status == "pending"


async def test_cancel_batch_needs_a_name(live: Driver) -> None:
    with pytest.raises(ValueError, match="batch_name"):
        await live.call("cancel_batch", "")


def test_failed_item_and_progress_values() -> None:
    progress = Progress(done=3, failed=1, in_flight=2, elapsed=2.0)
    assert progress.rate == 2.0
    assert Progress(done=0, failed=0, in_flight=0, elapsed=0.0).rate == 0.0
    item = FailedItem(index=4, payload={"a": 1}, error=ValueError("x"))
    assert (item.index, item.payload) == (4, {"a": 1})


# -- bulk tags and metadata ------------------------------------------------------------------


async def test_add_tags_to_many_tasks(driver: Driver) -> None:
    created = await driver.call(
        "create_tasks", KIND, payloads(12), project=PROJECT, keep_tasks=True
    )
    tasks = created.tasks
    refs: list[Any] = [*tasks[:6], *(t.task_id for t in tasks[6:]), "nope"]
    result = await driver.call("add_tasks_tags", refs, ["reviewed"], concurrency=4)
    assert sorted(u.task_id for u in result.updated) == sorted(t.task_id for t in tasks)
    assert all(u.task.tags == ["reviewed"] for u in result.updated)
    assert all(isinstance(u.task, driver.models.Task) for u in result.updated)
    assert [f.task_id for f in result.failed] == ["nope"]
    assert result.total == 13
    with pytest.raises(ValueError, match="tags"):
        await driver.call("add_tasks_tags", refs, "reviewed")


async def test_set_metadata_on_many_tasks(driver: Driver) -> None:
    created = await driver.call("create_tasks", KIND, payloads(5), project=PROJECT, keep_tasks=True)
    updates = {t.task_id: {"batch_no": n} for n, t in enumerate(created.tasks)}
    result = await driver.call("set_tasks_metadata", updates, concurrency=2)
    assert result.failed == []
    for task in created.tasks:
        fresh = await driver.call("get_task", task.task_id)
        assert fresh.metadata == updates[task.task_id]
    pairs = [(created.tasks[0], {"again": True}), ("nope", {})]
    result = await driver.call("set_tasks_metadata", pairs)
    assert [u.task.metadata for u in result.updated] == [{"again": True}]
    assert [f.task_id for f in result.failed] == ["nope"]
    with pytest.raises(BulkError, match="1 of 2 updates failed"):
        result.raise_for_errors()


async def test_tags_from_an_async_iterable() -> None:
    fake = FakeScaleAPI(seed=4)
    async with AsyncScaleClient(
        "test_key", api_instance_url=IN_PROCESS_BASE_URL, transport=fake.transport()
    ) as client:
        await client.create_project(PROJECT, KIND)
        created = await client.create_tasks(KIND, payloads(4), project=PROJECT, keep_tasks=True)

        async def ids() -> AsyncIterator[str]:
            for task in created.tasks:
                yield task.task_id

        result = await client.add_tasks_tags(ids(), ["x"])
    assert len(result.updated) == 4


async def test_cancel_batch_lists_the_next_page_while_the_cancels_run() -> None:
    """The batch's next page is fetched while the cancels of the page before are in flight:
    listed on demand, every page cost the workers a round trip of waiting."""
    from tests.scripted import ok, page_json, task_json

    second_page_asked = anyio.Event()
    seen_before_first_cancel_ended: list[bool] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/tasks"):
            if request.url.params.get("next_token") == "p2":
                second_page_asked.set()
                return ok(page_json([task_json("c"), task_json("d")]))
            return ok(page_json([task_json("a"), task_json("b")], has_more=True, token="p2"))
        task_id = request.url.path.rsplit("/", 2)[-2]
        if not seen_before_first_cancel_ended:
            with anyio.move_on_after(2):
                await second_page_asked.wait()
            seen_before_first_cancel_ended.append(second_page_asked.is_set())
        return ok(task_json(task_id, status="canceled"))

    transport = httpx.MockTransport(handler)
    async with AsyncScaleClient("test_k", transport=transport) as client:
        result = await client.cancel_batch("b", concurrency=1)
    assert sorted(item.task_id for item in result.cancelled) == ["a", "b", "c", "d"]
    assert seen_before_first_cancel_ended == [True]

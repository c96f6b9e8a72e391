"""Concurrent pagination: prefetching and created_at partitions, through both clients."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from typing import Any

import anyio
import httpx
import pytest

from scale_async import AsyncScaleClient, ScaleInvalidResponse, ScaleResourceNotFound, TaskType
from scale_async._engine.pagination import AsyncPageIterator, Partitioned
from scale_async._engine.partitions import Window, format_time, parse_time, split
from scale_async.testing import IN_PROCESS_BASE_URL, FakeScaleAPI
from tests.drivers import Driver, Sleeps, fast_policy, make_driver
from tests.scripted import Scripted, fail, ok, page_json, task_json

PROJECT = "paged"
T0 = datetime(2024, 5, 1, tzinfo=timezone.utc)

# -- pure helpers ----------------------------------------------------------------------------


def test_times_round_trip_in_scale_s_format() -> None:
    moment = datetime(2024, 5, 1, 12, 30, 1, 123456, tzinfo=timezone.utc)
    assert format_time(moment) == "2024-05-01T12:30:01.123Z"
    assert parse_time("2024-05-01T12:30:01.123Z") == moment.replace(microsecond=123000)
    assert parse_time("2024-05-01") == datetime(2024, 5, 1, tzinfo=timezone.utc)
    assert parse_time("2024-05-01T14:00:00+02:00") == datetime(2024, 5, 1, 12, tzinfo=timezone.utc)


def test_split_covers_all_time_without_overlap() -> None:
    windows = split(T0, T0 + timedelta(hours=4), 4)
    assert windows[0].start is None
    assert windows[-1].end is None
    assert [w.end for w in windows[:-1]] == [w.start for w in windows[1:]]
    assert windows[1].start == T0 + timedelta(hours=1)
    assert split(T0, T0, 4) == [Window(None, None)]
    assert split(T0, T0 + timedelta(hours=1), 1) == [Window(None, None)]
    with pytest.raises(ValueError, match="at least 1"):
        split(T0, T0, 0)


def test_a_window_owns_its_start_not_its_end_and_asks_a_little_more() -> None:
    window = Window(T0, T0 + timedelta(seconds=10))
    assert window.owns("2024-05-01T00:00:00.000Z")
    assert window.owns("2024-05-01T00:00:09.999Z")
    assert not window.owns("2024-05-01T00:00:10.000Z")
    assert not window.owns("2024-04-30T23:59:59.999Z")
    assert window.query() == {
        "start_time": "2024-04-30T23:59:59.999Z",
        "end_time": "2024-05-01T00:00:10.001Z",
    }
    assert Window(None, None).query() == {}


async def test_boundary_tasks_come_exactly_once_whatever_the_server_includes() -> None:
    """Windows that overlap on the server side still hand each task over once."""
    cut = T0 + timedelta(seconds=5)
    stamps = [T0 + timedelta(seconds=s) for s in (0, 1, 5, 5, 9)]
    tasks: list[dict[str, Any]] = [
        {"id": n, "created_at": format_time(t)} for n, t in enumerate(stamps)
    ]
    in_flight = peak = 0

    async def fetch(window: Window, token: str | None) -> tuple[list[dict[str, Any]], None]:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await anyio.sleep(0.01)
        in_flight -= 1
        bounds = window.query()
        low = parse_time(bounds["start_time"]) if "start_time" in bounds else None
        high = parse_time(bounds["end_time"]) if "end_time" in bounds else None
        # An inclusive-on-both-sides server: boundary tasks reach both windows.
        page = [
            t
            for t in tasks
            if (low is None or parse_time(t["created_at"]) >= low)
            and (high is None or parse_time(t["created_at"]) <= high)
        ]
        return page, None

    async def windows() -> list[Window]:
        return [Window(None, cut), Window(cut, None)]

    walk = Partitioned(fetch, windows, lambda t: t["created_at"])
    items = [t["id"] async for t in AsyncPageIterator(walk)]
    assert sorted(items) == [0, 1, 2, 3, 4]
    assert peak == 2


# -- against the fake ------------------------------------------------------------------------


@pytest.fixture
def fake() -> FakeScaleAPI:
    return FakeScaleAPI(seed=2)


async def seed_tasks(fake: FakeScaleAPI, count: int) -> list[str]:
    async with AsyncScaleClient(
        "test_key", api_instance_url=IN_PROCESS_BASE_URL, transport=fake.transport()
    ) as client:
        await client.create_project(PROJECT, TaskType.Categorization)
        await client.create_batch(PROJECT, "b")
        result = await client.create_tasks(
            TaskType.Categorization,
            (
                {
                    "attachment": f"https://example.invalid/{n}",
                    "attachment_type": "image",
                    "categories": ["a", "b"],
                    "instruction": "pick",
                }
                for n in range(count)
            ),
            project=PROJECT,
            batch="b",
        )
        assert result.created == count
        return [item.task_id for item in result.succeeded]


@pytest.fixture
async def driver(client_kind: str, fake: FakeScaleAPI) -> AsyncIterator[Driver]:
    drv = make_driver(
        client_kind,
        None,
        api_instance_url=IN_PROCESS_BASE_URL,
        transport=fake.transport(),
        retry=fast_policy(Sleeps()),
    )
    yield drv
    await drv.aclose()


@pytest.mark.parametrize("partitions", [1, 3, 7])
async def test_partitions_yield_every_task_once(
    driver: Driver, fake: FakeScaleAPI, partitions: int
) -> None:
    ids = await seed_tasks(fake, 230)
    for scope in ({"project_name": PROJECT}, {"batch_name": "b"}):
        tasks = await driver.collect("get_tasks", **scope, limit=25, partitions=partitions)
        got = [t.task_id for t in tasks]
        assert len(got) == len(set(got)) == 230
        assert set(got) == set(ids)


async def test_partitions_keep_the_caller_s_bounds(driver: Driver, fake: FakeScaleAPI) -> None:
    await seed_tasks(fake, 60)
    every = await driver.collect("get_tasks", project_name=PROJECT)
    stamps = sorted(t.created_at for t in every)
    low, high = stamps[10], stamps[49]
    expected = {t.task_id for t in every if low <= t.created_at <= high}
    tasks = await driver.collect(
        "get_tasks",
        project_name=PROJECT,
        created_after=low,
        created_before=high,
        partitions=4,
        limit=7,
    )
    assert {t.task_id for t in tasks} == expected
    assert len(tasks) == len(expected)


async def test_partitions_refuse_limited_responses(driver: Driver) -> None:
    with pytest.raises(ValueError, match="limited_response"):
        await driver.collect("get_tasks", project_name=PROJECT, partitions=2, limited_response=True)
    with pytest.raises(ValueError, match="partitions"):
        await driver.collect("get_tasks", project_name=PROJECT, partitions=0)


# -- prefetch --------------------------------------------------------------------------------


def endless_pages(request: httpx.Request) -> httpx.Response:
    token = int(request.url.params.get("next_token") or 0)
    return ok(page_json([task_json(f"t{token}")], has_more=True, token=str(token + 1)))


async def test_prefetch_fetches_ahead_inside_the_block() -> None:
    script = Scripted(endless_pages)
    async with AsyncScaleClient("k", transport=httpx.MockTransport(script)) as client:
        plain = client.get_tasks(project_name="p", prefetch=3)
        assert (await plain.__anext__()).task_id == "t0"
        await anyio.sleep(0.05)
        assert len(script.requests) == 1  # no block: one page at a time
        script.requests.clear()
        async with client.get_tasks(project_name="p", prefetch=3) as tasks:
            assert (await tasks.__anext__()).task_id == "t0"
            await anyio.sleep(0.05)
            # The page in hand, three waiting, one more being fetched: then it waits.
            assert len(script.requests) == 5
            assert [t.task_id async for t, _ in _take(tasks, 3)] == ["t1", "t2", "t3"]
        fetched = len(script.requests)
        await anyio.sleep(0.05)
        assert len(script.requests) == fetched  # leaving the block stopped the fetching


async def _take(iterator: Any, count: int) -> AsyncIterator[tuple[Any, int]]:
    for n in range(count):
        yield await iterator.__anext__(), n


async def test_a_prefetch_failure_reaches_the_caller_where_it_reads() -> None:
    script = Scripted(
        ok(page_json([task_json("a")], has_more=True, token="2")),
        fail(404, "gone"),
    )
    seen: list[str] = []

    async def consume(client: AsyncScaleClient) -> None:
        async with client.get_tasks(project_name="p") as tasks:
            async for task in tasks:
                seen.append(task.task_id)

    async with AsyncScaleClient("k", transport=httpx.MockTransport(script)) as client:
        with pytest.raises(ScaleResourceNotFound, match="gone"):
            await consume(client)
    assert seen == ["a"]


async def test_bad_prefetch_is_refused() -> None:
    async with AsyncScaleClient("k") as client:
        with pytest.raises(ValueError, match="prefetch"):
            client.get_tasks(project_name="p", prefetch=-1)


class _Item:
    created_at = "2026-01-01T00:00:00.000Z"


@pytest.mark.parametrize("walk", ["one cursor", "windows"])
async def test_the_fetching_ahead_lets_go_of_pages_the_consumer_is_done_with(walk: str) -> None:
    """While the next page is fetched, the page before it is the consumer's alone: an item
    the consumer has dropped is freed at once (it used to live on, held by the fetching
    task until the next page came, and be seen by the garbage collector meanwhile)."""
    import weakref

    first: list[weakref.ref[_Item]] = []
    second_asked = anyio.Event()
    never = anyio.Event()

    async def page(index: int) -> list[_Item]:
        if index == 1:
            second_asked.set()
            await never.wait()
        items = [_Item(), _Item()]
        if index == 0:
            first.extend(weakref.ref(item) for item in items)
        return items

    async def by_cursor(cursor: Any) -> tuple[list[_Item], Any]:
        return await page(cursor or 0), (cursor or 0) + 1

    async def by_window(window: Window, token: str | None) -> tuple[list[_Item], str | None]:
        return await page(int(token or 0)), str(int(token or 0) + 1)

    async def windows() -> list[Window]:
        return [Window(None, None)]

    fetch: Any = by_cursor if walk == "one cursor" else Partitioned(by_window, windows, str)
    async with AsyncPageIterator(fetch, prefetch=1) as items:
        taken = [await items.__anext__(), await items.__anext__()]
        del taken
        await second_asked.wait()
        alive = [ref() is not None for ref in first]
    assert alive == [False, False]


async def test_pages_fetched_ahead_hold_json_and_tasks_are_built_as_reached(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A page waiting for the caller is its JSON; each task is built when the caller comes to
    it, so a listing's garbage is freed as it goes instead of a page at a time."""
    import scale_async._api.tasks as tasks_module

    built: list[str] = []
    real = tasks_module.structurer  # type: ignore[attr-defined]  # what get_tasks builds with

    def counting(*args: Any, **kwargs: Any) -> Any:
        one = real(*args, **kwargs)

        def build(doc: Any) -> Any:
            built.append(doc["task_id"])
            return one(doc)

        return build

    monkeypatch.setattr(tasks_module, "structurer", counting)
    script = Scripted(endless_pages)
    client = AsyncScaleClient("k", transport=httpx.MockTransport(script))
    async with client, client.get_tasks(project_name="p", prefetch=2) as tasks:
        first = await tasks.__anext__()
        await anyio.sleep(0.05)  # the pages ahead arrive meanwhile
        fetched = len(script.requests)
        second = await tasks.__anext__()
    assert fetched >= 3
    assert (first.task_id, second.task_id) == ("t0", "t1")
    assert built == ["t0", "t1"]


async def test_a_malformed_task_fails_where_the_caller_reaches_it() -> None:
    """The tasks before it come as they are; the bad one is the library's own error, on the
    async client and the sync one alike."""
    import scale_sync

    bad = task_json("b")
    del bad["status"]
    script = Scripted(lambda _: ok(page_json([task_json("a"), bad, task_json("c")])))
    seen: list[str] = []

    async def async_listing() -> None:
        client = AsyncScaleClient("k", transport=httpx.MockTransport(script))
        async with client, client.get_tasks(project_name="p") as tasks:
            async for task in tasks:
                seen.append(task.task_id)

    def sync_listing() -> None:
        with scale_sync.ScaleClient("k", transport=httpx.MockTransport(script)) as client:
            seen.extend(task.task_id for task in client.get_tasks(project_name="p"))

    with pytest.raises(ScaleInvalidResponse, match="status"):
        await async_listing()
    with pytest.raises(ScaleInvalidResponse, match="status"):
        await anyio.to_thread.run_sync(sync_listing)
    assert seen == ["a", "a"]

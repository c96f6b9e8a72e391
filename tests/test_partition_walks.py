"""Partitioned listings inside a block: a cursor per window, bounded, cancelled, rebalanced."""

from __future__ import annotations

import itertools
import random
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import anyio
import httpx
import pytest

import scale_sync
from scale_async import AsyncScaleClient, ScaleInvalidResponse, TaskType
from scale_async._engine.pagination import AsyncPageIterator, Partitioned
from scale_async._engine.partitions import (
    Progress,
    Walk,
    Window,
    format_time,
    parse_time,
    plan_splits,
    split,
)
from scale_async.testing import IN_PROCESS_BASE_URL, FakeScaleAPI
from tests.scripted import ok, page_json, task_json

T0 = datetime(2024, 5, 1, tzinfo=timezone.utc)
MS = timedelta(milliseconds=1)
Item = dict[str, Any]
Fetch = Callable[[Window, str | None], Awaitable[tuple[list[Item], str | None]]]


def at(ms: int) -> datetime:
    return T0 + ms * MS


def windows_of(*windows: Window) -> Callable[[], Awaitable[list[Window]]]:
    async def give() -> list[Window]:
        return list(windows)

    return give


def server(items: list[Item], size: int, *, jitter: random.Random | None = None) -> Fetch:
    """A keyset listing over ``items``, newest first, inclusive of both time bounds."""
    ordered = sorted(items, key=lambda item: (item["created_at"], item["id"]), reverse=True)

    async def fetch(window: Window, token: str | None) -> tuple[list[Item], str | None]:
        for _ in range(jitter.randrange(4) if jitter else 1):
            await anyio.lowlevel.checkpoint()
        bounds = window.query()
        low = parse_time(bounds["start_time"]) if "start_time" in bounds else None
        high = parse_time(bounds["end_time"]) if "end_time" in bounds else None
        inside = [
            item
            for item in ordered
            if (low is None or parse_time(item["created_at"]) >= low)
            and (high is None or parse_time(item["created_at"]) <= high)
        ]
        start = int(token or 0)
        page = inside[start : start + size]
        return page, str(start + size) if start + size < len(inside) else None

    return fetch


def item(n: int, ms: int) -> Item:
    return {"id": n, "created_at": format_time(at(ms))}


async def drain(walk: Partitioned[Item], prefetch: int = 2) -> list[Item]:
    async with AsyncPageIterator(walk, prefetch=prefetch) as items:
        return [one async for one in items]


# -- independent cursors -------------------------------------------------------------------------


async def test_a_slow_window_does_not_hold_back_the_others() -> None:
    """Window A's first page waits until B has fetched its last: rounds would never get there."""
    b_done = anyio.Event()
    fetched: list[tuple[str, int]] = []

    async def fetch(window: Window, token: str | None) -> tuple[list[Item], str | None]:
        name = "A" if window.end is not None else "B"
        page = int(token or 0)
        fetched.append((name, page))
        if name == "A" and page == 0:
            await b_done.wait()
        if name == "B" and page == 4:
            b_done.set()
        moment = at(10 + page) if name == "A" else at(1_000 + page)
        item = {"id": f"{name}{page}", "created_at": format_time(moment)}
        return [item], str(page + 1) if page < 4 else None

    walk = Partitioned(fetch, windows_of(Window(None, at(500)), Window(at(500), None)), _created)
    with anyio.fail_after(5):
        got = [one["id"] for one in await drain(walk)]
    assert got[:5] == ["B0", "B1", "B2", "B3", "B4"]
    assert sorted(got[5:]) == [f"A{n}" for n in range(5)]
    assert got[5:] == [f"A{n}" for n in range(5)]  # a window's own pages stay in order


async def test_without_a_block_the_windows_still_go_in_rounds() -> None:
    """Nothing runs between two calls there, so the slowest page of a round holds the rest."""
    calls: list[int] = []

    async def fetch(window: Window, token: str | None) -> tuple[list[Item], str | None]:
        page = int(token or 0)
        calls.append(page)
        return [item(page, page if window.end else 900 + page)], str(page + 1) if page < 2 else None

    walk = Partitioned(fetch, windows_of(Window(None, at(500)), Window(at(500), None)), _created)
    got = [one async for one in AsyncPageIterator(walk)]
    assert len(got) == 6
    assert calls == [0, 0, 1, 1, 2, 2]


def _created(one: Item) -> str | None:
    value = one.get("created_at")
    return value if isinstance(value, str) else None


async def test_pages_held_are_bounded_by_windows_and_prefetch() -> None:
    fetches = Counter[int]()

    async def endless(window: Window, token: str | None) -> tuple[list[Item], str | None]:
        index = 0 if window.start is None else 1 if window.end is not None else 2
        fetches[index] += 1
        page = int(token or 0)
        return [item(page, 100 * index + page % 50)], str(page + 1)

    three = split(at(0), at(300), 3)
    async with AsyncPageIterator(
        Partitioned(endless, windows_of(*three), _created), prefetch=2
    ) as items:
        first = await items.__anext__()
        await anyio.wait_all_tasks_blocked()
        # One page in hand, two in the buffer, one waiting to be handed over per window.
        assert sum(fetches.values()) == 1 + 2 + 3
        assert first["id"] == 0
        for _ in range(20):
            await items.__anext__()
        await anyio.wait_all_tasks_blocked()
        assert sum(fetches.values()) == 21 + 2 + 3
        assert min(fetches.values()) >= 1


async def test_leaving_the_block_cancels_every_walk() -> None:
    started = anyio.Event()
    cancelled: list[int] = []
    begun = 0

    async def hangs(window: Window, token: str | None) -> tuple[list[Item], str | None]:
        nonlocal begun
        if token is None:
            return [item(0 if window.end else 1, 5 if window.end else 600)], "next"
        begun += 1
        if begun == 2:
            started.set()
        try:
            await anyio.sleep_forever()
        finally:
            cancelled.append(1)
        raise AssertionError("unreachable")

    walk = Partitioned(hangs, windows_of(Window(None, at(500)), Window(at(500), None)), _created)
    with anyio.fail_after(5):
        async with AsyncPageIterator(walk, prefetch=1) as items:
            async for _ in items:
                await started.wait()
                break
    assert len(cancelled) == 2
    await anyio.sleep(0.01)
    assert begun == 2  # nothing fetched after the block


async def test_one_failing_window_stops_the_others_and_reaches_the_reader() -> None:
    cancelled: list[str] = []

    async def fetch(window: Window, token: str | None) -> tuple[list[Item], str | None]:
        if window.end is not None:
            await anyio.lowlevel.checkpoint()
            return [{"id": "no date"}], None  # no created_at: cannot be placed
        try:
            await anyio.sleep_forever()
        finally:
            cancelled.append("B")
        raise AssertionError("unreachable")

    walk = Partitioned(fetch, windows_of(Window(None, at(500)), Window(at(500), None)), _created)
    with anyio.fail_after(5), pytest.raises(ScaleInvalidResponse, match="created_at"):
        await drain(walk)
    assert cancelled == ["B"]


# -- splitting the rest of a busy walk -----------------------------------------------------------


def test_idle_walks_go_to_the_rest_with_most_pages_left() -> None:
    busy = Progress(low=at(0), newest=at(1_000), oldest=at(900), seen=100, page=100)
    light = Progress(low=at(0), newest=at(1_000), oldest=at(100), seen=200, page=100)
    plan = plan_splits([busy, None, light], 3)
    # busy has ~9 pages left in 900 ms, light ~0.25 page: every idle walk goes to busy.
    assert list(plan) == [0]
    assert plan[0] == [at(225), at(450), at(675)]
    assert plan_splits([light], 4) == {}
    assert plan_splits([None], 4) == {}
    assert plan_splits([busy], 0) == {}


def test_splits_stop_at_two_milliseconds_and_at_a_page_each() -> None:
    dense = Progress(low=at(0), newest=at(5), oldest=at(4), seen=100, page=100)
    assert plan_splits([dense], 5) == {0: [at(2)]}  # ~4 pages, but 4 ms make 2 pieces
    two_pages = Progress(low=at(0), newest=at(2_000), oldest=at(1_000), seen=200, page=100)
    assert plan_splits([two_pages], 5) == {0: [at(500)]}
    even = [two_pages, two_pages]
    assert plan_splits(even, 2) == {0: [at(500)], 1: [at(500)]}


def test_a_split_walk_keeps_the_newest_piece_and_hands_out_the_rest() -> None:
    first = split(at(0), at(1_000), 2)[0]
    walk = Walk(first)
    assert walk.progress() is None  # nothing seen yet
    walk.saw(at(480), at(400), 40)
    walk.saw(at(399), at(300), 40)
    assert walk.progress() == Progress(low=at(0), newest=at(480), oldest=at(300), seen=80, page=40)
    pieces = walk.split([at(100), at(200)])
    assert pieces == [Window(None, at(100)), Window(at(100), at(200))]
    assert pieces[0].floor == at(0)  # the open past keeps where it begins in practice
    assert walk.owns == Window(at(200), at(500))
    assert walk.asked == first  # its cursor stays tied to what it asked for
    progress = walk.progress()
    assert progress is not None
    assert progress.low == at(200)
    walk.running = False
    assert walk.progress() is None


@pytest.mark.parametrize("seed", range(8))
async def test_bunched_items_are_shared_out_and_each_comes_once(seed: int) -> None:
    """Items bunched in the first of four windows: walks split it, and nothing is lost."""
    rng = random.Random(seed)
    stamps = sorted(rng.randrange(0, 2_000) for _ in range(600))
    stamps += [1_000] * 15 + [0] * 5  # many on one millisecond, some on the floor itself
    items = [item(n, ms) for n, ms in enumerate(stamps)]
    fetch = server(items, rng.choice([7, 25, 60]), jitter=rng)
    walks: list[Window] = []

    async def counting(window: Window, token: str | None) -> tuple[list[Item], str | None]:
        if token is None:
            walks.append(window)
        return await fetch(window, token)

    windows = split(at(0), at(20_000), 4)
    walk = Partitioned(counting, windows_of(*windows), _created, newest_first=True)
    with anyio.fail_after(10):
        got = await drain(walk, prefetch=rng.choice([1, 3]))
    assert Counter(one["id"] for one in got) == Counter(range(len(items)))
    assert len(walks) > 4  # the busy window was split


async def test_a_split_window_still_comes_newest_first_per_walk() -> None:
    items = [item(n, n) for n in range(400)]  # one per millisecond, all in the first window
    walk = Partitioned(
        server(items, 10), windows_of(*split(at(0), at(8_000), 2)), _created, newest_first=True
    )
    got = [one["id"] for one in await drain(walk, prefetch=1)]
    assert sorted(got) == list(range(400))
    # Each walk hands over a run of ids going down; the runs interleave page by page.
    runs = 0
    for before, after in itertools.pairwise(got):
        runs += after > before
    assert 1 <= runs < 400


# -- through the client, against the fake ---------------------------------------------------------


async def test_partitioned_get_tasks_in_a_block_yields_each_task_once() -> None:
    fake = FakeScaleAPI(seed=4)
    async with AsyncScaleClient(
        "test_key", api_instance_url=IN_PROCESS_BASE_URL, transport=fake.transport()
    ) as client:
        await client.create_project("p", TaskType.Categorization)
        made = await client.create_tasks(
            TaskType.Categorization,
            (
                {
                    "attachment": f"https://example.invalid/{n}",
                    "categories": ["a"],
                    "instruction": "?",
                }
                for n in range(180)
            ),
            project="p",
        )
        ids = {one.task_id for one in made.succeeded}
        async with client.get_tasks(project_name="p", partitions=6, limit=9) as tasks:
            got = [task.task_id async for task in tasks]
    assert len(got) == len(set(got)) == 180
    assert set(got) == ids


def test_a_sync_loop_that_breaks_stops_every_cursor() -> None:
    """The sync client always walks in a block: a break ends it, and nothing is fetched after."""
    requests: list[str] = []
    lock = threading.Lock()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/projects/p"):
            return ok({"name": "p", "created_at": format_time(at(0))})
        with lock:
            requests.append(str(request.url))
        # Newest first from just inside the window asked for: its end, else a minute from now.
        end = request.url.params.get("end_time")
        top = parse_time(end) - 10 * MS if end else datetime.now(timezone.utc) + 60_000 * MS
        page = int(request.url.params.get("next_token") or 0)
        docs = [
            task_json(f"{bool(end)}-{page}-{n}", created_at=format_time(top - (10 * page + n) * MS))
            for n in range(10)
        ]
        return ok(page_json(docs, has_more=True, token=str(page + 1)))

    client = scale_sync.ScaleClient("k", transport=httpx.MockTransport(handler))
    try:
        for seen, _task in enumerate(client.get_tasks(project_name="p", partitions=2), 1):
            if seen == 25:
                break
        with lock:
            fetched = len(requests)
        time.sleep(0.1)
        with lock:
            assert len(requests) == fetched
        assert 3 <= fetched <= 3 + 2 + 2 + 2  # pages read, buffered, waiting, in flight
    finally:
        client.close()

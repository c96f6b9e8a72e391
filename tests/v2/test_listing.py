"""Every v2 cursor as an iterator: all items exactly once, with prefetch and partitions."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from scale_async import AsyncScaleClient
from scale_async.testing import IN_PROCESS_BASE_URL, FakeScaleAPI
from scale_async.v2 import DatasetDelivery, TaskStatus
from tests.drivers import make_driver
from tests.v2.support import V2

pytestmark = pytest.mark.anyio


class Counting(FakeScaleAPI):
    """The fake, counting the v2 requests per path and the most in flight at once."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.paths: Counter[str] = Counter()
        self.in_flight = 0
        self.most_in_flight = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        counted = scope["type"] == "http" and scope["path"].startswith("/v2/")
        if counted:
            self.paths[scope["path"]] += 1
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            await super().__call__(scope, receive, send)
        finally:
            if counted:
                self.in_flight -= 1


@pytest.fixture
def counting() -> Counting:
    return Counting(seed=9, latency=0.002)


@pytest.fixture
def ids(counting: Counting) -> dict[str, Any]:
    return counting.seed_v2("test_listing", "p", tasks=230)


@pytest.fixture
async def lister(client_kind: str, counting: Counting) -> AsyncIterator[V2]:
    driver = make_driver(
        client_kind,
        None,
        api_key="test_listing",
        api_instance_url=IN_PROCESS_BASE_URL,
        transport=counting.transport(),
    )
    yield V2(driver)
    await driver.aclose()


async def test_iter_tasks_walks_every_page(
    lister: V2, ids: dict[str, Any], counting: Counting
) -> None:
    tasks = await lister.collect("iter_tasks", project_name="p", limit=20)
    assert len(tasks) == 233
    assert len({t.task_id for t in tasks}) == 233
    assert counting.paths["/v2/tasks"] == 12  # ceil(233 / 20)


@pytest.mark.parametrize("partitions", [2, 8])
async def test_partitions_yield_every_completed_task_exactly_once(
    lister: V2, ids: dict[str, Any], counting: Counting, partitions: int
) -> None:
    whole = await lister.collect("iter_tasks", project_name="p", status="completed")
    split = await lister.collect(
        "iter_tasks", project_name="p", status=TaskStatus.COMPLETED, partitions=partitions, limit=25
    )
    assert Counter(t.task_id for t in split) == Counter(t.task_id for t in whole)
    assert len(split) == 233
    assert counting.most_in_flight >= 2  # the windows really were walked at once
    assert counting.paths["/v2/project"] == 1  # where the windows start: the project's creation


async def test_partitions_respect_the_callers_bounds(lister: V2, ids: dict[str, Any]) -> None:
    everything = await lister.collect("iter_tasks", project_name="p", status="completed")
    stamps = sorted(t.completed_at for t in everything if t.completed_at)
    low, high = stamps[40], stamps[180]
    inside = [t.task_id for t in everything if t.completed_at and low <= t.completed_at <= high]
    split = await lister.collect(
        "iter_tasks",
        project_name="p",
        status="completed",
        completed_after=low,
        completed_before=high.isoformat(),
        partitions=4,
    )
    assert sorted(t.task_id for t in split) == sorted(inside)


async def test_partitions_need_completed_status(lister: V2, ids: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="completed"):
        await lister.collect("iter_tasks", project_name="p", partitions=4)
    with pytest.raises(ValueError, match="partitions"):
        await lister.collect("iter_tasks", project_name="p", status="completed", partitions=0)


async def test_iter_batches_partitions_on_created_at(lister: V2, ids: dict[str, Any]) -> None:
    for n in range(9):
        await lister.call("create_batch", name=f"batch {n}", project_name="p")
    whole = await lister.collect("iter_batches", project_name="p", limit=2)
    split = await lister.collect("iter_batches", project_name="p", limit=2, partitions=3)
    assert len(whole) == 10
    assert sorted(b.id for b in split) == sorted(b.id for b in whole)


async def test_delivery_and_dataset_cursors(lister: V2, ids: dict[str, Any]) -> None:
    delivered = await lister.collect("iter_delivery", delivery_id=ids["delivery_id"], limit=1)
    assert [t.task_id for t in delivered] == ids["task_ids"]
    docs = await lister.collect("iter_delivery_tasks", delivery_id=ids["delivery_id"], limit=2)
    assert [d.task_id for d in docs] == ids["task_ids"]
    first = ids["dataset_delivery_ids"][0]
    in_delivery = await lister.collect("iter_dataset_delivery", delivery_id=first, limit=1)
    assert [t.task_id for t in in_delivery] == ids["dataset_task_ids"][:2]
    ds = await lister.collect("iter_dataset_tasks", dataset_id=ids["dataset_id"], limit=1)
    assert [t.task_id for t in ds] == ids["dataset_task_ids"]
    split = await lister.collect(
        "iter_dataset_tasks", dataset_id=ids["dataset_id"], limit=1, partitions=2
    )
    assert sorted(t.task_id for t in split) == sorted(ids["dataset_task_ids"])
    assert all(isinstance(t.delivery, DatasetDelivery) for t in split)  # expanded to place them


async def test_leaving_a_prefetching_loop_stops_fetching(
    counting: Counting, ids: dict[str, Any]
) -> None:
    async with AsyncScaleClient(
        "test_listing", api_instance_url=IN_PROCESS_BASE_URL, transport=counting.transport()
    ) as client:
        async with client.v2.iter_tasks(project_name="p", limit=10, prefetch=2) as tasks:
            async for _ in tasks:
                break
        fetched = counting.paths["/v2/tasks"]
        assert 1 <= fetched <= 4  # the first page and at most the prefetched ones
        page = await client.v2.get_tasks(project_name="p", limit=1)
        assert len(page.tasks) == 1
    assert counting.paths["/v2/tasks"] == fetched + 1


async def test_a_window_past_now_is_empty(lister: V2, ids: dict[str, Any]) -> None:
    later = datetime.now(timezone.utc) + timedelta(days=1)
    found = await lister.collect(
        "iter_tasks", project_name="p", status="completed", completed_after=later, partitions=3
    )
    assert found == []

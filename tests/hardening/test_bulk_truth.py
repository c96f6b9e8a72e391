"""Issue 14.9 and 14.10: a bulk job reports what the server holds, and outlasts transient faults."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from scale_async import AsyncScaleClient, CreatedTask, FailedItem, TaskType
from scale_async._engine.chances import SecondChances
from scale_async.testing import IN_PROCESS_BASE_URL, FakeScaleAPI, FaultConfig
from tests.drivers import Sleeps, fast_policy

PROJECT = "hardening"
KIND = TaskType.Categorization


class Counting(httpx.AsyncBaseTransport):
    """Passes requests on, counting creates and the unique_ids of each look-up."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.creates = 0
        self.lookups: list[list[str]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path.startswith("/v1/task/"):
            self.creates += 1
        if request.url.path == "/v1/tasks" and "unique_id" in request.url.params:
            self.lookups.append(request.url.params.get_list("unique_id"))
        return await self.inner.handle_async_request(request)


def payloads(count: int) -> list[dict[str, Any]]:
    return [
        {
            "instruction": "Which?",
            "attachment": f"https://example.invalid/{n}.png",
            "attachment_type": "image",
            "categories": ["a", "b"],
            "metadata": {"n": n},
        }
        for n in range(count)
    ]


async def open_client(fake: FakeScaleAPI, max_retries: int) -> tuple[AsyncScaleClient, Counting]:
    counting = Counting(fake.transport())
    client = AsyncScaleClient(
        "test_key_for_bulk",
        api_instance_url=IN_PROCESS_BASE_URL,
        transport=counting,
        retry=fast_policy(Sleeps(), max_retries=max_retries),
    )
    await client.create_project(PROJECT, KIND)
    return client, counting


async def stored_unique_ids(client: AsyncScaleClient) -> set[str]:
    return {
        task.unique_id async for task in client.get_tasks(project_name=PROJECT) if task.unique_id
    }


async def test_failures_that_were_stored_are_reported_created() -> None:
    """30% commit-then-500 and no per-request retries: every stored task is reported created."""
    fake = FakeScaleAPI(seed=3, faults=FaultConfig(commit_then_fail=0.3))
    client, counting = await open_client(fake, max_retries=0)
    async with client:
        result = await client.create_tasks(KIND, payloads(60), project=PROJECT, concurrency=16)
        stored = await stored_unique_ids(client)
    assert fake.stats.faults_injected >= 10  # the faults did happen
    reported = {item.unique_id for item in result.succeeded}
    assert result.total == 60
    assert reported == stored  # what the report says created is exactly what the server holds
    assert result.failed == [], [str(item.error) for item in result.failed]
    # The look-ups were shared: fewer requests than failures looked up, some with many ids.
    looked_up = sum(len(ids) for ids in counting.lookups)
    assert looked_up >= 10
    assert len(counting.lookups) < looked_up
    assert max(len(ids) for ids in counting.lookups) > 1


async def test_transient_faults_do_not_become_failures() -> None:
    """20% 429/5xx/dropped/commit-then-500 with one retry per request: nothing fails."""
    faults = FaultConfig(
        rate_limited=0.04,
        server_error=0.04,
        unavailable=0.04,
        drop_connection=0.04,
        commit_then_fail=0.04,
        retry_after=1,
    )
    fake = FakeScaleAPI(seed=8, faults=faults)
    client, _ = await open_client(fake, max_retries=1)
    async with client:
        result = await client.create_tasks(KIND, payloads(400), project=PROJECT, concurrency=32)
        stored = await stored_unique_ids(client)
    # Each item fails its 2 attempts with p = 0.2^2 = 4%: ~16 failures without more chances.
    assert [str(item.error) for item in result.failed] == []
    assert len(result.succeeded) == 400
    assert {item.unique_id for item in result.succeeded} == stored
    assert fake.stats.tasks_created == 400


async def test_a_server_that_is_gone_gets_no_extra_tries() -> None:
    """Every request a 503: each item costs its retry policy's attempts, no more."""
    fake = FakeScaleAPI(seed=1)
    client, counting = await open_client(fake, max_retries=1)
    fake.configure(faults=FaultConfig(unavailable=1.0))
    async with client:
        result = await client.create_tasks(KIND, payloads(50), project=PROJECT, concurrency=8)
    assert len(result.failed) == 50
    assert all(isinstance(item, FailedItem) for item in result.failed)
    assert counting.creates == 50 * 2  # no second chances: no request succeeded
    # One look-up round was tried (and failed, with its retry); then no more asking.
    assert len(counting.lookups) <= 2


async def test_a_server_that_dies_mid_job_costs_a_bounded_budget() -> None:
    fake = FakeScaleAPI(seed=1)
    client, counting = await open_client(fake, max_retries=1)
    answered = 0
    inner = counting.inner

    class Dying(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            nonlocal answered
            answered += 1
            if answered > 40:
                return httpx.Response(503, json={"error": "gone"})
            return await inner.handle_async_request(request)

    counting.inner = Dying()
    async with client:
        result = await client.create_tasks(KIND, payloads(300), project=PROJECT, concurrency=8)
    budget = SecondChances(clock=lambda: 0.0)
    extra_allowed = budget.budget + int(budget.per_item * 300)
    assert result.total == 300
    assert isinstance(result.succeeded[0], CreatedTask)
    assert counting.creates <= 300 * 2 + extra_allowed * 2


@pytest.mark.parametrize("rounds", [0, 1, 3])
def test_second_chances_are_bounded(rounds: int) -> None:
    from scale_async import ScaleServiceUnavailable, ScaleTransportError

    now = [0.0]
    chances = SecondChances(clock=lambda: now[0], rounds=rounds, budget=2, per_item=0.0)
    busy = ScaleServiceUnavailable("busy")
    assert not chances.allow(busy, 0)  # no success yet: the server may be gone
    chances.succeeded()
    given = [chances.allow(busy, tries) for tries in range(5)]
    assert given == [tries < min(rounds, 2) for tries in range(5)]
    assert not chances.allow(ScaleTransportError("refused", sent=False), 0)
    now[0] = 31.0  # the last success is stale
    assert not chances.allow(busy, 0) or chances.spent <= 2

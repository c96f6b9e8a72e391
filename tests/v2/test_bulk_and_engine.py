"""Bulk v2 work, and the engine under v2: retries, error bodies, timeouts, key redaction."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import anyio
import httpx
import pytest

from scale_async import (
    AsyncScaleClient,
    BulkError,
    JobStopped,
    ScaleInternalError,
    ScaleInvalidResponse,
    ScaleTooManyRequests,
    ScaleTransportError,
    ScaleUnauthorized,
)
from scale_async.testing import IN_PROCESS_BASE_URL, FakeScaleAPI, FaultConfig, run_in_thread
from scale_async.v2 import BatchDone, BatchFailure, CreateChatTaskRequest, CreatedChatTask, Task
from tests.drivers import Sleeps, fast_policy, make_driver
from tests.v2.support import V2

pytestmark = pytest.mark.anyio

KEY = "test_bulk_v2"


@pytest.fixture
def fake() -> FakeScaleAPI:
    return FakeScaleAPI(seed=4)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
async def bulk(client_kind: str, fake: FakeScaleAPI, sleeps: Sleeps) -> AsyncIterator[V2]:
    fake.seed_v2(KEY, "p")
    driver = make_driver(
        client_kind,
        None,
        api_key=KEY,
        api_instance_url=IN_PROCESS_BASE_URL,
        transport=fake.transport(),
        retry=fast_policy(sleeps, max_retries=3),
    )
    yield V2(driver)
    await driver.aclose()


async def test_create_chat_tasks_accounts_for_every_input(bulk: V2) -> None:
    payloads: list[Any] = [{"template_variables": {"prompt": f"q{n}"}} for n in range(25)]
    payloads[3] = {"template_variables": {"prompt": "q3"}, "unknown": 1}
    payloads[7] = CreateChatTaskRequest(project_name="nope")
    payloads[9] = "not a payload"
    result = await bulk.call("create_chat_tasks", payloads, project_name="p", concurrency=5)
    assert result.total == 25
    assert [f.index for f in result.failed] == [3, 7, 9]
    assert "unknown" in str(result.failed[0].error)
    assert result.failed[1].error.code == 404  # the project does not exist: a server answer
    assert isinstance(result.failed[2].error, TypeError)
    assert [c.index for c in result.succeeded] == [n for n in range(25) if n not in (3, 7, 9)]
    assert all(isinstance(t, Task) and t.status == "completed" for t in result.tasks)
    assert len({t.task_id for t in result.tasks}) == 22
    with pytest.raises(BulkError, match="3 of 25 inputs failed; first, input 3"):
        result.raise_for_errors()


async def test_create_chat_tasks_from_an_async_generator(fake: FakeScaleAPI) -> None:
    fake.seed_v2(KEY, "p")

    async def payloads() -> AsyncIterator[dict[str, Any]]:
        for n in range(12):
            yield {"project_name": "p", "metadata": {"n": n}}

    async with (
        AsyncScaleClient(
            KEY, api_instance_url=IN_PROCESS_BASE_URL, transport=fake.transport()
        ) as client,
        client.v2.stream_create_chat_tasks(payloads(), concurrency=4) as results,
    ):
        seen = [r async for r in results]
    assert sorted(r.index for r in seen) == list(range(12))
    created = [r for r in seen if isinstance(r, CreatedChatTask)]
    assert {(r.task.metadata or {})["n"] for r in created} == set(range(12))


async def test_a_create_is_never_replayed_after_the_server_may_have_acted(
    bulk: V2, fake: FakeScaleAPI
) -> None:
    fake.enqueue_faults("commit_then_fail")
    before = len((await bulk.call("get_tasks", project_name="p")).tasks)
    with pytest.raises(ScaleInternalError):
        await bulk.call("create_chat_task", project_name="p")
    after = (await bulk.call("get_tasks", project_name="p")).tasks
    assert len(after) == before + 1  # stored once, reported failed, not sent again


async def test_reads_retry_429_and_5xx(bulk: V2, fake: FakeScaleAPI, sleeps: Sleeps) -> None:
    fake.enqueue_faults("rate_limited", "server_error", "drop_connection")
    projects = await bulk.call("get_projects")
    assert [p.name for p in projects.projects] == ["p"]
    assert len(sleeps.calls) == 3


async def test_v2_errors_are_the_same_exception_classes(bulk: V2, fake: FakeScaleAPI) -> None:
    fake.configure(faults=FaultConfig(rate_limited=1.0))
    with pytest.raises(ScaleTooManyRequests) as raised:
        await bulk.call("get_datasets")
    assert raised.value.retries == 3
    fake.configure(faults=FaultConfig())


async def test_batch_operations_over_many_batches(bulk: V2) -> None:
    made = [await bulk.call("create_batch", name=f"b{n}", project_name="p") for n in range(6)]
    paused = await bulk.call("pause_batches", [b.id for b in made[:4]], concurrency=3)
    assert sorted(d.batch for d in paused.done) == sorted(b.id for b in made[:4])
    assert all(isinstance(d, BatchDone) and d.result.batch.status == "paused" for d in paused.done)
    resumed = await bulk.call("resume_batches", [b.name for b in made], by="name")
    assert len(resumed.done) == 4
    assert sorted(f.batch for f in resumed.failed) == ["b4", "b5"]  # were never paused
    assert all(isinstance(f, BatchFailure) for f in resumed.failed)
    with pytest.raises(BulkError, match="2 of 6 batches failed"):
        resumed.raise_for_errors()
    cancelled = await bulk.call("cancel_batches", made)
    assert cancelled.total == 6
    assert not cancelled.failed
    finalized = await bulk.call("finalize_batches", ["", "missing-id"])
    assert [f.batch for f in finalized.failed] == ["", "missing-id"]
    assert isinstance(finalized.failed[0].error, ValueError)


async def test_bad_credentials_stop_a_bulk_job(fake: FakeScaleAPI, client_kind: str) -> None:
    driver = make_driver(
        client_kind,
        None,
        api_key="bad key",
        api_instance_url=IN_PROCESS_BASE_URL,
        transport=fake.transport(),
    )
    v2 = V2(driver)
    try:
        result = await v2.call("create_chat_tasks", [{"project_name": "p"}] * 50, concurrency=2)
    finally:
        await driver.aclose()
    assert isinstance(result.stopped_early, ScaleUnauthorized)
    # The job ended at the first refusal: only what was in flight or buffered was read.
    assert 1 <= result.total < 50
    assert result.total == len(result.failed)
    assert all(isinstance(f.error, ScaleUnauthorized | JobStopped) for f in result.failed)


async def test_the_key_never_shows(fake: FakeScaleAPI) -> None:
    secret = "test_secret_key_0123456789"
    transport = httpx.MockTransport(
        lambda request: httpx.Response(
            500, json={"status_code": 500, "error": f"boom for {request.headers['authorization']}"}
        )
    )
    async with AsyncScaleClient(
        secret, transport=transport, retry=fast_policy(Sleeps(), max_retries=0)
    ) as client:
        with pytest.raises(ScaleInternalError) as raised:
            await client.v2.get_datasets()
        assert secret not in repr(client.v2)
    text = f"{raised.value!r} {raised.value}"
    assert secret not in text
    assert "[redacted]" in text


async def test_timeouts_are_the_clients() -> None:
    with run_in_thread(latency=0.5) as server:
        async with AsyncScaleClient(
            KEY,
            api_instance_url=server.base_url,
            timeout=0.05,
            retry=fast_policy(Sleeps(), max_retries=0),
        ) as client:
            with pytest.raises(ScaleTransportError) as raised:
                await client.v2.get_datasets()
    assert raised.value.path == "v2/datasets"


async def test_closing_the_client_closes_the_v2_pool(fake: FakeScaleAPI) -> None:
    client = AsyncScaleClient(KEY, api_instance_url=IN_PROCESS_BASE_URL, transport=fake.transport())
    await client.v2.get_datasets()
    assert client.v2._session.is_open
    await client.aclose()
    assert not client.v2._session.is_open
    await client.v2.get_datasets()  # reopened on use, as v1's pool is
    client._forget_connections()  # after fork(): both pools are dropped, not closed
    assert not client.v2._session.is_open


@pytest.mark.parametrize(
    ("method", "path", "key"),
    [("iter_tasks", "tasks", "tasks"), ("iter_batches", "batches", "batches")],
)
async def test_a_cursor_served_twice_is_an_error(method: str, path: str, key: str) -> None:
    """A server that answers with the same next_token forever would be paged forever."""
    requests: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return httpx.Response(200, json={key: [], "next_token": "again"})

    async with AsyncScaleClient(KEY, transport=httpx.MockTransport(answer)) as client:
        with anyio.fail_after(10), pytest.raises(ScaleInvalidResponse) as raised:
            async for _ in getattr(client.v2, method)(project_name="p"):
                pass
    assert "again" in raised.value.message
    assert (raised.value.method, raised.value.path) == ("GET", path)
    assert len(requests) == 2

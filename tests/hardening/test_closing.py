"""Issue 14.13 and 14.14: closing under a caller, and abandoning an iteration, end cleanly."""

from __future__ import annotations

import gc
import json
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from typing import Any

import anyio
import pytest

import scale_sync
from scale_async import JobStopped, RetryPolicy, ScaleClientClosed, ScaleException

from .loopback import Loopback, Request, response, serving
from .support import API_KEY, client_for, no_sleep, page, task_json


def slow(delay: float) -> Any:
    """A server that takes ``delay`` seconds over every answer; pages never end."""

    def answer(request: Request) -> bytes:
        time.sleep(delay)
        if request.path.endswith("/tasks"):
            token = request.query.get("next_token", ["0"])[0]
            following = str(int(token) + 1)
            return response(
                200, page([task_json(f"t{token}")], has_more=True, next_token=following)
            )
        if request.method == "POST":
            body = json.loads(request.body)
            return response(200, json.dumps(task_json(body["unique_id"])).encode())
        return response(200, json.dumps(task_json()).encode())

    return answer


def sync_client(server: Loopback) -> scale_sync.ScaleClient:
    return scale_sync.ScaleClient(
        API_KEY, api_instance_url=server.url, retry=RetryPolicy(max_retries=0, sleep=no_sleep)
    )


def in_thread(work: Any) -> tuple[threading.Thread, dict[str, Any]]:
    """Run ``work()`` on a thread; the box gets its result or its exception."""
    box: dict[str, Any] = {}

    def run() -> None:
        started = time.perf_counter()
        try:
            box["result"] = work()
        except BaseException as exc:  # the test inspects whatever came out
            box["error"] = exc
        box["elapsed"] = time.perf_counter() - started

    thread = threading.Thread(target=run)
    thread.start()
    return thread, box


def test_close_from_another_thread_gives_the_caller_a_typed_error() -> None:
    with serving(slow(1.5)) as server:
        client = sync_client(server)
        thread, box = in_thread(lambda: client.get_task("t1"))
        time.sleep(0.3)
        client.close()
        thread.join(10)
    assert not thread.is_alive()
    error = box.get("error")
    assert isinstance(error, ScaleClientClosed), repr(error)
    assert isinstance(error, ScaleException)
    assert (error.method, error.path) == ("GET", "task/t1")
    assert box["elapsed"] < 1.2  # cut at the close, not at the answer


def test_close_from_another_thread_while_iterating_gives_a_typed_error() -> None:
    with serving(slow(0.2)) as server:
        client = sync_client(server)
        seen: list[str] = []

        def walk() -> None:
            for task in client.get_tasks(project_name="p"):
                seen.append(task.task_id)

        thread, box = in_thread(walk)
        time.sleep(0.7)
        client.close()
        thread.join(10)
    assert not thread.is_alive()
    assert isinstance(box.get("error"), ScaleClientClosed), repr(box.get("error"))
    assert seen  # what came before the close came through


def test_close_under_a_bulk_job_returns_what_it_has() -> None:
    payloads = [{"instruction": f"n{n}", "unique_id": f"u{n}"} for n in range(40)]
    with serving(slow(0.15)) as server:
        client = sync_client(server)
        thread, box = in_thread(
            lambda: client.create_tasks("categorization", payloads, project="p", concurrency=2)
        )
        time.sleep(0.8)
        client.close()
        thread.join(15)
    assert not thread.is_alive()
    result = box.get("result")
    assert result is not None, repr(box.get("error"))
    # Every input read is accounted for, in order, none twice; as for any early stop, the
    # inputs after those were not consumed (stopped_early says why).
    indices = sorted([i.index for i in result.succeeded] + [i.index for i in result.failed])
    assert indices == list(range(result.total))
    assert 0 < len(result.succeeded) < result.total <= len(payloads)
    assert isinstance(result.stopped_early, ScaleClientClosed)
    reasons = {type(item.error) for item in result.failed}
    assert reasons <= {ScaleClientClosed, JobStopped}
    created = {item.unique_id for item in result.succeeded}
    assert created <= {p["unique_id"] for p in payloads}
    assert box["elapsed"] < 6


@pytest.fixture
def unraisable() -> Iterator[list[Any]]:
    """Every "Exception ignored in ..." the interpreter would print."""
    caught: list[Any] = []
    previous = sys.unraisablehook
    sys.unraisablehook = caught.append
    try:
        yield caught
    finally:
        sys.unraisablehook = previous


def test_break_close_collect_prints_nothing(unraisable: list[Any]) -> None:
    with serving(slow(0)) as server:
        client = sync_client(server)
        tasks = iter(client.get_tasks(project_name="p"))
        assert next(tasks).task_id == "t0"
        client.close()
        del tasks
        gc.collect()
    assert [str(u.exc_value) for u in unraisable] == []


async def test_cancelled_iteration_leaves_no_unclosed_stream(unraisable: list[Any]) -> None:
    async def walk(client: Any) -> None:
        with anyio.move_on_after(0.5):
            async with client.get_tasks(project_name="p", prefetch=2) as tasks:
                async for _ in tasks:
                    await anyio.sleep(0.05)

    with serving(slow(0.3)) as server:
        async with client_for(server.url) as client:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                await walk(client)
                gc.collect()
    assert [str(w.message) for w in caught if w.category is ResourceWarning] == []
    assert [str(u.exc_value) for u in unraisable] == []


async def test_aclose_from_another_task_ends_the_call_with_a_typed_error() -> None:
    with serving(slow(1.5)) as server:
        client = client_for(server.url)
        box: dict[str, BaseException] = {}

        async def fetch() -> None:
            try:
                await client.get_task("t1")
            except ScaleException as exc:
                box["error"] = exc

        started = time.perf_counter()
        async with anyio.create_task_group() as group:
            group.start_soon(fetch)
            await anyio.sleep(0.3)
            await client.aclose()
        elapsed = time.perf_counter() - started
    assert isinstance(box["error"], ScaleClientClosed)
    assert elapsed < 1.2  # cut at the close, not at the answer


async def test_aclose_under_a_rate_limited_job_sends_nothing_more() -> None:
    """Items waiting at the rate limiter when the client closes are not sent after it."""
    payloads = [{"instruction": f"n{n}", "unique_id": f"u{n}"} for n in range(30)]
    with serving(slow(0)) as server:
        client = client_for(server.url, retry=RetryPolicy(max_retries=0))  # real waiting
        box: dict[str, Any] = {}

        async def job() -> None:
            box["result"] = await client.create_tasks(
                "categorization", payloads, project="p", concurrency=4, rate_limit=10
            )

        async with anyio.create_task_group() as group:
            group.start_soon(job)
            await anyio.sleep(0.5)
            sent_before_close = len(server.requests)
            await client.aclose()
        sent = len(server.requests)
    result = box["result"]
    assert isinstance(result.stopped_early, ScaleClientClosed)
    indices = sorted([i.index for i in result.succeeded] + [i.index for i in result.failed])
    assert indices == list(range(result.total))
    assert sent <= sent_before_close + 1  # at most one already on its way

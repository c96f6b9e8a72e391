"""The lean request path: workers no more than inputs, transport errors named by their cause,
certificate failures not retried, a dead server ending a bulk job early, deadlines that cut
the attempt in flight. Real sockets on 127.0.0.1 where the transport matters.
"""

from __future__ import annotations

import gc
import gzip
import json
import time
from typing import Any

import anyio
import anyio.lowlevel
import httpx
import pytest

from scale_async import AsyncScaleClient, JobStopped, RetryPolicy, ScaleTransportError
from scale_async._engine.jobs import UNREACHABLE_STREAK
from tests.scripted import task_json
from tests.test_network import (
    Certs,
    RawServer,
    certs,
    client_for,
    free_port,
    http_server,
    port_of,
    server_tls,
)

__all__ = ["certs"]  # the fixture, shared with test_network


def _payloads(n: int) -> list[dict[str, Any]]:
    return [
        {"attachment": f"https://example.invalid/{i}.png", "metadata": {"i": i}} for i in range(n)
    ]


async def test_three_payloads_at_huge_concurrency_start_three_workers() -> None:
    """Workers are started as inputs arrive: concurrency=100_000 over 3 payloads is instant
    (it used to start 100,000 workers: 14 s and 789 MB)."""
    served = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal served
        served += 1
        return httpx.Response(200, json=task_json(f"t{served}"))

    transport = httpx.MockTransport(handler)
    async with AsyncScaleClient("test_key", transport=transport) as client:
        with anyio.fail_after(5):
            result = await client.create_tasks(
                "categorization", _payloads(3), project="p", concurrency=100_000
            )
    assert result.failed == []
    assert [item.index for item in result.succeeded] == [0, 1, 2]
    assert served == 3


async def test_connection_refused_says_so() -> None:
    """Not ``ConnectTimeout`` (httpx-aiohttp's name for every connection error)."""
    async with client_for(f"http://127.0.0.1:{free_port()}/v1") as client:
        with anyio.fail_after(5), pytest.raises(ScaleTransportError) as info:
            await client.get_task("abc")
    assert info.value.message.startswith("connection refused")
    assert "timeout" not in info.value.message.lower()
    assert info.value.sent is False


async def test_certificate_failure_is_named_and_not_retried(certs: Certs) -> None:
    sleeps: list[float] = []

    async def record(seconds: float) -> None:
        sleeps.append(seconds)

    policy = RetryPolicy(max_retries=3, sleep=record)
    with http_server(server_tls(certs)) as server:
        url = f"https://127.0.0.1:{port_of(server)}/v1"
        async with client_for(url, retry=policy) as client:
            with anyio.fail_after(5), pytest.raises(ScaleTransportError) as info:
                await client.get_task("abc")
    assert info.value.message.startswith("certificate verify failed")
    assert "timeout" not in info.value.message.lower()
    assert info.value.retryable is False
    assert info.value.retries == 0
    assert sleeps == []
    assert server.seen == []


async def test_a_bulk_job_against_a_dead_server_stops_early() -> None:
    """Once requests in a row could not reach the server at all, even after their retries,
    the job stops as for a bad key: every input read is accounted for, the rest not read."""
    policy = RetryPolicy(max_retries=2, sleep=lambda _: anyio.lowlevel.checkpoint())
    async with client_for(f"http://127.0.0.1:{free_port()}/v1", retry=policy) as client:
        with anyio.fail_after(10):
            result = await client.create_tasks(
                "categorization", _payloads(200), project="p", concurrency=4
            )
    assert isinstance(result.stopped_early, ScaleTransportError)
    assert result.stopped_early.sent is False
    assert result.succeeded == []
    assert UNREACHABLE_STREAK <= result.total < UNREACHABLE_STREAK + 4
    assert [item.index for item in result.failed] == list(range(result.total))
    assert all(isinstance(item.error, ScaleTransportError | JobStopped) for item in result.failed)


async def test_a_v2_bulk_job_against_a_dead_server_stops_early_too() -> None:
    """v2's chat-task jobs stop by the same rule as v1's (they used to fail every input)."""
    policy = RetryPolicy(max_retries=2, sleep=lambda _: anyio.lowlevel.checkpoint())
    payloads = [{"project_name": "p", "template_variables": {"n": n}} for n in range(200)]
    async with client_for(f"http://127.0.0.1:{free_port()}/v1", retry=policy) as client:
        with anyio.fail_after(10):
            result = await client.v2.create_chat_tasks(payloads, concurrency=4)
    assert isinstance(result.stopped_early, ScaleTransportError)
    assert UNREACHABLE_STREAK <= result.total < UNREACHABLE_STREAK + 4
    assert all(isinstance(item.error, ScaleTransportError | JobStopped) for item in result.failed)


async def test_the_deadline_cuts_the_attempt_in_flight() -> None:
    """deadline=1.5 with a 1 s read timeout against a server that never answers: the second
    attempt is cut at 1.5 s (it used to run its full timeout, ending at about 2.1 s)."""
    policy = RetryPolicy(deadline=1.5, initial_delay=0.1, jitter=0.0)
    with RawServer("hang") as server:
        url = f"http://127.0.0.1:{server.port}/v1"
        async with client_for(url, retry=policy, timeout=1.0) as client:
            started = time.monotonic()
            with anyio.fail_after(10), pytest.raises(ScaleTransportError) as info:
                await client.get_task("abc")
            elapsed = time.monotonic() - started
    assert 1.4 <= elapsed < 1.8
    assert "deadline" in info.value.message
    assert info.value.retries == 1


async def test_a_gzip_body_is_decoded_on_every_transport() -> None:
    """The asyncio path reads aiohttp's bytes itself; an encoded body is still decoded."""
    body = gzip.compress(json.dumps(task_json("abc")).encode())
    reply = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
        + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
        + body
    )
    with RawServer("reply", reply) as server:
        async with client_for(f"http://127.0.0.1:{server.port}/v1") as client:
            task = await client.get_task("abc")
    assert task.task_id == "abc"


async def test_a_call_leaves_nothing_for_the_cycle_collector() -> None:
    """A call's bookkeeping is freed when the call returns: it used to refer to itself, so
    every request left two objects that only the cycle collector frees (a listing or a bulk
    job makes thousands of requests, and collections of the older generations grow costly)."""
    from scale_async._engine.requester import Call, _Attempts

    transport = httpx.MockTransport(lambda _: httpx.Response(200, json=task_json("t1")))
    async with AsyncScaleClient("live_k", transport=transport) as client:
        await client.get_task("t1")
        gc.collect()
        gc.disable()
        gc.set_debug(gc.DEBUG_SAVEALL)
        try:
            for _ in range(5):
                await client.get_task("t1")
            gc.collect()
            left = [o for o in gc.garbage if isinstance(o, Call | _Attempts)]
        finally:
            gc.set_debug(0)
            gc.garbage.clear()
            gc.enable()
    assert left == []

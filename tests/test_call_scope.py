"""One scope per logical call: its deadline bounds every part of the call (the attempt in
flight, the waits between attempts, a 409 recovery's lookup), and the client's close cuts
every part of it too. Real sockets on 127.0.0.1; each case waits on real time, a second or
two at most.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import anyio
import pytest

from scale_async import RequestEvent, RetryPolicy, ScaleClientClosed, ScaleTransportError
from tests.hardening.loopback import Request, response, serving
from tests.hardening.support import client_for, page, task_json


def _unavailable(_: Request) -> bytes:
    return response(503, b'{"error": "busy"}')


async def test_close_during_a_retry_wait_ends_the_call_at_once() -> None:
    """A 503, then a 5 s wait before the retry: ``aclose`` cuts the wait, not only a send."""
    policy = RetryPolicy(max_retries=3, initial_delay=5.0, jitter=0.0)
    with serving(_unavailable) as server:
        client = client_for(server.url, retry=policy)
        box: dict[str, BaseException] = {}

        async def fetch() -> None:
            try:
                await client.get_task("t1")
            except Exception as exc:
                box["error"] = exc

        started = time.monotonic()
        with anyio.fail_after(4):
            async with anyio.create_task_group() as group:
                group.start_soon(fetch)
                await anyio.sleep(0.4)  # the 503 came back; the call waits to retry
                await client.aclose()
        elapsed = time.monotonic() - started
    assert len(server.requests) == 1
    error = box.get("error")
    assert isinstance(error, ScaleClientClosed), repr(error)
    assert (error.method, error.path) == ("GET", "task/t1")
    assert elapsed < 1.5  # cut at the close, not after the wait


async def test_the_deadline_cuts_a_retry_wait_and_is_told_as_the_next_attempt() -> None:
    """A policy clock that falls behind lets a 5 s wait start; the call's own deadline (1 s,
    on the event loop's clock) still ends it, reported to ``on_request`` as attempt 2."""
    ticks = iter([100.0])  # the call starts at 100; every later reading says 90
    policy = RetryPolicy(
        max_retries=3,
        initial_delay=5.0,
        jitter=0.0,
        deadline=1.0,
        clock=lambda: next(ticks, 90.0),
    )
    events: list[RequestEvent] = []
    with serving(_unavailable) as server:
        async with client_for(server.url, retry=policy, on_request=events.append) as client:
            started = time.monotonic()
            with anyio.fail_after(4), pytest.raises(ScaleTransportError) as info:
                await client.get_task("t1")
            elapsed = time.monotonic() - started
    assert 0.9 <= elapsed < 1.5
    assert info.value.message == "the call's deadline of 1 s passed"
    assert (info.value.sent, info.value.retryable, info.value.retries) == (True, False, 1)
    assert [(e.attempt, e.status) for e in events] == [(1, 503), (2, None)]
    assert events[1].error == info.value.message


async def test_a_recovery_lookup_spends_what_is_left_of_the_calls_deadline() -> None:
    """A slow 500 (0.6 s), a 409, then a lookup that hangs: the whole call ends at its one
    deadline of 1 s; a fresh deadline for the lookup would end it at about 1.6 s."""
    release = threading.Event()
    posts: list[float] = []

    def answer(request: Request) -> bytes:
        if request.method == "POST":
            posts.append(time.monotonic())
            if len(posts) == 1:
                time.sleep(0.6)
                return response(500, b'{"error": "oops"}')
            return response(409, b'{"error": "unique_id taken"}')
        release.wait(5)  # the lookup: answered only once the test is over
        return response(200, page([task_json("t1")]))

    policy = RetryPolicy(max_retries=3, initial_delay=0.0, deadline=1.0)
    events: list[RequestEvent] = []
    try:
        with serving(answer) as server:
            async with client_for(server.url, retry=policy, on_request=events.append) as client:
                started = time.monotonic()
                with anyio.fail_after(4), pytest.raises(ScaleTransportError) as info:
                    await client.create_task("categorization", unique_id="u-1", project="p")
                elapsed = time.monotonic() - started
            release.set()
    finally:
        release.set()
    assert 0.9 <= elapsed < 1.4
    assert len(posts) == 2
    assert info.value.message == "the call's deadline of 1 s passed"
    # Told as the attempt it cut: the lookup's first.
    assert (info.value.method, info.value.path, info.value.retries) == ("GET", "tasks", 0)
    told = [(e.method, e.path, e.status) for e in events]
    assert told == [
        ("POST", "task/categorization", 500),
        ("POST", "task/categorization", 409),
        ("GET", "tasks", None),
    ]
    assert events[-1].error == info.value.message


async def test_a_recovery_lookup_is_cut_by_close_too() -> None:
    """``aclose`` during a 409 recovery's lookup ends the create with ``ScaleClientClosed``."""
    release, looked_up = threading.Event(), threading.Event()

    def answer(request: Request) -> bytes:
        if request.method == "POST":
            created = len([r for r in server.requests if r.method == "POST"]) == 1
            return response(500 if created else 409, b'{"error": "x"}')
        looked_up.set()
        release.wait(5)
        return response(200, page([task_json("t1")]))

    policy = RetryPolicy(max_retries=3, initial_delay=0.0)
    box: dict[str, Any] = {}
    try:
        with serving(answer) as server:
            client = client_for(server.url, retry=policy)

            async def create() -> None:
                try:
                    await client.create_task("categorization", unique_id="u-1", project="p")
                except Exception as exc:
                    box["error"] = exc

            started = time.monotonic()
            with anyio.fail_after(4):
                async with anyio.create_task_group() as group:
                    group.start_soon(create)
                    assert await anyio.to_thread.run_sync(looked_up.wait, 3)
                    await client.aclose()
            elapsed = time.monotonic() - started
            release.set()
    finally:
        release.set()
    assert isinstance(box.get("error"), ScaleClientClosed), repr(box.get("error"))
    assert elapsed < 2
    assert json.loads(server.requests[0].body)["unique_id"] == "u-1"

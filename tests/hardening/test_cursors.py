"""Issue 14.8: a listing that never ends (a cursor served twice, a count that lies) is an error."""

from __future__ import annotations

import json
from typing import Any

import anyio
import pytest

from scale_async import ScaleInvalidResponse
from scale_async.nga import AsyncNGAScaleClient
from tests.nga.support import LIST_ITEM

from .loopback import Request, response, serving
from .support import client_for, no_sleep, page, task_json


def same_token_forever(request: Request) -> bytes:
    token = request.query.get("next_token", ["start"])[0]
    return response(200, page([task_json(f"t-{token}")], has_more=True, next_token="again"))


async def test_v1_repeated_next_token_is_an_error() -> None:
    seen = []
    with serving(same_token_forever) as server:
        async with client_for(server.url) as client:

            async def drain() -> None:
                async for task in client.get_tasks(project_name="p"):
                    seen.append(task.task_id)

            with anyio.fail_after(10), pytest.raises(ScaleInvalidResponse) as info:
                await drain()
    assert "again" in info.value.message
    assert (info.value.method, info.value.path) == ("GET", "tasks")
    assert len(server.requests) <= 3
    assert seen == ["t-start"]  # the page that repeats the token is refused whole


async def test_v1_cycle_of_two_tokens_is_an_error() -> None:
    def answer(request: Request) -> bytes:
        token = request.query.get("next_token", ["a"])[0]
        following = {"a": "b", "b": "a"}[token]
        return response(200, page([task_json()], has_more=True, next_token=following))

    with serving(answer) as server:
        async with client_for(server.url) as client:

            async def drain() -> None:
                async with client.get_tasks(project_name="p", prefetch=2) as tasks:
                    async for _ in tasks:
                        pass

            with anyio.fail_after(10), pytest.raises(ScaleInvalidResponse):
                await drain()
    assert len(server.requests) <= 5


async def test_v1_partitioned_walk_with_a_repeated_token_is_an_error() -> None:
    def answer(request: Request) -> bytes:
        if request.path.endswith("/projects/p"):
            return response(200, b'{"name": "p", "created_at": "2024-01-01T00:00:00Z"}')
        return response(200, page([], has_more=True, next_token="again"))

    with serving(answer) as server:
        async with client_for(server.url) as client:
            with anyio.fail_after(10), pytest.raises(ScaleInvalidResponse):
                async for _ in client.get_tasks(project_name="p", partitions=2):
                    pass
    assert len(server.requests) <= 8


def nga_page(results: list[dict[str, Any]], count: int, next_url: str | None) -> bytes:
    body = {"count": count, "next": next_url, "previous": None, "results": results}
    return response(200, json.dumps(body).encode())


def nga_client(url: str) -> AsyncNGAScaleClient:
    from scale_async import RetryPolicy

    return AsyncNGAScaleClient(
        base_url=url, token="nga-token-123456", retry=RetryPolicy(max_retries=0, sleep=no_sleep)
    )


async def test_nga_count_that_lies_with_the_same_page_forever() -> None:
    """count says 10^9 batches; every page is the same one, with the same next link."""

    def answer(request: Request) -> bytes:
        return nga_page([LIST_ITEM], 10**9, "http://x/api/v6/batches/?page=2")

    with serving(answer, prefix="/api") as server:
        async with nga_client(server.url) as client:
            with anyio.fail_after(10), pytest.raises(ScaleInvalidResponse) as info:
                async for _ in client.get_batches(page_size=1):
                    pass
    assert (info.value.method, info.value.path) == ("GET", "v6/batches/")
    assert len(server.requests) <= 8


async def test_nga_count_that_lies_then_pages_run_out() -> None:
    """count says 10^9; page 2 is the last (no next), every later page is a 404."""

    def answer(request: Request) -> bytes:
        number = int(request.query["page"][0])
        if number > 2:
            return response(404, b'{"detail": "Invalid page."}')
        following = "http://x/api/v6/batches/?page=2" if number == 1 else None
        return nga_page([{**LIST_ITEM, "id": number}], 10**9, following)

    with serving(answer, prefix="/api") as server:
        async with nga_client(server.url) as client:
            with anyio.fail_after(10):
                ids = [batch.id async for batch in client.get_batches(page_size=1)]
    assert ids == [1, 2]
    assert len(server.requests) <= 8


async def test_nga_count_that_lies_about_a_short_listing() -> None:
    """count says 10^9, but the first page is short and links nowhere: that is the end."""
    items = [{**LIST_ITEM, "id": n} for n in (1, 2, 3)]
    with serving(nga_page(items, 10**9, None), prefix="/api") as server:
        async with nga_client(server.url) as client:
            with anyio.fail_after(10):
                ids = [batch.id async for batch in client.get_batches(concurrency=4)]
    assert ids == [1, 2, 3]
    assert len(server.requests) == 1

"""Issue 14.5: whatever the server sends, the caller gets a ScaleException naming the request."""

from __future__ import annotations

import gzip
import json

import pytest

from scale_async import (
    ScaleException,
    ScaleInternalError,
    ScaleInvalidResponse,
)

from .loopback import Request, response, serving
from .support import client_for, page, task_json

DEEP = b"[" * 100_000


def assert_typed(exc: ScaleException, method: str, path: str) -> None:
    assert isinstance(exc, ScaleException)
    assert (exc.method, exc.path) == (method, path)


async def test_deeply_nested_json_in_a_200() -> None:
    with serving(response(200, DEEP)) as server:
        async with client_for(server.url) as client:
            with pytest.raises(ScaleInvalidResponse) as info:
                await client.get_task("t1")
    assert_typed(info.value, "GET", "task/t1")


async def test_deeply_nested_json_in_an_error_body() -> None:
    with serving(response(500, DEEP)) as server:
        async with client_for(server.url) as client:
            with pytest.raises(ScaleInternalError) as info:
                await client.get_task("t1")
    assert_typed(info.value, "GET", "task/t1")


# httpx itself leaves its response-stream generators unfinished when decoding fails; trio's
# finalizer closes them and says so. Only those three, only here.
@pytest.mark.filterwarnings(
    "ignore:Exception ignored in. <async_generator object "
    "(AsyncResponseStream|BoundAsyncStream|Response[.]aiter_raw)"
    ":pytest.PytestUnraisableExceptionWarning"
)
async def test_gzip_header_with_a_garbage_body() -> None:
    raw = response(200, b"\x00not gzip at all\xff" * 8, headers={"Content-Encoding": "gzip"})
    with serving(raw) as server:
        async with client_for(server.url) as client:
            with pytest.raises(ScaleException) as info:
                await client.get_task("t1")
    assert_typed(info.value, "GET", "task/t1")


async def test_real_gzip_still_decodes() -> None:
    body = gzip.compress(json.dumps(task_json("t9")).encode())
    with serving(response(200, body, headers={"Content-Encoding": "gzip"})) as server:
        async with client_for(server.url) as client:
            task = await client.get_task("t9")
    assert task.task_id == "t9"


@pytest.mark.parametrize(
    "garbage",
    [b"SSH-2.0-OpenSSH_9.6\r\n", b"HTTP/1.1 abc nonsense\r\n\r\n", b"\x16\x03\x01\x02\x00\x01"],
    ids=["ssh-banner", "bad-status-line", "tls-hello"],
)
async def test_reply_that_is_not_http(garbage: bytes) -> None:
    def answer(_: Request) -> bytes:
        return garbage + b"\r\n" * 4

    with serving(answer) as server:
        async with client_for(server.url) as client:
            with pytest.raises(ScaleException) as info:
                await client.get_task("t1")
    assert_typed(info.value, "GET", "task/t1")


@pytest.mark.parametrize("docs", [None, 7, "abc", {"0": {}}], ids=["null", "int", "str", "object"])
async def test_task_page_with_docs_not_a_list(docs: object) -> None:
    with serving(response(200, page(docs))) as server:
        async with client_for(server.url) as client:
            with pytest.raises(ScaleInvalidResponse) as info:
                await client.tasks(project="p")
            with pytest.raises(ScaleInvalidResponse):
                async for _ in client.get_tasks(project_name="p"):
                    pass
    assert_typed(info.value, "GET", "tasks")


@pytest.mark.parametrize(
    "total",
    ['"many"', "[1]", '{"n": 1}', "Infinity", "-Infinity", "NaN", "1.5", "true", "-3"],
)
async def test_task_count_that_is_not_a_count(total: str) -> None:
    body = b'{"docs": [], "total": %s, "limit": 1, "offset": 0, "has_more": false}' % (
        total.encode()
    )
    with serving(response(200, body)) as server:
        async with client_for(server.url) as client:
            with pytest.raises(ScaleInvalidResponse) as info:
                await client.get_tasks_count(project_name="p")
    assert_typed(info.value, "GET", "tasks")


@pytest.mark.parametrize(
    "docs", [{"0": {}}, 5, [None], ["x"]], ids=["object", "int", "null", "str"]
)
async def test_409_recovery_lookup_with_a_malformed_page(docs: object) -> None:
    """A create that failed ambiguously, then 409: the lookup's page is nonsense."""
    answers = iter([response(500, b'{"error": "boom"}'), response(409, b'{"error": "taken"}')])

    def answer(request: Request) -> bytes:
        if request.method == "GET":
            return response(200, page(docs))
        return next(answers)

    with serving(answer) as server:
        async with client_for(server.url, retries=2) as client:
            with pytest.raises(ScaleException) as info:
                await client.create_task("categorization", unique_id="u1", project="p")
    assert info.value.path in ("tasks", "task/categorization")
    assert info.value.method in ("GET", "POST")


async def test_valid_count_still_counts() -> None:
    with serving(response(200, page([], total=42))) as server:
        async with client_for(server.url) as client:
            assert await client.get_tasks_count(project_name="p") == 42


async def test_has_more_without_a_token_names_the_request() -> None:
    with serving(response(200, page([task_json()], has_more=True))) as server:
        async with client_for(server.url) as client:
            with pytest.raises(ScaleInvalidResponse) as info:
                await client.tasks(project="p")
    assert "next_token" in info.value.message
    assert_typed(info.value, "GET", "tasks")

"""Retries, error mapping and the false-500 recovery, through the async and the sync client."""

from __future__ import annotations

import httpx
import pytest

from scale_async import (
    ScaleDuplicateResource,
    ScaleException,
    ScaleForbidden,
    ScaleInternalError,
    ScaleInvalidRequest,
    ScaleInvalidResponse,
    ScaleResourceNotFound,
    ScaleServiceUnavailable,
    ScaleTooManyRequests,
    ScaleTransportError,
    ScaleUnauthorized,
    TaskType,
)
from tests.drivers import Sleeps, fast_policy, make_driver
from tests.scripted import Scripted, fail, ok, page_json, task_json


async def run(kind: str, script: Scripted, name: str, *args: object, **kwargs: object) -> object:
    """Call one client method against ``script`` with a zero-wait retry policy."""
    sleeps = Sleeps()
    driver = make_driver(kind, script, retry=fast_policy(sleeps))
    try:
        return await driver.call(name, *args, **kwargs)
    finally:
        await driver.aclose()


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
async def test_transient_statuses_are_retried_until_success(client_kind: str, status: int) -> None:
    """Every transient status is retried and the eventual success is returned."""
    script = Scripted(fail(status), fail(status), ok(task_json("abc")))
    task = await run(client_kind, script, "get_task", "abc")
    assert task.task_id == "abc"  # type: ignore[attr-defined]
    assert len(script.requests) == 3


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, ScaleInvalidRequest),
        (401, ScaleUnauthorized),
        (403, ScaleForbidden),
        (404, ScaleResourceNotFound),
        (409, ScaleDuplicateResource),
    ],
)
async def test_client_errors_are_not_retried(
    client_kind: str, status: int, cls: type[ScaleException]
) -> None:
    """A 4xx other than 408/429 fails at once with its class, status, message and request."""
    script = Scripted(fail(status, "nope"))
    with pytest.raises(cls) as info:
        await run(client_kind, script, "get_task", "abc")
    assert len(script.requests) == 1
    assert info.value.code == status
    assert info.value.message == "nope"
    assert (info.value.method, info.value.path) == ("GET", "task/abc")
    assert info.value.retries == 0


async def test_exhausted_retries_raise_the_last_error_with_the_count(client_kind: str) -> None:
    """After max_retries the last error is raised, saying how many retries were spent."""
    script = Scripted(fail(503, "busy"))
    with pytest.raises(ScaleServiceUnavailable) as info:
        await run(client_kind, script, "get_task", "abc")
    assert len(script.requests) == 5  # the default policy: 1 attempt + 4 retries
    assert info.value.retries == 4
    assert "after 4 retries" in str(info.value)


async def test_retry_after_is_honoured(client_kind: str) -> None:
    """The wait after a 429 is the server's Retry-After, not the backoff."""
    sleeps = Sleeps()
    script = Scripted(fail(429, **{"Retry-After": "7"}), ok(task_json()))
    driver = make_driver(client_kind, script, retry=fast_policy(sleeps))
    try:
        await driver.call("get_task", "t1")
    finally:
        await driver.aclose()
    assert sleeps.calls == [7.0]


async def test_backoff_grows_between_attempts(client_kind: str) -> None:
    """Without Retry-After the waits grow exponentially (no jitter here)."""
    sleeps = Sleeps()
    script = Scripted(fail(500), fail(500), fail(500), ok(task_json()))
    driver = make_driver(client_kind, script, retry=fast_policy(sleeps))
    try:
        await driver.call("get_task", "t1")
    finally:
        await driver.aclose()
    assert sleeps.calls == [0.5, 1.0, 2.0]


async def test_too_many_requests_carries_retry_after(client_kind: str) -> None:
    """A 429 that outlasts the retries says how long the server asked to wait."""
    script = Scripted(fail(429, "slow down", **{"Retry-After": "3"}))
    with pytest.raises(ScaleTooManyRequests) as info:
        await run(client_kind, script, "get_task", "abc")
    assert info.value.retry_after == 3.0


async def test_resets_are_retried_for_reads(client_kind: str) -> None:
    """A dropped connection on a read is retried."""
    script = Scripted(httpx.ReadError("reset"), httpx.RemoteProtocolError("gone"), ok(task_json()))
    task = await run(client_kind, script, "get_task", "t1")
    assert task.task_id == "t1"  # type: ignore[attr-defined]
    assert len(script.requests) == 3


async def test_transport_failure_after_retries(client_kind: str) -> None:
    """When the connection keeps failing the error is a ScaleTransportError, not httpx's."""
    script = Scripted(httpx.ConnectError("refused"))
    with pytest.raises(ScaleTransportError) as info:
        await run(client_kind, script, "get_task", "abc")
    assert info.value.sent is False
    assert info.value.code is None
    assert "refused" in info.value.message
    assert isinstance(info.value.__cause__, httpx.ConnectError)


async def test_create_without_unique_id_is_not_replayed_after_ambiguity(client_kind: str) -> None:
    """A 500 or a reset on a plain create may have created the task: never send it again."""
    for answer in (fail(500), httpx.ReadError("reset"), httpx.ReadTimeout("slow")):
        script = Scripted(answer, ok(task_json()))
        with pytest.raises((ScaleInternalError, ScaleTransportError)):
            await run(client_kind, script, "create_task", TaskType.Categorization, project="p")
        assert len(script.requests) == 1


async def test_create_without_unique_id_is_retried_when_provably_unsent(client_kind: str) -> None:
    """Connection refused and 429 prove nothing was created, so a plain create is retried."""
    script = Scripted(httpx.ConnectError("refused"), fail(429), ok(task_json("new")))
    task = await run(client_kind, script, "create_task", TaskType.Categorization, project="p")
    assert task.task_id == "new"  # type: ignore[attr-defined]
    assert len(script.requests) == 3


async def test_create_sends_one_idempotency_key_across_retries(client_kind: str) -> None:
    """Every attempt of one create carries the same Idempotency-Key."""
    script = Scripted(fail(429), ok(task_json()))
    await run(client_kind, script, "create_task", "categorization", project="p", unique_id="u")
    keys = {r.headers["idempotency-key"] for r in script.requests}
    assert len(script.requests) == 2
    assert len(keys) == 1


@pytest.mark.parametrize(
    "first",
    [fail(500), fail(503), fail(504), httpx.ReadError("reset"), httpx.ReadTimeout("slow")],
    ids=["500", "503", "504", "reset", "timeout"],
)
async def test_false_500_recovery_returns_the_created_task(
    client_kind: str, first: httpx.Response | Exception
) -> None:
    """A 409 after an ambiguous attempt means that attempt landed: fetch it by unique_id."""
    found = task_json("created", unique_id="u-1")

    def lookup(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/v1/tasks"
        assert request.url.params["unique_id"] == "u-1"
        return ok(page_json([found]))

    script = Scripted(first, fail(409, "unique_id taken"), lookup)
    task = await run(client_kind, script, "create_task", "imageannotation", unique_id="u-1")
    assert task.task_id == "created"  # type: ignore[attr-defined]
    assert script.paths == ["POST /v1/task/imageannotation"] * 2 + ["GET /v1/tasks"]


async def test_409_without_earlier_ambiguity_is_a_real_duplicate(client_kind: str) -> None:
    """A first-attempt 409 is a duplicate the caller must hear about (after a 429 too)."""
    for answers in ([fail(409, "taken")], [fail(429), fail(409, "taken")]):
        script = Scripted(*answers)
        with pytest.raises(ScaleDuplicateResource, match="taken"):
            await run(client_kind, script, "create_task", "categorization", unique_id="u")
        assert "GET /v1/tasks" not in script.paths


async def test_recovery_with_no_match_raises_the_duplicate(client_kind: str) -> None:
    """If no task carries the unique_id after all, the 409 stands."""
    script = Scripted(fail(500), fail(409, "taken"), ok(page_json([])))
    with pytest.raises(ScaleDuplicateResource):
        await run(client_kind, script, "create_task", "categorization", unique_id="u")


@pytest.mark.parametrize("status", [200, 201, 202, 204])
async def test_any_2xx_is_success(client_kind: str, status: int) -> None:
    """201 and 204 are successes (the official SDK raises on them)."""
    body = b"" if status == 204 else b'{"accepted": true}'
    script = Scripted(httpx.Response(status, content=body))
    result = await run(client_kind, script, "audit_task", "t1", True)
    assert result is None
    assert len(script.requests) == 1


async def test_html_error_page_gives_the_right_class_and_readable_message(client_kind: str) -> None:
    """A gateway's HTML page still maps by status and reads as text."""
    page = "<html><head><style>p{}</style></head><body><h1>502 Bad Gateway</h1></body></html>"
    script = Scripted(httpx.Response(404, text=page, headers={"content-type": "text/html"}))
    with pytest.raises(ScaleResourceNotFound) as info:
        await run(client_kind, script, "get_task", "abc")
    assert info.value.message == "502 Bad Gateway"


async def test_non_json_success_body_is_a_clear_error(client_kind: str) -> None:
    """A 200 whose body is not JSON where JSON is required raises ScaleInvalidResponse."""
    script = Scripted(httpx.Response(200, text="<html>maintenance</html>"))
    with pytest.raises(ScaleInvalidResponse, match="not JSON"):
        await run(client_kind, script, "get_task", "abc")


async def test_malformed_task_is_a_clear_error(client_kind: str) -> None:
    """A JSON body without task_id is not a task."""
    script = Scripted(ok({"status": "pending"}))
    with pytest.raises(ScaleInvalidResponse, match="task_id"):
        await run(client_kind, script, "get_task", "abc")


async def test_the_key_never_appears_in_errors(client_kind: str) -> None:
    """A server that echoes the key does not get it into our exception."""
    script = Scripted(fail(401, "invalid key test_key given"))
    with pytest.raises(ScaleUnauthorized) as info:
        await run(client_kind, script, "get_task", "abc")
    assert "test_key" not in str(info.value)
    assert "test_key" not in repr(info.value)
    assert "[redacted]" in info.value.message


async def test_on_retry_is_told_each_retry_with_its_error_and_wait(client_kind: str) -> None:
    """A progress display learns why a call is slow: the error and the wait before each retry."""
    seen: list[tuple[type[BaseException], float]] = []
    sleeps = Sleeps()
    policy = fast_policy(sleeps, on_retry=lambda error, delay: seen.append((type(error), delay)))
    script = Scripted(fail(429, "slow down", **{"retry-after": "4"}), fail(503), ok(task_json("a")))
    driver = make_driver(client_kind, script, retry=policy)
    try:
        await driver.call("get_task", "a")
    finally:
        await driver.aclose()
    assert seen == [(ScaleTooManyRequests, 4.0), (ScaleServiceUnavailable, 1.0)]

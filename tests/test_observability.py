"""What a client tells: retries logged at INFO, SCALE_LOG, request ids on errors, on_request."""

from __future__ import annotations

import base64
import logging
import os
import subprocess
import sys
import textwrap
from typing import Any

import httpx
import pytest

import scale_sync
from scale_async import (
    AsyncScaleClient,
    RequestEvent,
    RetryPolicy,
    ScaleInvalidResponse,
    ScaleResourceNotFound,
    ScaleServiceUnavailable,
    ScaleTransportError,
)
from scale_async.testing import IN_PROCESS_BASE_URL, FakeScaleAPI

KEY = "live_observability_secret_9f2c"


async def no_sleep(_: float) -> None:
    """A RetryPolicy sleep that does not wait."""


#: Waits of exactly 0.8 s, then 1.6 s (no jitter), without sleeping.
POLICY = RetryPolicy(sleep=no_sleep, random=lambda: 0.0, initial_delay=0.8)


def client_on(fake: FakeScaleAPI, **kwargs: Any) -> AsyncScaleClient:
    kwargs.setdefault("retry", POLICY)
    return AsyncScaleClient(
        KEY, api_instance_url=IN_PROCESS_BASE_URL, transport=fake.transport(), **kwargs
    )


def secrets_in(text: str) -> list[str]:
    forms = [KEY, base64.b64encode(f"{KEY}:".encode()).decode(), KEY[8:]]
    return [form for form in forms if form in text]


async def test_retries_are_logged_at_info_with_reason_wait_and_attempt(
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake = FakeScaleAPI()
    fake.enqueue_faults("unavailable", "drop_connection")
    caplog.set_level(logging.INFO, logger="scale_async")
    async with client_on(fake) as client:
        assert await client.projects() == []
    infos = [r for r in caplog.records if r.name == "scale_async" and r.levelno == logging.INFO]
    messages = [r.getMessage() for r in infos]
    assert messages[0] == "GET projects 503, retrying in 0.8 s (attempt 2 of 5)"
    assert messages[1].startswith("GET projects ")
    assert messages[1].endswith(", retrying in 1.6 s (attempt 3 of 5)")
    assert len(messages) == 2
    assert secrets_in(caplog.text) == []


async def test_debug_logs_each_attempt_without_the_key(caplog: pytest.LogCaptureFixture) -> None:
    fake = FakeScaleAPI()
    fake.enqueue_faults("server_error")
    caplog.set_level(logging.DEBUG, logger="scale_async")
    async with client_on(fake) as client:
        with pytest.raises(ScaleResourceNotFound):
            await client.get_task("nope")
    assert "GET task/nope -> 500" in caplog.text
    assert "GET task/nope -> 404" in caplog.text
    assert secrets_in(caplog.text) == []


def run_with_env(env_value: str | None) -> str:
    """stderr of a fresh interpreter that makes one retried call, with SCALE_LOG as given."""
    script = textwrap.dedent(
        f"""
        import anyio
        from scale_async import AsyncScaleClient, RetryPolicy
        from scale_async.testing import IN_PROCESS_BASE_URL, FakeScaleAPI

        async def no_sleep(_):
            pass

        async def main():
            fake = FakeScaleAPI()
            fake.enqueue_faults("unavailable")
            async with AsyncScaleClient(
                {KEY!r}, api_instance_url=IN_PROCESS_BASE_URL,
                transport=fake.transport(), retry=RetryPolicy(sleep=no_sleep),
            ) as client:
                await client.projects()

        anyio.run(main)
        """
    )
    env = {k: v for k, v in os.environ.items() if k != "SCALE_LOG"}
    if env_value is not None:
        env["SCALE_LOG"] = env_value
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stderr


def test_scale_log_prints_the_log_to_stderr() -> None:
    info = run_with_env("info")
    assert "INFO] GET projects 503, retrying in" in info
    assert "DEBUG]" not in info
    debug = run_with_env("DEBUG")
    assert "DEBUG] GET projects -> 503" in debug
    assert "INFO] GET projects 503, retrying in" in debug
    assert run_with_env(None) == ""
    assert secrets_in(info + debug) == []


async def test_the_request_id_is_on_the_exception_and_in_its_str() -> None:
    fake = FakeScaleAPI()
    fake.enqueue_faults("unavailable", "unavailable")
    async with client_on(fake, max_retries=1) as client:
        with pytest.raises(ScaleServiceUnavailable) as info:
            await client.projects()
        with pytest.raises(ScaleResourceNotFound) as missing:
            await client.get_task("nope")
    rid = info.value.request_id
    assert rid is not None
    assert rid.startswith("req_")
    assert str(info.value).endswith(f"(GET projects, after 1 retries, request id {rid})")
    assert missing.value.request_id not in (None, rid)
    assert f"request id {missing.value.request_id}" in str(missing.value)


async def test_a_transport_failure_has_no_request_id() -> None:
    fake = FakeScaleAPI()
    fake.enqueue_faults("drop_connection")
    async with client_on(fake, max_retries=0) as client:
        with pytest.raises(ScaleTransportError) as info:
            await client.projects()
    assert info.value.request_id is None
    assert "request id" not in str(info.value)


async def test_on_request_sees_every_attempt() -> None:
    fake = FakeScaleAPI()
    fake.enqueue_faults("rate_limited", "drop_connection")
    events: list[RequestEvent] = []
    async with client_on(fake, on_request=events.append) as client:
        await client.projects()
        await client.with_options(max_retries=0).projects()  # copies keep the callback
    assert [(e.method, e.path, e.status, e.attempt) for e in events] == [
        ("GET", "projects", 429, 1),
        ("GET", "projects", None, 2),
        ("GET", "projects", 200, 3),
        ("GET", "projects", 200, 1),
    ]
    assert all(e.elapsed >= 0 for e in events)
    assert events[1].error is not None
    assert events[1].request_id is None
    assert all(e.request_id and e.request_id.startswith("req_") for e in events[::2])
    assert len({e.request_id for e in events if e.request_id}) == 3


async def test_a_failing_callback_is_logged_and_the_call_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(_: RequestEvent) -> None:
        raise RuntimeError("metrics backend down")

    async with client_on(FakeScaleAPI(), on_request=broken) as client:
        assert await client.projects() == []
    assert "on_request callback failed for GET projects" in caplog.text
    with pytest.raises(TypeError, match="on_request must be callable"):
        AsyncScaleClient("k", on_request=42)  # type: ignore[arg-type]


def test_the_sync_client_takes_on_request_too() -> None:
    fake = FakeScaleAPI()
    events: list[RequestEvent] = []
    with scale_sync.ScaleClient(
        KEY,
        api_instance_url=IN_PROCESS_BASE_URL,
        transport=fake.transport(),
        on_request=events.append,
    ) as client:
        client.projects()
    assert [(e.method, e.path, e.status) for e in events] == [("GET", "projects", 200)]


@pytest.mark.parametrize(
    "body",
    [
        b"<html>oops</html>",
        b'{"status": "completed"}',
        b'{"task_id": "t1", "callback_succeeded": "maybe"}',
    ],
)
async def test_a_malformed_success_names_its_request_id(body: bytes) -> None:
    """Not JSON, or JSON that is not a task: the error still says which request it was."""

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"x-request-id": "req_bad_body"})

    async with AsyncScaleClient(
        KEY, api_instance_url="http://scale.invalid/v1", transport=httpx.MockTransport(answer)
    ) as client:
        with pytest.raises(ScaleInvalidResponse) as info:
            await client.get_task("t1")
    assert info.value.request_id == "req_bad_body"
    assert str(info.value).endswith("request id req_bad_body)")

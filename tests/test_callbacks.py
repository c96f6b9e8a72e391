"""Callbacks end to end: the fake POSTs to a receiver on 127.0.0.1 that uses the helpers.

The receivers are the README's own Starlette and Flask examples, run as written, plus a bare
ASGI app that binds the task to the client and refreshes it.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from werkzeug.serving import make_server

import scale_sync
import scale_sync.callbacks
from scale_async import AsyncScaleClient, ScaleResourceNotFound, Task, TaskType
from scale_async.callbacks import TaskCallback, parse_callback
from scale_async.testing import IN_PROCESS_BASE_URL, FakeScaleAPI

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()
AUTH = "callback-auth-for-tests"
LIVE = "live_callbacks"
CATEGORIZE = {
    "project": "p",
    "attachment": "https://example.invalid/a.png",
    "attachment_type": "image",
    "categories": ["cat", "dog"],
    "instruction": "which one?",
}


def readme_example(first_line: str) -> str:
    """The README's python block that starts with ``first_line``."""
    for block in re.findall(r"```python\n(.*?)```", README, re.DOTALL):
        if block.startswith(first_line):
            return str(block)
    raise AssertionError(f"no README example starts with {first_line!r}")


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SCALE_CALLBACK_AUTH_KEY", AUTH)


def _bound_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextmanager
def serve_asgi(app: Any) -> Iterator[str]:
    """``app`` served by uvicorn on 127.0.0.1; yields its root URL."""
    sock = _bound_socket()
    config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 5
        while not server.started:
            assert thread.is_alive()
            assert time.monotonic() < deadline, "receiver did not start"
            time.sleep(0.005)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@contextmanager
def serve_wsgi(app: Any) -> Iterator[str]:
    """``app`` served by werkzeug on 127.0.0.1; yields its root URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def live_fake(auth_key: str = AUTH) -> FakeScaleAPI:
    return FakeScaleAPI(
        seed=3, callback_auth_key=auth_key, callback_backoff=0.0, callback_attempts=2
    )


def live_client(fake: FakeScaleAPI) -> AsyncScaleClient:
    return AsyncScaleClient(LIVE, api_instance_url=IN_PROCESS_BASE_URL, transport=fake.transport())


async def create_and_complete(fake: FakeScaleAPI, callback_url: str) -> dict[str, Any]:
    async with live_client(fake) as client:
        await client.create_project("p", TaskType.Categorization)
        task = await client.create_task(
            TaskType.Categorization, callback_url=callback_url, **CATEGORIZE
        )
        assert task.status == "pending"
        return await fake.complete_task(task.task_id, {"category": "dog"})


def run_readme_example(first_line: str, save: Callable[[Any], Any]) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": "readme_example", "save": save}
    exec(compile(readme_example(first_line), "README.md", "exec"), namespace)
    return namespace


async def test_the_readme_starlette_receiver_gets_each_completed_task() -> None:
    saved: list[Task] = []

    async def save(task: Task) -> None:
        saved.append(task)

    example = run_readme_example("# Starlette", save)
    fake = live_fake()
    with serve_asgi(example["app"]) as root:
        done = await create_and_complete(fake, f"{root}/scale-callback")
    assert done["callback_succeeded"] is True
    assert [a.status_code for a in fake.callbacks] == [204]
    assert [t.task_id for t in saved] == [done["task_id"]]
    assert isinstance(saved[0], Task)
    assert (saved[0].status, saved[0].response) == ("completed", {"category": "dog"})


async def test_the_readme_flask_receiver_refuses_a_sender_with_the_wrong_key() -> None:
    saved: list[scale_sync.Task] = []
    example = run_readme_example("# Flask", saved.append)
    good, impostor = live_fake(), live_fake(auth_key="not-the-key")
    with serve_wsgi(example["app"]) as root:
        done = await create_and_complete(good, f"{root}/scale-callback")
        refused = await create_and_complete(impostor, f"{root}/scale-callback")
    assert done["callback_succeeded"] is True
    assert [t.task_id for t in saved] == [done["task_id"]]
    assert isinstance(saved[0], scale_sync.Task)
    assert saved[0].response == {"category": "dog"}
    # Refused with 401 on every attempt (the fake retries as Scale does), nothing saved.
    assert refused["callback_succeeded"] is False
    assert [a.status_code for a in impostor.callbacks] == [401, 401]


async def test_a_bound_task_refreshes_through_the_client() -> None:
    """``client=`` binds the parsed task, so its helpers reach the API."""
    fake = live_fake()
    events: list[TaskCallback[Task]] = []
    async with live_client(fake) as client:

        async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
            chunks = []
            while True:
                message = await receive()
                chunks.append(message.get("body", b""))
                if not message.get("more_body"):
                    break
            headers = [(k.decode(), v.decode()) for k, v in scope["headers"]]
            event = parse_callback(b"".join(chunks), headers, auth_key=AUTH, client=client)
            events.append(event)
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b""})

        with serve_asgi(app) as root:
            await client.create_project("p", TaskType.Categorization)
            task = await client.create_task(
                TaskType.Categorization, callback_url=f"{root}/hook", **CATEGORIZE
            )
            await fake.complete_task(task.task_id)
        (event,) = events
        assert event.task.callback_succeeded is None  # not yet known when it was sent
        await event.task.refresh()
        assert event.task.callback_succeeded is True


def test_the_sync_twin_binds_to_a_sync_client() -> None:
    fake = live_fake()
    body = {
        "task": {"task_id": "t1", "status": "completed", "response": {}},
        "task_id": "t1",
    }
    with scale_sync.ScaleClient(
        LIVE, api_instance_url=IN_PROCESS_BASE_URL, transport=fake.transport()
    ) as client:
        event = scale_sync.callbacks.parse_callback(
            body, {"scale-callback-auth": AUTH}, auth_key=AUTH, client=client
        )
        assert isinstance(event.task, scale_sync.Task)
        with pytest.raises(ScaleResourceNotFound):
            event.task.refresh()  # runs on the sync client: the fake has no task t1
    unbound = scale_sync.callbacks.parse_callback(body, auth_key=None)
    with pytest.raises(RuntimeError, match="not bound"):
        unbound.task.refresh()

"""The sync client's plumbing: its event loop thread, lifecycle, threads, fork, re-entry."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from typing import Any

import anyio
import httpx
import pytest

import scale_sync
from scale_async import ScaleClientClosed
from scale_sync import ScaleClient
from tests.scripted import Scripted, ok, page_json, task_json


def loop_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "scale-sync-loop"]


def echo_task(request: httpx.Request) -> httpx.Response:
    return ok(task_json(request.url.path.rsplit("/", 1)[-1]))


def make_client(handler: Any = echo_task) -> ScaleClient:
    return ScaleClient("test_key", transport=httpx.MockTransport(handler))


def test_returns_sync_models_bound_to_the_client() -> None:
    """Results are the sync twins, whose helpers run synchronously and update in place."""
    statuses = iter(["pending", "canceled"])
    script = Scripted(lambda r: ok(task_json("t1", status=next(statuses))))
    with make_client(script) as client:
        task = client.get_task("t1")
        assert isinstance(task, scale_sync.Task)
        assert task.status == "pending"
        assert task.cancel() is None  # type: ignore[func-returns-value]  # the SDK's contract
        assert task.status == "canceled"
    assert script.paths == ["GET /v1/task/t1", "POST /v1/task/t1/cancel"]


def test_loop_starts_lazily_and_close_leaves_nothing_behind() -> None:
    """No thread before the first call; after close() no thread and no open pool."""
    before = len(loop_threads())
    client = make_client()
    assert len(loop_threads()) == before
    client.get_task("a")
    assert len(loop_threads()) == before + 1
    assert client.async_client._session.is_open
    client.close()
    assert len(loop_threads()) == before
    assert not client.async_client._session.is_open
    client.close()  # closing twice is harmless


def test_with_block_closes() -> None:
    """Leaving ``with`` stops the loop thread, also when the block raised."""
    before = len(loop_threads())
    client = make_client()

    def use() -> None:
        with client:
            client.get_task("a")
            raise KeyError("boom")

    with pytest.raises(KeyError):
        use()
    assert len(loop_threads()) == before
    assert not client.async_client._session.is_open


def test_reusable_after_close() -> None:
    """A closed client starts a fresh loop when used again, like httpx clients reopen."""
    client = make_client()
    assert client.get_task("a").task_id == "a"
    client.close()
    assert client.get_task("b").task_id == "b"
    client.close()


def test_works_inside_a_running_event_loop() -> None:
    """Called from async code (Jupyter, a web handler) it still works: its loop is its own."""

    async def handler() -> str:
        with make_client() as client:
            return client.get_task("inside").task_id

    assert asyncio.run(handler()) == "inside"


def test_sixteen_threads_at_once() -> None:
    """One client shared by 16 threads: every call gets its own right answer."""
    results: dict[int, str] = {}
    errors: list[BaseException] = []
    with make_client() as client:

        def work(n: int) -> None:
            try:
                for i in range(5):
                    results[n * 10 + i] = client.get_task(f"id{n}-{i}").task_id
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(loop_threads()) >= 1
    assert errors == []
    assert results == {n * 10 + i: f"id{n}-{i}" for n in range(16) for i in range(5)}


def test_reentry_from_the_loop_thread_is_a_clear_error() -> None:
    """Calling the sync client from its own loop thread raises instead of deadlocking."""
    with make_client() as client:
        client.get_task("warm")

        async def reenter() -> Any:
            return client.get_task("again")

        with pytest.raises(RuntimeError, match="its own event loop thread"):
            client._runner.call(reenter)


def test_forked_child_gets_a_fresh_loop() -> None:
    """A child process forked after use starts its own loop and pool instead of hanging."""
    with make_client() as client:
        assert client.get_task("parent").task_id == "parent"
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child
            try:
                answer = client.get_task("child").task_id
                os.write(write_end, answer.encode())
            finally:
                os._exit(0)
        os.close(write_end)
        deadline = time.monotonic() + 20
        chunks = b""
        while time.monotonic() < deadline:
            chunk = os.read(read_end, 100)
            if not chunk:
                break
            chunks += chunk
        os.close(read_end)
        os.waitpid(pid, 0)
        assert chunks == b"child"
        assert client.get_task("parent-again").task_id == "parent-again"


def test_get_tasks_is_a_generator_crossing_once_per_page(monkeypatch: pytest.MonkeyPatch) -> None:
    """get_tasks yields items lazily, and the loop is asked for one page at a time: the next
    only once the caller has had every item of the one before; no call crosses per page."""
    pages = {
        None: page_json([task_json("a"), task_json("b")], has_more=True, token="p2"),
        "p2": page_json([task_json("c"), task_json("d")], has_more=True, token="p3"),
        "p3": page_json([task_json("e")]),
    }
    script = Scripted(lambda r: ok(pages[r.url.params.get("next_token")]))
    taken: list[int] = []  # how many items the caller had when the loop took a page
    had = 0
    next_page = scale_sync._base._next_chunk

    async def counting(pages: Any) -> Any:
        taken.append(had)
        return await next_page(pages)

    monkeypatch.setattr(scale_sync._base, "_next_chunk", counting)
    with make_client(script) as client:
        calls = 0
        original = client._runner._call_on

        def crossing(*args: Any, **kwargs: Any) -> Any:
            nonlocal calls
            calls += 1
            return original(*args, **kwargs)

        client._runner._call_on = crossing  # type: ignore[method-assign]
        iterator = client.get_tasks(project_name="p")
        assert script.requests == []  # nothing fetched before iteration
        tasks = []
        for task in iterator:
            had += 1
            tasks.append(task)
    assert [t.task_id for t in tasks] == ["a", "b", "c", "d", "e"]
    assert all(isinstance(t, scale_sync.Task) for t in tasks)
    assert len(script.requests) == 3
    assert taken == [0, 2, 4, 5]  # three pages, then the end-of-listing probe
    assert calls == 0


def test_an_item_the_caller_dropped_is_freed_before_the_page_ends() -> None:
    """The sync iterator lets go of each item as it hands it out, not with its whole page."""
    import weakref

    script = Scripted(ok(page_json([task_json("a"), task_json("b"), task_json("c")])))
    with make_client(script) as client:
        tasks = client.get_tasks(project_name="p")
        first = weakref.ref(next(tasks))
        second = next(tasks)
        freed = first() is None
        rest = [second.task_id, *(t.task_id for t in tasks)]
    assert freed
    assert rest == ["b", "c"]


def test_close_does_not_wait_for_a_half_read_listing() -> None:
    """A listing the caller stopped reading holds nothing running on the loop: close()
    returns at once instead of giving it the grace period of a call in flight."""
    script = Scripted(
        lambda r: ok(page_json([task_json("a"), task_json("b")], has_more=True, token="more"))
    )
    client = make_client(script)
    tasks = client.get_tasks(project_name="p", prefetch=0)
    assert next(tasks).task_id == "a"
    started = time.monotonic()
    client.close()
    assert time.monotonic() - started < 2  # the grace period is 5 s
    with pytest.raises(ScaleClientClosed):
        list(tasks)


def test_breaking_out_stops_fetching() -> None:
    """Leaving the loop early cancels the prefetching: at most ``prefetch`` pages ahead."""
    script = Scripted(
        lambda r: ok(page_json([task_json("a"), task_json("b")], has_more=True, token="more"))
    )
    with make_client(script) as client:
        for task in client.get_tasks(project_name="p", prefetch=2):
            assert task.task_id == "a"
            break
        fetched = len(script.requests)
        time.sleep(0.1)
        assert len(script.requests) == fetched
        assert fetched <= 1 + 2 + 1  # the page in hand, two ahead, one being fetched


def test_bad_arguments_fail_at_the_call() -> None:
    """get_tasks without a project or batch fails when called, before any request."""
    script = Scripted(ok(page_json([])))
    with make_client(script) as client:
        with pytest.raises(
            ValueError, match=r"^At least one of project_name or batch_name must be provided"
        ):
            client.get_tasks()
        assert script.requests == []


def test_ctrl_c_cancels_the_work_in_the_loop() -> None:
    """A KeyboardInterrupt in the caller cancels the coroutine running on the loop."""
    cancelled = threading.Event()
    started = threading.Event()

    async def slow() -> None:
        started.set()
        try:
            await anyio.sleep(30)
        except anyio.get_cancelled_exc_class():
            cancelled.set()
            raise

    def interrupt_once_started() -> None:
        # Only once the coroutine runs: an interrupt before that is the next test's case.
        # A loaded machine can take seconds to start the loop thread, hence the margin.
        if started.wait(60):
            os.kill(os.getpid(), signal.SIGINT)

    with make_client() as client:
        timer = threading.Thread(target=interrupt_once_started)
        timer.start()
        with pytest.raises(KeyboardInterrupt):
            client._runner.call(slow)
        timer.join()
        assert started.is_set()
        assert cancelled.wait(30)


def test_repr_hides_the_key() -> None:
    """Neither the sync nor the async client shows the key."""
    client = ScaleClient("live_secret_key", transport=httpx.MockTransport(echo_task))
    assert "live_secret_key" not in repr(client)
    assert "live_secret_key" not in repr(client.async_client)
    assert "live_secret_key" not in repr(client.async_client._session.settings)


def test_ctrl_c_while_the_task_is_starting_still_cancels_it() -> None:
    """The interrupt can land inside start_task_soon, before there is a future to cancel."""
    cancelled = threading.Event()
    started = threading.Event()

    async def slow() -> None:
        started.set()
        try:
            await anyio.sleep(30)
        except anyio.get_cancelled_exc_class():
            cancelled.set()
            raise

    with make_client() as client:
        client.get_task("warm")  # the loop is up
        portal = client._runner._portal
        assert portal is not None
        original = portal.start_task_soon

        def interrupted(*args: Any, **kwargs: Any) -> Any:
            original(*args, **kwargs)
            assert started.wait(60)  # a loaded machine can be slow to run the task
            raise KeyboardInterrupt

        portal.start_task_soon = interrupted  # type: ignore[method-assign,assignment]
        try:
            with pytest.raises(KeyboardInterrupt):
                client._runner.call(slow)
        finally:
            portal.start_task_soon = original  # type: ignore[method-assign]
        assert cancelled.wait(30)

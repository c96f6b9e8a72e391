"""The hand-over of pages fetched ahead: bounded, in order, and never left waiting."""

from __future__ import annotations

import anyio
import pytest

from scale_async._engine.ahead import Ahead


async def test_pages_come_in_the_order_handed_over_and_none_after_the_end() -> None:
    ahead = Ahead[str](2)
    await ahead.put("a")
    await ahead.put("b")
    ahead.end()
    assert [await ahead.get(), await ahead.get(), await ahead.get()] == ["a", "b", None]


async def test_givers_wait_while_it_is_full_and_keep_their_order() -> None:
    ahead = Ahead[str](1)
    done: list[str] = []

    async def give(page: str) -> None:
        await ahead.put(page)
        done.append(page)

    async with anyio.create_task_group() as group:
        await ahead.put("first")
        group.start_soon(give, "second")
        await anyio.wait_all_tasks_blocked()  # (trio starts tasks in any order)
        group.start_soon(give, "third")
        await anyio.wait_all_tasks_blocked()
        assert done == []  # both wait: one page is all it holds
        got = [await ahead.get() for _ in range(3)]
    assert got == ["first", "second", "third"]
    assert sorted(done) == ["second", "third"]


async def test_the_consumer_waits_for_the_next_page() -> None:
    ahead = Ahead[str](1)
    got: list[str | BaseException | None] = []

    async def take() -> None:
        got.append(await ahead.get())

    async with anyio.create_task_group() as group:
        group.start_soon(take)
        await anyio.wait_all_tasks_blocked()
        assert got == []
        await ahead.put("a")
    assert got == ["a"]


async def test_leaving_releases_a_waiting_giver_and_reads_nothing_more() -> None:
    ahead = Ahead[str](1)
    await ahead.put("a")
    with anyio.fail_after(2):
        async with anyio.create_task_group() as group:
            group.start_soon(ahead.put, "b")
            await anyio.wait_all_tasks_blocked()
            ahead.leave()
    assert await ahead.get() is None
    await ahead.put("c")  # dropped: nobody reads it
    assert await ahead.get() is None


async def test_a_cancelled_giver_hands_nothing_over() -> None:
    ahead = Ahead[str](1)
    await ahead.put("a")
    async with anyio.create_task_group() as group:
        group.start_soon(ahead.put, "never")
        await anyio.wait_all_tasks_blocked()
        group.cancel_scope.cancel()
    ahead.end()
    assert [await ahead.get(), await ahead.get()] == ["a", None]


@pytest.mark.parametrize("size", [1, 3])
async def test_an_ended_empty_hand_over_does_not_wait(size: int) -> None:
    ahead = Ahead[str](size)
    ahead.end()
    with anyio.fail_after(1):
        assert await ahead.get() is None

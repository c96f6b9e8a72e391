"""The coalesced look-up behind item 14.9: many keys, one request, every caller answered."""

from __future__ import annotations

from collections.abc import Mapping

import anyio
import pytest

from scale_async._engine.lookup import Coalesced


async def test_concurrent_finds_share_one_request() -> None:
    asked: list[list[str]] = []

    async def fetch(keys: list[str]) -> Mapping[str, str]:
        asked.append(keys)
        return {key: key.upper() for key in keys if key != "missing"}

    lookup = Coalesced(fetch, batch=3)
    answers: dict[str, str | None] = {}

    async def find(key: str) -> None:
        answers[key] = await lookup.find(key)

    async with anyio.create_task_group() as group:
        for key in ("a", "b", "c", "d", "missing", "a"):
            group.start_soon(find, key)
    assert answers == {"a": "A", "b": "B", "c": "C", "d": "D", "missing": None}
    assert sorted(map(len, asked)) == [3, 3] or sorted(map(len, asked)) == [2, 3]
    assert lookup.requests == len(asked) == 2


async def test_a_failed_request_fails_each_caller_with_its_error() -> None:
    async def fetch(keys: list[str]) -> Mapping[str, str]:
        raise OSError("down")

    lookup = Coalesced(fetch)
    errors: list[BaseException] = []

    async def find(key: str) -> None:
        try:
            await lookup.find(key)
        except OSError as exc:
            errors.append(exc)

    async with anyio.create_task_group() as group:
        for key in "xyz":
            group.start_soon(find, key)
    assert [str(e) for e in errors] == ["down"] * 3


async def test_a_cancelled_leader_leaves_nobody_waiting() -> None:
    started = anyio.Event()

    async def fetch(keys: list[str]) -> Mapping[str, str]:
        started.set()
        await anyio.sleep(10)
        return {}

    lookup = Coalesced(fetch)
    outcome: list[str] = []

    async def follower() -> None:
        await started.wait()
        try:
            await lookup.find("late")
        except RuntimeError as exc:
            outcome.append(str(exc))

    with anyio.fail_after(5):
        async with anyio.create_task_group() as group:
            group.start_soon(follower)
            with anyio.move_on_after(0.2):
                await lookup.find("first")
    assert outcome == ["the look-up was interrupted"]


def test_batch_must_be_positive() -> None:
    async def fetch(keys: list[str]) -> Mapping[str, str]:
        return {}

    with pytest.raises(ValueError, match="batch"):
        Coalesced(fetch, batch=0)

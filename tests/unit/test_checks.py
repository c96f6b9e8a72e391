"""The argument checks every endpoint runs before sending anything."""

from __future__ import annotations

from typing import Any

import pytest

from scale_async import AsyncScaleClient
from scale_async._engine.checks import require_int, require_text
from scale_async._engine.jobs import Job


@pytest.mark.parametrize(
    ("kwargs", "value", "message"),
    [
        ({}, 0, "n must be a positive integer, got 0"),
        ({}, True, "n must be a positive integer, got True"),
        ({}, 1.0, "n must be a positive integer, got 1.0"),
        ({"low": 0}, -1, "n must be a non-negative integer, got -1"),
        ({"low": 5}, 4, "n must be an integer of at least 5, got 4"),
        ({"low": 10, "high": 30}, "20", "n must be an integer from 10 to 30, got '20'"),
        ({"low": 10, "high": 30}, 31, "n must be from 10 to 30, got 31"),
    ],
)
def test_require_int_refuses(kwargs: dict[str, Any], value: Any, message: str) -> None:
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(") + "$"):
        require_int("n", value, **kwargs)


@pytest.mark.parametrize(("kwargs", "value"), [({}, 1), ({"low": 0}, 0), ({"high": 3}, 3)])
def test_require_int_passes_integers_in_range(kwargs: dict[str, Any], value: int) -> None:
    assert require_int("n", value, **kwargs) == value


@pytest.mark.parametrize("value", ["", None, 3])
def test_require_text_refuses(value: Any) -> None:
    with pytest.raises(ValueError, match="must be a non-empty string"):
        require_text("name", value)


def test_max_connections_true_is_refused() -> None:
    """``True`` used to pass as one connection."""
    with pytest.raises(ValueError, match="max_connections must be a positive integer"):
        AsyncScaleClient("test_key", max_connections=True)


async def test_job_concurrency_true_is_refused() -> None:
    """``True`` used to pass as one worker."""

    async def handle(index: int, item: int) -> int:
        return item

    job: Job[int, int] = Job(
        handle=handle,
        failed=lambda _: False,
        fatal=lambda _: None,
        skipped=lambda index, item, reason: item,
        concurrency=True,
    )

    async def emit(result: int) -> None:
        raise AssertionError("nothing may run")

    with pytest.raises(ValueError, match="concurrency must be a positive integer, got True"):
        await job.run([1], emit)

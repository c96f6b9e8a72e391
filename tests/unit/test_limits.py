"""The pause gate and the rate limiter, on a frozen clock."""

from __future__ import annotations

import anyio
import pytest

from scale_async._engine.limits import PauseGate, RateLimiter


class FrozenTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        await anyio.lowlevel.checkpoint()


async def test_gate_is_open_until_paused() -> None:
    time = FrozenTime()
    gate = PauseGate(time.clock, time.sleep)
    await gate.wait()
    assert time.sleeps == []
    assert gate.paused_for == 0.0


async def test_gate_holds_callers_for_the_pause() -> None:
    time = FrozenTime()
    gate = PauseGate(time.clock, time.sleep)
    gate.pause_for(5)
    assert gate.paused_for == 5
    await gate.wait()
    assert time.sleeps == [5]


async def test_a_later_deadline_wins_and_an_earlier_one_is_ignored() -> None:
    time = FrozenTime()
    gate = PauseGate(time.clock, time.sleep)
    gate.pause_for(5)
    gate.pause_for(2)
    assert gate.paused_for == 5
    gate.pause_for(9)
    assert gate.paused_for == 9
    gate.pause_for(-3)
    assert gate.paused_for == 9


async def test_gate_sleeps_again_when_extended_meanwhile() -> None:
    time = FrozenTime()
    gate = PauseGate(time.clock, time.sleep)
    gate.pause_for(4)

    async def extend_then_sleep(seconds: float) -> None:
        time.sleeps.append(seconds)
        if len(time.sleeps) == 1:
            gate.pause_for(10)
        else:
            time.now += seconds
        await anyio.lowlevel.checkpoint()

    gate._sleep = extend_then_sleep
    await gate.wait()
    assert time.sleeps == [4, 10]


async def test_rate_limiter_spaces_concurrent_callers_evenly() -> None:
    time = FrozenTime()
    limiter = RateLimiter(4, time.clock, time.sleep)
    async with anyio.create_task_group() as tg:
        for _ in range(6):
            tg.start_soon(limiter.acquire)
    assert sorted(time.sleeps) == pytest.approx([0.25, 0.5, 0.75, 1.0, 1.25])


@pytest.mark.parametrize("rate", [0, -1.5])
def test_rate_limiter_refuses_a_bad_rate(rate: float) -> None:
    time = FrozenTime()
    with pytest.raises(ValueError, match="positive"):
        RateLimiter(rate, time.clock, time.sleep)

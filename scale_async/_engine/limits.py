"""Pacing shared by concurrent requests: a pause gate fed by 429s, and a rate cap.

When Scale answers 429, every request of the client waits until the advised time instead of
each worker discovering the limit by itself and making it worse.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import anyio

__all__ = ["PauseGate", "RateLimiter"]


class PauseGate:
    """Holds every caller of ``wait()`` until the latest ``pause_for()`` deadline has passed."""

    def __init__(
        self, clock: Callable[[], float], sleep: Callable[[float], Awaitable[None]]
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._until = 0.0

    @property
    def paused_for(self) -> float:
        """Seconds left before the gate opens (0 when open)."""
        return max(0.0, self._until - self._clock())

    def pause_for(self, seconds: float) -> None:
        """Close the gate for ``seconds`` from now; a later deadline wins, never an earlier."""
        self._until = max(self._until, self._clock() + max(0.0, seconds))

    async def wait(self) -> None:
        """Return once the gate is open (at once if it is).

        Sleeps again only when another 429 pushed the deadline while this caller slept.
        """
        while True:
            until = self._until
            left = until - self._clock()
            if left <= 0:
                return
            await self._sleep(left)
            if self._until == until:
                return


class RateLimiter:
    """At most ``rate`` acquisitions per second, spaced evenly (a leaky bucket of one)."""

    def __init__(
        self,
        rate: float,
        clock: Callable[[], float],
        sleep: Callable[[float], Awaitable[None]],
    ) -> None:
        if not rate > 0:
            raise ValueError(f"rate must be a positive number of requests per second, got {rate!r}")
        self._interval = 1.0 / rate
        self._clock = clock
        self._sleep = sleep
        self._next = 0.0
        self._lock = anyio.Lock()

    async def acquire(self) -> None:
        """Wait for the next free slot."""
        async with self._lock:
            now = self._clock()
            slot = max(now, self._next)
            self._next = slot + self._interval
        if slot > now:
            await self._sleep(slot - now)

"""Run the same scenario through the async client and through the sync client.

The sync client is called from a worker thread, so a behaviour test stays one async function
while exercising the whole sync path: portal, generated facade, conversion to sync twins.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import anyio
import anyio.lowlevel
import httpx

import scale_async
import scale_sync
from scale_async import AsyncScaleClient, RetryPolicy

T = TypeVar("T")


class Sleeps:
    """A fake clock and ``sleep`` for the retry policy: records the waits, never waits.

    Sleeping advances the fake clock, so anything timed by the policy's clock sees the time
    pass that the sleeps stood for.
    """

    def __init__(self) -> None:
        self.calls: list[float] = []
        self.now = 0.0

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
        self.now += seconds
        await anyio.lowlevel.checkpoint()

    def clock(self) -> float:
        return self.now


def fast_policy(sleeps: Sleeps, **overrides: Any) -> RetryPolicy:
    """A retry policy with no real waiting and no jitter, on the fake clock of ``sleeps``."""
    options: dict[str, Any] = {
        "sleep": sleeps,
        "random": lambda: 0.0,
        "clock": sleeps.clock,
        **overrides,
    }
    return RetryPolicy(**options)


class Driver:
    """Calls client methods by name; ``kind`` is ``"async"`` or ``"sync"``."""

    kind = ""
    client: Any

    async def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    async def collect(self, name: str, *args: Any, **kwargs: Any) -> list[Any]:
        """Consume an iterator method (``get_tasks``) completely."""
        raise NotImplementedError

    async def method(self, obj: Any, name: str, *args: Any, **kwargs: Any) -> Any:
        """Call a model helper (``task.refresh()``), awaiting it on the async side."""
        raise NotImplementedError

    async def aclose(self) -> None:
        raise NotImplementedError

    @property
    def models(self) -> Any:
        """The package whose model classes this client returns."""
        return scale_async if self.kind == "async" else scale_sync


class AsyncDriver(Driver):
    kind = "async"

    def __init__(self, **kwargs: Any) -> None:
        self.client = AsyncScaleClient(**kwargs)

    async def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        return await getattr(self.client, name)(*args, **kwargs)

    async def collect(self, name: str, *args: Any, **kwargs: Any) -> list[Any]:
        return [item async for item in getattr(self.client, name)(*args, **kwargs)]

    async def method(self, obj: Any, name: str, *args: Any, **kwargs: Any) -> Any:
        return await getattr(obj, name)(*args, **kwargs)

    async def aclose(self) -> None:
        await self.client.aclose()


class SyncDriver(Driver):
    kind = "sync"

    def __init__(self, **kwargs: Any) -> None:
        self.client = scale_sync.ScaleClient(**kwargs)

    async def _in_thread(self, func: Callable[[], T]) -> T:
        return await anyio.to_thread.run_sync(func)

    async def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        return await self._in_thread(lambda: getattr(self.client, name)(*args, **kwargs))

    async def collect(self, name: str, *args: Any, **kwargs: Any) -> list[Any]:
        return await self._in_thread(lambda: list(getattr(self.client, name)(*args, **kwargs)))

    async def method(self, obj: Any, name: str, *args: Any, **kwargs: Any) -> Any:
        return await self._in_thread(lambda: getattr(obj, name)(*args, **kwargs))

    async def aclose(self) -> None:
        await self._in_thread(self.client.close)


Handler = Callable[[httpx.Request], httpx.Response]


def make_driver(kind: str, handler: Handler | None, **kwargs: Any) -> Driver:
    """A driver whose client talks to ``handler`` in memory (or to ``transport=``)."""
    options: dict[str, Any] = {"api_key": "test_key", **kwargs}
    if handler is not None:
        options["transport"] = httpx.MockTransport(handler)
    return AsyncDriver(**options) if kind == "async" else SyncDriver(**options)

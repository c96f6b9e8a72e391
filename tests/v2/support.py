"""Driving ``client.v2`` through the async client or its sync twin, and where they talk to."""

from __future__ import annotations

from typing import Any

import anyio

from tests.drivers import Driver


class V2:
    """Calls ``client.v2`` methods by name, awaited (async) or from a worker thread (sync)."""

    def __init__(self, driver: Driver) -> None:
        self.driver = driver
        self.kind = driver.kind

    @property
    def api(self) -> Any:
        """The ``client.v2`` object itself."""
        return self.driver.client.v2

    async def call(self, name: str, /, *args: Any, **kwargs: Any) -> Any:
        if self.kind == "async":
            return await getattr(self.api, name)(*args, **kwargs)
        return await anyio.to_thread.run_sync(lambda: getattr(self.api, name)(*args, **kwargs))

    async def collect(self, name: str, /, *args: Any, **kwargs: Any) -> list[Any]:
        """Every item of an iterator method (``iter_tasks``), prefetching as users would."""
        if self.kind == "async":
            async with getattr(self.api, name)(*args, **kwargs) as items:
                return [item async for item in items]
        return await anyio.to_thread.run_sync(
            lambda: list(getattr(self.api, name)(*args, **kwargs))
        )

    async def client_call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """A method of the client itself (``v2_get_tasks`` is collected)."""
        if name == "v2_get_tasks":
            return await self.driver.collect(name, *args, **kwargs)
        return await self.driver.call(name, *args, **kwargs)

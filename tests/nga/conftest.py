"""Fixtures for the NGA tests: the fake NGA Scale in-process, and clients bound to it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timezone

import httpx
import pytest

from scale_async.testing import IN_PROCESS_NGA_BASE_URL, FakeNGAScaleAPI
from tests.drivers import Sleeps, fast_policy
from tests.nga.support import NGADriver, make_nga_driver

T0 = datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone.utc)


@pytest.fixture
def fake() -> FakeNGAScaleAPI:
    # A frozen wall clock: every stamp is exactly 1 ms after the previous one.
    return FakeNGAScaleAPI(now=lambda: T0)


@pytest.fixture
async def nga(client_kind: str, fake: FakeNGAScaleAPI) -> AsyncIterator[NGADriver]:
    """An NGA client (async, or its sync twin) talking to ``fake`` in-process."""
    drv = make_nga_driver(
        client_kind,
        base_url=IN_PROCESS_NGA_BASE_URL,
        transport=fake.transport(),
        retry=fast_policy(Sleeps(), max_retries=1),
    )
    yield drv
    await drv.aclose()


@pytest.fixture
async def raw(fake: FakeNGAScaleAPI) -> AsyncIterator[httpx.AsyncClient]:
    """Plain httpx on the fake, for wire-level checks and quick setup."""
    async with fake.client() as client:
        yield client

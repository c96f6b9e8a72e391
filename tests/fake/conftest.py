"""Fixtures for the fake's own tests: an in-process fake and clients bound to it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timezone

import httpx
import pytest

from scale_async.testing import FakeScaleAPI

T0 = datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone.utc)


@pytest.fixture
def fake() -> FakeScaleAPI:
    # A frozen wall clock: every stamp is then exactly 1 ms after the previous one.
    return FakeScaleAPI(seed=1, now=lambda: T0, callback_backoff=0.0)


@pytest.fixture
async def api(fake: FakeScaleAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with fake.client("test_key") as client:
        yield client


@pytest.fixture
async def live_api(fake: FakeScaleAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with fake.client("live_key") as client:
        yield client

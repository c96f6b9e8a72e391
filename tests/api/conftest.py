"""Fixtures for the per-endpoint tests: a respx router, and a client of each kind routed to it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import respx

from tests.api.support import BASE
from tests.drivers import Driver, Sleeps, fast_policy, make_driver


@pytest.fixture
def router() -> respx.Router:
    return respx.Router(base_url=BASE, assert_all_called=False)


@pytest.fixture
async def driver(client_kind: str, router: respx.Router) -> AsyncIterator[Driver]:
    drv = make_driver(client_kind, router.handler, retry=fast_policy(Sleeps()))
    yield drv
    await drv.aclose()

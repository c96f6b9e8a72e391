"""Fixtures for the v2 tests: a seeded fake, in-process or over loopback, and v2 drivers."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from scale_async.testing import IN_PROCESS_BASE_URL, FakeScaleAPI, FakeServer, run_in_thread
from tests.drivers import Sleeps, fast_policy, make_driver
from tests.v2.support import V2

_keys = itertools.count()


@pytest.fixture(scope="session")
def loopback() -> Iterator[FakeServer]:
    """One fake on 127.0.0.1 for the session; each test has its own key, so its own account."""
    with run_in_thread(FakeScaleAPI(seed=11)) as server:
        yield server


@pytest.fixture(params=["in-process", "loopback"])
def where(request: pytest.FixtureRequest) -> str:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def key() -> str:
    return f"test_v2_{next(_keys)}"


@pytest.fixture
def fake(where: str, loopback: FakeServer) -> FakeScaleAPI:
    return loopback.fake if where == "loopback" else FakeScaleAPI(seed=3)


@pytest.fixture
def seeded(fake: FakeScaleAPI, key: str) -> dict[str, Any]:
    """What ``seed_v2`` made for this test's account, in project ``p``."""
    return fake.seed_v2(key, "p", tasks=30)


@pytest.fixture
async def v2(
    client_kind: str, where: str, fake: FakeScaleAPI, loopback: FakeServer, key: str
) -> AsyncIterator[V2]:
    """``client.v2`` of an async or sync client on ``fake``, with no real retry waits."""
    options: dict[str, Any] = {"api_key": key, "retry": fast_policy(Sleeps(), max_retries=2)}
    if where == "loopback":
        options["api_instance_url"] = loopback.base_url
    else:
        options.update(api_instance_url=IN_PROCESS_BASE_URL, transport=fake.transport())
    driver = make_driver(client_kind, None, **options)
    yield V2(driver)
    await driver.aclose()

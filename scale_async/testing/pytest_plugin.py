"""Fixtures that hand a test a client wired to a fresh fake Scale API, for your own tests.

Installed with the package, pytest loads it by itself (a ``pytest11`` entry point); listing it
in a ``conftest.py`` as ``pytest_plugins = ["scale_async.testing.pytest_plugin"]`` also works.

Ask for ``scale_fake`` (the ``FakeScaleAPI``, to inspect or misbehave) or ``scale_client``
(an ``AsyncScaleClient``; async tests, with anyio's pytest plugin). ``scale_sync`` adds
``scale_sync_client`` (a ``scale_sync.ScaleClient``) the same way. Each test gets its own fake,
so tests cannot see each other's tasks, and no socket is opened.

The clients use a ``test_`` key, with which the fake completes tasks at once, as Scale does.
Mark a test ``@pytest.mark.scale_live`` (or override the ``scale_api_key`` fixture) for a
``live_`` key: tasks then stay pending until ``await scale_fake.complete_task(task_id)``, so
``cancel_batch`` and callbacks have something to act on.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from scale_async import AsyncScaleClient

from ._v1.app import IN_PROCESS_BASE_URL, FakeScaleAPI

__all__ = ["FAKE_KEY", "FAKE_LIVE_KEY", "scale_api_key", "scale_client", "scale_fake"]

#: The key the fixtures' clients use: a test key, so tasks complete at once.
FAKE_KEY = "test_scale_async_fixture"
#: The key under ``@pytest.mark.scale_live``: a live key, so tasks stay pending.
FAKE_LIVE_KEY = "live_scale_async_fixture"


def pytest_configure(config: pytest.Config) -> None:
    """Declare the marker, so ``--strict-markers`` suites accept it."""
    config.addinivalue_line(
        "markers",
        "scale_live: the scale_client fixtures use a live_ key: tasks stay pending until "
        "scale_fake.complete_task(task_id)",
    )


@pytest.fixture
def scale_api_key(request: pytest.FixtureRequest) -> str:
    """The key the fixture clients send: ``test_`` by default, ``live_`` under ``scale_live``."""
    return FAKE_LIVE_KEY if request.node.get_closest_marker("scale_live") else FAKE_KEY


@pytest.fixture
def scale_fake() -> FakeScaleAPI:
    """A fresh in-memory Scale API; configure faults or latency on it before use."""
    return FakeScaleAPI()


@pytest.fixture
async def scale_client(
    scale_fake: FakeScaleAPI, scale_api_key: str
) -> AsyncIterator[AsyncScaleClient]:
    """An ``AsyncScaleClient`` talking to ``scale_fake`` in-process."""
    async with AsyncScaleClient(
        scale_api_key, api_instance_url=IN_PROCESS_BASE_URL, transport=scale_fake.transport()
    ) as client:
        yield client

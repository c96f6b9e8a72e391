"""Fixtures that hand a test a client wired to a fresh fake Scale API, for your own tests.

Enable it in a ``conftest.py``::

    pytest_plugins = ["scale_async.testing.pytest_plugin"]

Then ask for ``scale_fake`` (the ``FakeScaleAPI``, to inspect or misbehave), ``scale_client``
(an ``AsyncScaleClient``; async tests, with anyio's pytest plugin) or ``scale_sync_client``
(a ``scale_sync.ScaleClient``). Each test gets its own fake, so tests cannot see each other's
tasks, and no socket is opened.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from scale_async import AsyncScaleClient
from scale_sync import ScaleClient

from ._app import IN_PROCESS_BASE_URL, FakeScaleAPI

__all__ = ["scale_client", "scale_fake", "scale_sync_client"]

#: The key the fixtures' clients use: a test key, so tasks complete at once.
FAKE_KEY = "test_scale_async_fixture"


@pytest.fixture
def scale_fake() -> FakeScaleAPI:
    """A fresh in-memory Scale API; configure faults or latency on it before use."""
    return FakeScaleAPI()


@pytest.fixture
async def scale_client(scale_fake: FakeScaleAPI) -> AsyncIterator[AsyncScaleClient]:
    """An ``AsyncScaleClient`` talking to ``scale_fake`` in-process."""
    async with AsyncScaleClient(
        FAKE_KEY, api_instance_url=IN_PROCESS_BASE_URL, transport=scale_fake.transport()
    ) as client:
        yield client


@pytest.fixture
def scale_sync_client(scale_fake: FakeScaleAPI) -> Iterator[ScaleClient]:
    """A ``scale_sync.ScaleClient`` talking to ``scale_fake`` in-process."""
    with ScaleClient(
        FAKE_KEY, api_instance_url=IN_PROCESS_BASE_URL, transport=scale_fake.transport()
    ) as client:
        yield client

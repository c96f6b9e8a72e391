"""Fixtures that hand a test a client wired to a fresh fake Scale API, for your own tests.

Installed with the package, pytest loads it by itself (a ``pytest11`` entry point); listing it
in a ``conftest.py`` as ``pytest_plugins = ["scale_async.testing.pytest_plugin"]`` also works.

Ask for ``scale_fake`` (the ``FakeScaleAPI``, to inspect or misbehave) or ``scale_client``
(an ``AsyncScaleClient``; async tests, with anyio's pytest plugin). ``scale_sync`` adds
``scale_sync_client`` (a ``scale_sync.ScaleClient``) the same way. Each test gets its own fake,
so tests cannot see each other's tasks, and no socket is opened.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from scale_async import AsyncScaleClient

from ._v1.app import IN_PROCESS_BASE_URL, FakeScaleAPI

__all__ = ["FAKE_KEY", "scale_client", "scale_fake"]

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

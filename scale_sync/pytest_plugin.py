"""The sync twin's fixture for your tests: ``scale_sync_client``, on ``scale_fake``.

pytest loads it by itself (a ``pytest11`` entry point) beside
``scale_async.testing.pytest_plugin``, which provides ``scale_fake``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scale_async.testing import IN_PROCESS_BASE_URL, FakeScaleAPI

from ._generated import ScaleClient

__all__ = ["scale_sync_client"]


@pytest.fixture
def scale_sync_client(scale_fake: FakeScaleAPI, scale_api_key: str) -> Iterator[ScaleClient]:
    """A ``scale_sync.ScaleClient`` talking to ``scale_fake`` in-process (``scale_api_key``'s)."""
    with ScaleClient(
        scale_api_key, api_instance_url=IN_PROCESS_BASE_URL, transport=scale_fake.transport()
    ) as client:
        yield client

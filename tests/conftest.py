"""Shared fixtures: every async test runs on asyncio and on trio."""

from __future__ import annotations

import pytest

# The fixtures users get (scale_fake, scale_client, scale_sync_client), enabled as users do;
# pytest only reads ``pytest_plugins`` in the top-level conftest.
pytest_plugins = ["scale_async.testing.pytest_plugin"]


@pytest.fixture(
    scope="session",
    params=[
        pytest.param(("asyncio", {}), id="asyncio"),
        pytest.param(("trio", {}), id="trio"),
    ],
)
def anyio_backend(request: pytest.FixtureRequest) -> tuple[str, dict[str, object]]:
    """Run each async test once per backend."""
    return request.param  # type: ignore[no-any-return]


@pytest.fixture(params=["async", "sync"])
def client_kind(request: pytest.FixtureRequest) -> str:
    """Behaviour tests run through the async client and through its sync twin."""
    return request.param  # type: ignore[no-any-return]

"""The sync ``client.v2`` is generated from the async one and never drifts from it."""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

import pytest

import scale_async.v2
import scale_sync
import scale_sync.v2

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
try:
    import gen_sync
finally:
    sys.path.pop(0)

ASYNC = scale_async.v2.AsyncV2Client
SYNC = scale_sync.v2.V2Client
METHODS = sorted(
    name
    for name, _ in inspect.getmembers(ASYNC, inspect.isfunction)
    # aclose and with_options are the client's own (client.with_options(...).v2 is the copy).
    if not name.startswith("_") and name not in ("aclose", "with_options")
)


def test_the_surface_is_complete() -> None:
    assert len(METHODS) == 25 + 6 + 6  # the SDK's operations, the iterators, the bulk helpers
    assert set(METHODS) <= {n for n, _ in inspect.getmembers(SYNC, inspect.isfunction)}


@pytest.mark.parametrize("name", METHODS)
def test_signatures_and_docstrings_match(name: str) -> None:
    mine, twin = getattr(ASYNC, name), getattr(SYNC, name)
    assert list(inspect.signature(mine).parameters) == list(inspect.signature(twin).parameters)
    for key, param in inspect.signature(mine).parameters.items():
        other = inspect.signature(twin).parameters[key]
        assert (param.kind, param.default) == (other.kind, other.default)
    assert gen_sync.sync_text(inspect.getdoc(mine) or "") == inspect.getdoc(twin)
    assert not inspect.iscoroutinefunction(twin)


def test_sync_docstrings_never_say_async() -> None:
    docs = [inspect.getdoc(SYNC) or ""] + [inspect.getdoc(getattr(SYNC, n)) or "" for n in METHODS]
    for word in ("async for", "async with", "await ", "coroutine", "aclose", "AsyncV2Client"):
        assert not [doc for doc in docs if word in doc], word


def test_the_sync_package_mirrors_the_async_one() -> None:
    assert set(scale_sync.v2.__all__) == (set(scale_async.v2.__all__) - {"AsyncV2Client"}) | {
        "V2Client"
    }
    assert scale_sync.v2.Task is scale_async.v2.Task  # type: ignore[attr-defined]  # no helpers
    client = scale_sync.ScaleClient("test_twin")
    try:
        assert isinstance(client.v2, SYNC)
        assert client.v2._async is client.async_client.v2
    finally:
        client.close()

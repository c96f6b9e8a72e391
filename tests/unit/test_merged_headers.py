"""The asyncio fast path lays a request's own headers over the client's as httpx would."""

from __future__ import annotations

import httpx
import pytest

from scale_async._engine.http import merged_pairs

BASE = [("User-Agent", "scale-async/1"), ("Accept", "application/json"), ("Authorization", "x")]


@pytest.mark.parametrize(
    "extra",
    [
        {"Idempotency-Key": "k-1"},
        {"accept": "text/plain"},
        {"Content-Type": "application/json", "AUTHORIZATION": "y", "X-Other": "z"},
    ],
)
def test_merged_pairs_is_what_httpx_headers_update_gives(extra: dict[str, str]) -> None:
    expected = httpx.Headers(BASE)
    expected.update(extra)
    want = [(k.decode(), v.decode()) for k, v in expected.raw]
    assert merged_pairs(BASE, extra) == want


def test_merged_pairs_leaves_the_cached_base_alone() -> None:
    base = list(BASE)
    merged_pairs(base, {"Accept": "text/plain", "Idempotency-Key": "k"})
    assert base == BASE

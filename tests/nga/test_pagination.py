"""The fan-out page fetcher (``scale_async._engine.pagination``), driven by a scripted fetch."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from scale_async import ScaleInternalError, ScaleInvalidResponse
from scale_async._engine.pagination import FanOut, fan_out_pages


class Listing:
    """``pages`` pages of ``size`` numbers; page ``i`` takes ``delays[i]`` seconds to fetch."""

    def __init__(self, pages: int, size: int = 3, delays: dict[int, float] | None = None) -> None:
        self.pages = pages
        self.size = size
        self.delays = delays or {}
        self.fetched: list[int] = []
        self.finished: list[int] = []
        self.in_flight = 0
        self.peak = 0
        self.fail: dict[int, Exception] = {}

    async def __call__(self, index: int) -> tuple[list[int], int]:
        self.fetched.append(index)
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            await anyio.sleep(self.delays.get(index, 0.001))
            if index in self.fail:
                raise self.fail[index]
        finally:
            self.in_flight -= 1
        self.finished.append(index)
        return list(range(index * self.size, (index + 1) * self.size)), self.pages


async def test_every_item_once_in_order_despite_out_of_order_arrival() -> None:
    """Later pages of a wave may arrive first; items still come out in listing order."""
    listing = Listing(7, delays={1: 0.03, 2: 0.001, 3: 0.02, 5: 0.001, 6: 0.01})
    items = [item async for item in fan_out_pages(listing, concurrency=3)]
    assert items == list(range(21))
    assert sorted(listing.fetched) == list(range(7))
    assert listing.finished[:4] != sorted(listing.finished[:4])  # they did finish out of order


async def test_concurrency_bounds_the_requests_in_flight() -> None:
    listing = Listing(10, delays=dict.fromkeys(range(10), 0.01))
    pages = [page async for page in fan_out_pages(listing, concurrency=4).pages()]
    assert [p[0] for p in pages] == [i * 3 for i in range(10)]
    assert listing.peak == 4
    single = Listing(5)
    assert len([x async for x in fan_out_pages(single, concurrency=1)]) == 15
    assert single.peak == 1


async def test_leaving_early_stops_the_fetching() -> None:
    """After page 0, one wave is fetched; breaking inside it fetches nothing more."""
    listing = Listing(20)
    async for item in fan_out_pages(listing, concurrency=3):
        if item == 4:  # on page 1
            break
    assert sorted(listing.fetched) == [0, 1, 2, 3]
    await anyio.sleep(0.02)
    assert listing.in_flight == 0
    assert sorted(listing.fetched) == [0, 1, 2, 3]


async def test_aclose_stops_the_iteration() -> None:
    listing = Listing(5)
    iterator = fan_out_pages(listing, concurrency=2)
    assert await iterator.__anext__() == 0
    await iterator.aclose()
    assert [x async for x in iterator] == []
    assert listing.fetched == [0]


async def test_a_failed_page_cancels_its_wave_and_is_raised() -> None:
    listing = Listing(6, delays={2: 0.5, 3: 0.5})
    listing.fail[1] = ScaleInternalError("boom", 500)
    iterator = fan_out_pages(listing, concurrency=3)
    assert [await iterator.__anext__() for _ in range(3)] == [0, 1, 2]
    with pytest.raises(ScaleInternalError, match="boom"):
        await iterator.__anext__()
    assert sorted(listing.fetched) == [0, 1, 2, 3]
    assert 2 not in listing.finished
    assert 3 not in listing.finished


async def test_the_first_failure_wins_and_cancels_the_slower_one() -> None:
    listing = Listing(4, delays={1: 0.2, 2: 0.02, 3: 0.001})
    listing.fail[1] = ValueError("page 1")
    listing.fail[2] = ValueError("page 2")
    with pytest.raises(ValueError, match="page 2"):
        [x async for x in fan_out_pages(listing, concurrency=3)]
    assert listing.finished == [0, 3]


async def test_an_empty_listing_is_one_empty_page() -> None:
    listing = Listing(0)
    listing.size = 0
    assert [x async for x in fan_out_pages(listing, concurrency=3)] == []
    assert listing.fetched == [0]


@pytest.mark.parametrize("count", [-1, None, "3", True])
async def test_an_unusable_page_count_is_an_invalid_response(count: Any) -> None:
    async def fetch(index: int) -> tuple[list[int], Any]:
        return [1], count

    with pytest.raises(ScaleInvalidResponse, match="page count"):
        [x async for x in fan_out_pages(fetch, concurrency=2)]


@pytest.mark.parametrize("concurrency", [0, -1, True, 1.5])
def test_concurrency_must_be_a_positive_int(concurrency: Any) -> None:
    with pytest.raises(ValueError, match="concurrency"):
        FanOut(Listing(1), concurrency)

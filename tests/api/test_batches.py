"""Batches: create, finalize, status, priorities, pages and the model, through both clients."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx

from scale_async import BatchStatus, ScaleDuplicateResource, ScaleInvalidRequest
from tests.api.support import last_body
from tests.drivers import Driver


def batch_json(name: str = "b1", **fields: Any) -> dict[str, Any]:
    return {
        "project": "p",
        "name": name,
        "status": "in_progress",
        "created_at": "2024-01-01T00:00:00.000Z",
        "metadata": {},
        "callback": "",
        **fields,
    }


def batch_page(docs: list[dict[str, Any]], offset: int, total: int, has_more: bool) -> Any:
    return {"docs": docs, "totalDocs": total, "limit": 2, "offset": offset, "has_more": has_more}


# -- batches ---------------------------------------------------------------------------------


async def test_create_batch(driver: Driver, router: respx.Router) -> None:
    route = router.post("/batches").respond(json=batch_json("b1", status="staging"))
    batch = await driver.call("create_batch", "p", "b1")
    assert isinstance(batch, driver.models.Batch)
    assert batch.status is BatchStatus.Staging
    assert last_body(route) == {
        "project": "p",
        "name": "b1",
        "calibration_batch": False,
        "self_label_batch": False,
        "callback": "",
        "metadata": {},
    }
    route.reset()
    await driver.call("create_batch", "p", "b1", "https://cb", True, True, {"k": 1})
    assert last_body(route)["metadata"] == {"k": 1}
    assert last_body(route)["callback"] == "https://cb"
    assert last_body(route)["calibration_batch"] is True


async def test_create_batch_recovers_after_an_ambiguous_attempt(
    driver: Driver, router: respx.Router
) -> None:
    """500 then 409 on the same name: the first attempt made the batch; return it."""
    router.post("/batches").mock(
        side_effect=[
            httpx.Response(500, json={"error": "oops"}),
            httpx.Response(409, json={"error": "name taken"}),
        ]
    )
    get = router.get("/batches/b%201").respond(json=batch_json("b 1"))
    batch = await driver.call("create_batch", "p", "b 1")
    assert batch.name == "b 1"
    assert get.called


async def test_create_batch_duplicate_name(driver: Driver, router: respx.Router) -> None:
    router.post("/batches").respond(409, json={"error": "name taken"})
    with pytest.raises(ScaleDuplicateResource, match="name taken"):
        await driver.call("create_batch", "p", "b1")


async def test_batch_endpoints_quote_names(driver: Driver, router: respx.Router) -> None:
    get = router.get(url__regex=r".*/batches/a%2Fb$").respond(json=batch_json("a/b"))
    fin = router.post(url__regex=r".*/batches/a%2Fb/finalize$").respond(json=batch_json("a/b"))
    meta = router.post(url__regex=r".*/batches/a%2Fb/setMetadata$").respond(
        json=batch_json("a/b", metadata={"x": 1})
    )
    assert (await driver.call("get_batch", "a/b")).name == "a/b"
    assert (await driver.call("finalize_batch", "a/b")).name == "a/b"
    batch = await driver.call("set_batch_metadata", "a/b", {"x": 1})
    assert batch.metadata == {"x": 1}
    assert last_body(meta) == {"x": 1}
    assert get.called
    assert fin.called


async def test_batch_status(driver: Driver, router: respx.Router) -> None:
    router.get("/batches/b1/status").respond(json={"status": "in_progress", "pending": 2})
    assert await driver.call("batch_status", "b1") == {"status": "in_progress", "pending": 2}


async def test_batch_helpers_update_in_place(driver: Driver, router: respx.Router) -> None:
    router.get("/batches/b1").respond(json=batch_json("b1", status="staging"))
    router.post("/batches/b1/finalize").respond(json=batch_json("b1", status="in_progress"))
    router.get("/batches/b1/status").respond(
        json={"status": "completed", "completed": 3, "canceled": 1}
    )
    batch = await driver.call("get_batch", "b1")
    assert batch.tasks_pending is None
    returned = await driver.method(batch, "finalize")
    assert returned is batch
    assert batch.status == BatchStatus.InProgress
    status = await driver.method(batch, "get_status")
    assert status["completed"] == 3
    assert batch.status is BatchStatus.Completed
    # get_status updated batch in place; mypy still holds the `is None` narrowing above.
    assert (batch.tasks_pending, batch.tasks_completed) == (0, 3)  # type: ignore[comparison-overlap]
    assert (batch.tasks_error, batch.tasks_canceled) == (0, 1)


@pytest.mark.parametrize("priority", [9, 31, 0, "20", 20.0, True])
async def test_prioritize_batch_refuses_bad_priorities(
    driver: Driver, router: respx.Router, priority: Any
) -> None:
    with pytest.raises(ValueError, match="10 to 30"):
        await driver.call("prioritize_batch", "b1", priority)
    assert router.calls.call_count == 0


async def test_prioritize_batch(driver: Driver, router: respx.Router) -> None:
    route = router.post("/batches/b1/prioritize").respond(json={"result": "success"})
    for priority in (10, 30):
        assert await driver.call("prioritize_batch", "b1", priority) == {"result": "success"}
        assert last_body(route) == {"priority": priority}


async def test_batches_page(driver: Driver, router: respx.Router) -> None:
    route = router.get("/batches").respond(json=batch_page([batch_json("a")], 0, 9, True))
    page = await driver.call("batches", project="p", limit=1, exclude_archived=True)
    assert isinstance(page, driver.models.Batchlist)
    assert [b.name for b in page] == ["a"]
    assert (page.total, page.limit, page.offset, page.has_more) == (9, 2, 0, True)
    assert dict(route.calls.last.request.url.params) == {
        "project": "p",
        "limit": "1",
        "exclude_archived": "True",
    }
    with pytest.raises(ScaleInvalidRequest, match="Illegal parameter bogus"):
        await driver.call("batches", bogus=1)


async def test_get_batches_fetches_pages_concurrently_in_order(
    driver: Driver, router: respx.Router
) -> None:
    """The first page gives the total; the rest come in waves, yielded in order."""
    names = [f"b{n:03d}" for n in range(250)]

    def page(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params["offset"])
        limit = int(request.url.params["limit"])
        docs = [batch_json(name) for name in names[offset : offset + limit]]
        return httpx.Response(
            200, json=batch_page(docs, offset, len(names), offset + limit < len(names))
        )

    route = router.get("/batches").mock(side_effect=page)
    batches = await driver.collect(
        "get_batches", project_name="p", batch_status=BatchStatus.InProgress, concurrency=2
    )
    assert [b.name for b in batches] == names
    assert all(isinstance(b, driver.models.Batch) for b in batches)
    first = route.calls[0].request.url.params
    assert dict(first) == {
        "project": "p",
        "status": "in_progress",
        "exclude_archived": "False",
        "offset": "0",
        "limit": "100",
    }
    assert sorted(int(c.request.url.params["offset"]) for c in route.calls) == [0, 100, 200]


async def test_malformed_batch_is_a_clear_error(driver: Driver, router: respx.Router) -> None:
    router.get("/batches/b1").respond(json={"name": "b1"})
    with pytest.raises(Exception, match="unexpected Batch"):
        await driver.call("get_batch", "b1")

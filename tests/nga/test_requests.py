"""What goes on the wire for each NGA operation, and how answers map back; async and sync."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
import respx

from scale_async import (
    ScaleException,
    ScaleForbidden,
    ScaleInternalError,
    ScaleInvalidRequest,
    ScaleInvalidResponse,
    ScaleResourceNotFound,
    ScaleUnauthorized,
)
from scale_async.nga import (
    BatchComparison,
    BatchConfiguration,
    BatchDefinition,
    BatchDetails,
    BatchPage,
    ForcedNodes,
    ValidationResult,
)
from tests.drivers import Sleeps, fast_policy
from tests.nga.support import BASE, Driver, details, list_item, make_nga_driver, page

TOKEN = "drf-token-0123456789abcdef"
MAX_RETRIES = 2
STATES = ("total", "pending", "blocked", "queued", "running", "failed", "completed", "canceled")


@pytest.fixture
def router() -> respx.Router:
    return respx.Router(base_url=BASE, assert_all_called=False)


@pytest.fixture
async def driver(client_kind: str, router: respx.Router) -> AsyncIterator[Driver]:
    drv = make_nga_driver(
        client_kind,
        token=TOKEN,
        transport=httpx.MockTransport(router.handler),
        retry=fast_policy(Sleeps(), max_retries=MAX_RETRIES),
    )
    yield drv
    await drv.aclose()


def sent(route: respx.Route) -> httpx.Request:
    assert route.call_count == 1
    return route.calls.last.request


def body(route: respx.Route) -> Any:
    return json.loads(sent(route).content)


async def test_list_batches_sends_every_filter(driver: Driver, router: respx.Router) -> None:
    nxt = f"{BASE}/v6/batches/?page=3&page_size=2"
    route = router.get("/v6/batches/").respond(
        json=page([list_item(1), list_item(2)], count=9, next=nxt, previous=f"{BASE}/v6/batches/")
    )
    result = await driver.call(
        "list_batches",
        started=timedelta(hours=3),
        ended="2024-05-01T00:00:00Z",
        recipe_type_id=[208, 209],
        root_batch_id=4,
        is_creation_done=True,
        is_superseded=False,
        order=["-title", "id"],
        page=2,
        page_size=2,
    )
    request = sent(route)
    assert request.url.params.multi_items() == [
        ("started", "PT3H"),
        ("ended", "2024-05-01T00:00:00Z"),
        ("recipe_type_id", "208"),
        ("recipe_type_id", "209"),
        ("root_batch_id", "4"),
        ("is_creation_done", "true"),
        ("is_superseded", "false"),
        ("order", "-title"),
        ("order", "id"),
        ("page", "2"),
        ("page_size", "2"),
    ]
    assert request.headers["authorization"] == f"Token {TOKEN}"
    assert request.headers["accept"] == "application/json"
    assert request.content == b""
    assert isinstance(result, BatchPage)
    assert [b.id for b in result] == [1, 2]
    assert (result.count, result.page, result.pages, result.has_more) == (9, 2, 5, True)
    assert (result.next_url, result.previous_url) == (nxt, f"{BASE}/v6/batches/")


async def test_without_a_token_no_authorization_is_sent(client_kind: str) -> None:
    router = respx.Router(base_url=BASE)
    route = router.get("/v6/batches/").respond(json=page([]))
    drv = make_nga_driver(client_kind, transport=httpx.MockTransport(router.handler))
    try:
        result = await drv.call("list_batches")
    finally:
        await drv.aclose()
    assert "authorization" not in sent(route).headers
    assert sent(route).url.query == b""
    assert (len(result), result.count, result.page, result.page_size) == (0, 0, 1, 100)


async def test_get_batches_fetches_every_page(driver: Driver, router: respx.Router) -> None:
    """Page 1 gives the count; pages 2 and 3 follow with the same filters."""

    def answer(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params["page"])
        ids = list(range(1, 8))[(number - 1) * 3 : number * 3]
        return httpx.Response(200, json=page([list_item(n) for n in ids], count=7))

    route = router.get("/v6/batches/").mock(side_effect=answer)
    items = await driver.collect("get_batches", page_size=3, recipe_type_id=208, concurrency=2)
    assert [b.id for b in items] == list(range(1, 8))
    queries = sorted(
        (call.request.url.params["page"], call.request.url.params.multi_items())
        for call in route.calls
    )
    assert [q[0] for q in queries] == ["1", "2", "3"]
    for number, params in queries:
        assert sorted(params) == [("page", number), ("page_size", "3"), ("recipe_type_id", "208")]


async def test_get_batches_sends_the_default_page_size(
    driver: Driver, router: respx.Router
) -> None:
    route = router.get("/v6/batches/").respond(json=page([list_item(1)]))
    assert [b.id for b in await driver.collect("get_batches")] == [1]
    assert sent(route).url.params.multi_items() == [("page_size", "100"), ("page", "1")]


async def test_get_batches_refuses_page_before_any_request(
    driver: Driver, router: respx.Router
) -> None:
    route = router.get("/v6/batches/").respond(json=page([]))
    with pytest.raises(ScaleInvalidRequest, match="Illegal parameter page for"):
        await driver.collect("get_batches", page=2)
    assert not route.called


async def test_create_batch(driver: Driver, router: respx.Router) -> None:
    route = router.post("/v6/batches/").respond(
        201, json=details(105), headers={"Location": f"{BASE}/v6/batches/105/"}
    )
    batch = await driver.call(
        "create_batch",
        208,
        {"dataset": 1, "forced_nodes": {"all": True}},
        {"priority": 100},
        title="My Batch",
        description="My Batch Description",
    )
    assert body(route) == {
        "recipe_type_id": 208,
        "definition": {"dataset": 1, "forced_nodes": {"all": True}},
        "configuration": {"priority": 100},
        "title": "My Batch",
        "description": "My Batch Description",
    }
    assert sent(route).headers["content-type"] == "application/json"
    assert isinstance(batch, BatchDetails)
    assert batch.id == 105
    assert batch.job_metrics["job_a"].min_seed_duration == timedelta(minutes=9, seconds=2)


async def test_create_batch_with_model_objects(driver: Driver, router: respx.Router) -> None:
    route = router.post("/v6/batches/").respond(201, json=details(106))
    definition = BatchDefinition(dataset=2, forced_nodes=ForcedNodes(all=False, nodes=["a"]))
    await driver.call("create_batch", 209, definition, BatchConfiguration(priority=5))
    assert body(route) == {
        "recipe_type_id": 209,
        "definition": {"dataset": 2, "forced_nodes": {"all": False, "nodes": ["a"]}},
        "configuration": {"priority": 5},
    }


async def test_create_batch_from_previous(driver: Driver, router: respx.Router) -> None:
    route = router.post("/v6/batches/").respond(201, json=details(107))
    batch = await driver.call(
        "create_batch_from_previous",
        104,
        208,
        {"priority": 100},
        title="again",
        forced_nodes=ForcedNodes(all=False, nodes=["job_a"]),
    )
    assert body(route) == {
        "recipe_type_id": 208,
        "definition": {
            "previous_batch": {
                "root_batch_id": 104,
                "forced_nodes": {"all": False, "nodes": ["job_a"]},
            }
        },
        "configuration": {"priority": 100},
        "title": "again",
    }
    assert batch.id == 107


async def test_get_batch(driver: Driver, router: respx.Router) -> None:
    route = router.get("/v6/batches/105/").respond(json=details(105))
    batch = await driver.call("get_batch", 105)
    assert sent(route).content == b""
    assert batch.definition.dataset == 1
    assert batch.configuration.priority == 100


async def test_edit_batch_sends_only_what_is_given(driver: Driver, router: respx.Router) -> None:
    route = router.patch("/v6/batches/100/").respond(204)
    assert await driver.call("edit_batch", 100, title="My New Batch Title") is None
    assert body(route) == {"title": "My New Batch Title"}
    route.reset()
    config = BatchConfiguration(priority=200)
    await driver.call("edit_batch", 100, description="d", configuration=config)
    assert body(route) == {"description": "d", "configuration": {"priority": 200}}


async def test_validate_batch(driver: Driver, router: respx.Router) -> None:
    route = router.post("/v6/batches/validation/").respond(
        json={
            "is_valid": True,
            "errors": [],
            "warnings": [{"name": "EXAMPLE_WARNING", "description": "This is an example."}],
            "recipes_estimated": 10,
            "recipe_type": list_item()["recipe_type"],
            "prev_batch": {
                "recipe_type_rev": {"id": 4, "recipe_type": {"id": 208}, "revision_num": 1},
                "diff": {"can_be_reprocessed": True},
            },
        }
    )
    result = await driver.call(
        "validate_batch", 208, {"previous_batch": {"root_batch_id": 104}}, {"priority": 100}
    )
    assert body(route) == {
        "recipe_type_id": 208,
        "definition": {"previous_batch": {"root_batch_id": 104}},
        "configuration": {"priority": 100},
    }
    assert isinstance(result, ValidationResult)
    assert result.is_valid
    assert result.warnings_by_name == {"EXAMPLE_WARNING": ["This is an example."]}
    assert result.prev_batch is not None
    assert result.prev_batch.recipe_type_rev is not None
    assert result.prev_batch.recipe_type_rev.id == 4
    assert result.prev_batch.diff == {"can_be_reprocessed": True}


async def test_compare_batches(driver: Driver, router: respx.Router) -> None:
    names = [f"jobs_{state}" for state in STATES] + ["recipes_estimated", "recipes_total"]
    metrics = {name: [1] for name in [*names, "recipes_completed"]}
    ref = {"id": 101, "title": "t", "description": "d", "created": "1970-01-01T00:00:00Z"}
    route = router.get("/v6/batches/comparison/101/").respond(
        json={"batches": [ref], "metrics": {**metrics, "job_metrics": {}}}
    )
    comparison = await driver.call("compare_batches", 101)
    assert route.called
    assert isinstance(comparison, BatchComparison)
    assert comparison.batches[0].id == 101
    assert comparison.metrics.recipes_total == [1]


@pytest.mark.parametrize(
    ("method", "args", "match"),
    [
        ("create_batch", (208, {"dataset": 1, "forced_node": {}}), "unknown key 'forced_node'"),
        ("validate_batch", (208, {"previous_batch": {"root_batch": 1}}), "unknown key"),
        ("create_batch_from_previous", (104, 208, {"inputmap": []}), "did you mean 'inputMap'"),
        ("create_batch", (208, {"dataset": 1}, None, "x" * 51), "at most 50 characters"),
        ("create_batch", (0, {"dataset": 1}), "recipe_type_id must be a positive integer"),
        ("edit_batch", (100, None, None, {"priorty": 1}), "did you mean 'priority'"),
        ("edit_batch", (100,), "needs a title, a description or a configuration"),
        ("edit_batch", (100, 7), "title must be a string"),
        ("get_batch", ("105",), "batch_id must be a positive integer"),
        ("compare_batches", (-1,), "root_batch_id must be a positive integer"),
    ],
)
async def test_bad_arguments_fail_before_any_request(
    driver: Driver, router: respx.Router, method: str, args: tuple[Any, ...], match: str
) -> None:
    """A misspelt schema key (or any other bad argument) never reaches the server."""
    with pytest.raises(ValueError, match=match):
        await driver.call(method, *args)
    assert not router.calls


def test_misspelt_key_message_names_it() -> None:
    from scale_async.nga._client import _batch_body

    with pytest.raises(ValueError, match="'forced_node'; did you mean 'forced_nodes'"):
        _batch_body(208, {"dataset": 1, "forced_node": {"all": True}}, None)


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, ScaleInvalidRequest),
        (401, ScaleUnauthorized),
        (403, ScaleForbidden),
        (404, ScaleResourceNotFound),
        (405, ScaleException),
        (500, ScaleInternalError),
    ],
)
async def test_drf_errors_map_to_the_scale_exceptions(
    driver: Driver, router: respx.Router, status: int, cls: type[ScaleException]
) -> None:
    """DRF's ``detail`` is the message; 405 has no class of its own."""
    router.get("/v6/batches/105/").respond(status, json={"detail": f"the {status} detail"})
    with pytest.raises(ScaleException) as info:
        await driver.call("get_batch", 105)
    assert type(info.value) is cls
    assert info.value.code == status
    assert info.value.message == f"the {status} detail"
    assert (info.value.method, info.value.path) == ("GET", "v6/batches/105/")


async def test_a_failed_create_is_not_replayed(driver: Driver, router: respx.Router) -> None:
    """The server may have stored the batch before failing: a retry could make a second one."""
    route = router.post("/v6/batches/").respond(500, json={"detail": "boom"})
    with pytest.raises(ScaleInternalError):
        await driver.call("create_batch", 208, {"dataset": 1})
    assert route.call_count == 1


async def test_reads_and_validations_are_retried(driver: Driver, router: respx.Router) -> None:
    route = router.post("/v6/batches/validation/").respond(500, text="<h1>Server Error (500)</h1>")
    with pytest.raises(ScaleInternalError, match=r"Server Error \(500\)") as info:
        await driver.call("validate_batch", 208, {"dataset": 1})
    assert route.call_count == 1 + MAX_RETRIES
    assert info.value.retries == MAX_RETRIES


async def test_the_token_never_shows_in_errors(driver: Driver, router: respx.Router) -> None:
    router.get("/v6/batches/1/").respond(401, json={"detail": f"Invalid token {TOKEN}."})
    with pytest.raises(ScaleUnauthorized) as info:
        await driver.call("get_batch", 1)
    assert TOKEN not in str(info.value)
    assert TOKEN not in repr(info.value)
    assert "[redacted]" in info.value.message
    assert TOKEN not in repr(driver.client)


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(200, json={"results": []}),
        httpx.Response(200, json={"count": 1, "results": "nope"}),
        httpx.Response(200, json={"count": 1, "results": [{"id": 1}]}),
        httpx.Response(200, text="not json"),
    ],
)
async def test_a_malformed_page_is_an_invalid_response(
    driver: Driver, router: respx.Router, answer: httpx.Response
) -> None:
    router.get("/v6/batches/").mock(return_value=answer)
    with pytest.raises(ScaleInvalidResponse):
        await driver.call("list_batches")


async def test_a_listing_that_shrank_ends_early(driver: Driver, router: respx.Router) -> None:
    """A later page past the new end ("Invalid page.") ends the listing, not the caller."""

    def answer(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params["page"])
        if number == 3:
            return httpx.Response(404, json={"detail": "Invalid page."})
        return httpx.Response(200, json=page([list_item(number)], count=3))

    router.get("/v6/batches/").mock(side_effect=answer)
    items = await driver.collect("get_batches", page_size=1)
    assert [b.id for b in items] == [1, 2]


async def test_a_missing_first_page_is_raised(driver: Driver, router: respx.Router) -> None:
    router.get("/v6/batches/").respond(404, json={"detail": "Not found."})
    with pytest.raises(ScaleResourceNotFound, match="Not found"):
        await driver.collect("get_batches")


async def test_get_batches_checks_concurrency(driver: Driver, router: respx.Router) -> None:
    with pytest.raises(ValueError, match="concurrency must be a positive integer"):
        await driver.collect("get_batches", concurrency=0)
    assert not router.calls

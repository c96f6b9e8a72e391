"""Every NGA operation against the fake NGA Scale, through the async client and its sync twin."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import anyio
import httpx
import pytest

from scale_async import (
    ScaleException,
    ScaleForbidden,
    ScaleInternalError,
    ScaleInvalidRequest,
    ScaleResourceNotFound,
    ScaleUnauthorized,
)
from scale_async._engine.requester import Call
from scale_async.nga import AsyncNGAScaleClient, BatchDetails, ForcedNodes
from scale_async.testing import IN_PROCESS_NGA_BASE_URL, FakeNGAScaleAPI
from tests.drivers import Sleeps, fast_policy
from tests.nga.support import Driver, NGADriver, make_nga_driver


async def populate(
    raw: httpx.AsyncClient, count: int, recipe_type_id: int = 209, dataset: int = 2
) -> list[int]:
    """Create ``count`` batches straight through the fake's HTTP API; their ids."""
    ids = []
    for n in range(count):
        definition = {"dataset": dataset}
        body = {"recipe_type_id": recipe_type_id, "definition": definition, "title": f"b{n}"}
        response = await raw.post("/v6/batches/", json=body)
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    return ids


async def test_create_get_list_and_edit(nga: Driver, fake: FakeNGAScaleAPI) -> None:
    created = await nga.call(
        "create_batch",
        208,
        {"dataset": 1, "forced_nodes": {"all": True}},
        {"priority": 100, "inputMap": [{"input": "INPUT_FILE", "datasetParameter": "INPUT_FILE"}]},
        title="My Batch",
        description="first",
    )
    assert isinstance(created, BatchDetails)
    assert (created.title, created.description, created.is_superseded) == (
        "My Batch",
        "first",
        False,
    )
    assert created.root_batch is not None
    assert created.root_batch.id == created.id
    assert created.superseded_batch is None
    assert created.recipes_estimated == 6  # 3 dataset members, each a recipe and a sub-recipe
    assert sorted(created.job_metrics) == ["job_a", "job_b"]
    assert isinstance(created.job_metrics["job_a"].min_seed_duration, timedelta)
    assert created.event is not None
    assert created.event.description == {"user": "Anonymous"}
    assert created.configuration is not None
    assert created.configuration.input_map is not None

    fetched = await nga.call("get_batch", created.id)
    assert fetched.as_dict() == created.as_dict()

    page = await nga.call("list_batches", recipe_type_id=208)
    assert [b.id for b in page] == [created.id]
    assert page.count == 1

    assert (
        await nga.call("edit_batch", created.id, title="renamed", configuration={"priority": 7})
        is None
    )
    edited = await nga.call("get_batch", created.id)
    assert edited.title == "renamed"
    assert edited.configuration.priority == 7
    assert edited.description == "first"
    assert edited.last_modified > created.last_modified


async def test_a_chain_supersedes_its_latest_batch(nga: Driver) -> None:
    first = await nga.call("create_batch", 208, {"dataset": 1}, title="first")
    second = await nga.call("create_batch_from_previous", first.id, 208, title="second")
    third = await nga.call(
        "create_batch_from_previous", first.id, 208, forced_nodes=ForcedNodes(all=True)
    )
    assert second.root_batch.id == first.id
    assert second.superseded_batch.id == first.id
    assert third.root_batch.id == first.id
    assert third.superseded_batch.id == second.id
    assert third.recipes_estimated == first.recipes_estimated
    assert third.definition.previous_batch.forced_nodes.all is True
    old = await nga.call("get_batch", first.id)
    assert old.is_superseded
    assert old.superseded is not None
    live = await nga.call("list_batches", root_batch_id=first.id, is_superseded=False)
    assert [b.id for b in live] == [third.id]
    chain = await nga.call("list_batches", root_batch_id=[first.id], order="id")
    assert [b.id for b in chain] == [first.id, second.id, third.id]


async def test_validation_names_what_is_wrong(nga: Driver, fake: FakeNGAScaleAPI) -> None:
    good = await nga.call("validate_batch", 209, {"dataset": 2})
    assert (good.is_valid, good.errors, good.recipes_estimated) == (True, [], 5)
    assert good.recipe_type.name == "landsat-ndvi"
    assert good.prev_batch is None

    base = await nga.call("create_batch", 208, {"dataset": 1})
    legacy = fake.add_legacy_batch(208)
    fake.instant_creation = False
    creating = await nga.call("create_batch", 208, {"dataset": 1})
    cases: list[tuple[int, dict[str, Any], dict[str, Any] | None, str]] = [
        (208, {"previous_batch": {"root_batch_id": 999}}, None, "PREV_BATCH_NOT_FOUND"),
        (209, {"previous_batch": {"root_batch_id": base.id}}, None, "MISMATCHED_RECIPE_TYPE"),
        (
            208,
            {"previous_batch": {"root_batch_id": creating.id}},
            None,
            "PREV_BATCH_STILL_CREATING",
        ),
        (208, {"previous_batch": {"root_batch_id": legacy}}, None, "PREV_BATCH_NO_REPROCESS"),
        (208, {"dataset": 3}, None, "MISMATCHED_PARAMS"),
        (
            208,
            {"dataset": 3},
            {"inputMap": [{"input": "INPUT_FILE", "datasetParameter": "X"}]},
            "INVALID_INPUT_MAP",
        ),
        (208, {"dataset": 4}, None, "NO_RECIPES"),
        (208, {"supersedes": True}, None, "NO_RECIPES"),
    ]
    for recipe_type_id, definition, configuration, name in cases:
        result = await nga.call("validate_batch", recipe_type_id, definition, configuration)
        assert not result.is_valid, name
        assert list(result.errors_by_name) == [name]
        assert result.recipes_estimated == 0
        assert result.recipe_type.id == recipe_type_id
    mismatched = await nga.call(
        "validate_batch", 209, {"previous_batch": {"root_batch_id": base.id}}
    )
    assert mismatched.prev_batch.recipe_type_rev.recipe_type.id == 208
    assert mismatched.prev_batch.diff is None
    mapped = await nga.call(
        "validate_batch",
        208,
        {"dataset": 3},
        {"inputMap": [{"input": "INPUT_FILE", "datasetParameter": "NAME_FILE"}]},
    )
    assert (mapped.is_valid, mapped.recipes_estimated) == (True, 4)
    again = await nga.call("validate_batch", 208, {"previous_batch": {"root_batch_id": base.id}})
    assert again.is_valid
    assert sorted(again.prev_batch.diff["nodes"]) == ["job_a", "job_b"]


async def test_schema_errors_the_client_cannot_see(nga: Driver) -> None:
    """An unsupported version passes the client's checks (a string) and fails on the server."""
    result = await nga.call("validate_batch", 208, {"version": "5", "dataset": 1})
    assert result.errors_by_name == {
        "INVALID_BATCH_DEFINITION": ["5 is an unsupported version number"]
    }
    assert (result.recipes_estimated, result.recipe_type, result.prev_batch) == (None, None, None)
    with pytest.raises(ScaleInvalidRequest, match="unsupported version number"):
        await nga.call("create_batch", 208, {"version": "5", "dataset": 1})


async def test_comparison_lines_up_a_chain(nga: Driver, fake: FakeNGAScaleAPI) -> None:
    first = await nga.call("create_batch", 209, {"dataset": 2})
    fake.instant_creation = False
    second = await nga.call("create_batch_from_previous", first.id, 209)
    await nga.call("create_batch", 209, {"dataset": 2})  # another chain
    comparison = await nga.call("compare_batches", first.id)
    assert [b.id for b in comparison.batches] == [first.id, second.id]
    metrics = comparison.metrics
    assert metrics.jobs_total == [15, 0]  # 5 recipes x 3 jobs; the second has made none yet
    assert metrics.recipes_estimated == [5, 5]
    assert sorted(metrics.job_metrics) == ["ingest", "ndvi", "publish"]
    ndvi = metrics.job_metrics["ndvi"]
    assert ndvi.jobs_completed == [5, None]
    assert isinstance(ndvi.max_job_duration[0], timedelta)
    assert ndvi.max_job_duration[1] is None
    fake.finish_batch_creation(second.id)
    done = await nga.call("compare_batches", first.id)
    assert done.metrics.job_metrics["ndvi"].jobs_completed == [5, 5]
    empty = await nga.call("compare_batches", 999)
    assert (empty.batches, empty.metrics.jobs_total, empty.metrics.job_metrics) == ([], [], {})


async def test_get_batches_yields_every_batch_once_in_order(
    nga: Driver, fake: FakeNGAScaleAPI, raw: httpx.AsyncClient
) -> None:
    """Seven pages, fetched three at a time, arrive whole and in the listing's order."""
    ids = await populate(raw, 25)
    await populate(raw, 2, recipe_type_id=208, dataset=1)
    fake.latency = 0.01
    fake.reset_counters()
    items = await nga.collect("get_batches", recipe_type_id=209, page_size=4, concurrency=3)
    assert [b.id for b in items] == ids
    assert len(fake.requests) == 7
    assert fake.peak_in_flight == 3
    down = await nga.collect("get_batches", recipe_type_id=209, order="-id", page_size=10)
    assert [b.id for b in down] == ids[::-1]


async def test_leaving_get_batches_early_stops_the_fetching(
    nga: NGADriver, fake: FakeNGAScaleAPI, raw: httpx.AsyncClient
) -> None:
    ids = await populate(raw, 20)
    fake.reset_counters()
    taken = await nga.take("get_batches", 5, page_size=2, concurrency=3)
    assert [b.id for b in taken] == ids[:5]
    await anyio.sleep(0.05)
    pages = sorted(int(r.rsplit("page=", 1)[1].split("&")[0]) for r in fake.requests)
    assert pages == [1, 2, 3, 4]  # page 1, then one wave of 3; never the other six


async def test_an_empty_listing(nga: Driver, fake: FakeNGAScaleAPI) -> None:
    assert await nga.collect("get_batches") == []
    assert len(fake.requests) == 1


async def test_refused_arguments_send_nothing(nga: Driver, fake: FakeNGAScaleAPI) -> None:
    with pytest.raises(ScaleInvalidRequest, match="Illegal parameter recipe for"):
        await nga.call("list_batches", recipe=208)
    with pytest.raises(ValueError, match="page_size must be from 1 to 1000"):
        await nga.call("list_batches", page_size=1001)
    with pytest.raises(ValueError, match="unknown key 'datset'; did you mean 'dataset'"):
        await nga.call("create_batch", 208, {"datset": 1})
    assert fake.requests == []


SERVER_ERRORS: list[tuple[str, tuple[Any, ...], dict[str, Any], type[ScaleException], str]] = [
    ("create_batch", (999, {"dataset": 1}), {}, ScaleInvalidRequest, "Unknown recipe type: 999"),
    (
        "create_batch",
        (208, {"dataset": 4}),
        {},
        ScaleInvalidRequest,
        "Batch definition must result in creating at least one recipe",
    ),
    ("validate_batch", (7, {"dataset": 1}), {}, ScaleInvalidRequest, "Unknown recipe type: 7"),
    ("get_batch", (42,), {}, ScaleResourceNotFound, "Not found."),
    ("edit_batch", (42, "t"), {}, ScaleResourceNotFound, "Not found."),
    ("list_batches", (), {"page": 3}, ScaleResourceNotFound, "Invalid page."),
    (
        "list_batches",
        (),
        {"started": "soon"},
        ScaleInvalidRequest,
        "Invalid ISO timestamp format for parameter: started",
    ),
    (
        "list_batches",
        (),
        {"started": timedelta(hours=1), "ended": timedelta(hours=2)},
        ScaleInvalidRequest,
        "Start time must come before end time",
    ),
    ("list_batches", (), {"order": "colour"}, ScaleInternalError, "Server Error (500)"),
]


@pytest.mark.parametrize(("name", "args", "kwargs", "cls", "message"), SERVER_ERRORS)
async def test_server_errors_map_to_scale_exceptions(
    nga: Driver,
    name: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    cls: type[ScaleException],
    message: str,
) -> None:
    """The fake's DRF ``detail`` (or Django's HTML page) becomes the exception's message."""
    with pytest.raises(cls) as info:
        await nga.call(name, *args, **kwargs)
    assert type(info.value) is cls
    assert info.value.message == message


async def test_an_invalid_diff_is_a_500_and_a_create_is_not_retried(
    nga: Driver, fake: FakeNGAScaleAPI
) -> None:
    """NGA's views do not catch InvalidDiff (an unknown forced node): Django's HTML 500."""
    definition = {"dataset": 1, "forced_nodes": {"all": False, "nodes": ["no_such_job"]}}
    with pytest.raises(ScaleInternalError, match=r"Server Error \(500\)"):
        await nga.call("create_batch", 208, definition)
    assert len(fake.requests) == 1
    with pytest.raises(ScaleInternalError):
        await nga.call("validate_batch", 208, definition)
    assert len(fake.requests) == 3  # the validation is replay-safe: retried once
    assert (await nga.call("list_batches")).count == 0


async def test_token_authentication(client_kind: str) -> None:
    """Reads need a valid token, writes a staff one; validation is open to any user."""
    fake = FakeNGAScaleAPI(tokens={"staff-token": True, "user-token": False})

    def driver(token: str | None) -> Driver:
        return make_nga_driver(
            client_kind,
            base_url=IN_PROCESS_NGA_BASE_URL,
            token=token,
            transport=fake.transport(),
            retry=fast_policy(Sleeps(), max_retries=0),
        )

    anonymous, user, staff, wrong = (
        driver(None),
        driver("user-token"),
        driver("staff-token"),
        driver("nope"),
    )
    try:
        with pytest.raises(
            ScaleUnauthorized, match=r"Authentication credentials were not provided\."
        ):
            await anonymous.call("list_batches")
        with pytest.raises(ScaleUnauthorized, match=r"Invalid token\."):
            await wrong.call("list_batches")
        with pytest.raises(ScaleForbidden, match="You do not have permission"):
            await user.call("create_batch", 208, {"dataset": 1})
        created = await staff.call("create_batch", 208, {"dataset": 1})
        assert [b.id for b in await user.call("list_batches")] == [created.id]
        assert (await user.call("validate_batch", 208, {"dataset": 1})).is_valid
        with pytest.raises(ScaleForbidden):
            await user.call("edit_batch", created.id, "mine now")
        await staff.call("edit_batch", created.id, "ours")
        assert (await user.call("get_batch", created.id)).title == "ours"
    finally:
        for drv in (anonymous, user, staff, wrong):
            await drv.aclose()


async def test_public_reads_need_no_token() -> None:
    fake = FakeNGAScaleAPI(tokens={"staff-token": True}, public_read=True)
    async with AsyncNGAScaleClient(IN_PROCESS_NGA_BASE_URL, transport=fake.transport()) as client:
        assert (await client.list_batches()).count == 0
        with pytest.raises(ScaleUnauthorized):
            await client.validate_batch(208, {"dataset": 1})


async def test_405_is_a_plain_scale_exception(fake: FakeNGAScaleAPI) -> None:
    """No operation sends PUT or DELETE; the mapping is shown through the client's core."""
    async with AsyncNGAScaleClient(IN_PROCESS_NGA_BASE_URL, transport=fake.transport()) as client:
        batch = await client.create_batch(208, {"dataset": 1})
        for method in ("PUT", "DELETE"):
            with pytest.raises(ScaleException) as info:
                await client._call(Call(method=method, path=f"v6/batches/{batch.id}/", body={}))
            assert type(info.value) is ScaleException
            assert info.value.code == 405
            assert info.value.message == f'Method "{method}" not allowed.'

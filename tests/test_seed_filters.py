"""The filters and arguments the seeds document and the SDK lacks: requests and the fake."""

from __future__ import annotations

import json
from typing import Any

import pytest
import respx

from scale_async import TaskType
from scale_async.testing import FakeScaleAPI
from tests.drivers import Driver, Sleeps, fast_policy, make_driver

BASE = "https://api.scale.com/v1"
PROJECT = {"name": "p", "type": "imageannotation", "param_history": []}
BATCH = {"project": "p", "name": "b", "status": "in_progress", "created_at": "t", "metadata": {}}


@pytest.fixture
def router() -> respx.Router:
    return respx.Router(base_url=BASE, assert_all_called=False)


@pytest.fixture
async def driver(client_kind: str, router: respx.Router) -> Any:
    drv = make_driver(client_kind, router.handler, retry=fast_policy(Sleeps()))
    yield drv
    await drv.aclose()


@pytest.fixture
async def fake_driver(client_kind: str) -> Any:
    drv = make_driver(client_kind, None, transport=FakeScaleAPI(seed=1).transport())
    yield drv
    await drv.aclose()


async def test_batches_page_sends_detailed(driver: Driver, router: respx.Router) -> None:
    route = router.get("/batches").respond(
        json={"docs": [BATCH], "totalDocs": 1, "limit": 1, "offset": 0, "has_more": False}
    )
    page = await driver.call("batches", project="p", detailed=True)
    assert [b.name for b in page] == ["b"]
    assert route.calls.last.request.url.params["detailed"] == "True"


async def test_get_batches_sends_detailed_only_when_given(
    driver: Driver, router: respx.Router
) -> None:
    route = router.get("/batches").respond(
        json={"docs": [BATCH], "totalDocs": 1, "limit": 100, "offset": 0, "has_more": False}
    )
    assert len(await driver.collect("get_batches", "p", detailed=False)) == 1
    assert route.calls.last.request.url.params["detailed"] == "False"
    await driver.collect("get_batches", "p")
    assert "detailed" not in route.calls.last.request.url.params


async def test_get_batches_refuses_a_non_bool_detailed(driver: Driver) -> None:
    with pytest.raises(ValueError, match="detailed"):
        await driver.collect("get_batches", "p", detailed="yes")


@pytest.mark.parametrize(("archived", "query"), [(True, "true"), (False, "false"), (None, None)])
async def test_projects_archived_filter(
    driver: Driver, router: respx.Router, archived: bool | None, query: str | None
) -> None:
    route = router.get("/projects").respond(json=[PROJECT])
    for name in ("projects", "get_projects"):
        got = await driver.call(name, archived=archived)
        assert [p.name for p in got] == ["p"]
        assert route.calls.last.request.url.params.get("archived") == query


async def test_projects_archived_must_be_a_bool(driver: Driver, router: respx.Router) -> None:
    route = router.get("/projects").respond(json=[])
    with pytest.raises(ValueError, match="archived"):
        await driver.call("projects", archived="no")
    assert not route.called


async def test_set_project_ontology_without_a_name(driver: Driver, router: respx.Router) -> None:
    route = router.post("/projects/p/setOntology").respond(json=PROJECT)
    await driver.call("set_project_ontology", "p", ["cat"])
    assert json.loads(route.calls.last.request.content) == {"ontology": ["cat"]}


async def test_the_fake_serves_the_seed_filters(fake_driver: Driver) -> None:
    """detailed and archived are accepted; an ontology version may go unnamed."""
    await fake_driver.call("create_project", "p", TaskType.ImageAnnotation)
    await fake_driver.call("create_batch", "p", "b")
    page = await fake_driver.call("batches", project="p", detailed=True)
    assert [b.name for b in page] == ["b"]
    assert [p.name for p in await fake_driver.call("projects", archived=False)] == ["p"]
    assert await fake_driver.call("projects", archived=True) == []
    project = await fake_driver.call("set_project_ontology", "p", ["cow", "horse"])
    assert project.ontology_history[-1]["ontology"] == ["cow", "horse"]
    assert "name" not in project.ontology_history[-1]
    named = await fake_driver.call("set_project_ontology", "p", ["cow"], "v2")
    assert [o.get("name") for o in named.ontology_history] == [None, "v2"]

"""Batches, projects and quality tasks: request shapes and models, through both clients."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import respx

from scale_async import BatchStatus, ScaleDuplicateResource, ScaleInvalidRequest, TaskType
from tests.drivers import Driver, Sleeps, fast_policy, make_driver

BASE = "https://api.scale.com/v1"


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


def project_json(name: str = "p", **fields: Any) -> dict[str, Any]:
    return {
        "name": name,
        "type": "imageannotation",
        "param_history": [
            {"instruction": "old", "version": 0},
            {"instruction": "label cats", "version": 1},
        ],
        "created_at": "2024-01-01T00:00:00.000Z",
        **fields,
    }


def batch_page(docs: list[dict[str, Any]], offset: int, total: int, has_more: bool) -> Any:
    return {"docs": docs, "totalDocs": total, "limit": 2, "offset": offset, "has_more": has_more}


@pytest.fixture
def router() -> respx.Router:
    return respx.Router(base_url=BASE, assert_all_called=False)


@pytest.fixture
async def driver(client_kind: str, router: respx.Router) -> Any:
    drv = make_driver(client_kind, router.handler, retry=fast_policy(Sleeps()))
    yield drv
    await drv.aclose()


def body(route: respx.Route) -> Any:
    return json.loads(route.calls.last.request.content)


# -- batches ---------------------------------------------------------------------------------


async def test_create_batch(driver: Driver, router: respx.Router) -> None:
    route = router.post("/batches").respond(json=batch_json("b1", status="staging"))
    batch = await driver.call("create_batch", "p", "b1")
    assert isinstance(batch, driver.models.Batch)
    assert batch.status is BatchStatus.Staging
    assert body(route) == {
        "project": "p",
        "name": "b1",
        "calibration_batch": False,
        "self_label_batch": False,
        "callback": "",
        "metadata": {},
    }
    route.reset()
    await driver.call("create_batch", "p", "b1", "https://cb", True, True, {"k": 1})
    assert body(route)["metadata"] == {"k": 1}
    assert body(route)["callback"] == "https://cb"
    assert body(route)["calibration_batch"] is True


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
    assert body(meta) == {"x": 1}
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
    assert (batch.tasks_pending, batch.tasks_completed) == (0, 3)
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
        assert body(route) == {"priority": priority}


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


# -- projects --------------------------------------------------------------------------------


async def test_create_project(driver: Driver, router: respx.Router) -> None:
    route = router.post("/projects").respond(json=project_json("p"))
    project = await driver.call("create_project", "p", TaskType.ImageAnnotation, {"x": 1})
    assert isinstance(project, driver.models.Project)
    assert body(route) == {
        "type": "imageannotation",
        "name": "p",
        "params": {"x": 1},
        "rapid": False,
        "studio": False,
        "datasetId": None,
    }
    route.reset()
    await driver.call(
        "create_project",
        "p",
        "imageannotation",
        studio=True,
        pipeline="consensus_task",
        consensus_attempts=3,
    )
    assert body(route)["pipeline"] == "consensus_task"
    assert body(route)["consensus_attempts"] == 3
    assert body(route)["studio"] is True


async def test_project_model_reads_the_latest_params(driver: Driver, router: respx.Router) -> None:
    router.get("/projects/my%20p").respond(json=project_json("my p"))
    project = await driver.call("get_project", "my p")
    assert project.params == {"instruction": "label cats", "version": 1}
    assert (project.version, project.instruction) == (1, "label cats")
    assert project.type is TaskType.ImageAnnotation


async def test_projects_list(driver: Driver, router: respx.Router) -> None:
    router.get("/projects").respond(json=[project_json("a"), project_json("b")])
    for name in ("projects", "get_projects"):
        projects = await driver.call(name)
        assert [p.name for p in projects] == ["a", "b"]
        assert all(isinstance(p, driver.models.Project) for p in projects)


async def test_update_project(driver: Driver, router: respx.Router) -> None:
    route = router.post("/projects/p/setParams").respond(json=project_json("p"))
    await driver.call("update_project", "p", patch=True, instruction="new")
    assert body(route) == {"patch": True, "instruction": "new"}


async def test_update_project_is_not_replayed_after_a_500(
    driver: Driver, router: respx.Router
) -> None:
    """Each setParams adds a version, so an ambiguous failure is not retried."""
    route = router.post("/projects/p/setParams").respond(500, json={"error": "x"})
    with pytest.raises(Exception, match="x"):
        await driver.call("update_project", "p", instruction="new")
    assert route.call_count == 1


async def test_set_project_ontology(driver: Driver, router: respx.Router) -> None:
    route = router.post("/projects/p/setOntology").respond(json=project_json("p"))
    ontology = ["cat", {"choice": "dog", "subchoices": ["big"]}]
    project = await driver.call("set_project_ontology", "p", ontology, "v2")
    assert body(route) == {"ontology": ontology, "name": "v2"}
    assert project.name == "p"


async def test_set_project_ontology_fetches_when_the_answer_is_empty(
    driver: Driver, router: respx.Router
) -> None:
    router.post("/projects/p/setOntology").respond(text="OK")
    get = router.get("/projects/p").respond(json=project_json("p"))
    project = await driver.call("set_project_ontology", "p", ["cat"], "v1")
    assert isinstance(project, driver.models.Project)
    assert get.called


async def test_project_template(driver: Driver, router: respx.Router) -> None:
    template = {
        "id": "tt1",
        "version": 2,
        "created_at": "x",
        "updated_at": "y",
        "template_variables": {"q": "string"},
        "response_schema": {"type": "object"},
        "auto_onboard_enabled": True,
    }
    router.get("/projects/p/taskTemplates").respond(json=template)
    router.get("/projects/p").respond(json=project_json("p"))
    got = await driver.call("get_project_template", "p")
    assert got.get_template_variables() == {"q": "string"}
    assert got.is_auto_onboardable() is True
    assert got.get_response_schema() == {"type": "object"}
    project = await driver.call("get_project", "p")
    via_helper = await driver.method(project, "get_template")
    assert via_helper.id == "tt1"


# -- quality tasks ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "route_name", "model"),
    [
        ("create_evaluation_task", "evaluation_tasks", "EvaluationTask"),
        ("create_training_task", "training_tasks", "TrainingTask"),
    ],
)
async def test_quality_tasks(
    driver: Driver, router: respx.Router, name: str, route_name: str, model: str
) -> None:
    answer = {"id": "q1", "expected_response": {"a": 1}, "initial_response": {"a": 0}}
    route = router.post(f"/{route_name}/textcollection").respond(json=answer)
    task = await driver.call(name, TaskType.TextCollection, expected_response={"a": 1}, x=2)
    assert isinstance(task, getattr(driver.models, model))
    assert task.initial_response == {"a": 0}  # the SDK loses this field
    assert body(route) == {"expected_response": {"a": 1}, "x": 2}
    with pytest.raises(ValueError, match="expected_response"):
        await driver.call(name, TaskType.TextCollection, x=2)
    assert route.call_count == 1

"""Projects: create, list, params, ontology, templates and the model, through both clients."""

from __future__ import annotations

from typing import Any

import pytest
import respx

from scale_async import TaskType
from tests.api.support import last_body
from tests.drivers import Driver


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


# -- projects --------------------------------------------------------------------------------


async def test_create_project(driver: Driver, router: respx.Router) -> None:
    route = router.post("/projects").respond(json=project_json("p"))
    project = await driver.call("create_project", "p", TaskType.ImageAnnotation, {"x": 1})
    assert isinstance(project, driver.models.Project)
    assert last_body(route) == {
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
    assert last_body(route)["pipeline"] == "consensus_task"
    assert last_body(route)["consensus_attempts"] == 3
    assert last_body(route)["studio"] is True


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
    assert last_body(route) == {"patch": True, "instruction": "new"}


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
    assert last_body(route) == {"ontology": ontology, "name": "v2"}
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

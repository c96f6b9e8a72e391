"""Studio: labeler assignments, project groups and studio batches, through both clients."""

from __future__ import annotations

from typing import Any

import pytest
import respx

from scale_async import (
    ScaleInvalidResponse,
)
from scale_async.studio import StudioBatchStatus
from tests.api.support import body, models, sent
from tests.drivers import Driver


def group_json(name: str = "g1", **fields: Any) -> dict[str, Any]:
    return {
        "id": "grp1",
        "name": name,
        "numWorkers": 2,
        "isSingleton": False,
        "workers": [{"id": "w1", "email": "a@x.com"}, {"id": "w2", "email": "b@x.com"}],
        **fields,
    }


def studio_batch_json(name: str = "sb1", **fields: Any) -> dict[str, Any]:
    return {
        "id": "sbid1",
        "name": name,
        "projectId": "pid1",
        "projectName": "proj 1",
        "batchType": "Production",
        "studioPriority": 1,
        "total": 10,
        "completed": 4,
        "groups": ["g1"],
        **fields,
    }


# -- studio assignments --------------------------------------------------------------------


ASSIGNMENTS = {"a@x.com": ["proj 1", "proj/2"], "b@x.com": []}


def check_assignments(driver: Driver, result: Any) -> None:
    assert isinstance(result, dict)
    assert list(result) == ["a@x.com", "b@x.com"]
    cls = models(driver, "studio").StudioLabelerAssignment
    for email, assignment in result.items():
        assert isinstance(assignment, cls)
        assert assignment.email == email
        assert assignment.assigned_projects == ASSIGNMENTS[email]
    assert result["a@x.com"].as_dict() == {
        "email": "a@x.com",
        "assigned_projects": ["proj 1", "proj/2"],
    }


async def test_list_studio_assignments(driver: Driver, router: respx.Router) -> None:
    route = router.get("/studio/assignments").respond(json=ASSIGNMENTS)
    check_assignments(driver, await driver.call("list_studio_assignments"))
    assert sent(route).content == b""


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("add_studio_assignments", "/studio/assignments/add"),
        ("remove_studio_assignments", "/studio/assignments/remove"),
    ],
)
async def test_change_studio_assignments(
    driver: Driver, router: respx.Router, name: str, path: str
) -> None:
    route = router.post(path).respond(json=ASSIGNMENTS)
    result = await driver.call(name, ["a@x.com"], ["proj 1", "proj/2"])
    assert body(route) == {"emails": ["a@x.com"], "projects": ["proj 1", "proj/2"]}
    check_assignments(driver, result)


@pytest.mark.parametrize(
    ("emails", "projects", "match"),
    [
        ("a@x.com", ["p"], "emails"),
        (["a@x.com"], "p", "projects"),
        (["a@x.com"], [None], "projects"),
    ],
)
@pytest.mark.parametrize("name", ["add_studio_assignments", "remove_studio_assignments"])
async def test_change_studio_assignments_refuses_bad_arguments(
    driver: Driver, router: respx.Router, name: str, emails: Any, projects: Any, match: str
) -> None:
    route = router.post(url__regex=r".*/studio/assignments/.*").respond(json={})
    with pytest.raises(ValueError, match=match):
        await driver.call(name, emails, projects)
    assert not route.called


@pytest.mark.parametrize(
    "answer",
    [["a@x.com"], {"a@x.com": "proj 1"}, {"a@x.com": None}],
    ids=["array", "string-value", "null-value"],
)
async def test_malformed_assignments_are_invalid(
    driver: Driver, router: respx.Router, answer: Any
) -> None:
    router.get("/studio/assignments").respond(json=answer)
    with pytest.raises(ScaleInvalidResponse):
        await driver.call("list_studio_assignments")


# -- studio project groups -----------------------------------------------------------------


def check_group(driver: Driver, group: Any) -> None:
    studio = models(driver, "studio")
    assert isinstance(group, studio.StudioProjectGroup)
    assert (group.id, group.name) == ("grp1", "g1")
    assert (group.num_workers, group.is_singleton) == (2, False)
    assert (group.numWorkers, group.isSingleton) == (2, False)
    assert isinstance(group.workers, list)
    assert all(isinstance(w, studio.StudioWorker) for w in group.workers)
    assert [(w.id, w.email) for w in group.workers] == [("w1", "a@x.com"), ("w2", "b@x.com")]


async def test_list_project_groups_quotes_the_project(driver: Driver, router: respx.Router) -> None:
    route = router.get(url__regex=r".*/studio/projects/a%20b%2Fc/groups$").respond(
        json=[group_json(), group_json("solo", workers=[], isSingleton=True)]
    )
    groups = await driver.call("list_project_groups", "a b/c")
    assert sent(route).url.raw_path == b"/v1/studio/projects/a%20b%2Fc/groups"
    assert len(groups) == 2
    check_group(driver, groups[0])
    assert groups[1].workers == []
    assert groups[1].is_singleton is True


async def test_group_without_workers_key_has_an_empty_list(
    driver: Driver, router: respx.Router
) -> None:
    data = group_json()
    del data["workers"]
    router.get(url__regex=r".*/studio/projects/p/groups$").respond(json=[data])
    (group,) = await driver.call("list_project_groups", "p")
    assert group.workers == []


async def test_create_project_group(driver: Driver, router: respx.Router) -> None:
    route = router.post(url__regex=r".*/studio/projects/a%20b%2Fc/groups$").respond(
        json=group_json()
    )
    group = await driver.call("create_project_group", "a b/c", ["a@x.com", "b@x.com"], "g1")
    assert sent(route).url.raw_path == b"/v1/studio/projects/a%20b%2Fc/groups"
    assert body(route) == {"emails": ["a@x.com", "b@x.com"], "name": "g1"}
    check_group(driver, group)


async def test_update_project_group_quotes_both_names(driver: Driver, router: respx.Router) -> None:
    route = router.put(url__regex=r".*/studio/projects/a%20b%2Fc/groups/g%2F1%20x$").respond(
        json=group_json()
    )
    group = await driver.call(
        "update_project_group", "a b/c", "g/1 x", ["b@x.com"], ["c@x.com", "d@x.com"]
    )
    assert sent(route).url.raw_path == b"/v1/studio/projects/a%20b%2Fc/groups/g%2F1%20x"
    assert body(route) == {"add_emails": ["b@x.com"], "remove_emails": ["c@x.com", "d@x.com"]}
    check_group(driver, group)


@pytest.mark.parametrize(
    ("name", "args", "match"),
    [
        ("list_project_groups", ("",), "project"),
        ("create_project_group", ("", ["a@x.com"], "g"), "project"),
        ("create_project_group", ("p", "a@x.com", "g"), "emails"),
        ("create_project_group", ("p", ["a@x.com"], ""), "project_group"),
        ("update_project_group", ("p", "", [], []), "project_group"),
        ("update_project_group", ("p", "g", None, []), "add_emails"),
        ("update_project_group", ("p", "g", [], ["a", 1]), "remove_emails"),
    ],
)
async def test_project_groups_refuse_bad_arguments(
    driver: Driver, router: respx.Router, name: str, args: tuple[Any, ...], match: str
) -> None:
    route = router.route(url__regex=r".*/studio/.*").respond(json=group_json())
    with pytest.raises(ValueError, match=match):
        await driver.call(name, *args)
    assert not route.called


@pytest.mark.parametrize(
    ("missing", "field"),
    [
        ("id", "id"),
        ("name", "name"),
        ("numWorkers", "num_workers"),
        ("isSingleton", "is_singleton"),
    ],
)
async def test_group_missing_a_required_key_is_invalid(
    driver: Driver, router: respx.Router, missing: str, field: str
) -> None:
    data = group_json()
    del data[missing]
    router.get(url__regex=r".*/studio/projects/p/groups$").respond(json=[data])
    with pytest.raises(ScaleInvalidResponse, match=rf"missing @ \$\.{field}\b"):
        await driver.call("list_project_groups", "p")


async def test_group_worker_missing_email_is_invalid(driver: Driver, router: respx.Router) -> None:
    router.get(url__regex=r".*/studio/projects/p/groups$").respond(
        json=[group_json(workers=[{"id": "w1"}])]
    )
    with pytest.raises(ScaleInvalidResponse, match=r"missing @ \$\.workers\[0\]\.email"):
        await driver.call("list_project_groups", "p")


# -- studio batches ------------------------------------------------------------------------


def check_studio_batch(driver: Driver, batch: Any, name: str = "sb1") -> None:
    assert isinstance(batch, models(driver, "studio").StudioBatch)
    assert (batch.id, batch.name) == ("sbid1", name)
    assert (batch.project_id, batch.project_name) == ("pid1", "proj 1")
    assert batch.batch_type == StudioBatchStatus.Production
    assert batch.studio_priority == 1
    assert (batch.total, batch.completed, batch.groups) == (10, 4, ["g1"])


async def test_list_studio_batches(driver: Driver, router: respx.Router) -> None:
    route = router.get("/studio/batches").respond(
        json=[
            studio_batch_json(),
            {
                k: v
                for k, v in studio_batch_json("cal", batchType="Calibration").items()
                if k != "studioPriority"
            },
        ]
    )
    first, second = await driver.call("list_studio_batches")
    assert sent(route).content == b""
    check_studio_batch(driver, first)
    assert second.batch_type == "Calibration"
    assert second.studio_priority is None


async def test_assign_studio_batches_quotes_the_batch(driver: Driver, router: respx.Router) -> None:
    route = router.put(url__regex=r".*/studio/batches/sb%201%2Fx$").respond(
        json=studio_batch_json()
    )
    batch = await driver.call("assign_studio_batches", "sb 1/x", ["g1", "a@x.com"])
    assert sent(route).url.raw_path == b"/v1/studio/batches/sb%201%2Fx"
    assert body(route) == {"groups": ["g1", "a@x.com"]}
    check_studio_batch(driver, batch)


async def test_set_studio_batches_priorities(driver: Driver, router: respx.Router) -> None:
    route = router.post("/studio/batches/set_priorities").respond(
        json=[studio_batch_json("b2"), studio_batch_json("b1")]
    )
    batches = await driver.call("set_studio_batches_priorities", ["b2", "b1"])
    assert body(route) == {"batches": [{"name": "b2"}, {"name": "b1"}]}
    assert [b.name for b in batches] == ["b2", "b1"]
    check_studio_batch(driver, batches[0], "b2")


async def test_reset_studio_batches_priorities(driver: Driver, router: respx.Router) -> None:
    route = router.post("/studio/batches/reset_priorities").respond(json=[studio_batch_json()])
    (batch,) = await driver.call("reset_studio_batches_priorities")
    request = sent(route)
    assert request.content == b""
    assert "content-type" not in request.headers
    check_studio_batch(driver, batch)


@pytest.mark.parametrize(
    ("name", "args", "match"),
    [
        ("assign_studio_batches", ("", ["g"]), "batch_name"),
        ("assign_studio_batches", ("b", "g"), "project_groups"),
        ("set_studio_batches_priorities", ("b1",), "batch_names"),
        ("set_studio_batches_priorities", ([{"name": "b1"}],), "batch_names"),
    ],
)
async def test_studio_batches_refuse_bad_arguments(
    driver: Driver, router: respx.Router, name: str, args: tuple[Any, ...], match: str
) -> None:
    route = router.route(url__regex=r".*/studio/.*").respond(json=[])
    with pytest.raises(ValueError, match=match):
        await driver.call(name, *args)
    assert not route.called


@pytest.mark.parametrize(
    ("missing", "field"),
    [
        ("id", "id"),
        ("name", "name"),
        ("projectId", "project_id"),
        ("projectName", "project_name"),
        ("batchType", "batch_type"),
        ("total", "total"),
        ("completed", "completed"),
        ("groups", "groups"),
    ],
)
async def test_studio_batch_missing_a_required_key_is_invalid(
    driver: Driver, router: respx.Router, missing: str, field: str
) -> None:
    data = studio_batch_json()
    del data[missing]
    router.get("/studio/batches").respond(json=[data])
    with pytest.raises(ScaleInvalidResponse, match=rf"missing @ \$\.{field}\b"):
        await driver.call("list_studio_batches")


def test_sdk_module_path_exports_the_studio_models() -> None:
    import scale_async.studio
    import scale_sync.studio

    for name in scale_async.studio.__all__:
        assert getattr(scale_sync.studio, name) is getattr(scale_async.studio, name)
    assert StudioBatchStatus.Production.value == "Production"
